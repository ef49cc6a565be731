/**
 * Client-credentials token request (docs/GENESYS.md, "Authentication"), used by the credential's
 * preAuthentication and by the transport for the extra tokens of a pool.
 * Concurrent calls for the same client (and pool slot) share one request. Token requests of one client are paced
 * (`TokenRequestPacer`): one at a time, and none while the login host's Retry-After runs. Failures are rebuilt
 * from the status and the OAuth `error` / `error_description` only: the raw HTTP error carries the Basic header
 * (id and secret).
 */
import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';
import { z } from 'zod';

import { sleep as n8nSleep } from '../sleep';
import { resolveHosts } from '../regions';
import { startDeadline, untilAborted } from './deadline';
import { redactSecrets, redirectTarget } from './errors';

/** Names of the credential's hidden fields that hold the token; the transport reads them too. */
export const ACCESS_TOKEN_FIELD = 'accessToken';
export const TOKEN_EXPIRES_AT_FIELD = 'tokenExpiresAt';

export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

const TOKEN_FAILURE_PREFIX = 'Genesys Cloud token request failed';

/**
 * docs/GENESYS.md, "Authentication": `expires_in` is read, never assumed (300 s to 48 h; decimals tolerated
 * for short test tokens).
 */
const tokenResponseSchema = z.object({
	access_token: z.string().min(1),
	token_type: z.string().optional(),
	expires_in: z.coerce.number().positive(),
});

/** OAuth error body (Go SDK `AuthErrorResponse`). */
const oauthErrorSchema = z.object({
	error: z.string().optional(),
	error_description: z.string().optional(),
	description: z.string().optional(),
});

export interface IssuedToken {
	[ACCESS_TOKEN_FIELD]: string;
	/** Epoch ms; measured from when the request was sent, so it errs on the early side. */
	[TOKEN_EXPIRES_AT_FIELD]: number;
}

/** A failed token request. `httpStatus` is 0 when no response came back. */
export class GenesysTokenError extends Error {
	readonly isGenesysTokenError = true;

	constructor(
		readonly httpStatus: number,
		readonly oauthError: string | undefined,
		detail?: string,
		/** Retry-After of a 429 from the login host, in seconds. */
		readonly retryAfterSec?: number,
	) {
		super(tokenFailureMessage(httpStatus, oauthError, detail));
		this.name = 'GenesysTokenError';
	}
}

/** OAuth-style code for a credential that cannot even ask for a token. */
export const INVALID_CONFIGURATION = 'invalid_configuration';

function tokenFailureMessage(status: number, oauthError: string | undefined, detail?: string): string {
	let what: string;
	if (status > 0) what = `HTTP ${status}${oauthError ? ` ${oauthError}` : ''}`;
	else if (oauthError === INVALID_CONFIGURATION) what = INVALID_CONFIGURATION;
	else what = `network error ${oauthError ?? 'UNKNOWN'}`;
	const tail = detail ? ` - ${redactSecrets(detail).slice(0, 300)}` : '';
	return `${TOKEN_FAILURE_PREFIX}: ${what}${tail}`;
}

export interface TokenFailure {
	status: number;
	code?: string;
	/** The text after the status and code, when there is one. */
	detail?: string;
}

/** OAuth-style code of a token endpoint that answered a redirect (never followed: Basic id:secret would go along). */
export const TOKEN_REDIRECT = 'redirect';

/** OAuth-style code of a 2xx token answer without a usable access_token / expires_in. */
export const INVALID_TOKEN_RESPONSE = 'invalid_token_response';

/**
 * Recognises a token failure in any text n8n kept of it. n8n 1.x drops the `cause` of wrapped errors,
 * so the message is the only thing that reliably survives.
 */
export function parseTokenFailure(text: string): TokenFailure | undefined {
	const index = text.indexOf(TOKEN_FAILURE_PREFIX);
	if (index < 0) return undefined;
	const rest = text.slice(index + TOKEN_FAILURE_PREFIX.length);
	const http = /^: HTTP (\d{3})(?: ([\w.-]+))?(?: - ([^\n]*))?/.exec(rest);
	if (http) return { status: Number(http[1]), code: http[2], detail: http[3]?.slice(0, 300) };
	const network = /^: network error ([\w.-]+)/.exec(rest);
	if (network) return { status: 0, code: network[1] };
	if (rest.startsWith(`: ${INVALID_CONFIGURATION}`)) return { status: 0, code: INVALID_CONFIGURATION };
	return undefined;
}

