/**
 * Pure retry rules: what happened to one attempt -> retry after N ms, or give up and why.
 * Sources: docs/GENESYS.md, "Rate limits" and "Retries" (Retry-After on every 429; SDKs give up above
 * 180 s; 502/503/504 retried).
 */
import { exponentialDelay } from '../backoff';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface RetryPolicy {
	/** Overall time budget of one logical request, retries included. */
	deadlineMs: number;
	/** First backoff for 5xx and network errors; doubles per attempt. */
	baseDelayMs: number;
	/** Upper bound of one backoff step. */
	maxDelayMs: number;
	/** A Retry-After above this is a daily (or similar) limit: waiting is pointless. */
	maxRetryAfterSec: number;
	/** Wait used for a 429 that carries no Retry-After (the Java/.NET SDK default). */
	defaultRetryAfterMs: number;
	/** Extra random wait added on top of Retry-After, at most this many ms... */
	retryAfterJitterMs: number;
	/** ...and at most this fraction of the Retry-After itself. */
	retryAfterJitterRatio: number;
	/** Safety net besides the deadline. */
	maxAttempts: number;
	/**
	 * Least wait after a Retry-After of 0, a negative one or a date already past: such a hint says "now", which
	 * would let one request burn the minute's budget in a second. It then backs off exponentially from here.
	 */
	minRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
	deadlineMs: 5 * 60_000,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterSec: 180,
	defaultRetryAfterMs: 3_000,
	retryAfterJitterMs: 250,
	retryAfterJitterRatio: 0.1,
	maxAttempts: 100,
	minRetryAfterMs: 1_000,
};

/** What one attempt produced, reduced to what the rules need. */
export type AttemptOutcome =
	| { kind: 'response'; status: number; retryAfterSec?: number }
	| {
			kind: 'network';
			/** Node/axios error code, e.g. ECONNRESET. */
			code: string;
			/** False only when the request certainly never reached the server (refused, DNS). */
			sent: boolean;
	  };

export type GiveUpReason =
	| 'notRetryable'
	| 'dailyLimit'
	/** A 5xx asking to wait longer than the policy allows. */
	| 'retryAfterTooLong'
	| 'deadline'
	| 'attempts'
	/** Non-idempotent request whose outcome is unknown: the caller must reconcile. */
	| 'maybeApplied'
	/** A 3xx: redirects are never followed (the credentials would go along), nor retried. */
	| 'redirect';

export type RetryDecision =
	| { action: 'retry'; delayMs: number; cause: 'throttled' | 'serverError' | 'network' }
	| { action: 'fail'; reason: GiveUpReason };

export interface DecisionInput {
	outcome: AttemptOutcome;
	/** 1 for the first attempt. */
	attempt: number;
	idempotent: boolean;
	/** Time spent since the first attempt started. */
	elapsedMs: number;
	policy: RetryPolicy;
	/** Uniform in [0, 1); injectable for tests. */
	random: () => number;
}

const RETRYABLE_5XX = new Set([502, 503, 504]);

/** Code of a failure that is not a known network error. */
export const UNKNOWN_FAILURE = 'UNKNOWN';

/**
 * Statuses that prove nothing was applied, whatever the method: only a 429, which Genesys answers before doing
 * any work. A 502/503/504 may come from a gateway after the backend committed the write, so a POST answered
 * with one is not re-sent here: it fails with `maybeApplied` and the caller reconciles.
 */
function provesNotApplied(status: number): boolean {
	return status === 429;
}

export function isSuccess(status: number): boolean {
	return status >= 200 && status < 300;
}

export function isRedirect(status: number): boolean {
	return status >= 300 && status < 400;
}

/** GET/PUT/DELETE/PATCH are safe to repeat; POST is not unless the caller says so (e.g. searches). */
export function isIdempotent(method: HttpMethod, explicit?: boolean): boolean {
	if (explicit !== undefined) return explicit;
	return method !== 'POST';
}

