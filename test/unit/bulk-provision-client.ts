/**
 * The provisioning engine outside n8n: the project's GenesysClient (real pacing, retries and error shaping)
 * over plain fetch, against the emulator. Lets engine tests compress the engine's own waits.
 */
import {
	ACCESS_TOKEN_FIELD,
	CredentialSender,
	GenesysClient,
	networkErrorWasSent,
	SenderNetworkError,
	SenderTokenError,
	TOKEN_EXPIRES_AT_FIELD,
} from '../../nodes/GenesysCloud/transport';
import type { Clock, RawResponse, SenderRequest } from '../../nodes/GenesysCloud/transport';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import type { EmulatorOptions } from '../emulator';
import { runBulkCreate } from '../../nodes/GenesysCloudBulkCreateUsers/engine/run';
import type { RunOutcome } from '../../nodes/GenesysCloudBulkCreateUsers/engine/run';
import type { Timing } from '../../nodes/GenesysCloudBulkCreateUsers/engine/context';
import type { GenesysApi } from '../../nodes/GenesysCloud/genesysApi';
import type { BulkCreateSettings, InputRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

export const ENGINE_CLIENT = { clientId: 'engine-test-client', clientSecret: 'engine-test-secret-41b7' };

function networkCode(error: unknown): string {
	const cause = (error as { cause?: { code?: unknown } }).cause;
	if (typeof cause?.code === 'string') return cause.code;
	if ((error as { name?: unknown }).name === 'TimeoutError') return 'ETIMEDOUT';
	return 'ECONNRESET';
}

/** Basic-auth token request and bearer API calls over fetch, as n8n's helpers would send them. */
export class FetchSender extends CredentialSender {
	constructor(
		private readonly baseUrl: string,
		private readonly client: { clientId: string; clientSecret: string },
	) {
		super({});
	}

	protected async dispatch(credentials: ICredentialDataDecryptedObject, request: SenderRequest): Promise<RawResponse> {
		if (typeof credentials[ACCESS_TOKEN_FIELD] !== 'string' || credentials[ACCESS_TOKEN_FIELD] === '') {
			await this.fetchToken(credentials);
		}
		const url = new URL(request.url);
		for (const [key, value] of Object.entries(request.qs ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		const headers: Record<string, string> = { Authorization: `Bearer ${String(credentials[ACCESS_TOKEN_FIELD])}` };
		if (request.body !== undefined) headers['Content-Type'] = 'application/json';
		try {
			const response = await fetch(url, {
				method: request.method,
				headers,
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				signal: AbortSignal.timeout(request.timeoutMs),
			});
			const text = await response.text();
			return {
				status: response.status,
				headers: Object.fromEntries(response.headers.entries()),
				body: text ? (JSON.parse(text) as unknown) : undefined,
			};
		} catch (error) {
			const code = networkCode(error);
			throw new SenderNetworkError(code, networkErrorWasSent(code));
		}
	}

	private async fetchToken(credentials: ICredentialDataDecryptedObject): Promise<void> {
		const basic = Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`).toString('base64');
		const response = await fetch(`${this.baseUrl}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
		if (response.status !== 200 || !body.access_token) throw new SenderTokenError(response.status, body.error);
		credentials[ACCESS_TOKEN_FIELD] = body.access_token;
		credentials[TOKEN_EXPIRES_AT_FIELD] = Date.now() + (body.expires_in ?? 86_400) * 1000;
	}
}

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
		sender: new FetchSender(emu.url, credentials),
		requestsPerMinute: 60_000,
		maxConcurrency: concurrency,
		retry: { baseDelayMs: 20, maxDelayMs: 200, deadlineMs: 20_000 },
	});
}

/** Real time, engine waits compressed: 404s after a create and on role grants are retried for 3 s, search lag waited 2 s. */
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
