/**
 * GenesysClient: the only HTTP entry point of the nodes. Each request goes through the shared throttle,
 * is retried by the rules in retry.ts, renews the token once on a 401, and fails as a GenesysApiError.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode } from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

import { linkAbort } from '../abort';
import { startDeadline } from './deadline';
import { resolveHosts } from '../regions';
import {
	bodyExcerpt,
	GenesysApiError,
	GenesysRequestRefused,
	parseErrorBody,
	redirectTarget,
	STANDALONE_NODE,
} from './errors';
import type { GenesysFailureKind } from './errors';
import { CREDENTIAL_TYPE, N8nSender } from './n8nSender';
import type { GenesysContext } from './n8nSender';
import { checkApiPath, joinApiUrl } from './paths';
import {
	DEFAULT_RETRY_POLICY,
	decideRetry,
	isIdempotent,
	isRedirect,
	isSuccess,
	parseRetryAfter,
	UNKNOWN_FAILURE,
} from './retry';
import type { AttemptOutcome, GiveUpReason, HttpMethod, RetryDecision, RetryPolicy } from './retry';
import { SenderNetworkError, SenderTokenError } from './sender';
import { INVALID_CONFIGURATION, INVALID_TOKEN_RESPONSE, isNetworkCode, TOKEN_REDIRECT } from './token';
import type { HttpSender, QueryParams, SenderResponse } from './sender';
import { SYSTEM_CLOCK, Throttle, throttleKey, throttleRegistry } from './throttle';
import type { Clock, ThrottleSettings } from './throttle';

export interface RequestOptions {
	method: HttpMethod;
	/** Relative Genesys path, e.g. `/api/v2/users/${id}`; anything else is refused. */
	path: string;
	qs?: QueryParams;
	body?: unknown;
	/**
	 * Safe to send twice? Defaults: GET/PUT/PATCH/DELETE yes, POST no. Pass `true` for POST searches.
	 * A non-idempotent request is re-sent only when Genesys proves it was not applied (429); a 5xx, a lost
	 * answer or a deadline makes it fail with `maybeApplied`.
	 */
	idempotent?: boolean;
	timeoutMs?: number;
	/** Overrides the client's retry deadline for this request. */
	deadlineMs?: number;
	signal?: AbortSignal;
	/** Put on errors so n8n pairs them with the item. */
	itemIndex?: number;
	/**
	 * What a 2xx body must look like. A body that does not match (an HTML page, JSON without the expected
	 * fields) is a GenesysApiError with code `invalid.response`, never data: an empty-looking answer must not
	 * pass for "nothing found". Not retried; `maybeApplied` for a non-idempotent request.
	 */
	responseSchema?: ZodTypeAny;
}

/** Code of a GenesysApiError for a 2xx whose body is not what the endpoint returns. */
export const INVALID_RESPONSE = 'invalid.response';

export interface GenesysResponse<T> {
	status: number;
	body: T;
	/** ININ-Correlation-Id of the final response. */
	correlationId?: string;
	attempts: number;
}

export interface ClientStats {
	/** HTTP requests sent (every attempt, token renewals not included). */
	requests: number;
	/** Attempts repeated after a 429, 5xx or network error. */
	retries: number;
	/** 429 responses seen. */
	throttled: number;
	/** 5xx responses seen. */
	serverErrors: number;
	/** Attempts that got no response. */
	networkErrors: number;
	/** New tokens fetched (on a 401, before expiry, or the first one). */
	tokenRefreshes: number;
	/** Per token of the pool (one entry without a pool): this client's requests on it. Never the token itself. */
	tokens: TokenStats[];
	/** Times 429s on several tokens showed a shared limit and the pool slowed down. */
	sharedLimits: number;
}

export interface TokenStats {
	/** 1 = the credential's own token, 2 and up the pool's extra ones. */
	token: number;
	requests: number;
	throttled: number;
	tokenRefreshes: number;
}

/** Debug hook. Lines carry method, path, status and timings: never headers, bodies or tokens. */
export type TransportLogger = (message: string) => void;

export interface RateLimitSettings {
	limit: number;
	windowMs: number;
}

