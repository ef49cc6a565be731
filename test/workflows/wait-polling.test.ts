/**
 * The polling loop through n8n's engine against the emulator: timeout, 404 grace, the backoff's request
 * bound, per-item errors, 429s, concurrency and cancellation. Time is compressed (tens of milliseconds).
 */
import type { Emulator } from '../emulator';
import { DEFAULT_BACKOFF, pollBound } from '../../nodes/GenesysCloudWaitForJob/poll';
import { FAST, getsOf, runWait, startWaitEmulator } from './wait-support';

const ANALYTICS = '/api/v2/analytics/conversations/details/jobs';

let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator();
});

afterEach(() => {
	emu.clearFaults();
});

afterAll(async () => {
	await emu.close();
});

function analyticsJob(jobId: string): { path: string; item: { json: { jobId: string } } } {
	return { path: `${ANALYTICS}/${jobId}`, item: { json: { jobId } } };
}

describe('timeout', () => {
	it('a job that never finishes times out on time, with a clear status', async () => {
		const { path, item } = analyticsJob('never-done');
		emu.jobs.script(path, { polls: [{ body: { state: 'QUEUED' } }, { body: { state: 'PENDING' } }] });
		const timeoutMs = 600;
		const { result, completed, failed } = await runWait(emu, { timeout: timeoutMs / 1000 }, [item]);

		expect(result.status).toBe('success');
		expect(completed).toHaveLength(0);
		expect(failed).toHaveLength(1);
		const json = failed[0].json;
		expect(json).toMatchObject({
			jobType: 'analyticsConversationDetails',
			jobId: 'never-done',
			status: 'timedOut',
			lastStatus: 'PENDING',
			done: false,
			succeeded: false,
			job: { state: 'PENDING' },
		});
		// Not before the timeout, and no poll more than the backoff allows. How soon after the deadline it
		// ends depends on how fast the last poll is answered; that the last wait is cut at the deadline is
		// checked with an injected clock in test/unit/wait-loop.test.ts.
		expect(json.elapsedMs).toBeGreaterThanOrEqual(timeoutMs);
		const polls = emu.jobs.pollCount(path);
		expect(json.attempts).toBe(polls);
		expect(polls).toBeLessThanOrEqual(
			pollBound(timeoutMs, { ...DEFAULT_BACKOFF, pollIntervalMs: FAST.pollInterval * 1000, maxIntervalMs: FAST.maxInterval * 1000 }),
		);
	});
});

describe('404 right after creation', () => {
	it('waits through a job that 404s for its first polls', async () => {
		const { path, item } = analyticsJob('late-visible');
		emu.jobs.script(path, {
			polls: [
				{ httpStatus: 404 },
				{ httpStatus: 404 },
				{ httpStatus: 404 },
				{ body: { state: 'PENDING' } },
				{ body: { state: 'FULFILLED' } },
			],
		});
		const { completed, failed } = await runWait(emu, {}, [item]);
		expect(failed).toHaveLength(0);
		expect(completed[0].json).toMatchObject({ status: 'FULFILLED', attempts: 5, done: true });
		expect(getsOf(emu, path).map((get) => get.status)).toEqual([404, 404, 404, 200, 200]);
	});

	it('fails the item as notFound once the grace period is over', async () => {
		const { path, item } = analyticsJob('never-visible');
		emu.jobs.script(path, { polls: [{ httpStatus: 404 }] });
		const graceMs = 150;
		const { completed, failed } = await runWait(emu, { options: { notFoundGracePeriod: graceMs / 1000 } }, [item]);
		expect(completed).toHaveLength(0);
		const json = failed[0].json;
		expect(json).toMatchObject({ status: 'notFound', done: false, succeeded: false, job: null });
		expect(json.error).toMatchObject({ httpStatus: 404, code: 'not.found' });
		expect(typeof (json.error as { correlationId?: unknown }).correlationId).toBe('string');
		expect((json.error as { message: string }).message).toMatch(/grace period/);
		expect(json.elapsedMs).toBeGreaterThan(graceMs);
		expect(json.attempts).toBe(emu.jobs.pollCount(path));
	});
});

describe('poll count', () => {
	it('a job finishing after N seconds costs no more status requests than the backoff allows', async () => {
		const { path, item } = analyticsJob('finishes-later');
		const finishMs = 1_500;
		const scriptedAt = Date.now();
		emu.jobs.script(path, {
			timeline: [
				{ atMs: 0, body: { state: 'QUEUED' } },
				{ atMs: 300, body: { state: 'PENDING' } },
				{ atMs: finishMs, body: { state: 'FULFILLED' } },
			],
		});
		const settings = { pollInterval: 0.05, maxInterval: 0.4 };
		const { completed } = await runWait(emu, settings, [item]);
		expect(completed[0].json).toMatchObject({ status: 'FULFILLED' });
		const polls = emu.jobs.pollCount(path);
		expect(completed[0].json.attempts).toBe(polls);
		const bound = pollBound(finishMs, { ...DEFAULT_BACKOFF, pollIntervalMs: 50, maxIntervalMs: 400 });
		expect(polls).toBeLessThanOrEqual(bound);
		// It polled while the job ran: a first poll that came before the job finished saw it running, so
		// another one followed (the first poll's time depends on the machine, the relation does not).
		const gets = getsOf(emu, path);
		if (gets[0].at < scriptedAt + finishMs) expect(polls).toBeGreaterThanOrEqual(2);
		expect(gets.every((get) => get.status === 200)).toBe(true);
	});
});

