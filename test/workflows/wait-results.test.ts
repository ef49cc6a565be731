/**
 * fetchResults: every page of a finished job's results, by cursor, by nextUri and inline, bounded by maxResults.
 */
import type { Emulator } from '../emulator';
import { getsOf, runWait, startWaitEmulator } from './wait-support';

let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator();
});

afterAll(async () => {
	await emu.close();
});

const USER_DETAILS = '/api/v2/analytics/users/details/jobs';

function userDetailsJob(jobId: string, pageSizes: number[]): { statusPath: string; resultsPath: string; all: string[] } {
	const statusPath = `${USER_DETAILS}/${jobId}`;
	const resultsPath = `${statusPath}/results`;
	emu.jobs.script(statusPath, { polls: [{ body: { state: 'PENDING' } }, { body: { state: 'FULFILLED' } }] });
	let next = 0;
	const pages = pageSizes.map((size) => ({
		userDetails: Array.from({ length: size }, () => ({ userId: `user-${next++}` })),
		dataAvailabilityDate: '2026-01-01T00:00:00.000Z',
	}));
	emu.jobs.pages(resultsPath, pages);
	return { statusPath, resultsPath, all: pages.flatMap((page) => page.userDetails.map((detail) => detail.userId)) };
}

describe('cursor paging', () => {
	it('gathers every page of an analytics job', async () => {
		const job = userDetailsJob('with-results', [3, 3, 2]);
		const { completed } = await runWait(emu, { jobType: 'analyticsUserDetails', fetchResults: true }, [
			{ json: { jobId: 'with-results' } },
		]);
		expect(completed).toHaveLength(1);
		const json = completed[0].json;
		expect(json).toMatchObject({ status: 'FULFILLED', succeeded: true, resultsTruncated: false });
		expect((json.results as Array<{ userId: string }>).map((detail) => detail.userId)).toEqual(job.all);
		const gets = emu.requests.filter((request) => request.path === job.resultsPath);
		expect(gets).toHaveLength(3);
		expect(gets[0].query).toEqual({ pageSize: '1000' });
		expect(gets.slice(1).every((request) => typeof request.query.cursor === 'string')).toBe(true);
	});

	it('stops at maxResults and says the results were cut', async () => {
		const job = userDetailsJob('many-results', [3, 3, 3, 3]);
		const { completed } = await runWait(emu, { jobType: 'analyticsUserDetails', fetchResults: true, maxResults: 5 }, [
			{ json: { jobId: 'many-results' } },
		]);
		const json = completed[0].json;
		expect(json.results).toHaveLength(5);
		expect(json.resultsTruncated).toBe(true);
		expect((json.results as Array<{ userId: string }>).map((detail) => detail.userId)).toEqual(job.all.slice(0, 5));
		expect(getsOf(emu, job.resultsPath)).toHaveLength(2);
	});

	it('reads no results unless asked', async () => {
		const job = userDetailsJob('no-fetch', [2]);
		const { completed } = await runWait(emu, { jobType: 'analyticsUserDetails' }, [{ json: { jobId: 'no-fetch' } }]);
		expect(completed[0].json.results).toBeUndefined();
		expect(getsOf(emu, job.resultsPath)).toHaveLength(0);
	});

	it('pages aggregates results of the chosen family', async () => {
		const statusPath = '/api/v2/analytics/flows/aggregates/jobs/agg-1';
		emu.jobs.script(statusPath, { polls: [{ body: { state: 'FULFILLED' } }] });
		emu.jobs.pages(`${statusPath}/results`, [{ results: [{ group: { flowId: 'a' } }] }, { results: [{ group: { flowId: 'b' } }] }]);
		const { completed } = await runWait(
			emu,
			{ jobType: 'analyticsAggregates', aggregatesFamily: 'flows', fetchResults: true },
			[{ json: { jobId: 'agg-1' } }],
		);
		expect(completed[0].json.results).toEqual([{ group: { flowId: 'a' } }, { group: { flowId: 'b' } }]);
		// Aggregates results take only a cursor (see wait-realorg for the endpoint that refuses a pageSize).
		expect(emu.requests.filter((request) => request.path === `${statusPath}/results`).map((request) => request.query)).toEqual([
			{},
			{ cursor: expect.any(String) },
		]);
	});

	it('a job that succeeded but whose results cannot be read goes to Failed with the reason', async () => {
		emu.jobs.script(`${USER_DETAILS}/results-gone`, { polls: [{ body: { state: 'FULFILLED' } }] });
		const { completed, failed } = await runWait(emu, { jobType: 'analyticsUserDetails', fetchResults: true }, [
			{ json: { jobId: 'results-gone' } },
		]);
		expect(completed).toHaveLength(0);
		expect(failed[0].json).toMatchObject({ status: 'FULFILLED', done: true, succeeded: false, error: { httpStatus: 404 } });
		expect((failed[0].json.error as { message: string }).message).toMatch(/succeeded, but reading its results failed/);
	});
});

describe('results in the job body', () => {
	it('usage aggregates: the entities of the final status, then every nextUri page', async () => {
		const statusPath = '/api/v2/usage/aggregates/query/jobs/usage-1';
		const page2 = '/api/v2/usage/aggregates/query/jobs/usage-1/pages/2';
		const page3 = '/api/v2/usage/aggregates/query/jobs/usage-1/pages/3';
		emu.jobs.script(statusPath, {
			polls: [
				{ body: { queryStatus: 'Running' } },
				{ body: { queryStatus: 'Succeeded', entities: [{ n: 1 }, { n: 2 }], nextUri: `${page2}?pageSize=2&after=x1` } },
			],
		});
		emu.jobs.pages(page2, [{ entities: [{ n: 3 }, { n: 4 }], nextUri: `https://elsewhere.example${page3}?after=x2` }]);
		emu.jobs.pages(page3, [{ entities: [{ n: 5 }] }]);
		const { completed } = await runWait(emu, { jobType: 'usageAggregates', fetchResults: true }, [{ json: { id: 'usage-1' } }]);
		expect(completed[0].json.results).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
		expect(completed[0].json.resultsTruncated).toBe(false);
		expect(emu.requests.find((request) => request.path === page2)?.query).toEqual({ pageSize: '2', after: 'x1' });
		// The host named by nextUri is ignored: the page was asked of the credential's own API host.
		expect(getsOf(emu, page3)).toHaveLength(1);
	});

	it('legacy usage query: the rows come with the final status', async () => {
		const statusPath = '/api/v2/usage/query/exec-1/results';
		emu.jobs.script(statusPath, {
			polls: [{ body: { queryStatus: 'Running' } }, { body: { queryStatus: 'Complete', results: [{ requests: 4 }] } }],
		});
		const { completed } = await runWait(emu, { jobType: 'usageQuery', fetchResults: true }, [{ json: { executionId: 'exec-1' } }]);
		expect(completed[0].json).toMatchObject({ status: 'Complete', results: [{ requests: 4 }], resultsTruncated: false });
	});
});