export interface ClientSettings {
	/** Shorthand for `rateLimit: { limit, windowMs: 60_000 }`. Default 300 (docs/GENESYS.md, "Rate limits"). */
	requestsPerMinute?: number;
	/** Explicit rolling window; wins over requestsPerMinute. */
	rateLimit?: RateLimitSettings;
	/** Default 10. */
	maxConcurrency?: number;
	/**
	 * Tokens in the pool (1 to 20, default 1): the credential's client mints that many client-credentials tokens,
	 * each with its own `rateLimit` window. Requests in flight stay capped by `maxConcurrency`.
	 */
	tokenPoolSize?: number;
	/** Extra spacing added to the window (see ThrottleSettings.marginMs). */
	windowMarginMs?: number;
	retry?: Partial<RetryPolicy>;
	/** Per attempt; default 30 s. */
	timeoutMs?: number;
	/** Renew the token when its stored expiry is closer than this; default 60 s. */
	renewBeforeExpiryMs?: number;
	logger?: TransportLogger;
	/** Time and randomness, injectable for tests. */
	clock?: Partial<Clock>;
	random?: () => number;
}

export interface GenesysClientConfig extends ClientSettings {
	apiBaseUrl: string;
	sender: HttpSender;
	/** Node the errors are attributed to. */
	node?: INode;
	/** Shared pacing; built from the settings when absent. */
	throttle?: Throttle;
	/** Cancels waits and requests (n8n's execution cancel signal). */
	signal?: AbortSignal;
}

export type ForContextOptions = ClientSettings;

const DEFAULT_REQUESTS_PER_MINUTE = 300;

/** A node run, not the editor loading a parameter list: only a run has input data. */
function isExecution(ctx: GenesysContext): ctx is IExecuteFunctions {
	return 'getInputData' in ctx && typeof ctx.getInputData === 'function';
}
const DEFAULT_MAX_CONCURRENCY = 10;
const DEFAULT_TIMEOUT_MS = 30_000;

export function throttleSettingsOf(settings: ClientSettings): ThrottleSettings {
	const window = settings.rateLimit ?? {
		limit: settings.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
		windowMs: 60_000,
	};
	return {
		limit: window.limit,
		windowMs: window.windowMs,
		maxConcurrency: settings.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
		marginMs: settings.windowMarginMs,
		lanes: settings.tokenPoolSize ?? 1,
	};
}

interface AttemptResult {
	/** The token (lane) the attempt went out with. */
	lane: number;
	/** The URL requested, to resolve a relative Location against. */
	url?: string;
	response?: SenderResponse;
	outcome?: AttemptOutcome;
	tokenFailure?: SenderTokenError;
	/** What an unrecognised failure said (already redacted). */
	detail?: string;
	/** Frees the attempt's slot, when the attempt left that to the caller (a 429: see run). */
	release?: () => void;
}

export class GenesysClient {
	readonly apiBaseUrl: string;
	readonly throttle: Throttle;
	private readonly sender: HttpSender;
	private readonly node: INode;
	private readonly policy: RetryPolicy;
	private readonly timeoutMs: number;
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly signal?: AbortSignal;
	private readonly logger?: TransportLogger;
	private readonly counters: Omit<ClientStats, 'tokens'> = {
		requests: 0,
		retries: 0,
		throttled: 0,
		serverErrors: 0,
		networkErrors: 0,
		tokenRefreshes: 0,
		sharedLimits: 0,
	};
	private readonly perToken: TokenStats[] = [];

	constructor(config: GenesysClientConfig) {
		this.apiBaseUrl = config.apiBaseUrl.replace(/\/+$/, '');
		this.sender = config.sender;
		this.node = config.node ?? STANDALONE_NODE;
		this.policy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
		this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.clock = { ...SYSTEM_CLOCK, ...config.clock };
		this.random = config.random ?? Math.random;
		this.signal = config.signal;
		this.logger = config.logger;
		this.throttle = config.throttle ?? new Throttle(throttleSettingsOf(config), this.clock, config.signal);
	}