/**
 * Retry-After in seconds. Genesys sends integer seconds; decimals are accepted (time-compressed tests),
 * and an HTTP date is tolerated. Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	const trimmed = text.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
	// A negative number asks for no wait at all, like 0 (and gets the same minimum).
	if (/^-\d+(\.\d+)?$/.test(trimmed)) return 0;
	// Only something shaped like an HTTP date (month names): Date.parse also accepts bare numbers as years.
	if (!/[a-z]{3}/i.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, (date - nowMs) / 1000);
}

/**
 * Wait after a 429: Retry-After plus a little jitter so a crowd of waiters does not restart in lockstep.
 * A Retry-After of 0 (or negative, or past) waits at least `minRetryAfterMs`, doubling per attempt.
 */
export function throttledDelayMs(
	retryAfterSec: number | undefined,
	policy: RetryPolicy,
	random: () => number,
	attempt = 1,
): number {
	if (retryAfterSec !== undefined && retryAfterSec <= 0) {
		const floor = { ...policy, baseDelayMs: policy.minRetryAfterMs, maxDelayMs: Math.max(policy.maxDelayMs, policy.minRetryAfterMs) };
		// Equal jitter keeps half of the step fixed: double the floor so even the fixed half honours it.
		return Math.max(policy.minRetryAfterMs, backoffDelayMs(attempt + 1, floor, random));
	}
	const baseMs = retryAfterSec === undefined ? policy.defaultRetryAfterMs : retryAfterSec * 1000;
	const jitterCap = Math.min(policy.retryAfterJitterMs, baseMs * policy.retryAfterJitterRatio);
	return Math.ceil(baseMs + random() * jitterCap);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so the wait never collapses to 0. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
	const step = exponentialDelay(attempt - 1, { initialDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs });
	return Math.ceil(step / 2 + random() * (step / 2));
}

export function decideRetry(input: DecisionInput): RetryDecision {
	const { outcome, policy } = input;
	if (outcome.kind === 'response' && isSuccess(outcome.status)) {
		throw new RangeError('decideRetry called for a successful response');
	}
	const planned = plan(input);
	if (planned.action === 'fail') return planned;
	if (input.attempt >= policy.maxAttempts) return { action: 'fail', reason: 'attempts' };
	if (input.elapsedMs + planned.delayMs > policy.deadlineMs) return { action: 'fail', reason: 'deadline' };
	return planned;
}

function plan(input: DecisionInput): RetryDecision {
	const { outcome, policy, random } = input;
	if (outcome.kind === 'network') {
		// Not a recognised network failure: a fault in configuration or the engine, which a retry cannot fix.
		if (outcome.code === UNKNOWN_FAILURE) return { action: 'fail', reason: 'notRetryable' };
		if (outcome.sent && !input.idempotent) return { action: 'fail', reason: 'maybeApplied' };
		return { action: 'retry', delayMs: backoffDelayMs(input.attempt, policy, random), cause: 'network' };
	}
	const { status, retryAfterSec } = outcome;
	if (isRedirect(status)) return { action: 'fail', reason: 'redirect' };
	if (status >= 500 && !input.idempotent && !provesNotApplied(status)) {
		return { action: 'fail', reason: 'maybeApplied' };
	}
	const waitTooLong = retryAfterSec !== undefined && retryAfterSec > policy.maxRetryAfterSec;
	if (status === 429) {
		if (waitTooLong) return { action: 'fail', reason: 'dailyLimit' };
		return { action: 'retry', delayMs: throttledDelayMs(retryAfterSec, policy, random, input.attempt), cause: 'throttled' };
	}
	if (!RETRYABLE_5XX.has(status)) return { action: 'fail', reason: 'notRetryable' };
	if (waitTooLong) return { action: 'fail', reason: 'retryAfterTooLong' };
	const delayMs =
		retryAfterSec !== undefined
			? throttledDelayMs(retryAfterSec, policy, random, input.attempt)
			: backoffDelayMs(input.attempt, policy, random);
	return { action: 'retry', delayMs, cause: 'serverError' };
}

/**
 * Network error codes that prove the request never left this machine or never reached the server,
 * so re-sending cannot duplicate a write.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function networkErrorWasSent(code: string): boolean {
	return !NOT_SENT_CODES.has(code);
}
