import type { StatusRule } from '../../nodes/GenesysCloudWaitForJob/jobKinds';
import type { BackoffSettings } from '../../nodes/GenesysCloudWaitForJob/poll';
import {
	classifyStatus,
	COMPLETE_WITHOUT_STATUS,
	DEFAULT_BACKOFF,
	isSilentStatus,
	judgePoll,
	nextDelay,
	parseValueList,
	pollBound,
	readField,
} from '../../nodes/GenesysCloudWaitForJob/poll';

/** Deterministic [0, 1) sequence (mulberry32). */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Poll times of one schedule, until the first poll at or after `finishMs`. */
function schedule(finishMs: number, settings: BackoffSettings, random: () => number): number[] {
	const times: number[] = [];
	let now = 0;
	do {
		now += nextDelay(times.length, settings, random());
		times.push(now);
	} while (now < finishMs);
	return times;
}

describe('nextDelay', () => {
	const settings = DEFAULT_BACKOFF;

	it('waits pollInterval first (mid jitter) and stays within the jitter band', () => {
		expect(nextDelay(0, settings, 0.5)).toBeCloseTo(settings.pollIntervalMs);
		expect(nextDelay(0, settings, 0)).toBeCloseTo(settings.pollIntervalMs * (1 - settings.jitter));
		expect(nextDelay(0, settings, 0.999999)).toBeCloseTo(settings.pollIntervalMs * (1 + settings.jitter), 0);
	});

	it('grows by the factor per attempt', () => {
		for (let attempt = 0; attempt < 5; attempt++) {
			const ratio = nextDelay(attempt + 1, settings, 0.5) / nextDelay(attempt, settings, 0.5);
			if (nextDelay(attempt + 1, settings, 0.5) < settings.maxIntervalMs) expect(ratio).toBeCloseTo(settings.factor);
		}
	});

	it('never exceeds maxInterval, whatever the jitter or attempt', () => {
		const random = seeded(7);
		for (let attempt = 0; attempt < 2000; attempt += 7) {
			expect(nextDelay(attempt, settings, random())).toBeLessThanOrEqual(settings.maxIntervalMs);
		}
		expect(nextDelay(10_000, settings, 1)).toBe(settings.maxIntervalMs);
	});

	it('treats a maxInterval below pollInterval as pollInterval and clamps odd randoms', () => {
		const odd: BackoffSettings = { ...settings, pollIntervalMs: 500, maxIntervalMs: 100 };
		expect(nextDelay(3, odd, 0.5)).toBe(500);
		expect(nextDelay(0, settings, Number.NaN)).toBeCloseTo(settings.pollIntervalMs * (1 - settings.jitter));
		expect(nextDelay(0, settings, 5)).toBeLessThanOrEqual(settings.pollIntervalMs * (1 + settings.jitter));
	});
});

describe('poll budget with default settings', () => {
	it('a 10-minute job needs at most 40 status requests', () => {
		expect(pollBound(10 * 60_000, DEFAULT_BACKOFF)).toBeLessThanOrEqual(40);
		for (let seed = 1; seed <= 50; seed++) {
			expect(schedule(10 * 60_000, DEFAULT_BACKOFF, seeded(seed)).length).toBeLessThanOrEqual(40);
		}
	});

	it('pollBound is never exceeded by a jittered schedule', () => {
		for (const finish of [1, 1_500, 5_000, 42_000, 180_000, 3_600_000]) {
			const bound = pollBound(finish, DEFAULT_BACKOFF);
			for (let seed = 1; seed <= 30; seed++) {
				expect(schedule(finish, DEFAULT_BACKOFF, seeded(seed)).length).toBeLessThanOrEqual(bound);
			}
		}
	});

	it('a job that finishes after a few seconds is noticed within about one interval', () => {
		for (const finish of [1_000, 2_500, 4_000, 5_000, 9_000, 60_000]) {
			for (let seed = 1; seed <= 30; seed++) {
				const times = schedule(finish, DEFAULT_BACKOFF, seeded(seed));
				const seenAt = times[times.length - 1];
				// The lag is at most the longest wait the schedule allows at that point.
				expect(seenAt - finish).toBeLessThanOrEqual(nextDelay(times.length - 1, DEFAULT_BACKOFF, 1));
				if (finish <= 5_000) expect(seenAt - finish).toBeLessThanOrEqual(6_000);
			}
		}
	});

	it('scales with compressed settings the way tests use them', () => {
		const fast: BackoffSettings = { ...DEFAULT_BACKOFF, pollIntervalMs: 20, maxIntervalMs: 100 };
		expect(pollBound(1_000, fast)).toBeGreaterThan(pollBound(200, fast));
		expect(pollBound(0, fast)).toBe(1);
	});
});