	/**
	 * A client for a node execution: the node's `genesysCloudOAuth2Api` credential, and the throttle shared by
	 * every client of that credential (API host + client id) in this process, concurrent executions included.
	 */
	static async forContext(ctx: GenesysContext, options: ForContextOptions = {}): Promise<GenesysClient> {
		const node = ctx.getNode();
		const credentials = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
		let apiBaseUrl: string;
		try {
			apiBaseUrl = resolveHosts(credentials).apiBaseUrl;
		} catch (error) {
			throw new NodeOperationError(node, (error as Error).message, {
				description: 'Check the Region (and for Custom, the API and Login Base URLs) of the Genesys Cloud credential.',
			});
		}
		const clientId = typeof credentials.clientId === 'string' ? credentials.clientId : '';
		const run = isExecution(ctx) ? ctx : undefined;
		const signal = run?.getExecutionCancelSignal?.() ?? undefined;
		// Lists the editor loads (pickers) share the credential's one budget with any running execution.
		const throttle = throttleRegistry.get(throttleKey(apiBaseUrl, clientId), throttleSettingsOf(options));
		const sender = new N8nSender(ctx, { ...credentials }, {
			renewBeforeExpiryMs: options.renewBeforeExpiryMs,
			now: options.clock?.now,
		});
		const logger = options.logger ?? ((message: string) => ctx.logger.debug(message));
		return new GenesysClient({ ...options, apiBaseUrl, sender, node, throttle, signal, logger });
	}

	stats(): ClientStats {
		const lanes = this.throttle.currentSettings.lanes;
		const tokens = Array.from({ length: Math.max(lanes, this.perToken.length) }, (_, lane) => ({
			...this.tokenStats(lane),
		}));
		return { ...this.counters, tokens };
	}

	private tokenStats(lane: number): TokenStats {
		let stats = this.perToken[lane];
		if (!stats) {
			for (let i = this.perToken.length; i <= lane; i++) {
				this.perToken[i] = { token: i + 1, requests: 0, throttled: 0, tokenRefreshes: 0 };
			}
			stats = this.perToken[lane];
		}
		return stats;
	}

	/** Sends a request and returns the parsed JSON body of the 2xx response. */
	async request<T = unknown>(options: RequestOptions): Promise<T> {
		return (await this.requestFull<T>(options)).body;
	}

	/** Like `request`, with status, correlation id and attempt count. */
	async requestFull<T = unknown>(options: RequestOptions): Promise<GenesysResponse<T>> {
		const url = this.resolveUrl(options);
		const idempotent = isIdempotent(options.method, options.idempotent);
		const policy: RetryPolicy = options.deadlineMs === undefined ? this.policy : { ...this.policy, deadlineMs: options.deadlineMs };
		// A signal per request: the throttle queue, the sender and retry sleeps listen to it, not to the
		// execution's signal, which every concurrent request shares.
		const link = linkAbort(options.signal, this.signal);
		try {
			return await this.run<T>(options, url, idempotent, policy, link.signal);
		} finally {
			link.dispose();
		}
	}

