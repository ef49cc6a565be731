/**
 * Every request ends within its deadline, however the server misbehaves: a body trickled one byte at a time
 * (which never leaves the socket idle, so n8n's own `timeout` does not fire), headers never sent, a body never
 * finished, and the same on the token endpoint. Through n8n's engine (2.x and N8N_ENGINE=1).
 *
 * Timing bounds are generous on purpose (the machine is shared): each slow answer below would take at least
 * 60 s to complete, while the request's own limits add up to a few seconds; the assertions only check that
 * the run ended well before the slow answer could have, never how fast it was.
 */
import { engineVersion } from '../harness';
import type { Emulator } from '../emulator';
import { apiRequests, emulatorPerFile, tokenRequests } from './helpers';
import { ORG, runProbe } from './probe';

let emu: Emulator;
emulatorPerFile({ rateLimit: false }, (started) => {
	emu = started;
});

/** 1 byte per 200 ms with 300 padding bytes: over 60 s for the whole answer. */
const TRICKLE = { intervalMs: 200, bytesPerInterval: 1, padBytes: 300 };
const SLOW_ANSWER_MS = 60_000;
/** Per attempt, and for all attempts of one request. */
const SETTINGS = { timeoutMs: 1_000, retry: { baseDelayMs: 5, maxDelayMs: 50, deadlineMs: 2_500 } };
const CREATE = { json: { method: 'POST', path: '/api/v2/users', body: { name: 'Ann Slow', email: 'ann.slow@example.com' } } };

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
	const started = Date.now();
	const value = await work;
	return { value, ms: Date.now() - started };
}

describe(`deadlines (n8n ${engineVersion()}.x engine)`, () => {
	it('a trickling body cannot hold a GET past its deadline; the GET is retried, then gives up', async () => {
		const first = await runProbe(emu.url, [ORG]);
		const credentials = first.result.credentialsStore.genesysCloudOAuth2Api;
		emu.reset();
		emu.setFaults({ trickle: { ...TRICKLE, pathFilter: '^/api/v2/' } });
		const { value, ms } = await timed(runProbe(emu.url, [ORG], { credentials, settings: SETTINGS }));
		expect(value.items[0]).toMatchObject({ ok: false, status: 0, code: 'ETIMEDOUT' });
		expect(['deadline', 'network']).toContain(value.items[0].kind);
		expect(apiRequests(emu).length).toBeGreaterThanOrEqual(1);
		expect(ms).toBeLessThan(SLOW_ANSWER_MS / 2);
	});

	it.each([
		['trickle', { trickle: { ...TRICKLE, pathFilter: '^/api/v2/users$' } }],
		['stalled headers', { stall: { phase: 'headers' as const, pathFilter: '^/api/v2/users$' } }],
		['stalled body', { stall: { phase: 'body' as const, pathFilter: '^/api/v2/users$' } }],
	])('a create with a %s answer ends at its deadline with maybeApplied, sent once', async (_, faults) => {
		emu.setFaults(faults);
		const { value, ms } = await timed(runProbe(emu.url, [CREATE], { settings: SETTINGS }));
		expect(value.items[0]).toMatchObject({ ok: false, status: 0, code: 'ETIMEDOUT', maybeApplied: true });
		expect(apiRequests(emu).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(ms).toBeLessThan(SLOW_ANSWER_MS / 2);
	});

	it('a trickling token endpoint is cut at the deadline, and the stuck request is not handed to the next run', async () => {
		emu.setFaults({ trickle: { ...TRICKLE, pathFilter: '^/oauth/token$' } });
		const { value, ms } = await timed(runProbe(emu.url, [ORG], { settings: SETTINGS }));
		expect(value.items[0]).toMatchObject({ ok: false, code: 'ETIMEDOUT' });
		expect(ms).toBeLessThan(SLOW_ANSWER_MS / 2);
		expect(tokenRequests(emu).length).toBeGreaterThanOrEqual(1);
		expect(apiRequests(emu)).toHaveLength(0);

		// The endpoint recovers; the earlier token answers are still trickling. A new run asks again at once
		// instead of waiting on them.
		emu.clearFaults();
		const before = tokenRequests(emu).length;
		const { value: next, ms: nextMs } = await timed(runProbe(emu.url, [ORG], { settings: SETTINGS }));
		expect(next.items[0]).toMatchObject({ ok: true });
		expect(tokenRequests(emu).length).toBe(before + 1);
		expect(nextMs).toBeLessThan(SLOW_ANSWER_MS / 2);
	});

	it('requests waiting for a new token go once it is issued, not after the answer of the request that fetched it', async () => {
		// The first request fetches the token (n8n runs preAuthentication, then sends it) and never gets an
		// answer; the others waited for its token, and must not wait for its answer too.
		emu.setFaults({ stall: { phase: 'headers', pathFilter: '^/api/v2/users$' } });
		const controller = new AbortController();
		const settings = { timeoutMs: 120_000, retry: { deadlineMs: 300_000 } };
		const items = [CREATE, ORG, ORG, ORG];
		let settled = false;
		const run = runProbe(emu.url, items, { settings, parallel: true, signal: controller.signal, cancelGraceMs: 20_000 });
		void run.finally(() => (settled = true));
		const answered = (): number => apiRequests(emu).filter((r) => r.path === ORG.json.path && r.status === 200).length;
		// Generous: each of these takes milliseconds; the stalled create would hold them 120 s.
		for (let i = 0; i < 800 && answered() < 3; i++) await new Promise((resolve) => setTimeout(resolve, 25));
		expect(answered()).toBe(3);
		expect(settled).toBe(false);
		expect(tokenRequests(emu)).toHaveLength(1);
		expect(apiRequests(emu).filter((r) => r.method === 'POST')).toHaveLength(1);
		controller.abort();
		expect((await run).result.status).toBe('canceled');
	});

	it('Stop ends a run waiting on a stalled token request', async () => {
		emu.setFaults({ stall: { phase: 'headers', pathFilter: '^/oauth/token$' } });
		const controller = new AbortController();
		const settings = { timeoutMs: 120_000, retry: { deadlineMs: 300_000 } };
		const run = runProbe(emu.url, [ORG], { settings, signal: controller.signal, cancelGraceMs: 20_000 });
		// Stop once the token request has reached the server.
		for (let i = 0; i < 200 && tokenRequests(emu).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
		expect(tokenRequests(emu)).toHaveLength(1);
		controller.abort();
		// Resolves only if the node stopped within the grace period (the request alone would wait 120 s).
		const { result } = await run;
		expect(result.status).toBe('canceled');
		expect(apiRequests(emu)).toHaveLength(0);
	});
});
