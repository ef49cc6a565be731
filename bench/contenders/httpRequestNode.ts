/**
 * Contender 2, what an n8n user builds today: n8n-nodes-base's HTTP Request node, POST /api/v2/users once
 * per item, with Batching (1 item per interval) and the node setting Retry On Fail, through the same
 * engine. The node is the real one from n8n-nodes-base, loaded by the harness's public `packages` option
 * from a one-node package folder written at run time (the harness only loads package folders, and loading
 * all of n8n-nodes-base would load hundreds of nodes and inflate this contender's RSS).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { engineVersions, manualTriggerWorkflow, runWorkflow } from '../../test/harness';
import type { OutputItem, RunResult, StartItem } from '../../test/harness';
import { redact } from '../redact';
import { benchUsers, createFields } from '../users';
import type { HttpNodeTask } from '../types';
import type { ContenderRun } from './measure';
import { measured } from './measure';
import { fetchToken } from './token';

/** Named like n8n-nodes-base so the node type is `n8n-nodes-base.httpRequest`, as in a real n8n. */
const PACKAGE_NAME = 'n8n-nodes-base';
const HTTP_TYPE = `${PACKAGE_NAME}.httpRequest`;
const NODE_NAME = 'HTTP Request';
const HTTP_NODE_FILE = 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js';

/** A package folder whose `n8n.nodes` lists only the installed HTTP Request node (absolute path). */
function httpNodePackage(): { dir: string; remove: () => void } {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-http-node-'));
	const packageJson = {
		name: PACKAGE_NAME,
		version: '0.0.0-bench',
		private: true,
		n8n: { n8nNodesApiVersion: 1, nodes: [require.resolve(HTTP_NODE_FILE)], credentials: [] },
	};
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, '\t'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** HTTP Request node parameters as the n8n editor saves them for this setup (typeVersion 4.x). */
export function httpNodeParameters(url: string, token: string, batchIntervalMs: number): Record<string, unknown> {
	return {
		method: 'POST',
		url: `${url}/api/v2/users`,
		authentication: 'none',
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody:
			'={{ JSON.stringify({ name: $json.name, email: $json.email, title: $json.title, department: $json.department }) }}',
		options: { batching: { batch: { batchSize: 1, batchInterval: batchIntervalMs } } },
	};
}

function outputs(result: RunResult): OutputItem[] {
	if (!result.ranNodes.includes(NODE_NAME)) return [];
	try {
		return result.output(NODE_NAME, 0);
	} catch {
		return [];
	}
}

export async function runHttpRequestNode(task: HttpNodeTask): Promise<ContenderRun> {
	const pkg = httpNodePackage();
	try {
		await runWorkflow({ workflow: manualTriggerWorkflow([]), packages: [pkg.dir] });
		const startItems: StartItem[] = benchUsers(task.users).map((user) => ({ json: { ...createFields(user) } }));
		return await measured(async () => {
			// The user pastes a token obtained beforehand; fetching it is part of the job.
			const token = await fetchToken(task.url, task.client);
			const result = await runWorkflow({
				workflow: manualTriggerWorkflow([
					{
						name: NODE_NAME,
						type: HTTP_TYPE,
						parameters: httpNodeParameters(task.url, token, task.batchIntervalMs),
						retryOnFail: true,
						maxTries: task.maxTries,
						waitBetweenTries: task.waitBetweenTriesMs,
					},
				]),
				startItems,
				packages: [pkg.dir],
			});
			const items = outputs(result);
			return {
				engine: engineVersions(),
				executionStatus: result.status,
				errorMessage: result.errorMessage === undefined ? undefined : redact(result.errorMessage, [token]),
				outputItems: items.length,
				nodeRuns: result.run.data.resultData.runData[NODE_NAME]?.length ?? 0,
			};
		});
	} finally {
		pkg.remove();
	}
}