	private async run<T>(
		options: RequestOptions,
		url: string,
		idempotent: boolean,
		policy: RetryPolicy,
		signal: AbortSignal,
	): Promise<GenesysResponse<T>> {
		const startedAt = this.clock.now();
		let rejected: { lane: number; generation: number } | undefined;
		// Tokens this request has renewed after a 401. Its resend may go out on another token of the pool, which
		// the same revocation may have hit: each token gets its one renewal.
		const renewedAfter401 = new Set<number>();
		for (let attempt = 1; ; attempt++) {
			const result = await this.attempt(options, url, signal, rejected);
			try {
				rejected = undefined;
				const { response } = result;
				if (response && isSuccess(response.status)) {
					const problem = options.responseSchema ? unexpectedBody(options.responseSchema, response.body) : undefined;
					if (problem !== undefined) throw this.invalidResponse(options, response, problem, idempotent, attempt);
					return {
						status: response.status,
						body: response.body as T,
						correlationId: response.headers['inin-correlation-id'],
						attempts: attempt,
					};
				}
				if (response?.status === 401 && !renewedAfter401.has(result.lane)) {
					// The token may have been revoked or expired early: renew that token (only) once, then resend.
					renewedAfter401.add(result.lane);
					rejected = { lane: result.lane, generation: response.generation };
					this.log(`${options.method} ${options.path} -> 401, renewing token ${result.lane + 1} and resending`);
					continue;
				}
				const outcome = result.outcome as AttemptOutcome;
				const elapsedMs = this.clock.now() - startedAt;
				// In a pool a 429 holds back only its token: the retry waits for the first token free, not for the
				// Retry-After, so the deadline is checked against that wait below, once the refusal is recorded.
				const pooled429 = this.throttle.currentSettings.lanes > 1 && isThrottled(outcome);
				// A token failure means the API request was never sent: safe to repeat whatever the method.
				const decision: RetryDecision = tokenAnswerUnusable(result.tokenFailure)
					? { action: 'fail', reason: 'notRetryable' }
					: decideRetry({
							outcome,
							attempt,
							idempotent: idempotent || result.tokenFailure !== undefined,
							elapsedMs,
							policy: pooled429 ? { ...policy, deadlineMs: Number.POSITIVE_INFINITY } : policy,
							random: this.random,
						});
				if (decision.action === 'fail') {
					throw this.failure(options, result, decision.reason, attempt, elapsedMs);
				}
				this.counters.retries++;
				this.log(
					`${options.method} ${options.path} -> ${describeOutcome(outcome)}, retry ${attempt} in ${decision.delayMs} ms`,
				);
				if (decision.cause === 'throttled') {
					// No request goes out on that token before Retry-After: with one token that is every request of
					// the credential; in a pool, every token once several of them are refused (a shared limit).
					const until = this.clock.now() + decision.delayMs;
					const scope = result.tokenFailure ? this.throttle.pauseLane(result.lane, until) : this.throttle.refused(result.lane, until);
					if (scope === 'shared') {
						this.counters.sharedLimits++;
						this.log(`429s on several tokens: a limit they share, the whole pool slows down`);
					}
					if (pooled429 && elapsedMs + this.throttle.readyInMs() > policy.deadlineMs) {
						throw this.failure(options, result, 'deadline', attempt, elapsedMs);
					}
				} else {
					await this.clock.sleep(decision.delayMs, signal);
				}
			} finally {
				// A 429 keeps its slot until here, where its token is paused: a waiter given the slot at once would go out
				// before the pause, into the same limit.
				result.release?.();
			}
		}
	}

	private resolveUrl(options: RequestOptions): string {
		const check = checkApiPath(options.path);
		if (!check.ok) throw new GenesysRequestRefused(this.node, String(options.path), check.reason, options.itemIndex);
		const url = joinApiUrl(this.apiBaseUrl, check.path);
		if (url === undefined) {
			throw new GenesysRequestRefused(this.node, options.path, 'it does not stay under the API base URL', options.itemIndex);
		}
		return url;
	}

	private async attempt(
		options: RequestOptions,
		url: string,
		signal: AbortSignal,
		rejected: { lane: number; generation: number } | undefined,
	): Promise<AttemptResult> {
		const permit = await this.throttle.acquire(signal);
		const lane = permit.lane;
		const laneStats = this.tokenStats(lane);
		this.counters.requests++;
		laneStats.requests++;
		const timeoutMs = options.timeoutMs ?? this.timeoutMs;
		// Wall-clock limit of this attempt, token fetch, headers and body included: n8n's `timeout` only
		// notices a silent socket, not one that trickles bytes.
		const deadline = startDeadline(timeoutMs, signal);
		const sent = await this.sender
			.send({
				method: options.method,
				url,
				qs: options.qs,
				body: options.body,
				timeoutMs,
				signal: deadline.signal,
				lane,
				rejectedGeneration: rejected?.generation,
				rejectedLane: rejected?.lane,
				onDispatch: permit.restamp,
			})
			.then(
				(response): { response: SenderResponse } => {
					// The token fetch ran inside this request, so it reached Genesys some time before now:
					// count it as late as possible.
					if (response.tokenRenewed) permit.restamp();
					return { response };
				},
				(error: unknown): { error: unknown } => ({ error }),
			)
			.finally(() => deadline.dispose());
		const holdSlot = 'response' in sent && sent.response.status === 429;
		if (!holdSlot) permit.release();
		if ('error' in sent) return { lane, ...this.classifyFailure(sent.error, signal, deadline.expired()) };
		const { response } = sent;
		if (response.tokenRenewed) {
			this.counters.tokenRefreshes++;
			laneStats.tokenRefreshes++;
		}
		if (response.status === 429) {
			this.counters.throttled++;
			laneStats.throttled++;
		}
		if (response.status >= 500) this.counters.serverErrors++;
		const retryAfterSec = parseRetryAfter(response.headers['retry-after'], this.clock.now());
		return {
			lane,
			url,
			response,
			outcome: { kind: 'response', status: response.status, retryAfterSec },
			release: holdSlot ? permit.release : undefined,
		};
	}

