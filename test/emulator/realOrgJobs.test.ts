/**
 * Job results and statuses as a real org serves them: usage simple search pages by `after` up to 20,000 rows,
 * aggregates results take only a cursor, and a small contact-list import never updates its status.
 */
import { DEFAULT_IDS, startEmulator, type Emulator } from './index';
import { TestClient } from './testClient';

const [LIST] = DEFAULT_IDS.contactLists;

function manualClock(start = Date.UTC(2026, 0, 5, 9)): { now: () => number; advance: (ms: number) => void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

describe('emulator: job results and statuses of a real org', () => {
	let emu: Emulator;
	let client: TestClient;
	const clock = manualClock();

	async function startAt(options: Parameters<typeof startEmulator>[0]): Promise<void> {
		await emu?.close();
		emu = await startEmulator({ now: clock.now, ...options });
		client = await new TestClient(emu.url).login();
	}

	afterAll(() => emu.close());

	describe('usage simple search', () => {
		const interval = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';

		test('Running until done, then pages chained by cursors.after; pageSize up to 1000', async () => {
			await startAt({ usage: { completeAfterMs: 5000, rowCount: 250, pageSize: 100 } });
			const started = await client.post('/api/v2/usage/simplesearch', { interval });
			expect(started.status).toBe(200);
			const { executionId, resultsUri } = started.body;
			expect(resultsUri).toBe(`/api/v2/usage/simplesearch/${executionId}/results`);
			expect((await client.get(resultsUri)).body).toEqual({ queryStatus: 'Running' });

			clock.advance(5000);
			const rows: unknown[] = [];
			let after: string | undefined;
			const pageLengths: number[] = [];
			do {
				const page = await client.get(after === undefined ? resultsUri : `${resultsUri}?after=${encodeURIComponent(after)}`);
				expect(page.body.queryStatus).toBe('Complete');
				rows.push(...page.body.results);
				pageLengths.push(page.body.results.length);
				after = page.body.cursors.after;
			} while (after !== undefined);
			expect(pageLengths).toEqual([100, 100, 50]);
			expect(new Set(rows.map((row) => JSON.stringify(row))).size).toBe(250);

			const big = await client.get(`${resultsUri}?pageSize=1000`);
			expect(big.body.results).toHaveLength(250);
			expect(big.body.cursors).toEqual({});
			expect((await client.get(`${resultsUri}?pageSize=1001`)).status).toBe(400);
			expect((await client.get(`${resultsUri}?after=not-a-cursor`)).status).toBe(400);
		});

		test('rows past 20,000 are never served', async () => {
			await startAt({ usage: { completeAfterMs: 0, rowCount: 20_500, pageSize: 1000 } });
			const { resultsUri } = (await client.post('/api/v2/usage/simplesearch', { interval })).body;
			let served = 0;
			let pages = 0;
			let after: string | undefined;
			do {
				const page = await client.get(`${resultsUri}?pageSize=1000${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`);
				served += page.body.results.length;
				pages++;
				after = page.body.cursors.after;
			} while (after !== undefined);
			expect(served).toBe(20_000);
			expect(pages).toBe(20);
		});

		test('the body is an ApiUsageSimpleSearch: interval required, unknown fields refused', async () => {
			await startAt({});
			expect((await client.post('/api/v2/usage/simplesearch', {})).status).toBe(400);
			expect((await client.post('/api/v2/usage/simplesearch', { interval, pageSize: 5 })).status).toBe(400);
			expect((await client.get('/api/v2/usage/simplesearch/unknown/results')).status).toBe(404);
		});
	});

	describe('analytics aggregates jobs', () => {
		test('results page by cursor alone; a pageSize is refused with 400 naming it', async () => {
			await startAt({ job: { completeAfterMs: 1000, resultCount: 25, pageSize: 10 } });
			const created = await client.post('/api/v2/analytics/flows/aggregates/jobs', { interval: '2026-01-01T00:00:00Z/P1D' });
			expect(created.status).toBe(202);
			const base = `/api/v2/analytics/flows/aggregates/jobs/${created.body.jobId}`;
			expect((await client.get(base)).body.state).toBe('QUEUED');
			clock.advance(1000);
			expect((await client.get(base)).body.state).toBe('FULFILLED');

			const refused = await client.get(`${base}/results?pageSize=1000`);
			expect(refused.status).toBe(400);
			expect(refused.body.details).toEqual([expect.objectContaining({ fieldName: 'pageSize' })]);

			const lengths: number[] = [];
			let cursor: string | undefined;
			do {
				const page = await client.get(cursor === undefined ? `${base}/results` : `${base}/results?cursor=${encodeURIComponent(cursor)}`);
				expect(page.status).toBe(200);
				lengths.push(page.body.results.length);
				expect(page.body.results[0]).toMatchObject({ group: expect.any(Object), data: expect.any(Array) });
				cursor = page.body.cursor;
			} while (cursor !== undefined);
			expect(lengths).toEqual([10, 10, 5]);
		});

		test('every documented family has the endpoint; an unknown family is 404; details results still take pageSize', async () => {
			await startAt({ job: { completeAfterMs: 0, resultCount: 3, pageSize: 10 } });
			for (const family of ['users', 'conversations', 'bots', 'surveys']) {
				expect((await client.post(`/api/v2/analytics/${family}/aggregates/jobs`, { interval: 'x/y' })).status).toBe(202);
			}
			expect((await client.post('/api/v2/analytics/unknown/aggregates/jobs', { interval: 'x/y' })).status).toBe(404);
			const details = await client.post('/api/v2/analytics/users/details/jobs', { interval: 'x/y' });
			const page = await client.get(`/api/v2/analytics/users/details/jobs/${details.body.jobId}/results?pageSize=2`);
			expect(page.body.userDetails).toHaveLength(2);
		});
	});

	describe('outbound contact-list import', () => {
		const status = (): Promise<{ status: number; body: Record<string, unknown> }> =>
			client.get(`/api/v2/outbound/contactlists/${LIST}/importstatus`);
		const count = async (): Promise<number> =>
			(await client.post(`/api/v2/outbound/contactlists/${LIST}/contacts/search`, { pageNumber: 1, pageSize: 1 })).body.contactsCount;

		test('a tracked import: IN_PROGRESS with rising percent, then no state at 100; contacts counted at the end', async () => {
			await startAt({});
			emu.outbound.importContacts(LIST, 500, { durationMs: 10_000 });
			expect((await status()).body).toEqual({ state: 'IN_PROGRESS', totalRecords: 500, completedRecords: 0, percentComplete: 0 });
			clock.advance(5_000);
			expect((await status()).body).toMatchObject({ state: 'IN_PROGRESS', percentComplete: 50, completedRecords: 250 });
			expect(await count()).toBe(0);
			clock.advance(5_000);
			expect((await status()).body).toEqual({ totalRecords: 500, completedRecords: 500, percentComplete: 100 });
			expect(await count()).toBe(500);
		});

		test('a small upload is applied at once and the status never moves: only the contact count shows it', async () => {
			await startAt({ smallImportRows: 100 });
			const before = (await status()).body;
			expect(before).toEqual({ totalRecords: 0, completedRecords: 0, percentComplete: 0 });
			emu.outbound.importContacts(LIST, 12);
			clock.advance(10 * 60_000);
			expect((await status()).body).toEqual(before);
			expect(await count()).toBe(12);
			// terraform sends an empty body; the list itself gives the same number with includeSize.
			expect((await client.post(`/api/v2/outbound/contactlists/${LIST}/contacts/search`)).body.contactsCount).toBe(12);
			expect((await client.get(`/api/v2/outbound/contactlists/${LIST}?includeSize=true`)).body).toMatchObject({ id: LIST, size: 12 });
		});

		test('a failed import: FAILED with its reason, no contact added', async () => {
			await startAt({});
			emu.outbound.importContacts(LIST, 300, { durationMs: 1000, failureReason: 'Invalid column: phone' });
			clock.advance(1000);
			expect((await status()).body).toMatchObject({ state: 'FAILED', failureReason: 'Invalid column: phone' });
			expect(await count()).toBe(0);
		});

		test('unknown lists are 404 everywhere; the search body is a ContactListingRequest', async () => {
			await startAt({});
			expect((await client.get('/api/v2/outbound/contactlists/nope/importstatus')).status).toBe(404);
			expect((await client.post('/api/v2/outbound/contactlists/nope/contacts/search', {})).status).toBe(404);
			expect((await client.get('/api/v2/outbound/contactlists/nope')).status).toBe(404);
			expect((await client.post(`/api/v2/outbound/contactlists/${LIST}/contacts/search`, { size: 1 })).status).toBe(400);
			expect(() => emu.outbound.importContacts('nope', 1)).toThrow(RangeError);
		});
	});
});
