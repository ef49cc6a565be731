import {
	backoffDelayMs,
	decideRetry,
	DEFAULT_RETRY_POLICY,
	isIdempotent,
	networkErrorWasSent,
	parseRetryAfter,
	throttledDelayMs,
} from '../../nodes/GenesysCloud/transport/retry';
import type { AttemptOutcome, DecisionInput, RetryPolicy } from '../../nodes/GenesysCloud/transport/retry';

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };

function decide(outcome: AttemptOutcome, overrides: Partial<DecisionInput> = {}) {
	return decideRetry({ outcome, attempt: 1, idempotent: true, elapsedMs: 0, policy, random: () => 0.5, ...overrides });
}

describe('parseRetryAfter', () => {
	it('reads integer and decimal seconds', () => {
		expect(parseRetryAfter('42', 0)).toBe(42);
		expect(parseRetryAfter('0.25', 0)).toBe(0.25);
		expect(parseRetryAfter(' 3 ', 0)).toBe(3);
		expect(parseRetryAfter(['7', '9'], 0)).toBe(7);
	});

	it('reads an HTTP date relative to now', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
	});

	it('ignores absent or unreadable values', () => {
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
		expect(parseRetryAfter('', 0)).toBeUndefined();
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
	});

	it('reads a negative number as "now" (0), which then waits the minimum', () => {
		expect(parseRetryAfter('-5', 0)).toBe(0);
		expect(parseRetryAfter('-0.5', 0)).toBe(0);
	});
});

describe('isIdempotent', () => {
	it('treats POST as unsafe unless told otherwise', () => {
		expect(isIdempotent('GET')).toBe(true);
		expect(isIdempotent('PUT')).toBe(true);
		expect(isIdempotent('PATCH')).toBe(true);
		expect(isIdempotent('DELETE')).toBe(true);
		expect(isIdempotent('POST')).toBe(false);
		expect(isIdempotent('POST', true)).toBe(true);
		expect(isIdempotent('GET', false)).toBe(false);
	});
});

describe('delays', () => {
	it('waits Retry-After plus bounded jitter after a 429', () => {
		expect(throttledDelayMs(2, policy, () => 0)).toBe(2000);
		// jitter is capped by both the absolute and the relative bound
		expect(throttledDelayMs(2, policy, () => 0.999)).toBeLessThanOrEqual(2000 + 200);
		expect(throttledDelayMs(60, policy, () => 0.999)).toBeLessThanOrEqual(60_000 + 250);
		expect(throttledDelayMs(0.05, policy, () => 0.999)).toBeLessThanOrEqual(55);
		expect(throttledDelayMs(undefined, policy, () => 0)).toBe(policy.defaultRetryAfterMs);
	});

	it('backs off exponentially with jitter, capped', () => {
		const low = (attempt: number) => backoffDelayMs(attempt, policy, () => 0);
		const high = (attempt: number) => backoffDelayMs(attempt, policy, () => 1);
		expect([high(1), high(2), high(3), high(4)]).toEqual([500, 1000, 2000, 4000]);
		expect([low(1), low(2), low(3)]).toEqual([250, 500, 1000]);
		expect(high(20)).toBe(policy.maxDelayMs);
		expect(high(500)).toBe(policy.maxDelayMs);
	});
});