	/** Network and token failures become outcomes for the retry rules; anything else (cancellation) propagates. */
	private classifyFailure(error: unknown, signal: AbortSignal, expired: boolean): Omit<AttemptResult, 'lane'> {
		if (expired && !signal.aborted) {
			// The deadline cut the attempt short: whatever was sent may have been applied.
			this.counters.networkErrors++;
			return { outcome: { kind: 'network', code: 'ETIMEDOUT', sent: true } };
		}
		if (!signal.aborted) {
			if (error instanceof SenderNetworkError) {
				if (error.code !== UNKNOWN_FAILURE) this.counters.networkErrors++;
				return { outcome: { kind: 'network', code: error.code, sent: error.sent }, detail: error.detail };
			}
			if (error instanceof SenderTokenError) {
				return { outcome: tokenOutcome(error, this.counters), tokenFailure: error };
			}
		}
		throw error;
	}

	private failure(
		options: RequestOptions,
		result: AttemptResult,
		reason: GiveUpReason,
		attempts: number,
		elapsedMs: number,
	): GenesysApiError {
		const base = { method: options.method, path: options.path, attempts, itemIndex: options.itemIndex };
		const maybeApplied = reason === 'maybeApplied';
		const gaveUp = reason === 'deadline' || reason === 'attempts';
		const kindFor = (fallback: GenesysFailureKind): GenesysFailureKind => (gaveUp ? 'deadline' : fallback);
		const outcome = result.outcome as AttemptOutcome;
		if (result.tokenFailure) {
			const { status, code, detail } = result.tokenFailure;
			const message = tokenMessage(status, code, detail);
			return new GenesysApiError(this.node, {
				...base,
				status,
				code,
				kind: 'token',
				message: gaveUp ? `${message}, gave up after ${attempts} attempts in ${seconds(elapsedMs)}` : message,
				hint: 'Check the Client ID, Client Secret and Region of the Genesys Cloud credential, and that the OAuth client uses the Client Credentials grant.',
			});
		}
		if (outcome.kind === 'network' && outcome.code === UNKNOWN_FAILURE) {
			return new GenesysApiError(this.node, {
				...base,
				status: 0,
				code: outcome.code,
				kind: 'network',
				maybeApplied: outcome.sent && !isIdempotent(options.method, options.idempotent),
				message: `The request to Genesys Cloud failed: ${result.detail ?? 'unknown error'}`,
			});
		}
		if (outcome.kind === 'network') {
			return new GenesysApiError(this.node, {
				...base,
				status: 0,
				code: outcome.code,
				kind: kindFor('network'),
				maybeApplied,
				message: maybeApplied
					? `No response from Genesys Cloud (${outcome.code}); the request may have been applied`
					: `Could not reach Genesys Cloud (${outcome.code})${gaveUp ? `, gave up after ${attempts} attempts in ${seconds(elapsedMs)}` : ''}`,
			});
		}
		const response = result.response as SenderResponse;
		const body = parseErrorBody(response.body);
		const contextId = body.contextId ?? response.headers['inin-correlation-id'];
		const genesysMessage = body.message ?? bodyExcerpt(response.body) ?? `Genesys Cloud answered HTTP ${response.status}`;
		const common = {
			...base,
			status: response.status,
			code: body.code,
			contextId,
			details: body.details,
			entityId: body.entityId,
			retryAfterSec: outcome.retryAfterSec,
			maybeApplied,
		};
		if (reason === 'redirect') {
			const target = redirectTarget(response.headers.location, result.url ?? this.apiBaseUrl);
			return new GenesysApiError(this.node, {
				...common,
				code: undefined,
				kind: 'redirect',
				message: `Genesys Cloud answered HTTP ${response.status}, a redirect to ${target}: redirects are never followed, so nothing was sent there`,
				hint: 'The access token is only ever sent to the API host of the credential. Check its Region (or API Base URL).',
			});
		}
		if (reason === 'dailyLimit' || reason === 'retryAfterTooLong') {
			const wait = seconds((outcome.retryAfterSec ?? 0) * 1000);
			return new GenesysApiError(this.node, {
				...common,
				kind: 'dailyLimit',
				message:
					reason === 'dailyLimit'
						? `Genesys Cloud daily limit reached: it asks to wait ${wait} before the next request, so the request was not retried`
						: `Genesys Cloud is unavailable and asks to wait ${wait}, so the request was not retried`,
				hint: `Genesys said: "${genesysMessage}". Waits over ${this.policy.maxRetryAfterSec} s are not sat out; run again after the limit resets.`,
			});
		}
		return new GenesysApiError(this.node, {
			...common,
			kind: kindFor('response'),
			message: gaveUp ? `${genesysMessage} (gave up after ${attempts} attempts in ${seconds(elapsedMs)})` : genesysMessage,
		});
	}

