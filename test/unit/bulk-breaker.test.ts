/**
 * The run's circuit breaker (engine/breaker.ts) on an injected clock: when it opens, what it refuses, and that
 * a flaky network (answers between failures) never opens it.
 */
import { GenesysApiError, STANDALONE_NODE } from '../../nodes/GenesysCloud/transport';
import type { RequestOptions } from '../../nodes/GenesysCloud/transport';
import { BreakerOpenError, guardedApi, isUnavailable, OutageBreaker, UNAVAILABLE_CODE } from '../../nodes/GenesysCloudBulkCreateUsers/engine/breaker';
import type { ResultError } from '../../nodes/GenesysCloud/resultError';

const WINDOW = 90_000;

function apiError(status: number, kind: 'response' | 'network' | 'deadline' | 'dailyLimit' = 'response'): GenesysApiError {
	return new GenesysApiError(STANDALONE_NODE, {
		status,
		...(status === 0 ? { code: 'ECONNRESET' } : {}),
		message: `HTTP ${status}`,
		method: 'POST',
		path: '/api/v2/users',
		kind,
		maybeApplied: status >= 500,
	});
}

function setup(failures = 5) {
	let now = 0;
	const opened: ResultError[] = [];
	const controller = new AbortController();
	const breaker = new OutageBreaker(() => now, { failures, windowMs: WINDOW }, (reason) => {
		opened.push(reason);
		controller.abort();
	});
	const sent: RequestOptions[] = [];
	let answer: () => Promise<unknown> = async () => ({ id: 'x' });
	const api = guardedApi(
		{
			async request<T>(options: RequestOptions): Promise<T> {
				sent.push(options);
				return (await answer()) as T;
			},
		} as never,
		breaker,
		controller.signal,
		WINDOW,
	);
	return {
		api,
		breaker,
		opened,
		sent,
		signal: controller.signal,
		advance: (ms: number) => (now += ms),
		answerWith: (next: () => Promise<unknown>) => (answer = next),
	};
}

const POST: RequestOptions = { method: 'POST', path: '/api/v2/users', body: {} };

it('classifies 5xx, network and deadline failures as unavailability; 429s, daily limits and 4xx are not', () => {
	expect(isUnavailable(apiError(503))).toBe(true);
	expect(isUnavailable(apiError(0, 'network'))).toBe(true);
	expect(isUnavailable(apiError(502, 'deadline'))).toBe(true);
	expect(isUnavailable(apiError(429, 'deadline'))).toBe(false);
	expect(isUnavailable(apiError(429, 'dailyLimit'))).toBe(false);
	expect(isUnavailable(apiError(409))).toBe(false);
	expect(isUnavailable(new Error('aborted'))).toBe(false);
});

it('caps every request at the outage window and hands it the run signal', async () => {
	const t = setup();
	await t.api.request({ ...POST, deadlineMs: 300_000 });
	await t.api.request({ method: 'GET', path: '/api/v2/users/x', deadlineMs: 10_000 });
	expect(t.sent.map((options) => options.deadlineMs)).toEqual([WINDOW, 10_000]);
	expect(t.sent[0].signal?.aborted).toBe(false);
});

it('a request that retried for its whole window opens the breaker at once, aborts the run signal and refuses what follows', async () => {
	const t = setup();
	t.answerWith(async () => Promise.reject(apiError(503, 'deadline')));
	await expect(t.api.request(POST)).rejects.toThrow('HTTP 503');
	expect(t.breaker.isOpen).toBe(true);
	expect(t.signal.aborted).toBe(true);
	expect(t.opened).toEqual([expect.objectContaining({ code: UNAVAILABLE_CODE, message: expect.stringMatching(/^Genesys Cloud unavailable: 1 request\(s\) in a row failed/) })]);
	expect(t.opened[0].maybeApplied).toBeUndefined();
	await expect(t.api.request(POST)).rejects.toBeInstanceOf(BreakerOpenError);
	expect(t.sent).toHaveLength(1);
});

it('fast failures open it once they are `failures` in a row over a whole window, not before', async () => {
	const t = setup(5);
	t.answerWith(async () => Promise.reject(apiError(503)));
	for (let i = 0; i < 20; i++) {
		await expect(t.api.request(POST)).rejects.toThrow();
		t.advance(1_000);
	}
	// 20 failures over 20 s: not yet a window.
	expect(t.breaker.isOpen).toBe(false);
	t.advance(WINDOW);
	await expect(t.api.request(POST)).rejects.toThrow();
	expect(t.breaker.isOpen).toBe(true);
	expect(t.opened[0].message).toMatch(/21 request\(s\) in a row failed/);
});

it('answers between failures (a flaky network, 4xx included) keep it closed however long the run', async () => {
	const t = setup(5);
	let call = 0;
	t.answerWith(async () => {
		call++;
		if (call % 4 === 0) return { id: 'ok' };
		if (call % 7 === 0) throw apiError(404);
		throw apiError(call % 2 ? 503 : 0, call % 2 ? 'response' : 'network');
	});
	for (let i = 0; i < 200; i++) {
		await t.api.request(POST).catch(() => undefined);
		t.advance(5_000);
	}
	expect(t.breaker.isOpen).toBe(false);
	expect(t.sent).toHaveLength(200);
});
