/**
 * The seam between the client (pacing, retries, errors) and the wire. A sender sends one HTTP request with
 * the current token and reports what came back; it never retries. Token renewal lives here because only the
 * sender knows how the token is stored (n8n's credential store, or a plain object in tests).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { HttpMethod } from './retry';
import { untilAborted } from './deadline';
import { ACCESS_TOKEN_FIELD, bindTokenSignal, TOKEN_EXPIRES_AT_FIELD } from './token';

export type QueryValue = string | number | boolean;
export type QueryParams = Record<string, QueryValue | QueryValue[] | undefined>;

export interface SenderRequest {
	method: HttpMethod;
	/** Absolute URL on the API host, already checked by the client. */
	url: string;
	qs?: QueryParams;
	body?: unknown;
	timeoutMs: number;
	signal?: AbortSignal;
	/** The token of this generation was refused (401): renew it first unless that already happened. */
	rejectedGeneration?: number;
	/** Called right before the request goes out (after any wait for another request's token renewal). */
	onDispatch?: () => void;
}

export interface SenderResponse {
	status: number;
	/** Lower-case names. Read only what is needed; never log them. */
	headers: Record<string, string>;
	body: unknown;
	/** Generation of the token the request went out with. */
	generation: number;
	/** A new token was fetched for this request. */
	tokenRenewed: boolean;
}

export interface HttpSender {
	send(request: SenderRequest): Promise<SenderResponse>;
}

/**
 * No usable response. `sent` is false only when the request provably never reached the server.
 * Code `UNKNOWN` means the failure was not a network one at all; `detail` then says what it was.
 */
export class SenderNetworkError extends Error {
	readonly isSenderNetworkError = true;

	constructor(
		readonly code: string,
		readonly sent: boolean,
		readonly detail?: string,
	) {
		super(`Network error ${code}${detail ? `: ${detail}` : ''}`);
		this.name = 'SenderNetworkError';
	}
}

/** The token could not be obtained; the API request itself was not sent. `status` 0 = network failure. */
export class SenderTokenError extends Error {
	readonly isSenderTokenError = true;

	constructor(
		readonly status: number,
		readonly code: string | undefined,
		/** What the token failure said beyond status and code (already redacted), e.g. where a redirect pointed. */
		readonly detail?: string,
	) {
		super(`Token request failed${status > 0 ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}`);
		this.name = 'SenderTokenError';
	}
}

/** What a concrete sender returns for one dispatch. */
export interface RawResponse {
	status: number;
	headers: unknown;
	body: unknown;
}

/** Flattens any header bag (plain object, AxiosHeaders, node's IncomingHttpHeaders) to lower-case strings. */
export function normaliseHeaders(raw: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (typeof raw !== 'object' || raw === null) return result;
	for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
		if (typeof value === 'string') result[name.toLowerCase()] = value;
		else if (typeof value === 'number') result[name.toLowerCase()] = String(value);
		else if (Array.isArray(value)) result[name.toLowerCase()] = value.map(String).join(', ');
	}
	return result;
}

export interface CredentialSenderOptions {
	/** Renew when the stored expiry is closer than this (default 60 s). */
	renewBeforeExpiryMs?: number;
	now?: () => number;
}

/**
 * Token bookkeeping shared by the n8n sender and plain senders:
 * - a token renewal is single-flight: requests arriving meanwhile wait, then use the new token;
 * - a 401 renews only if nobody renewed since the refused request went out (generation check);
 * - a token close to its stored expiry is renewed before use.
 */
export abstract class CredentialSender implements HttpSender {
	private generation = 0;
	private renewal?: Promise<void>;
	/** Lifetime of the token we fetched last; unknown for one found in the credential store. */
	private tokenLifetimeMs?: number;
	private readonly renewBeforeExpiryMs: number;
	private readonly now: () => number;

	protected constructor(
		/** Updated in place when a token is renewed. */
		protected readonly credentials: ICredentialDataDecryptedObject,
		options: CredentialSenderOptions = {},
	) {
		this.renewBeforeExpiryMs = options.renewBeforeExpiryMs ?? 60_000;
		this.now = options.now ?? Date.now;
	}

	/**
	 * Sends with these credentials. When the access token is blank the implementation must obtain one
	 * (n8n does so by running the credential's preAuthentication) and leave it on the object.
	 */
	protected abstract dispatch(credentials: ICredentialDataDecryptedObject, request: SenderRequest): Promise<RawResponse>;

	async send(request: SenderRequest): Promise<SenderResponse> {
		for (;;) {
			if (this.renewal) {
				// Another request is renewing the token: wait for it, but not past this request's own signal.
				await untilAborted(this.renewal, request.signal);
				continue;
			}
			if (this.needsRenewal(request)) return await this.sendRenewing(request);
			const generation = this.generation;
			request.onDispatch?.();
			bindTokenSignal(this.credentials, request.signal);
			const raw = await this.dispatch(this.credentials, request);
			return { ...this.shape(raw), generation, tokenRenewed: false };
		}
	}

	private needsRenewal(request: SenderRequest): boolean {
		const token = this.credentials[ACCESS_TOKEN_FIELD];
		if (typeof token !== 'string' || token === '') return true;
		if (request.rejectedGeneration !== undefined && request.rejectedGeneration === this.generation) return true;
		const expiresAt = Number(this.credentials[TOKEN_EXPIRES_AT_FIELD]);
		if (!(expiresAt > 0)) return false;
		// A token shorter-lived than the margin would otherwise be renewed on every request.
		const margin = Math.min(this.renewBeforeExpiryMs, (this.tokenLifetimeMs ?? Number.POSITIVE_INFINITY) / 2);
		return expiresAt - this.now() < margin;
	}

	private async sendRenewing(request: SenderRequest): Promise<SenderResponse> {
		// A copy with the token blanked: n8n then runs preAuthentication and persists the new token.
		const copy: ICredentialDataDecryptedObject = { ...this.credentials, [ACCESS_TOKEN_FIELD]: '' };
		let finish: () => void = () => undefined;
		this.renewal = new Promise<void>((resolve) => (finish = resolve));
		let renewed = false;
		let raw: RawResponse;
		try {
			request.onDispatch?.();
			// The token request listens to this request's signal (Stop, and its deadline).
			bindTokenSignal(copy, request.signal);
			raw = await this.dispatch(copy, request);
		} finally {
			// Even a failed request may have fetched (and persisted) a new token on the copy.
			renewed = this.adopt(copy);
			this.renewal = undefined;
			finish();
		}
		return { ...this.shape(raw), generation: this.generation, tokenRenewed: renewed };
	}

	/** Takes over a token fetched on the copy; true when it is a new one. */
	private adopt(copy: ICredentialDataDecryptedObject): boolean {
		const token = copy[ACCESS_TOKEN_FIELD];
		if (typeof token !== 'string' || token === '' || token === this.credentials[ACCESS_TOKEN_FIELD]) return false;
		this.credentials[ACCESS_TOKEN_FIELD] = token;
		this.credentials[TOKEN_EXPIRES_AT_FIELD] = copy[TOKEN_EXPIRES_AT_FIELD];
		const expiresAt = Number(copy[TOKEN_EXPIRES_AT_FIELD]);
		this.tokenLifetimeMs = expiresAt > 0 ? Math.max(0, expiresAt - this.now()) : undefined;
		this.generation++;
		return true;
	}

	private shape(raw: RawResponse): Omit<SenderResponse, 'generation' | 'tokenRenewed'> {
		return { status: raw.status, headers: normaliseHeaders(raw.headers), body: raw.body };
	}
}