/** One token request under way, shared by every caller for the same client that arrives meanwhile. */
interface Flight {
	promise: Promise<IssuedToken>;
	/** Aborts the HTTP request: at its deadline, or when every caller has stopped waiting. */
	abort: (reason?: unknown) => void;
	waiting: number;
}

const inFlight = new Map<string, Flight>();

/** Wait after a 429 from the login host without Retry-After (the SDKs' default for a 429). */
export const TOKEN_RETRY_AFTER_DEFAULT_MS = 3_000;
/** A longer Retry-After is a daily-style limit: token requests are not held that long, they fail. */
const TOKEN_MAX_HOLD_MS = 180_000;

export interface PacerClock {
	now: () => number;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Paces the token requests of one OAuth client (login host + client id): the login host has a limit of its own,
 * and a pool mints several tokens, so token requests go out one at a time, and none before the Retry-After of a
 * 429 from the login host has passed.
 */
export class TokenRequestPacer {
	private readonly tails = new Map<string, Promise<void>>();
	private readonly holds = new Map<string, number>();

	constructor(private readonly clock: PacerClock = { now: Date.now, sleep: n8nSleep }) {}

	/** Runs `work` when it is this key's turn; the wait ends early (rejecting) when `signal` aborts. */
	async run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		let done: () => void = () => undefined;
		const mine = new Promise<void>((resolve) => (done = resolve));
		const tail = previous.then(() => mine);
		this.tails.set(key, tail);
		try {
			await untilAborted(previous, signal);
			await this.waitForHold(key, signal);
			return await work();
		} finally {
			done();
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}

	/** The login host answered 429: no token request of this key before Retry-After. */
	hold(key: string, retryAfterSec: number | undefined): void {
		const ms = retryAfterSec === undefined ? TOKEN_RETRY_AFTER_DEFAULT_MS : Math.max(1_000, retryAfterSec * 1000);
		if (ms > TOKEN_MAX_HOLD_MS) return;
		const until = this.clock.now() + ms;
		if (until > (this.holds.get(key) ?? 0)) this.holds.set(key, until);
	}

	heldUntil(key: string): number {
		return this.holds.get(key) ?? 0;
	}