describe('classifyStatus', () => {
	const rule: StatusRule = {
		field: 'state',
		success: ['FULFILLED'],
		failure: ['FAILED', 'CANCELLED', 'EXPIRED'],
		running: ['QUEUED', 'PENDING'],
	};

	it('maps success, failure and running values', () => {
		expect(classifyStatus({ state: 'FULFILLED' }, rule)).toEqual({ state: 'succeeded', status: 'FULFILLED' });
		expect(classifyStatus({ state: 'EXPIRED' }, rule)).toEqual({ state: 'failed', status: 'EXPIRED' });
		expect(classifyStatus({ state: 'PENDING' }, rule)).toEqual({ state: 'running', status: 'PENDING' });
	});

	it('counts unknown and missing values as still running', () => {
		expect(classifyStatus({ state: 'SOMETHING_NEW' }, rule)).toEqual({ state: 'running', status: 'SOMETHING_NEW' });
		expect(classifyStatus({}, rule)).toEqual({ state: 'running', status: null });
		expect(classifyStatus(undefined, rule)).toEqual({ state: 'running', status: null });
		expect(classifyStatus({ state: '' }, rule)).toEqual({ state: 'running', status: null });
		expect(classifyStatus({ state: { nested: true } }, rule)).toEqual({ state: 'running', status: null });
	});

	it('compares case-insensitively and keeps the value as sent', () => {
		expect(classifyStatus({ state: 'fulfilled' }, rule)).toEqual({ state: 'succeeded', status: 'fulfilled' });
	});

	it('reads nested paths and non-string values', () => {
		const nested: StatusRule = { field: 'result.job.phase', success: ['3'], failure: ['false'], running: [] };
		expect(classifyStatus({ result: { job: { phase: 3 } } }, nested).state).toBe('succeeded');
		expect(classifyStatus({ result: { job: { phase: false } } }, nested).state).toBe('failed');
		expect(classifyStatus({ result: { job: null } }, nested).state).toBe('running');
		expect(readField({ a: [{ b: 'x' }] }, 'a.0.b')).toBe('x');
	});

	it('treats "no state and 100%" as success for outbound imports', () => {
		const outbound: StatusRule = {
			field: 'state',
			success: [],
			failure: ['FAILED'],
			running: ['IN_PROGRESS'],
			absentMeansDone: { progressField: 'percentComplete', completeAt: 100 },
		};
		expect(classifyStatus({ percentComplete: 100, totalRecords: 3 }, outbound)).toEqual({
			state: 'succeeded',
			status: COMPLETE_WITHOUT_STATUS,
		});
		expect(classifyStatus({ percentComplete: 40 }, outbound)).toEqual({ state: 'running', status: null });
		expect(classifyStatus({ state: 'IN_PROGRESS', percentComplete: 100 }, outbound).state).toBe('running');
		expect(classifyStatus({ state: 'FAILED', percentComplete: 100 }, outbound).state).toBe('failed');
	});

	it('a silent import status succeeds on exactly the expected contact count, and only when silent', () => {
		const counted: StatusRule = {
			field: 'state',
			success: [],
			failure: ['FAILED'],
			running: ['IN_PROGRESS'],
			absentMeansDone: { progressField: 'percentComplete', completeAt: 100, count: { field: 'contactsCount', expected: 12 } },
		};
		expect(classifyStatus({ percentComplete: 0, contactsCount: 12 }, counted)).toEqual({
			state: 'succeeded',
			status: COMPLETE_WITHOUT_STATUS,
		});
		expect(classifyStatus({ percentComplete: 0, contactsCount: 11 }, counted).state).toBe('running');
		expect(classifyStatus({ percentComplete: 0, contactsCount: 13 }, counted).state).toBe('running');
		expect(classifyStatus({ state: 'IN_PROGRESS', percentComplete: 5, contactsCount: 12 }, counted).state).toBe('running');
		expect(isSilentStatus({ percentComplete: 0 }, counted)).toBe(true);
		expect(isSilentStatus({}, counted)).toBe(true);
		expect(isSilentStatus({ percentComplete: 100 }, counted)).toBe(false);
		expect(isSilentStatus({ state: 'IN_PROGRESS', percentComplete: 5 }, counted)).toBe(false);
		expect(isSilentStatus({ state: 'FAILED' }, counted)).toBe(false);
	});
});

describe('judgePoll', () => {
	const rule: StatusRule = { field: 'status', success: ['Succeeded'], failure: ['Failed'], running: ['Processing'] };
	const early = { elapsedMs: 1_000, notFoundGraceMs: 30_000, deadlineReached: false };

	it('keeps waiting on a 404 within the grace period, fails it afterwards', () => {
		expect(judgePoll({ found: false }, rule, early).done).toBe(false);
		expect(judgePoll({ found: false }, rule, { ...early, elapsedMs: 30_001 })).toMatchObject({
			done: true,
			result: 'notFound',
		});
	});

	it('times out only when no time is left and the job is still running', () => {
		const late = { ...early, deadlineReached: true };
		expect(judgePoll({ found: true, body: { status: 'Processing' } }, rule, late)).toEqual({
			done: true,
			result: 'timedOut',
			status: 'Processing',
		});
		expect(judgePoll({ found: true, body: { status: 'Succeeded' } }, rule, late)).toMatchObject({ result: 'succeeded' });
		expect(judgePoll({ found: false }, rule, late)).toMatchObject({ result: 'timedOut' });
	});

	it('ends on success and failure', () => {
		expect(judgePoll({ found: true, body: { status: 'Failed' } }, rule, early)).toEqual({
			done: true,
			result: 'failed',
			status: 'Failed',
		});
		expect(judgePoll({ found: true, body: { status: 'Processing' } }, rule, early)).toEqual({
			done: false,
			status: 'Processing',
		});
	});
});

describe('parseValueList', () => {
	it('splits, trims and drops empty entries', () => {
		expect(parseValueList(' Completed, Succeeded ,, ')).toEqual(['Completed', 'Succeeded']);
		expect(parseValueList('')).toEqual([]);
	});
});
