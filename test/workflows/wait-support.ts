/**
 * What the Wait for Job workflow tests share: an emulator, the credential pointing at it, and one call that
 * runs Manual Trigger -> Wait for Job through n8n's engine and returns both outputs.
 */
import type { Emulator, EmulatorOptions } from '../emulator';
import { startEmulator } from '../emulator';
import type { CredentialInput, OutputItem, RunResult, StartItem } from '../harness';
import { manualTriggerWorkflow, runWorkflow } from '../harness';

export const WAIT_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudWaitForJob';
export const WAIT_NODE = 'Wait';
export const CLIENT = { clientId: 'wait-for-job-client', clientSecret: 'wait-for-job-secret-7f3a91' };

/**
 * Compressed time: what takes seconds against Genesys takes tens of milliseconds here. The timeout is a
 * ceiling for jobs that do finish (tests of the timeout set their own), generous for a busy machine.
 */
export const FAST = { pollInterval: 0.02, maxInterval: 0.08, timeout: 60 };

export async function startWaitEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({
		seed: 4,
		clients: [CLIENT],
		rateLimit: false,
		fractionalRetryAfter: true,
		...options,
	});
}

export function credentialsFor(emu: Emulator): Record<string, CredentialInput> {
	return {
		genesysCloudOAuth2Api: {
			id: '1',
			name: 'Genesys',
			data: { region: 'custom', apiBaseUrl: emu.url, loginBaseUrl: emu.url, ...CLIENT },
		},
	};
}

export interface WaitRun {
	result: RunResult;
	completed: OutputItem[];
	failed: OutputItem[];
}

export interface WaitRunOptions {
	signal?: AbortSignal;
	cancelGraceMs?: number;
	/** Node-level settings such as continueOnFail. */
	node?: Record<string, unknown>;
}

export async function runWait(
	emu: Emulator,
	parameters: Record<string, unknown>,
	startItems: StartItem[] = [{ json: {} }],
	options: WaitRunOptions = {},
): Promise<WaitRun> {
	const result = await runWorkflow({
		workflow: manualTriggerWorkflow([
			{ name: WAIT_NODE, type: WAIT_TYPE, parameters: { ...FAST, ...parameters }, ...options.node },
		]),
		credentials: credentialsFor(emu),
		startItems,
		signal: options.signal,
		cancelGraceMs: options.cancelGraceMs,
	});
	assertNoSecrets(emu, result);
	return { result, completed: result.output(WAIT_NODE, 0), failed: result.output(WAIT_NODE, 1) };
}

/** Nothing the run produced (outputs, error, logs) may carry the client secret or an access token. */
export function assertNoSecrets(emu: Emulator, result: RunResult): void {
	const seen = JSON.stringify({
		outputs: result.ranNodes.map((name) => [result.output(name, 0), result.output(name, 1)]),
		error: result.error === undefined ? null : { message: result.errorMessage, error: result.error },
		logs: result.logs,
	});
	expect(seen).not.toContain(CLIENT.clientSecret);
	const token = result.credentialsStore.genesysCloudOAuth2Api?.accessToken;
	if (typeof token === 'string' && token !== '') expect(seen).not.toContain(token);
	expect(seen).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/);
	expect(emu.url).toBeTruthy();
}

/** GETs the emulator answered on `path`, in order, with their status. */
export function getsOf(emu: Emulator, path: string): Array<{ seq: number; status: number; at: number }> {
	return emu.requests
		.filter((request) => request.method === 'GET' && request.path === path)
		.map(({ seq, status, at }) => ({ seq, status, at }));
}
