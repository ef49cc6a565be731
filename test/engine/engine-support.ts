/**
 * The provisioning engine outside n8n: the project's GenesysClient (real pacing, retries and error shaping)
 * over the tests' one CredentialSender (PlainSender: node:http, the token from the credential's own
 * preAuthentication), against the emulator. Lets engine tests compress the engine's own waits.
 */
import { GenesysClient } from '../../nodes/GenesysCloud/transport';
import type { Clock } from '../../nodes/GenesysCloud/transport';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import type { EmulatorOptions } from '../emulator';
import { PlainSender } from '../transport/plainSender';
import { runBulkCreate } from '../../nodes/GenesysCloudBulkCreateUsers/engine/run';
import type { RunOutcome } from '../../nodes/GenesysCloudBulkCreateUsers/engine/run';
import type { Timing } from '../../nodes/GenesysCloudBulkCreateUsers/engine/context';
import type { GenesysApi } from '../../nodes/GenesysCloud/genesysApi';
import type { BulkCreateSettings, InputRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

export const ENGINE_CLIENT = { clientId: 'engine-test-client', clientSecret: 'engine-test-secret-41b7' };

export async function startEngineEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({
		seed: 11,
		clients: [ENGINE_CLIENT],
		rateLimit: false,
		fractionalRetryAfter: true,
		...options,
	});
}

export function engineClient(emu: Emulator, concurrency = 8, credentials = ENGINE_CLIENT): GenesysClient {
	return new GenesysClient({
		apiBaseUrl: emu.url,
		sender: new PlainSender({
			region: 'custom',
			apiBaseUrl: emu.url,
			loginBaseUrl: emu.url,
			...credentials,
			accessToken: '',
			tokenExpiresAt: 0,
		}),
		requestsPerMinute: 60_000,
		maxConcurrency: concurrency,
		retry: { baseDelayMs: 20, maxDelayMs: 200, deadlineMs: 20_000 },
	});
}

/** Real time, engine waits compressed: 404s after a create are retried for 3 s, search lag waited 2 s. */
export const FAST_TIMING: Partial<Timing> = {
	consistencyWindowMs: 3_000,
	searchLagWindowMs: 2_000,
	authCacheWindowMs: 3_000,
	initialDelayMs: 20,
	maxDelayMs: 200,
	progressIntervalMs: 60_000,
};

/** Real time; the engine's waits do not listen to the signal (the engine checks it between waits). */
export const realClock: Clock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface EngineRun extends RunOutcome {
	client: GenesysClient;
	logs: string[];
}

export async function runEngine(
	emu: Emulator,
	settings: BulkCreateSettings,
	rows: InputRow[],
	options: { timing?: Partial<Timing>; signal?: AbortSignal; client?: GenesysClient; api?: GenesysApi } = {},
): Promise<EngineRun> {
	const client = options.client ?? engineClient(emu, settings.concurrency);
	const logs: string[] = [];
	const outcome = await runBulkCreate(
		{
			api: options.api ?? client,
			settings,
			clock: realClock,
			signal: options.signal,
			log: { info: (line) => logs.push(line) },
			timing: { ...FAST_TIMING, ...options.timing },
		},
		rows,
	);
	return { ...outcome, client, logs };
}
