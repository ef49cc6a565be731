/**
 * Shared setup of the Bulk Create Users workflow tests: an emulator, the node in a one-node workflow run by
 * the harness (n8n's real engine, built package from dist/), and readers of what the emulator recorded.
 */
import { manualTriggerWorkflow, runWorkflow } from '../harness';
import type { OutputItem, RunResult, StartItem } from '../harness';
import { startEmulator } from '../emulator';
import type { Emulator, EmulatorOptions, RecordedRequest } from '../emulator';

export const NODE_NAME = 'Create';
export const NODE_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers';
export const CLIENT = { clientId: 'bulk-test-client', clientSecret: 'bulk-test-secret-9f2c71d4e8' };

export type Json = Record<string, unknown>;

const running = new Set<Emulator>();

/** An emulator that knows the test client; `closeBulkEmulators` closes it. */
export async function startBulkEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const emu = await startEmulator({
		seed: 7,
		clients: [CLIENT],
		rateLimit: false,
		fractionalRetryAfter: true,
		...options,
	});
	running.add(emu);
	return emu;
}

/** Closes every emulator started since the last call: `afterEach(closeBulkEmulators)`. */
export async function closeBulkEmulators(): Promise<void> {
	const started = [...running];
	running.clear();
	await Promise.all(started.map(async (emu) => await emu.close()));
}

export interface BulkRun {
	result: RunResult;
	success: Json[];
	failure: Json[];
	/** Every row item of the output, ordered by `row`. */
	rows: Json[];
	summary?: Json;
	/** n8n's error output (On Error: Continue (using error output)). */
	errorOutput: Json[];
}

/** The statuses of failed rows (a dry run's `planned` + action `fail` is not one of them here). */
export function isFailedStatus(status: unknown): boolean {
	return status === 'invalid' || status === 'failed';
}

export interface BulkRunOptions {
	signal?: AbortSignal;
	timeoutMs?: number;
	/** Put in the credential instead of the test client's secret. */
	clientSecret?: string;
	/**
	 * The node's On Error setting. Tests default to "Continue", where every row stays on the output with its
	 * full JSON; 'stopWorkflow' is n8n's default for a new node (bulk-on-error.test.ts covers all three).
	 */
	onError?: 'stopWorkflow' | 'continueErrorOutput' | 'continueRegularOutput';
}

/** Runs the node once over `items` (one user per item unless a CSV is given). */
export async function runBulk(
	emu: Emulator,
	parameters: Json,
	startItems: StartItem[],
	options: BulkRunOptions = {},
): Promise<BulkRun> {
	const result = await runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: NODE_NAME,
				type: NODE_TYPE,
				parameters,
				credentials: { genesysCloudOAuth2Api: { id: '1', name: 'Genesys' } },
				onError: options.onError ?? 'continueRegularOutput',
			},
		]),
		credentials: {
			genesysCloudOAuth2Api: {
				id: '1',
				data: {
					region: 'custom',
					apiBaseUrl: emu.url,
					loginBaseUrl: emu.url,
					clientId: CLIENT.clientId,
					clientSecret: options.clientSecret ?? CLIENT.clientSecret,
				},
			},
		},
		startItems,
		signal: options.signal,
		timeoutMs: options.timeoutMs,
	});
	const output = result.status === 'success' ? jsonOf(result.output(NODE_NAME, 0)) : [];
	const summaryItem = output.find((json) => 'summary' in json);
	const rows = output.filter((json) => !('summary' in json)).sort((a, b) => Number(a.row) - Number(b.row));
	return {
		result,
		success: rows.filter((json) => !isFailedStatus(json.status)),
		failure: rows.filter((json) => isFailedStatus(json.status)),
		rows,
		summary: summaryItem?.summary as Json | undefined,
		errorOutput: result.status === 'success' ? jsonOf(result.output(NODE_NAME, 1)) : [],
	};
}

function jsonOf(items: OutputItem[]): Json[] {
	return items.map((item) => item.json);
}

export function items(rows: Json[]): StartItem[] {
	return rows.map((json) => ({ json }));
}

export function csvItem(csv: string, fileName = 'users.csv'): StartItem {
	return {
		json: {},
		binary: { data: { data: Buffer.from(csv, 'utf8').toString('base64'), mimeType: 'text/csv', fileName } },
	};
}

/** Parameters of the node, with the options collection filled in. */
export function params(overrides: Json = {}, options: Json = {}): Json {
	return {
		inputSource: 'items',
		onExisting: 'skip',
		restoreDeleted: false,
		dryRun: false,
		...overrides,
		options: { concurrency: 5, ...options },
	};
}

/** Requests that change state, as the emulator recorded them (searches and token calls excluded). */
export function writes(emu: Emulator): RecordedRequest[] {
	return emu.requests.filter(
		(req) => req.method !== 'GET' && req.path.startsWith('/api/v2/') && req.path !== '/api/v2/users/search',
	);
}

/** Writes Genesys applied (a lost response counts: it was applied). */
export function appliedWrites(emu: Emulator): RecordedRequest[] {
	return writes(emu).filter((req) => req.applied);
}

export function createRequests(emu: Emulator): RecordedRequest[] {
	return emu.requests.filter((req) => req.method === 'POST' && req.path === '/api/v2/users');
}

/** Emulator users by lower-cased email, soft-deleted ones included. */
export function usersByEmail(emu: Emulator): Map<string, { id: string; state: string; version: number; name: string }> {
	const map = new Map<string, { id: string; state: string; version: number; name: string }>();
	for (const user of emu.state.users.values()) map.set(user.email.toLowerCase(), user);
	return map;
}

/** Every output item and log line as one string, to look for secrets in. */
export function everythingSaid(run: BulkRun): string {
	return JSON.stringify({
		rows: run.rows,
		summary: run.summary,
		logs: run.result.logs,
		error: run.result.errorMessage,
	});
}

export function emails(count: number, prefix = 'user'): string[] {
	return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}@example.com`);
}
