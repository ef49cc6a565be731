/**
 * The example workflows (examples/*.json) as the end-to-end run prepares them (test/e2e/examples.js: same
 * seed users, same file and URL rewiring, same checks), run in-process through n8n's engine by the harness.
 * The demo uses the same module.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runWorkflow, type RunOptions, type RunResult, type WorkflowJson, type WorkflowNodeJson } from '../harness';
import type { SeedUser } from '../emulator';

export interface ExampleCheckInput {
	run: RunResult['run'];
	before: EmulatorStateJson;
	after: EmulatorStateJson;
}

/** One entry of test/e2e/examples.js EXAMPLES. */
export interface ExampleSpec {
	id: string;
	name: string;
	file: string;
	/** The end-to-end expectations; returns what failed (empty = all good). */
	check(input: ExampleCheckInput): string[];
}

interface E2eExamplesModule {
	EXAMPLES: ExampleSpec[];
	SEED_USERS: SeedUser[];
	CREDENTIAL: { id: string; name: string };
	prepareExample(example: ExampleSpec, where: { work: string; apiBaseUrl: string }): WorkflowJson;
}

/** `GET /__emulator/state`: what the end-to-end checks read. */
export interface EmulatorStateJson {
	users: Array<{ id: string; name: string; email: string; state: string; title?: string; department?: string; managerId?: string; addresses?: Array<Record<string, unknown>> }>;
	externalIds: Record<string, Array<{ authorityName: string; externalKey: string }>>;
	grants: Record<string, Array<{ roleId: string; divisionId: string }>>;
	invites: string[];
}

// Plain JS shared with the end-to-end run, so both hold the same expectations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const e2e = require('../e2e/examples.js') as E2eExamplesModule;

export const EXAMPLES: readonly ExampleSpec[] = e2e.EXAMPLES;
export const SEED_USERS: readonly SeedUser[] = e2e.SEED_USERS;
export const EXAMPLE_CREDENTIAL = e2e.CREDENTIAL;
export const CREDENTIAL_TYPE = 'genesysCloudOAuth2Api';
export const WAIT_FOR_JOB_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudWaitForJob';
export const BULK_CREATE_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers';

export function exampleByFile(prefix: string): ExampleSpec {
	const example = EXAMPLES.find((candidate) => candidate.file.startsWith(prefix));
	if (!example) throw new Error(`no example file starts with "${prefix}"`);
	return example;
}

/** A private folder for the copied CSV; file nodes are allowed to read it. */
export function exampleWorkFolder(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'genesys-example-'));
}

export interface ClientCredentials {
	clientId: string;
	clientSecret: string;
}

/** Credential data for a custom (emulator) host. */
export function emulatorCredential(url: string, client: ClientCredentials): Record<string, unknown> {
	return { region: 'custom', apiBaseUrl: url, loginBaseUrl: url, ...client };
}

/** Time compression for tests: the Wait for Job nodes poll every `pollInterval` s up to `maxInterval` s. */
export interface WaitTiming {
	pollInterval: number;
	maxInterval: number;
}

export function nodeNamed(workflow: WorkflowJson, name: string): WorkflowNodeJson {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`the workflow has no node "${name}"`);
	return node;
}

export interface PreparedExample {
	workflow: WorkflowJson;
	work: string;
}

/** The example as the end-to-end run imports it, pointed at `apiBaseUrl`, its CSV copied into `work`. */
export function prepareExample(
	example: ExampleSpec,
	apiBaseUrl: string,
	options: { work?: string; timing?: WaitTiming } = {},
): PreparedExample {
	const work = options.work ?? exampleWorkFolder();
	const workflow = e2e.prepareExample(example, { work, apiBaseUrl });
	if (options.timing) {
		for (const node of workflow.nodes) {
			if (node.type !== WAIT_FOR_JOB_TYPE) continue;
			node.parameters.pollInterval = options.timing.pollInterval;
			node.parameters.maxInterval = options.timing.maxInterval;
		}
	}
	return { workflow, work };
}

/** Runs a prepared example with the credential the example nodes reference. */
export async function runExample(
	prepared: PreparedExample,
	credentialData: Record<string, unknown>,
	options: Omit<RunOptions, 'workflow' | 'credentials' | 'fileAccess'> = {},
): Promise<RunResult> {
	return await runWorkflow({
		...options,
		workflow: prepared.workflow,
		fileAccess: [prepared.work],
		credentials: {
			[CREDENTIAL_TYPE]: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name, data: credentialData },
		},
	});
}

export async function emulatorStateJson(url: string): Promise<EmulatorStateJson> {
	const response = await fetch(`${url}/__emulator/state`);
	if (!response.ok) throw new Error(`emulator state: HTTP ${response.status}`);
	return (await response.json()) as EmulatorStateJson;
}
