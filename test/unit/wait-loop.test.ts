import type { RequestOptions } from '../../nodes/GenesysCloud/transport';
import { SEARCH_BATCH_VALUES } from '../../nodes/GenesysCloud/userSearch';
import type { GenesysApi } from '../../nodes/GenesysCloud/genesysApi';
import type { UserSearchRequest } from '../../nodes/GenesysCloud/userSearch';
import type { StatusRule } from '../../nodes/GenesysCloudWaitForJob/jobKinds';
import type { BackoffSettings } from '../../nodes/GenesysCloudWaitForJob/poll';
import { DEFAULT_BACKOFF, pollBound } from '../../nodes/GenesysCloudWaitForJob/poll';
import { userRefsOf, waitUntilSearchable } from '../../nodes/GenesysCloudWaitForJob/usersSearchable';
import type { WaitClock } from '../../nodes/GenesysCloudWaitForJob/waitForJob';
import { waitForJob } from '../../nodes/GenesysCloudWaitForJob/waitForJob';

/** Virtual time: sleeping moves the clock; an aborted signal rejects like n8n's sleep does. */
function virtualClock(random = 0.5): WaitClock & { sleeps: number[] } {
	let now = 0;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		random: () => random,
		sleep: async (ms, signal) => {
			if (signal?.aborted) throw new Error('cancelled');
			sleeps.push(ms);
			now += ms;
		},
	};
}

class NotFound extends Error {}

const rule: StatusRule = {
	field: 'state',
	success: ['FULFILLED'],
	failure: ['FAILED'],
	running: ['QUEUED', 'PENDING'],
};
const isNotFound = (error: unknown): boolean => error instanceof NotFound;

/** A job seen through time: 404 until `visibleAt`, PENDING until `doneAt`, then `final`. */
function job(clock: WaitClock, doneAt: number, final = 'FULFILLED', visibleAt = 0): () => Promise<unknown> {
	return async () => {
		if (clock.now() < visibleAt) throw new NotFound('404');
		return { state: clock.now() >= doneAt ? final : 'PENDING' };
	};
}

const settings = { backoff: DEFAULT_BACKOFF, timeoutMs: 30 * 60_000, notFoundGraceMs: 30_000 };

describe('waitForJob', () => {
	it('succeeds with at most pollBound requests, whatever the jitter', async () => {
		for (const random of [0, 0.3, 0.99]) {
			const clock = virtualClock(random);
			const outcome = await waitForJob(job(clock, 95_000), isNotFound, rule, settings, clock);
			expect(outcome).toMatchObject({ result: 'succeeded', status: 'FULFILLED', job: { state: 'FULFILLED' } });
			expect(outcome.attempts).toBeLessThanOrEqual(pollBound(95_000, DEFAULT_BACKOFF));
			expect(outcome.elapsedMs).toBeGreaterThanOrEqual(95_000);
			expect(clock.sleeps[0]).toBeCloseTo(DEFAULT_BACKOFF.pollIntervalMs * (1 + 0.4 * (random - 0.5)));
		}
	});

	it('reports a failed job with its status', async () => {
		const clock = virtualClock();
		const outcome = await waitForJob(job(clock, 5_000, 'FAILED'), isNotFound, rule, settings, clock);
		expect(outcome).toMatchObject({ result: 'failed', status: 'FAILED' });
	});

	it('times out exactly at the deadline with the last status, after a final poll', async () => {
		const clock = virtualClock();
		const timeoutMs = 100_000;
		let polls = 0;
		const outcome = await waitForJob(
			async () => {
				polls++;
				return { state: 'PENDING' };
			},
			isNotFound,
			rule,
			{ ...settings, timeoutMs },
			clock,
		);
		expect(outcome).toMatchObject({ result: 'timedOut', status: 'PENDING' });
		expect(outcome.elapsedMs).toBe(timeoutMs);
		expect(outcome.attempts).toBe(polls);
		expect(polls).toBeLessThanOrEqual(pollBound(timeoutMs, DEFAULT_BACKOFF));
	});

	it('waits through 404s within the grace period', async () => {
		const clock = virtualClock();
		const outcome = await waitForJob(job(clock, 20_000, 'FULFILLED', 12_000), isNotFound, rule, settings, clock);
		expect(outcome.result).toBe('succeeded');
	});

	it('fails with notFound when the 404s outlast the grace period', async () => {
		const clock = virtualClock();
		const outcome = await waitForJob(job(clock, 0, 'FULFILLED', Infinity), isNotFound, rule, settings, clock);
		expect(outcome.result).toBe('notFound');
		expect(outcome.error).toBeInstanceOf(NotFound);
		expect(outcome.elapsedMs).toBeGreaterThan(settings.notFoundGraceMs);
		expect(outcome.elapsedMs).toBeLessThanOrEqual(settings.notFoundGraceMs + DEFAULT_BACKOFF.maxIntervalMs);
	});

	it('ends the item on any other error, keeping what it saw', async () => {
		const clock = virtualClock();
		let polls = 0;
		const forbidden = new Error('403');
		const outcome = await waitForJob(
			async () => {
				polls++;
				if (polls === 3) throw forbidden;
				return { state: 'QUEUED' };
			},
			isNotFound,
			rule,
			settings,
			clock,
		);
		expect(outcome).toMatchObject({ result: 'error', status: 'QUEUED', attempts: 3, job: { state: 'QUEUED' } });
		expect(outcome.error).toBe(forbidden);
	});

	it('stops as soon as the signal aborts', async () => {
		const clock = virtualClock();
		const controller = new AbortController();
		let polls = 0;
		await expect(
			waitForJob(
				async () => {
					polls++;
					if (polls === 2) controller.abort();
					return { state: 'PENDING' };
				},
				isNotFound,
				rule,
				settings,
				clock,
				controller.signal,
			),
		).rejects.toThrow('cancelled');
		expect(polls).toBe(2);
	});
});

