import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { GenesysClient } from '../../nodes/GenesysCloud/transport';
import type { ClientSettings, Throttle } from '../../nodes/GenesysCloud/transport';
import { startEmulator } from '../emulator';
import type { Emulator, EmulatorOptions } from '../emulator';
import { emulatorPerFile as sharedEmulatorPerFile } from '../emulator/perFile';
import { PlainSender } from './plainSender';

export const CLIENT_ID = 'transport-client';
export const CLIENT_SECRET = 'transport-secret-Zq81x!';

/** An emulator that knows the test client. */
export async function startTransportEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }], ...options });
}

/**
 * The emulator's `emulatorPerFile` (test/emulator/perFile.ts) knowing the transport test client, without a
 * TestClient login: these tests count every token request.
 */
export function emulatorPerFile(options: EmulatorOptions, use: (emu: Emulator) => void): void {
	sharedEmulatorPerFile({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }], ...options }, use, { login: false });
}

/** What the promise rejected with; a promise that resolves fails the test. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

export function credentialsFor(
	url: string,
	clientSecret = CLIENT_SECRET,
	loginUrl = url,
): ICredentialDataDecryptedObject {
	return {
		region: 'custom',
		apiBaseUrl: url,
		loginBaseUrl: loginUrl,
		clientId: CLIENT_ID,
		clientSecret,
		accessToken: '',
		tokenExpiresAt: 0,
	};
}

/** Fast retries so failure tests take milliseconds, not the production half-second steps. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50, deadlineMs: 10_000 };

export interface LogLine {
	at: number;
	line: string;
}

export interface TestClient {
	client: GenesysClient;
	sender: PlainSender;
	/** The client's debug lines, with the time they were written. */
	logs: LogLine[];
}

export function makeClient(
	emu: Pick<Emulator, 'url'>,
	settings: ClientSettings & { clientSecret?: string; loginUrl?: string; throttle?: Throttle; signal?: AbortSignal } = {},
): TestClient {
	const logs: LogLine[] = [];
	const sender = new PlainSender(credentialsFor(emu.url, settings.clientSecret, settings.loginUrl), {
		renewBeforeExpiryMs: settings.renewBeforeExpiryMs ?? 0,
	});
	const client = new GenesysClient({
		requestsPerMinute: 10_000,
		maxConcurrency: 10,
		...settings,
		retry: { ...FAST_RETRY, ...settings.retry },
		apiBaseUrl: emu.url,
		sender,
		logger: (line) => logs.push({ at: Date.now(), line }),
	});
	return { client, sender, logs };
}

export { apiRequests, tokenRequests } from '../emulator';

/** Largest number of timestamps inside any half-open interval [t, t + windowMs). */
export function densest(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	let j = 0;
	for (let i = 0; i < sorted.length; i++) {
		while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
		best = Math.max(best, j - i);
	}
	return best;
}

/**
 * Everything reachable from an error, as text: own properties whether enumerable or not (message, stack,
 * cause, errorResponse, context...), followed through nested objects, arrays and cause chains.
 */
export function deepDump(value: unknown): string {
	const seen = new Set<unknown>();
	const parts: string[] = [];
	const visit = (current: unknown, depth: number): void => {
		if (depth > 12) return;
		if (typeof current === 'string') {
			parts.push(current);
			return;
		}
		if (typeof current !== 'object' || current === null) {
			if (current !== undefined) parts.push(String(current));
			return;
		}
		if (seen.has(current)) return;
		seen.add(current);
		for (const key of Reflect.ownKeys(current)) {
			parts.push(String(key));
			let child: unknown;
			try {
				child = (current as Record<PropertyKey, unknown>)[key];
			} catch {
				continue;
			}
			visit(child, depth + 1);
		}
	};
	visit(value, 0);
	try {
		parts.push(JSON.stringify(value));
	} catch {
		// circular: the walk above already covered it
	}
	return parts.join('\n');
}

/** The forms a secret could take in a leak: raw, and inside a Basic header. */
export function secretForms(clientId: string, clientSecret: string, tokens: string[]): string[] {
	return [clientSecret, Buffer.from(`${clientId}:${clientSecret}`).toString('base64'), ...tokens];
}

/** Which secret forms appear in the text (by position in `forms`); kept short so a failure stays readable. */
export function leakedForms(text: string, forms: string[]): string[] {
	return forms.flatMap((form, index) => {
		const at = text.indexOf(form);
		return at < 0 ? [] : [`form #${index} near: ${text.slice(Math.max(0, at - 80), at).replace(/\s+/g, ' ')}`];
	});
}
