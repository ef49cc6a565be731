/**
 * Wait for Job against jobs the emulator runs the way a real org does: usage simple search results paged by
 * `after` (at most 20,000 rows), aggregates results that take only a cursor, and outbound contact-list
 * imports whose status never moves for a small upload.
 */
import { DEFAULT_IDS, type Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import { CLIENT, getsOf, runWait, startWaitEmulator } from './wait-support';

const [LIST, OTHER_LIST] = DEFAULT_IDS.contactLists;

async function clientFor(emu: Emulator): Promise<TestClient> {
	return await new TestClient(emu.url, CLIENT).login();
}

describe('usage simple search results', () => {
	let emu: Emulator;

	afterEach(async () => {
		await emu.close();
	});

	async function startSearch(rowCount: number): Promise<{ executionId: string; resultsPath: string }> {
		// The search is done at once: the wait itself is what is under test, not a timeline.
		emu = await startWaitEmulator({ usage: { completeAfterMs: 0, rowCount, pageSize: 100 } });
		const { body } = await (await clientFor(emu)).post('/api/v2/usage/simplesearch', { interval: '2026-01-01T00:00:00Z/P1D' });
		return { executionId: body.executionId, resultsPath: body.resultsUri };
	}

	const simpleSearch = { jobType: 'usageQuery', usageQueryScope: 'simpleSearch', fetchResults: true };

	it('reads every page after the final status, 1000 rows at a time, and says nothing was cut', async () => {
		const { executionId, resultsPath } = await startSearch(2_500);
		const { completed } = await runWait(emu, simpleSearch, [{ json: { executionId } }]);
		expect(completed).toHaveLength(1);
		expect(completed[0].json).toMatchObject({ status: 'Complete', succeeded: true, resultsTruncated: false });
		const rows = completed[0].json.results as unknown[];
		expect(rows).toHaveLength(2_500);
		expect(new Set(rows.map((row) => JSON.stringify(row))).size).toBe(2_500);
		const pageRequests = emu.requests.filter((request) => request.path === resultsPath && request.query.after !== undefined);
		expect(pageRequests.map((request) => request.query.pageSize)).toEqual(['1000', '1000', '1000']);
	});

	it('stops at maxResults and says the results were cut', async () => {
		const { executionId, resultsPath } = await startSearch(2_500);
		const { completed } = await runWait(emu, { ...simpleSearch, maxResults: 1_050 }, [{ json: { executionId } }]);
		expect(completed[0].json.results).toHaveLength(1_050);
		expect(completed[0].json.resultsTruncated).toBe(true);
		expect(emu.requests.filter((request) => request.path === resultsPath && request.query.after !== undefined)).toHaveLength(1);
	});

	it('20,000 rows is all Genesys serves: reaching them says truncated even without a next page', async () => {
		const { executionId } = await startSearch(20_500);
		const { completed } = await runWait(emu, { ...simpleSearch, maxResults: 25_000 }, [{ json: { executionId } }]);
		expect(completed[0].json.results).toHaveLength(20_000);
		expect(completed[0].json.resultsTruncated).toBe(true);
	});

	it('a search with fewer rows than one page reads no further page', async () => {
		const { executionId, resultsPath } = await startSearch(40);
		const { completed } = await runWait(emu, simpleSearch, [{ json: { executionId } }]);
		expect(completed[0].json).toMatchObject({ resultsTruncated: false });
		expect(completed[0].json.results).toHaveLength(40);
		expect(emu.requests.filter((request) => request.path === resultsPath && request.query.after !== undefined)).toHaveLength(0);
	});
});

describe('analytics aggregates results', () => {
	let emu: Emulator;

	beforeAll(async () => {
		emu = await startWaitEmulator({ job: { completeAfterMs: 0, resultCount: 25, pageSize: 10 } });
	});

	afterAll(async () => {
		await emu.close();
	});

	it('are read by cursor alone: the endpoint refuses a pageSize, and every row arrives', async () => {
		const { body } = await (await clientFor(emu)).post('/api/v2/analytics/surveys/aggregates/jobs', { interval: 'x/y' });
		const resultsPath = `/api/v2/analytics/surveys/aggregates/jobs/${body.jobId}/results`;
		const { completed, failed } = await runWait(
			emu,
			{ jobType: 'analyticsAggregates', aggregatesFamily: 'surveys', fetchResults: true },
			[{ json: { jobId: body.jobId } }],
		);
		expect(failed).toEqual([]);
		expect(completed[0].json).toMatchObject({ status: 'FULFILLED', resultsTruncated: false });
		expect(completed[0].json.results).toHaveLength(25);
		const gets = emu.requests.filter((request) => request.path === resultsPath);
		expect(gets.map((request) => request.status)).toEqual([200, 200, 200]);
		expect(gets.every((request) => request.query.pageSize === undefined)).toBe(true);
	});
});

describe('outbound contact-list import', () => {
	let emu: Emulator;

	beforeEach(async () => {
		emu = await startWaitEmulator({ smallImportRows: 100 });
	});

	afterEach(async () => {
		await emu.close();
	});

	const importWait = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		jobType: 'outboundContactListImport',
		...extra,
	});
	const searchPath = (list: string): string => `/api/v2/outbound/contactlists/${list}/contacts/search`;

	it('a small upload whose status never moves completes once the list holds the expected contacts', async () => {
		emu.outbound.importContacts(LIST, 12);
		const { completed } = await runWait(emu, importWait({ expectedContactCount: 12 }), [{ json: { contactListId: LIST } }]);
		expect(completed).toHaveLength(1);
		expect(completed[0].json).toMatchObject({
			status: 'complete',
			done: true,
			succeeded: true,
			job: { percentComplete: 0, contactsCount: 12 },
		});
		const searches = emu.requests.filter((request) => request.path === searchPath(LIST));
		expect(searches.length).toBeGreaterThanOrEqual(1);
		expect(searches.every((request) => request.method === 'POST' && request.status === 200)).toBe(true);
		expect(searches[0].body).toEqual({ pageNumber: 1, pageSize: 1 });
	});

	it('without an expected count the same upload waits for a status that never comes (timedOut)', async () => {
		emu.outbound.importContacts(LIST, 12);
		// A short timeout: the status never changes, so any timeout ends the same way.
		const { failed } = await runWait(emu, importWait({ timeout: 0.3 }), [{ json: { contactListId: LIST } }]);
		expect(failed[0].json).toMatchObject({ status: 'timedOut', done: false });
		expect(emu.requests.some((request) => request.path === searchPath(LIST))).toBe(false);
	});

	it('a count other than the expected one is not a success (terraform compares for equality)', async () => {
		emu.outbound.importContacts(LIST, 20);
		const { failed } = await runWait(emu, importWait({ expectedContactCount: 12, timeout: 0.3 }), [
			{ json: { contactListId: LIST } },
		]);
		expect(failed[0].json).toMatchObject({ status: 'timedOut', job: { contactsCount: 20 } });
	});

	it('a tracked import completes by its status; the contacts are not counted while it reports progress', async () => {
		// 200 ms of import against a 10 s timeout: ample on any machine.
		emu.outbound.importContacts(OTHER_LIST, 500, { durationMs: 200 });
		const { completed } = await runWait(emu, importWait({ expectedContactCount: 500 }), [{ json: { contactListId: OTHER_LIST } }]);
		expect(completed[0].json).toMatchObject({ status: 'complete', job: { percentComplete: 100 } });
		expect(emu.requests.some((request) => request.path === searchPath(OTHER_LIST))).toBe(false);
		expect(getsOf(emu, `/api/v2/outbound/contactlists/${OTHER_LIST}/importstatus`).length).toBeGreaterThanOrEqual(1);
	});

	it('a failed import goes to Failed with its reason', async () => {
		emu.outbound.importContacts(LIST, 300, { durationMs: 0, failureReason: 'Invalid column: phone' });
		const { failed } = await runWait(emu, importWait({ expectedContactCount: 300 }), [{ json: { contactListId: LIST } }]);
		expect(failed[0].json).toMatchObject({ status: 'FAILED', done: true, job: { failureReason: 'Invalid column: phone' } });
	});

	it('an expected count that is not a whole number is a configuration error naming the item', async () => {
		const { failed } = await runWait(
			emu,
			importWait({ expectedContactCount: '={{ $json.rows }}' }),
			[{ json: { contactListId: LIST, rows: 'twelve' } }],
			{ node: { continueOnFail: true } },
		);
		expect(failed[0].json).toMatchObject({ status: 'error', error: { message: expect.stringMatching(/Expected Contact Count "twelve".*item 0/) } });
	});
});