	private invalidResponse(
		options: RequestOptions,
		response: SenderResponse,
		problem: string,
		idempotent: boolean,
		attempts: number,
	): GenesysApiError {
		return new GenesysApiError(this.node, {
			method: options.method,
			path: options.path,
			itemIndex: options.itemIndex,
			attempts,
			status: response.status,
			code: INVALID_RESPONSE,
			contextId: response.headers['inin-correlation-id'],
			kind: 'response',
			maybeApplied: !idempotent,
			message: `Genesys Cloud answered HTTP ${response.status} with an unexpected body (${problem}), so its content was not used`,
		});
	}

	private log(message: string): void {
		this.logger?.(`Genesys Cloud: ${message}`);
	}
}

/** The token call's failure, in the terms of the retry rules (a network code is retried, a bad setup is not). */
function tokenOutcome(error: SenderTokenError, counters: Pick<ClientStats, 'networkErrors'>): AttemptOutcome {
	if (error.status > 0) return { kind: 'response', status: error.status, retryAfterSec: error.retryAfterSec };
	if (!isNetworkCode(error.code)) return { kind: 'network', code: UNKNOWN_FAILURE, sent: false };
	counters.networkErrors++;
	return { kind: 'network', code: error.code as string, sent: true };
}

function isThrottled(outcome: AttemptOutcome): boolean {
	return outcome.kind === 'response' && outcome.status === 429;
}

/** The token endpoint answered, but not with an error a retry could fix: a redirect, or a 2xx without a token. */
function tokenAnswerUnusable(failure: SenderTokenError | undefined): boolean {
	return failure !== undefined && (isSuccess(failure.status) || isRedirect(failure.status));
}

function tokenMessage(status: number, code: string | undefined, detail?: string): string {
	if (code === INVALID_CONFIGURATION) {
		return 'The Genesys Cloud credential is incomplete: it needs a Client ID and a Client Secret';
	}
	if (code === TOKEN_REDIRECT || isRedirect(status)) {
		return `The Genesys Cloud login server answered HTTP ${status}, a redirect${detail ? ` ${detail}` : ''}: redirects are never followed`;
	}
	if (code === INVALID_TOKEN_RESPONSE || isSuccess(status)) {
		return `The Genesys Cloud login server answered HTTP ${status} without an access token (${detail ?? 'no usable access_token and expires_in'})`;
	}
	if (status === 0) return `Could not reach the Genesys Cloud login server (${code ?? 'network error'})`;
	if (status === 400 || status === 401) {
		return `Genesys Cloud refused the OAuth client credentials (HTTP ${status}${code ? ` ${code}` : ''})`;
	}
	return `Genesys Cloud token request failed (HTTP ${status}${code ? ` ${code}` : ''})`;
}

/** Why a 2xx body does not match its schema, or undefined when it does. */
function unexpectedBody(schema: ZodTypeAny, body: unknown): string | undefined {
	if (typeof body === 'string' || Buffer.isBuffer(body)) return 'not JSON';
	if (body === undefined || body === null) return 'empty';
	const parsed = schema.safeParse(body);
	if (parsed.success) return undefined;
	const issue = parsed.error.issues[0];
	const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
	return `${where}: ${issue.message}`.slice(0, 200);
}

function describeOutcome(outcome: AttemptOutcome): string {
	return outcome.kind === 'network' ? outcome.code : `HTTP ${outcome.status}`;
}

function seconds(ms: number): string {
	if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
	if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
