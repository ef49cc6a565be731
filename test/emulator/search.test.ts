import { manualClock, startEmulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient } from './testClient';

const SEARCH = '/api/v2/users/search';

describe('emulator: POST /api/v2/users/search', () => {
	let client: TestClient;

	emulatorPerFile(
		{
			users: [
				{ id: 'u-ann', name: 'Ann Active', email: 'ann@example.com' },
				{ id: 'u-ivy', name: 'Ivy Inactive', email: 'ivy@example.com', state: 'inactive' },
				{ id: 'u-dan', name: 'Dan Deleted', email: 'dan@example.com', state: 'deleted' },
			],
		},
		(_emu, api) => {
			client = api;
		},
	);

	test('EXACT on email finds the user, case-insensitively, in a UsersSearchResponse', async () => {
		const res = await client.searchByEmail('ANN@example.com');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ total: 1, pageCount: 1, pageSize: 25, pageNumber: 1, types: ['users'] });
		expect(res.body.results).toEqual([expect.objectContaining({ id: 'u-ann', email: 'ann@example.com', version: 1 })]);
		expect(res.body.nextPage).toBeUndefined();
	});

	test('no match is total 0 with an empty results array', async () => {
		const res = await client.searchByEmail('nobody@example.com');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ total: 0, results: [] });
	});

	test('values are ORed within a criterion; inactive users are found, deleted ones are not', async () => {
		const res = await client.post(SEARCH, {
			query: [{ type: 'EXACT', fields: ['email'], values: ['ann@example.com', 'ivy@example.com', 'dan@example.com'] }],
		});
		expect(res.body.results.map((u: { id: string }) => u.id).sort()).toEqual(['u-ann', 'u-ivy']);
	});

	test('deleted users match only when a state criterion asks for deleted (criteria ANDed)', async () => {
		const res = await client.searchByEmail('dan@example.com', [{ type: 'EXACT', fields: ['state'], values: ['deleted'] }]);
		expect(res.body.results).toEqual([expect.objectContaining({ id: 'u-dan', state: 'deleted' })]);
		const activeOnly = await client.searchByEmail('ann@example.com', [{ type: 'EXACT', fields: ['state'], values: ['deleted'] }]);
		expect(activeOnly.body.total).toBe(0);
	});

	test('EXACT on id and on name', async () => {
		const byId = await client.post(SEARCH, { query: [{ type: 'EXACT', fields: ['id'], value: 'u-ivy' }] });
		expect(byId.body.results.map((u: { id: string }) => u.id)).toEqual(['u-ivy']);
		const byName = await client.post(SEARCH, { query: [{ type: 'EXACT', fields: ['name'], value: 'ann active' }] });
		expect(byName.body.results.map((u: { id: string }) => u.id)).toEqual(['u-ann']);
	});

	test('pageSize over 100, other types, unknown fields and missing values are 400', async () => {
		const query = [{ type: 'EXACT', fields: ['email'], value: 'ann@example.com' }];
		expect((await client.post(SEARCH, { pageSize: 101, query })).status).toBe(400);
		expect((await client.post(SEARCH, { query: [{ type: 'CONTAINS', fields: ['email'], value: 'ann' }] })).status).toBe(400);
		expect((await client.post(SEARCH, { query: [{ type: 'EXACT', fields: ['title'], value: 'x' }] })).status).toBe(400);
		expect((await client.post(SEARCH, { query: [{ type: 'EXACT', fields: ['email'] }] })).status).toBe(400);
		expect((await client.post(SEARCH, { query: [{ type: 'FUZZY', fields: ['email'], value: 'x' }] })).status).toBe(400);
		expect((await client.post(SEARCH, { query, bogus: true })).status).toBe(400);
	});

	test('pages: pageSize/pageNumber, nextPage, and GET ?q64= for the next page', async () => {
		for (let i = 0; i < 5; i++) await client.createUser({ name: `Pager ${i}`, email: `pager${i}@example.com` });
		const emails = Array.from({ length: 5 }, (_, i) => `pager${i}@example.com`);
		const first = await client.post(SEARCH, { pageSize: 2, query: [{ type: 'EXACT', fields: ['email'], values: emails }] });
		expect(first.body).toMatchObject({ total: 5, pageCount: 3, pageSize: 2, pageNumber: 1 });
		expect(first.body.results).toHaveLength(2);
		const second = await client.get(`${SEARCH}?q64=${encodeURIComponent(first.body.nextPage)}`);
		expect(second.body).toMatchObject({ total: 5, pageNumber: 2, previousPage: expect.any(String) });
		const third = await client.post(SEARCH, { pageSize: 2, pageNumber: 3, query: [{ type: 'EXACT', fields: ['email'], values: emails }] });
		expect(third.body.results).toHaveLength(1);
		expect(third.body.nextPage).toBeUndefined();
		const seen = [...first.body.results, ...second.body.results, ...third.body.results].map((u: { email: string }) => u.email);
		expect(seen.sort()).toEqual(emails);
	});
});

