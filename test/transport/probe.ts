/**
 * Runs the transport probe node (fixtures/n8n-nodes-genesys-transport-probe) through n8n's engine: each start
 * item is one request sent by GenesysClient.forContext through httpRequestWithAuthentication; failures come
 * back as items with every error field.
 */
import path from 'node:path';

import { manualTriggerWorkflow, runWorkflow } from '../harness';
import type { RunResult, StartItem } from '../harness';
import { credentialsFor } from './helpers';

export const PROBE = path.join(__dirname, 'fixtures', 'n8n-nodes-genesys-transport-probe');
export const PROBE_TYPE = 'n8n-nodes-genesys-transport-probe.genesysTransportProbe';
export const CREDENTIAL = 'genesysCloudOAuth2Api';
export const ORG: StartItem = { json: { method: 'GET', path: '/api/v2/organizations/me' } };

export interface ProbeItem {
	ok: boolean;
	status?: number;
	code?: string;
	kind?: string;
	maybeApplied?: boolean;
	message?: string;
	description?: string;
	name?: string;
	attempts?: number;
}

export interface ProbeRun {
	result: RunResult;
	items: ProbeItem[];
	stats: Record<string, number>;
}

export interface ProbeOptions {
	credentials?: Record<string, unknown>;
	settings?: Record<string, unknown>;
	parallel?: boolean;
	signal?: AbortSignal;
	cancelGraceMs?: number;
}

export async function runProbe(url: string, startItems: StartItem[], options: ProbeOptions = {}): Promise<ProbeRun> {
	const settings = { retry: { baseDelayMs: 5, maxDelayMs: 50, deadlineMs: 5_000 }, ...options.settings };
	const result = await runWorkflow({
		packages: [PROBE],
		workflow: manualTriggerWorkflow([
			{
				name: 'Probe',
				type: PROBE_TYPE,
				parameters: { settings: JSON.stringify(settings), parallel: options.parallel ?? false },
			},
		]),
		credentials: { [CREDENTIAL]: { data: options.credentials ?? credentialsFor(url) } },
		startItems,
		signal: options.signal,
		cancelGraceMs: options.cancelGraceMs,
	});
	const all = result.status === 'success' ? result.output('Probe').map((item) => item.json as unknown as ProbeItem) : [];
	const last = all[all.length - 1] as { stats?: Record<string, number> } | undefined;
	return { result, items: all.slice(0, -1), stats: last?.stats ?? {} };
}