describe('decideRetry', () => {
	it('retries a 429 after Retry-After, for any method', () => {
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 1.5 }, { idempotent: false })).toEqual({
			action: 'retry',
			delayMs: throttledDelayMs(1.5, policy, () => 0.5),
			cause: 'throttled',
		});
	});

	it('gives up on a Retry-After over 180 s (daily limit)', () => {
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 181 })).toEqual({ action: 'fail', reason: 'dailyLimit' });
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 180 }).action).toBe('retry');
		expect(decide({ kind: 'response', status: 503, retryAfterSec: 4000 })).toEqual({
			action: 'fail',
			reason: 'retryAfterTooLong',
		});
	});

	it('retries 502/503/504 for idempotent requests, honouring Retry-After', () => {
		for (const status of [502, 503, 504]) {
			expect(decide({ kind: 'response', status }, { attempt: 3 })).toEqual({
				action: 'retry',
				delayMs: backoffDelayMs(3, policy, () => 0.5),
				cause: 'serverError',
			});
		}
		expect(decide({ kind: 'response', status: 503, retryAfterSec: 2 })).toMatchObject({ delayMs: throttledDelayMs(2, policy, () => 0.5) });
	});

	it('never follows nor retries a redirect, whatever the method', () => {
		for (const status of [300, 301, 302, 303, 304, 307, 308]) {
			expect(decide({ kind: 'response', status })).toEqual({ action: 'fail', reason: 'redirect' });
			expect(decide({ kind: 'response', status }, { idempotent: false })).toEqual({ action: 'fail', reason: 'redirect' });
		}
	});

	it('never retries other 4xx, nor 500/501', () => {
		for (const status of [400, 401, 403, 404, 409, 413, 422, 500, 501]) {
			expect(decide({ kind: 'response', status })).toEqual({ action: 'fail', reason: 'notRetryable' });
		}
	});

	it('re-sends a non-idempotent request only when Genesys proves it was not applied', () => {
		const post = { idempotent: false };
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 1 }, post).action).toBe('retry');
		// A gateway 503 may follow a committed write: it proves nothing for a POST.
		expect(decide({ kind: 'response', status: 503 }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		expect(decide({ kind: 'response', status: 503, retryAfterSec: 1 }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		expect(decide({ kind: 'response', status: 502 }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		expect(decide({ kind: 'response', status: 504 }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		expect(decide({ kind: 'response', status: 500 }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		expect(decide({ kind: 'network', code: 'ECONNRESET', sent: true }, post)).toEqual({ action: 'fail', reason: 'maybeApplied' });
		// never reached the server: safe to send again
		expect(decide({ kind: 'network', code: 'ECONNREFUSED', sent: false }, post).action).toBe('retry');
		expect(decide({ kind: 'response', status: 409 }, post)).toEqual({ action: 'fail', reason: 'notRetryable' });
	});

	it('retries network errors of idempotent requests with backoff', () => {
		expect(decide({ kind: 'network', code: 'ECONNRESET', sent: true }, { attempt: 2 })).toEqual({
			action: 'retry',
			delayMs: backoffDelayMs(2, policy, () => 0.5),
			cause: 'network',
		});
	});

	it('does not retry a failure that is not a known network error', () => {
		expect(decide({ kind: 'network', code: 'UNKNOWN', sent: true })).toEqual({ action: 'fail', reason: 'notRetryable' });
	});

	it('stops at the deadline and at the attempt cap', () => {
		const outcome: AttemptOutcome = { kind: 'response', status: 503 };
		const delay = backoffDelayMs(1, policy, () => 0.5);
		expect(decide(outcome, { elapsedMs: policy.deadlineMs - delay })).toMatchObject({ action: 'retry' });
		expect(decide(outcome, { elapsedMs: policy.deadlineMs - delay + 1 })).toEqual({ action: 'fail', reason: 'deadline' });
		expect(decide(outcome, { attempt: policy.maxAttempts })).toEqual({ action: 'fail', reason: 'attempts' });
		// a long Retry-After that overruns the deadline is not sat out either
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 100 }, { elapsedMs: 250_000 })).toEqual({
			action: 'fail',
			reason: 'deadline',
		});
	});

	it('refuses to judge a success', () => {
		expect(() => decide({ kind: 'response', status: 200 })).toThrow(RangeError);
	});
});

describe('a Retry-After that says "now"', () => {
	it('waits at least minRetryAfterMs, more on every attempt, up to maxDelayMs', () => {
		for (const random of [() => 0, () => 0.5, () => 0.999]) {
			let previousFloor = 0;
			for (let attempt = 1; attempt <= 12; attempt++) {
				const decision = decideRetry({
					outcome: { kind: 'response', status: 429, retryAfterSec: 0 },
					attempt,
					idempotent: false,
					elapsedMs: 0,
					policy,
					random,
				});
				expect(decision).toMatchObject({ action: 'retry', cause: 'throttled' });
				const delay = (decision as { delayMs: number }).delayMs;
				expect(delay).toBeGreaterThanOrEqual(policy.minRetryAfterMs);
				expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
				expect(delay).toBeGreaterThanOrEqual(previousFloor);
				previousFloor = Math.min(policy.maxDelayMs / 2, policy.minRetryAfterMs * 2 ** (attempt - 1));
			}
		}
	});

	it('applies to a past HTTP date and to a 503 too, and counts toward maxAttempts', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		const past = parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now);
		expect(past).toBe(0);
		expect(decide({ kind: 'response', status: 503, retryAfterSec: past })).toMatchObject({ action: 'retry' });
		expect((decide({ kind: 'response', status: 503, retryAfterSec: 0 }) as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
		expect(decide({ kind: 'response', status: 429, retryAfterSec: 0 }, { attempt: policy.maxAttempts })).toEqual({
			action: 'fail',
			reason: 'attempts',
		});
	});

	it('leaves positive hints alone (fractions come from time-compressed test servers)', () => {
		expect(throttledDelayMs(0.02, policy, () => 0)).toBe(20);
		expect(throttledDelayMs(2, policy, () => 0)).toBe(2000);
	});
});

describe('networkErrorWasSent', () => {
	it('knows which failures happen before the request reaches the server', () => {
		expect(networkErrorWasSent('ECONNREFUSED')).toBe(false);
		expect(networkErrorWasSent('ENOTFOUND')).toBe(false);
		expect(networkErrorWasSent('ECONNRESET')).toBe(true);
		expect(networkErrorWasSent('ETIMEDOUT')).toBe(true);
		expect(networkErrorWasSent('UNKNOWN')).toBe(true);
	});
});