describe('per-item errors', () => {
	it('puts a 403 on the Failed output with Genesys details, and the other items still complete', async () => {
		const denied = analyticsJob('denied');
		const fine = analyticsJob('fine');
		emu.jobs.script(denied.path, { polls: [{ httpStatus: 403 }] });
		emu.jobs.script(fine.path, { polls: [{ body: { state: 'PENDING' } }, { body: { state: 'FULFILLED' } }] });
		const { result, completed, failed } = await runWait(emu, {}, [denied.item, fine.item]);

		expect(result.status).toBe('success');
		expect(completed.map((item) => item.json.jobId)).toEqual(['fine']);
		expect(completed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].pairedItem).toEqual({ item: 0 });
		expect(failed[0].json).toMatchObject({ jobId: 'denied', status: 'error', done: false, succeeded: false, attempts: 1 });
		const error = failed[0].json.error as Record<string, unknown>;
		expect(error).toMatchObject({ httpStatus: 403, code: 'not.authorized' });
		expect(typeof error.message).toBe('string');
		const correlation = emu.requests.find((request) => request.path === denied.path)?.correlationId;
		expect(error.correlationId).toBe(correlation);
		// A 403 is not retried.
		expect(emu.jobs.pollCount(denied.path)).toBe(1);
	});

	it('keeps polling through 429s, which the transport waits out', async () => {
		const { path, item } = analyticsJob('throttled');
		emu.jobs.script(path, {
			polls: [{ body: { state: 'QUEUED' } }, { body: { state: 'PENDING' } }, { body: { state: 'FULFILLED' } }],
		});
		emu.setFaults({ rate429: 0.8, retryAfterSec: 0.02, pathFilter: `^${path}$` });
		const { completed } = await runWait(emu, {}, [item]);
		expect(completed[0].json).toMatchObject({ status: 'FULFILLED', attempts: 3 });
		const answers = emu.requests.filter((request) => request.path === path);
		expect(answers.filter((request) => request.status === 429).length).toBeGreaterThan(0);
		expect(answers.filter((request) => request.status === 200)).toHaveLength(3);
	});
});

describe('concurrency', () => {
	function script(prefix: string, count: number): Array<{ json: { jobId: string } }> {
		return Array.from({ length: count }, (_, i) => {
			const { path, item } = analyticsJob(`${prefix}-${i}`);
			emu.jobs.script(path, {
				polls: [{ body: { state: 'QUEUED' } }, { body: { state: 'PENDING' } }, { body: { state: 'FULFILLED' } }],
			});
			return item;
		});
	}

	function firstAndLastSeq(prefix: string, count: number): { firsts: number[]; lasts: number[] } {
		const firsts: number[] = [];
		const lasts: number[] = [];
		for (let i = 0; i < count; i++) {
			const gets = getsOf(emu, `${ANALYTICS}/${prefix}-${i}`);
			firsts.push(gets[0].seq);
			lasts.push(gets[gets.length - 1].seq);
		}
		return { firsts, lasts };
	}

	it('waits on many jobs at once: every job is polled before any finishes', async () => {
		const items = script('together', 30);
		const { completed } = await runWait(emu, {}, items);
		expect(completed).toHaveLength(30);
		expect(completed.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		const { firsts, lasts } = firstAndLastSeq('together', 30);
		expect(Math.max(...firsts)).toBeLessThan(Math.min(...lasts));
	});

	it('honours the concurrency option: one at a time polls the jobs one after the other', async () => {
		const items = script('one-by-one', 8);
		const { completed } = await runWait(emu, { options: { concurrency: 1 } }, items);
		expect(completed).toHaveLength(8);
		const { firsts, lasts } = firstAndLastSeq('one-by-one', 8);
		for (let i = 1; i < 8; i++) expect(firsts[i]).toBeGreaterThan(lasts[i - 1]);
	});
});

describe('cancellation', () => {
	it('stops the wait promptly when the execution is cancelled', async () => {
		const { path, item } = analyticsJob('cancelled');
		emu.jobs.script(path, { polls: [{ body: { state: 'PENDING' } }] });
		const controller = new AbortController();
		// Cancel once the node is polling (however long the engine took to get there).
		const watcher = setInterval(() => {
			if (emu.jobs.pollCount(path) === 0) return;
			clearInterval(watcher);
			controller.abort();
		}, 5);
		const started = Date.now();
		const { result } = await runWait(emu, { timeout: 60 }, [item], { signal: controller.signal, cancelGraceMs: 2_000 });
		clearInterval(watcher);

		expect(result.status).toBe('canceled');
		// Far from the 60 s timeout (generous, for a busy machine): the wait did not run on after the cancel.
		expect(Date.now() - started).toBeLessThan(30_000);
		const polls = emu.jobs.pollCount(path);
		expect(polls).toBeGreaterThan(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(emu.jobs.pollCount(path)).toBe(polls);
	});
});