describe('emulator: search lag (searchLagMs)', () => {
	test('a new user is not found until the lag has passed; updates show the old state meanwhile', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, faults: { searchLagMs: 300 } });
		try {
			const client = await new TestClient(emu.url).login();
			const created = (await client.createUser({ name: 'Late Lucy', email: 'lucy@example.com' })).body;
			expect((await client.searchByEmail('lucy@example.com')).body.total).toBe(0);
			expect((await client.get(`/api/v2/users/${created.id}`)).status).toBe(200);
			clock.advance(300);
			const found = await client.searchByEmail('lucy@example.com');
			expect(found.body.results).toEqual([expect.objectContaining({ id: created.id, state: 'inactive', version: 1 })]);

			await client.patch(`/api/v2/users/${created.id}`, { state: 'active', version: 1 });
			const stale = await client.searchByEmail('lucy@example.com');
			expect(stale.body.results[0]).toMatchObject({ state: 'inactive', version: 1 });
			clock.advance(300);
			const fresh = await client.searchByEmail('lucy@example.com');
			expect(fresh.body.results[0]).toMatchObject({ state: 'active', version: 2 });

			await client.delete(`/api/v2/users/${created.id}`);
			const deletedQuery = [{ type: 'EXACT', fields: ['state'], values: ['deleted'] }];
			expect((await client.searchByEmail('lucy@example.com', deletedQuery)).body.total).toBe(0);
			expect((await client.searchByEmail('lucy@example.com')).body.total).toBe(1);
			clock.advance(300);
			expect((await client.searchByEmail('lucy@example.com', deletedQuery)).body.total).toBe(1);
			expect((await client.searchByEmail('lucy@example.com')).body.total).toBe(0);
		} finally {
			await emu.close();
		}
	});
});

describe('emulator: values per criterion (searchMaxValues)', () => {
	test('unlimited by default; a criterion over the cap is 400 bad.request naming the field, at the cap is answered', async () => {
		const emails = Array.from({ length: 6 }, (_, i) => `cap${i}@example.com`);
		const users = emails.map((email, i) => ({ name: `Cap ${i}`, email }));
		const open = await startEmulator({ users });
		const capped = await startEmulator({ users, searchMaxValues: 3 });
		try {
			const many = { query: [{ type: 'EXACT', fields: ['email'], values: emails }] };
			const openClient = await new TestClient(open.url).login();
			expect((await openClient.post(SEARCH, many)).body.total).toBe(6);

			const client = await new TestClient(capped.url).login();
			const refused = await client.post(SEARCH, many);
			expect(refused.status).toBe(400);
			expect(refused.body).toMatchObject({
				code: 'bad.request',
				status: 400,
				details: [{ fieldName: 'query[0].values' }],
			});
			expect(refused.body.message).toMatch(/at most 3 values, got 6/);
			// The cap is per criterion: three emails plus three states is fine.
			const atCap = await client.post(SEARCH, {
				query: [
					{ type: 'EXACT', fields: ['email'], values: emails.slice(0, 3) },
					{ type: 'EXACT', fields: ['state'], values: ['active', 'inactive', 'deleted'] },
				],
			});
			expect(atCap.status).toBe(200);
			expect(atCap.body.total).toBe(3);
			// Follow-up pages are held to the same cap.
			const q64 = Buffer.from(JSON.stringify(many)).toString('base64');
			expect((await client.get(`${SEARCH}?q64=${encodeURIComponent(q64)}`)).status).toBe(400);
		} finally {
			await open.close();
			await capped.close();
		}
	});

	test('refuses a cap that is not a positive integer', async () => {
		await expect(startEmulator({ searchMaxValues: 0 })).rejects.toThrow(/searchMaxValues/);
	});
});