describe('userRefsOf', () => {
	it('reads ids, emails, arrays and Bulk Create Users items', () => {
		expect(userRefsOf('a@x.io, 1234;B@x.io  a@X.io')).toEqual([
			{ field: 'email', value: 'a@x.io', key: 'a@x.io' },
			{ field: 'id', value: '1234', key: '1234' },
			{ field: 'email', value: 'B@x.io', key: 'b@x.io' },
		]);
		expect(userRefsOf([{ userId: 'u1', email: 'e@x.io' }, { email: 'f@x.io' }, 'u2'])).toEqual([
			{ field: 'id', value: 'u1', key: 'u1' },
			{ field: 'email', value: 'f@x.io', key: 'f@x.io' },
			{ field: 'id', value: 'u2', key: 'u2' },
		]);
		expect(userRefsOf(undefined)).toEqual([]);
		expect(userRefsOf('')).toEqual([]);
	});
});

describe('waitUntilSearchable', () => {
	const fast: BackoffSettings = { ...DEFAULT_BACKOFF, pollIntervalMs: 1_000, maxIntervalMs: 4_000 };

	/** The client as the search sees it: every request must be a resendable POST /api/v2/users/search. */
	function searchApi(search: (body: UserSearchRequest) => Promise<unknown>): GenesysApi {
		return {
			request: async <T>(options: RequestOptions): Promise<T> => {
				expect(options).toMatchObject({ method: 'POST', path: '/api/v2/users/search', idempotent: true });
				return (await search(options.body as UserSearchRequest)) as T;
			},
		};
	}

	/** A search index where user n becomes visible at n seconds. */
	function index(clock: WaitClock, count: number) {
		const bodies: UserSearchRequest[] = [];
		const users = Array.from({ length: count }, (_, n) => ({ id: `id-${n}`, email: `user${n}@example.com`, visibleAt: n * 1000 }));
		const search = async (body: UserSearchRequest): Promise<unknown> => {
			bodies.push(body);
			const [criterion, state] = body.query;
			expect(state).toEqual({ type: 'EXACT', fields: ['state'], values: ['active', 'inactive'] });
			const field = criterion.fields[0] as 'id' | 'email';
			const wanted = new Set(criterion.values);
			const results = users
				.filter((user) => user.visibleAt <= clock.now() && wanted.has(user[field]))
				.map(({ id, email }) => ({ id, email }));
			return { results, pageCount: 1, total: results.length };
		};
		return { bodies, search, users };
	}

	it('finishes each item when its users are all found, batching the values of every item', async () => {
		const clock = virtualClock();
		const { bodies, search } = index(clock, 150);
		const items = [
			{ itemIndex: 0, refs: userRefsOf('user1@example.com') },
			{ itemIndex: 1, refs: userRefsOf(Array.from({ length: 150 }, (_, n) => `user${n}@example.com`)) },
			{ itemIndex: 2, refs: userRefsOf('id-20, user3@example.com') },
		];
		const outcomes = await waitUntilSearchable(items, searchApi(search), { backoff: fast, timeoutMs: 600_000 }, clock, 4);
		expect(outcomes.map((outcome) => outcome.result)).toEqual(['succeeded', 'succeeded', 'succeeded']);
		expect(outcomes[0].users.map((user) => user.id)).toEqual(['id-1']);
		expect(outcomes[2].users.map((user) => user.id)).toEqual(['id-20', 'id-3']);
		expect(outcomes[1].users).toHaveLength(150);
		expect(outcomes[0].attempts).toBeLessThan(outcomes[1].attempts);
		expect(outcomes[1].elapsedMs).toBeGreaterThanOrEqual(149_000);
		// One search per round while 150 users are pending: the items' values go out together.
		for (const body of bodies) expect(body.query[0].values.length).toBeLessThanOrEqual(SEARCH_BATCH_VALUES);
		expect(Math.max(...bodies.map((body) => body.query[0].values.length))).toBe(150);
		// Users already found are not searched again.
		const searchedLast = bodies[bodies.length - 1].query[0].values;
		expect(searchedLast).not.toContain('user1@example.com');
	});

	it('times out with the users still missing', async () => {
		const clock = virtualClock();
		const { search } = index(clock, 3);
		const outcomes = await waitUntilSearchable(
			[{ itemIndex: 4, refs: userRefsOf('user0@example.com, ghost@example.com') }],
			searchApi(search),
			{ backoff: fast, timeoutMs: 10_000 },
			clock,
			2,
		);
		expect(outcomes).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({ itemIndex: 4, result: 'timedOut', missing: ['ghost@example.com'] });
		expect(outcomes[0].users.map((user) => user.id)).toEqual(['id-0']);
		expect(outcomes[0].elapsedMs).toBe(10_000);
	});

	it('fails only the items whose search failed', async () => {
		const clock = virtualClock();
		const { search } = index(clock, 3);
		const broken = new Error('403');
		const outcomes = await waitUntilSearchable(
			[
				{ itemIndex: 0, refs: userRefsOf('user0@example.com') },
				{ itemIndex: 1, refs: userRefsOf('id-2') },
			],
			searchApi(async (body) => {
				if (body.query[0].fields[0] === 'id') throw broken;
				return await search(body);
			}),
			{ backoff: fast, timeoutMs: 60_000 },
			clock,
			2,
		);
		expect(outcomes[0].result).toBe('succeeded');
		expect(outcomes[1]).toMatchObject({ result: 'error', missing: ['id-2'] });
		expect(outcomes[1].error).toBe(broken);
	});
});
