/**
 * The seam between the client (pacing, retries, errors) and the wire. A sender sends one HTTP request with
 * the token of its lane and reports what came back; it never retries. Token renewal lives here because only the
 * sender knows how the token is stored (n8n's credential store, or a plain object in tests).
 *
 * Lane 0 is the credential's own token: renewed by handing the dispatcher the credentials with the token blanked,
 * so n8n runs preAuthentication and stores it. Lanes 1 and up are a pool's extra tokens (tokenPool.ts): minted
 * here with the credential's own token request, kept in process memory, and sent by handing the dispatcher a copy
 * of the credentials holding that token (n8n then only runs `authenticate`, Bearer header, and stores nothing).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import type { HttpMethod } from './retry';
import { untilAborted } from './deadline';
import {
	ACCESS_TOKEN_FIELD,
	bindTokenCaller,
	GenesysTokenError,
	parseTokenFailure,
	requestToken,
	TOKEN_EXPIRES_AT_FIELD,
} from './token';
import type { PooledToken, PoolTokens } from './tokenPool';
import { poolTokenKey, poolTokenRegistry } from './tokenPool';

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
	/** Token of the pool to send with: 0 (default) is the credential's own. */
	lane?: number;
	/** The token of this generation was refused (401): renew it first unless that already happened. */
	rejectedGeneration?: number;
	/** Lane of that refused token (default `lane`). */
	rejectedLane?: number;
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
		/** Retry-After of a 429 from the login host, when known. */
		readonly retryAfterSec?: number,
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
	/** A 401 refused the own token of this generation. */
	private staleGeneration?: number;
	private renewal?: Promise<void>;
	private pool?: PoolTokens;
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

	/**
	 * An HTTP helper for token requests (`this.helpers` of preAuthentication), used to mint a pool's extra
	 * tokens with the credential's own token request. Senders that cannot mint only serve a pool of one.
	 */
	protected tokenHelper(): IHttpRequestHelper {
		throw new SenderTokenError(0, 'invalid_configuration', 'this sender has no token pool');
	}

	async send(request: SenderRequest): Promise<SenderResponse> {
		const lane = request.lane ?? 0;
		if (request.rejectedGeneration !== undefined) this.markStale(request.rejectedLane ?? lane, request.rejectedGeneration);
		if (lane > 0) return await this.sendPooled(lane, request);
		for (;;) {
			if (this.renewal) {
				// Another request is renewing the token: wait for it, but not past this request's own signal.
				await untilAborted(this.renewal, request.signal);
				continue;
			}
			if (this.needsRenewal()) return await this.sendRenewing(request);
			const generation = this.generation;
			request.onDispatch?.();
			bindTokenCaller(this.credentials, { signal: request.signal });
			const raw = await this.dispatch(this.credentials, request);
			return { ...this.shape(raw), generation, tokenRenewed: false };
		}
	}

	private needsRenewal(): boolean {
		const token = this.credentials[ACCESS_TOKEN_FIELD];
		if (typeof token !== 'string' || token === '') return true;
		if (this.staleGeneration !== undefined && this.staleGeneration === this.generation) return true;
		return this.expiresSoon(Number(this.credentials[TOKEN_EXPIRES_AT_FIELD]), this.tokenLifetimeMs);
	}

	private expiresSoon(expiresAt: number, lifetimeMs: number | undefined): boolean {
		if (!(expiresAt > 0)) return false;
		// A token shorter-lived than the margin would otherwise be renewed on every request.
		const margin = Math.min(this.renewBeforeExpiryMs, (lifetimeMs ?? Number.POSITIVE_INFINITY) / 2);
		return expiresAt - this.now() < margin;
	}

	/** A 401 refused the token of `generation` on `lane`: whoever uses that lane next renews it (once). */
	private markStale(lane: number, generation: number): void {
		if (lane === 0) {
			if (generation === this.generation) this.staleGeneration = generation;
			return;
		}
		const slot = this.poolTokens().slot(lane);
		if (generation === slot.generation) slot.staleGeneration = generation;
	}

	private poolTokens(): PoolTokens {
		this.pool ??= poolTokenRegistry.get(poolTokenKey(this.credentials), this.now());
		this.pool.lastUsed = this.now();
		return this.pool;
	}

	/** A pool token: renewed (minted) first when missing, refused or about to expire, single-flight per slot. */
	private async sendPooled(lane: number, request: SenderRequest): Promise<SenderResponse> {
		const slot = this.poolTokens().slot(lane);
		for (;;) {
			if (slot.renewal) {
				await untilAborted(slot.renewal, request.signal);
				continue;
			}
			let tokenRenewed = false;
			if (this.slotNeedsRenewal(slot)) {
				request.onDispatch?.();
				await this.renewSlot(slot, lane, request.signal);
				tokenRenewed = true;
			}
			const generation = slot.generation;
			request.onDispatch?.();
			// A copy holding the pool token: n8n finds a token, so it only runs `authenticate` and stores nothing.
			const copy: ICredentialDataDecryptedObject = {
				...this.credentials,
				[ACCESS_TOKEN_FIELD]: slot.accessToken,
				[TOKEN_EXPIRES_AT_FIELD]: slot.expiresAt,
			};
			const raw = await this.dispatch(copy, request);
			return { ...this.shape(raw), generation, tokenRenewed };
		}
	}

	private slotNeedsRenewal(slot: PooledToken): boolean {
		if (slot.accessToken === '') return true;
		if (slot.staleGeneration !== undefined && slot.staleGeneration === slot.generation) return true;
		return this.expiresSoon(slot.expiresAt, slot.lifetimeMs);
	}

	private async renewSlot(slot: PooledToken, lane: number, signal: AbortSignal | undefined): Promise<void> {
		let finish: () => void = () => undefined;
		slot.renewal = new Promise<void>((resolve) => (finish = resolve));
		const outcome = await requestToken(this.tokenHelper(), { ...this.credentials }, this.now, undefined, {
			slot: lane,
			signal,
		}).then(
			(issued) => ({ issued }),
			(error: unknown) => ({ error: signal?.aborted ? error : toSenderTokenError(error) }),
		);
		if ('issued' in outcome) {
			const { issued } = outcome;
			slot.accessToken = issued[ACCESS_TOKEN_FIELD];
			slot.expiresAt = issued[TOKEN_EXPIRES_AT_FIELD];
			slot.lifetimeMs = slot.expiresAt > 0 ? Math.max(0, slot.expiresAt - this.now()) : undefined;
			slot.generation++;
			slot.staleGeneration = undefined;
		}
		slot.renewal = undefined;
		finish();
		if ('error' in outcome) throw outcome.error;
	}

	private async sendRenewing(request: SenderRequest): Promise<SenderResponse> {
		// A copy with the token blanked: n8n then runs preAuthentication and persists the new token.
		const copy: ICredentialDataDecryptedObject = { ...this.credentials, [ACCESS_TOKEN_FIELD]: '' };
		let finish: () => void = () => undefined;
		const renewal = new Promise<void>((resolve) => (finish = resolve));
		this.renewal = renewal;
		let renewed = false;
		const release = (): void => {
			if (this.renewal === renewal) this.renewal = undefined;
			finish();
		};
		let raw: RawResponse;
		try {
			request.onDispatch?.();
			bindTokenCaller(copy, {
				// The token request listens to this request's signal (Stop, and its deadline).
				signal: request.signal,
				// The requests waiting for this token go as soon as it is issued, while this one is still on its way.
				onIssued: (issued) => {
					renewed = this.adopt(issued[ACCESS_TOKEN_FIELD], issued[TOKEN_EXPIRES_AT_FIELD]) || renewed;
					release();
				},
			});
			raw = await this.dispatch(copy, request);
		} finally {
			bindTokenCaller(copy, undefined);
			// Even a failed request may have fetched (and persisted) a new token on the copy.
			renewed = this.adopt(copy[ACCESS_TOKEN_FIELD], copy[TOKEN_EXPIRES_AT_FIELD]) || renewed;
			release();
		}
		return { ...this.shape(raw), generation: this.generation, tokenRenewed: renewed };
	}

	/** Takes over a newly fetched token; true when it is a new one. */
	private adopt(token: unknown, expiresAtValue: unknown): boolean {
		if (typeof token !== 'string' || token === '' || token === this.credentials[ACCESS_TOKEN_FIELD]) return false;
		this.staleGeneration = undefined;
		this.credentials[ACCESS_TOKEN_FIELD] = token;
		this.credentials[TOKEN_EXPIRES_AT_FIELD] = expiresAtValue as ICredentialDataDecryptedObject[string];
		const expiresAt = Number(expiresAtValue);
		this.tokenLifetimeMs = expiresAt > 0 ? Math.max(0, expiresAt - this.now()) : undefined;
		this.generation++;
		return true;
	}

	private shape(raw: RawResponse): Omit<SenderResponse, 'generation' | 'tokenRenewed'> {
		return { status: raw.status, headers: normaliseHeaders(raw.headers), body: raw.body };
	}
}

/** A failed pool token request, in the sender's terms (only status, OAuth code and Retry-After travel on). */
function toSenderTokenError(error: unknown): Error {
	if (error instanceof GenesysTokenError) {
		const detail = parseTokenFailure(error.message)?.detail;
		return new SenderTokenError(error.httpStatus, error.oauthError, detail, error.retryAfterSec);
	}
	if (error instanceof SenderTokenError) return error;
	return new SenderTokenError(0, 'UNKNOWN');
}