	private async waitForHold(key: string, signal?: AbortSignal): Promise<void> {
		for (;;) {
			const until = this.holds.get(key) ?? 0;
			const wait = until - this.clock.now();
			if (wait <= 0) {
				this.holds.delete(key);
				return;
			}
			await this.clock.sleep(wait, signal);
		}
	}
}

export const tokenRequestPacer = new TokenRequestPacer();

export interface TokenRequestOptions {
	/**
	 * Pool slot the token is for. Callers for the same slot share one request; a slot other than 0 gets a token
	 * of its own (slot 0, the default, is the credential's stored token, fetched by preAuthentication).
	 */
	slot?: number;
	/** Listened to instead of the signal registered with `bindTokenCaller`. */
	signal?: AbortSignal;
}

/** What the request that needs a token brings to the token request n8n makes for it. */
export interface TokenCaller {
	/** Stop and the request's deadline: the token request stops waiting when it aborts. */
	signal?: AbortSignal;
	/**
	 * Hears of the token as soon as it is issued. n8n runs preAuthentication and then the API request in one
	 * call; requests waiting for that token need not wait for the API request's answer too.
	 */
	onIssued?: (issued: IssuedToken) => void;
}

/**
 * Callers keyed by the credentials object n8n hands to preAuthentication (the same object the sender passed
 * in): preAuthentication itself only receives a helper and the credentials.
 */
const callers = new WeakMap<ICredentialDataDecryptedObject, TokenCaller>();

/** Token requests made for these credentials serve `caller` (undefined: nobody in particular). */
export function bindTokenCaller(credentials: ICredentialDataDecryptedObject, caller: TokenCaller | undefined): void {
	if (caller) callers.set(credentials, caller);
	else callers.delete(credentials);
}

function flightKey(loginBaseUrl: string, clientId: string, clientSecret: string, slot: number): string {
	const secretHash = createHash('sha256').update(clientSecret).digest('hex');
	return `${loginBaseUrl}\n${clientId}\n${secretHash}${slot > 0 ? `\n#${slot}` : ''}`;
}

function pacerKey(loginBaseUrl: string, clientId: string): string {
	return JSON.stringify([loginBaseUrl, clientId]);
}

function readString(credentials: ICredentialDataDecryptedObject, key: string): string {
	const value = credentials[key];
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Fetches a new token for these credentials. Callers arriving while one request is running get its result.
 * The request has its own deadline (TOKEN_REQUEST_TIMEOUT_MS, body included); a caller stops waiting when its
 * signal aborts (Stop, or its own request's deadline), and a request nobody waits for any more is aborted and
 * forgotten, so a stuck request is never handed to later callers.
 */
export async function requestToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
	timeoutMs: number = TOKEN_REQUEST_TIMEOUT_MS,
	options: TokenRequestOptions = {},
): Promise<IssuedToken> {
	const { loginBaseUrl } = resolveHosts(credentials);
	const clientId = readString(credentials, 'clientId');
	const clientSecret = readString(credentials, 'clientSecret');
	if (!clientId || !clientSecret) {
		throw new GenesysTokenError(0, INVALID_CONFIGURATION, 'the credential needs a Client ID and a Client Secret');
	}
	const caller = callers.get(credentials);
	const signal = options.signal ?? caller?.signal;
	signal?.throwIfAborted();
	const key = flightKey(loginBaseUrl, clientId, clientSecret, options.slot ?? 0);
	let flight = inFlight.get(key);
	if (!flight) {
		const url = `${loginBaseUrl}/oauth/token`;
		flight = startFlight(key, pacerKey(loginBaseUrl, clientId), helper, url, clientId, clientSecret, now, timeoutMs);
		inFlight.set(key, flight);
	}
	flight.waiting++;
	try {
		const issued = await untilAborted(flight.promise, signal);
		caller?.onIssued?.(issued);
		return issued;
	} finally {
		flight.waiting--;
		if (flight.waiting === 0 && inFlight.get(key) === flight) {
			inFlight.delete(key);
			flight.abort();
		}
	}
}

function startFlight(
	key: string,
	paceKey: string,
	helper: IHttpRequestHelper,
	url: string,
	clientId: string,
	clientSecret: string,
	now: () => number,
	timeoutMs: number,
): Flight {
	const abandoned = new AbortController();
	// The deadline starts once it is this request's turn: waiting for the pacer is not the login host's time.
	const paced = tokenRequestPacer.run(
		paceKey,
		async () => {
			const deadline = startDeadline(timeoutMs, abandoned.signal);
			const request = fetchToken(helper, url, clientId, clientSecret, now, timeoutMs, deadline.signal, deadline.expired);
			request.catch(() => undefined);
			// Bounded even if the HTTP helper ignored the abort signal.
			const outcome = await untilAborted(request, deadline.signal).then(
				(token) => ({ token }),
				(error: unknown) => ({ error: deadline.expired() ? new GenesysTokenError(0, 'ETIMEDOUT') : error }),
			);
			deadline.dispose();
			if ('token' in outcome) return outcome.token;
			const { error } = outcome;
			if (error instanceof GenesysTokenError && error.httpStatus === 429) tokenRequestPacer.hold(paceKey, error.retryAfterSec);
			throw error;
		},
		abandoned.signal,
	);
	const flight: Flight = {
		promise: paced.finally(() => {
			if (inFlight.get(key) === flight) inFlight.delete(key);
		}),
		abort: () => abandoned.abort(),
		waiting: 0,
	};
	// Nobody may be waiting when it fails (everyone left): that rejection is expected, not unhandled.
	flight.promise.catch(() => undefined);
	return flight;
}

async function fetchToken(
	helper: IHttpRequestHelper,
	url: string,
	clientId: string,
	clientSecret: string,
	now: () => number,
	timeoutMs: number,
	signal: AbortSignal,
	expired: () => boolean,
): Promise<IssuedToken> {
	const sentAt = now();
	const basic = Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
	let response: IN8nHttpFullResponse | undefined;
	let failureCode = 'UNKNOWN';
	try {
		response = (await helper.helpers.httpRequest({
			method: 'POST',
			url,
			headers: {
				Authorization: `Basic ${basic}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: 'grant_type=client_credentials',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect is reported, never followed: the Basic header (id and secret) would go along.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: timeoutMs,
			abortSignal: signal,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		// Only the code is kept: the error object holds the request config, Basic header included.
		failureCode = expired() ? 'ETIMEDOUT' : networkErrorCode(error);
	}
	if (response === undefined) throw new GenesysTokenError(0, failureCode);
	return interpretTokenResponse(response, sentAt, url);
}

export function interpretTokenResponse(response: IN8nHttpFullResponse, sentAt: number, url = ''): IssuedToken {
	if (response.statusCode >= 300 && response.statusCode < 400) {
		const location = readHeader(response.headers, 'location');
		throw new GenesysTokenError(
			response.statusCode,
			TOKEN_REDIRECT,
			`to ${redirectTarget(location, url)}, not followed (the request carries the client secret)`,
		);
	}
	const body = parseJson(response.body);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		const oauth = oauthErrorSchema.safeParse(body);
		const error = oauth.success ? oauth.data.error : undefined;
		const detail = oauth.success ? (oauth.data.error_description ?? oauth.data.description) : undefined;
		const retryAfter = response.statusCode === 429 ? retryAfterSeconds(readHeader(response.headers, 'retry-after')) : undefined;
		throw new GenesysTokenError(response.statusCode, error, detail, retryAfter);
	}
	const parsed = tokenResponseSchema.safeParse(body);
	if (!parsed.success) {
		throw new GenesysTokenError(
			response.statusCode,
			INVALID_TOKEN_RESPONSE,
			typeof body === 'object' && body !== null
				? 'the answer has no usable access_token and expires_in'
				: 'the answer is not JSON',
		);
	}
	return {
		[ACCESS_TOKEN_FIELD]: parsed.data.access_token,
		[TOKEN_EXPIRES_AT_FIELD]: Math.floor(sentAt + parsed.data.expires_in * 1000),
	};
}

/** Whole or decimal seconds; anything else is treated as absent. */
function retryAfterSeconds(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
	return Number(text);
}

function readHeader(headers: unknown, name: string): unknown {
	if (typeof headers !== 'object' || headers === null) return undefined;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

function parseJson(body: unknown): unknown {
	if (Buffer.isBuffer(body)) return parseJson(body.toString('utf8'));
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

const ERROR_CODE_PATTERN = /^(E[A-Z0-9_]{2,}|ERR_[A-Z0-9_]+)$/;

/** The network error code (ECONNRESET, ETIMEDOUT, ...) of an error or anything in its cause chain. */
export function networkErrorCode(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && ERROR_CODE_PATTERN.test(code)) return normaliseCode(code, current);
		current = (current as { cause?: unknown }).cause;
	}
	const text = error instanceof Error ? error.message : '';
	return codeFromText(text) ?? 'UNKNOWN';
}

/** Axios reports its own timeout as ECONNABORTED; call it what it is. */
function normaliseCode(code: string, error: object): string {
	const message = (error as { message?: unknown }).message;
	if (code === 'ECONNABORTED' && typeof message === 'string' && /timeout/i.test(message)) return 'ETIMEDOUT';
	return code;
}

/** Shape of a Node/axios network error code (ECONNRESET, ERR_SOCKET_...). */
export function isNetworkCode(code: string | undefined): boolean {
	return code !== undefined && ERROR_CODE_PATTERN.test(code);
}

export function codeFromText(text: string): string | undefined {
	const match = /\b(E[A-Z]{3,}[A-Z_]*|ERR_[A-Z_]+)\b/.exec(text);
	if (match) return match[1];
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	if (/timeout of \d+ms exceeded|timed out/i.test(text)) return 'ETIMEDOUT';
	return undefined;
}
