/**
 * The shared user search (nodes/GenesysCloud/userSearch.ts): batch sizes, and how a batch Genesys refuses
 * with a 400 is split until every value is searched. The API here is an in-memory index that refuses
 * criteria over a cap, the way the emulator's `searchMaxValues` does over HTTP (test/workflows).
 */
import type { RequestOptions } from '../../nodes/GenesysCloud/transport';
import { GenesysApiError, STANDALONE_NODE } from '../../nodes/GenesysCloud/transport';
import {
	SEARCH_BATCH_BYTES,
	SEARCH_BATCH_VALUES,
	SearchBatchSize,
	searchUserBatches,
	userSearchBatches,
	userSearchBody,
} from '../../nodes/GenesysCloud/userSearch';
import type { GenesysApi } from '../../nodes/GenesysCloud/genesysApi';
import type { SearchedUser, UserSearchRequest } from '../../nodes/GenesysCloud/userSearch';

function badRequest(message: string): GenesysApiError {
	return new GenesysApiError(STANDALONE_NODE, {
		method: 'POST',
		path: '/api/v2/users/search',
		status: 400,
		code: 'bad.request',
		message,
	});
}

interface FakeIndex {
	api: GenesysApi;
	/** Values of every search sent, answered or refused. */
	sent: number[];
	refused: number;
}

/**
 * Users `u0@example.com` ... ; a criterion with more than `cap` values, or holding a value in `poison`,
 * is refused with 400 bad.request. Pages of 100 as Genesys sends them.
 */
function fakeIndex(userCount: number, options: { cap?: number; poison?: string[]; refuseAll?: boolean } = {}): FakeIndex {
	const users = new Map<string, SearchedUser>();
	for (let i = 0; i < userCount; i++) users.set(`u${i}@example.com`, { id: `id-${i}`, email: `u${i}@example.com` });
	const poison = new Set(options.poison ?? []);
	const index: FakeIndex = { api: { request: async () => undefined as never }, sent: [], refused: 0 };
	index.api = {
		request: async <T>(request: RequestOptions): Promise<T> => {
			const body = request.body as UserSearchRequest;
			const values = body.query[0].values;
			index.sent.push(values.length);
			if (options.refuseAll || values.length > (options.cap ?? Infinity) || values.some((value) => poison.has(value))) {
				index.refused++;
				throw badRequest('The request could not be understood by the server due to malformed syntax.');
			}
			const hits = values.flatMap((value) => users.get(value) ?? []);
			const start = (body.pageNumber - 1) * body.pageSize;
			const results = hits.slice(start, start + body.pageSize);
			return { results, pageCount: Math.ceil(hits.length / body.pageSize), total: hits.length } as T;
		},
	};
	return index;
}

function emails(count: number, from = 0): string[] {
	return Array.from({ length: count }, (_, i) => `u${from + i}@example.com`);
}

function foundEmails(outcomes: Awaited<ReturnType<typeof searchUserBatches>>): string[] {
	return outcomes.flatMap((outcome) => (outcome.ok ? outcome.users.map((user) => String(user.email)) : [])).sort();
}

describe('batches', () => {
	test('up to 500 values each, results still asked 100 per page', () => {
		const batches = userSearchBatches('email', emails(1001));
		expect(batches.map((batch) => batch.values.length)).toEqual([500, 500, 1]);
		expect(userSearchBody('email', batches[0].values, 1).pageSize).toBe(100);
		expect(userSearchBatches('id', ['a', 'b', 'c'], 2).map((batch) => batch.values)).toEqual([['a', 'b'], ['c']]);
	});

	test('long values cut batches by bytes, so a body stays far under the 512,000-byte request limit', () => {
		const long = Array.from({ length: SEARCH_BATCH_VALUES }, (_, i) => `${'x'.repeat(240)}${i}@example.com`);
		const batches = userSearchBatches('email', long);
		expect(batches.length).toBeGreaterThan(1);
		expect(batches.flatMap((batch) => batch.values)).toEqual(long);
		for (const batch of batches) {
			const bytes = Buffer.byteLength(JSON.stringify(userSearchBody('email', batch.values, 1, ['active', 'inactive', 'deleted'])));
			expect(bytes).toBeLessThanOrEqual(SEARCH_BATCH_BYTES + 1_000);
			expect(bytes).toBeLessThan(512_000 / 2);
		}
	});
});

describe('a stricter limit than the batch size', () => {
	test('a refused batch is split until the parts are accepted; every user is found, the size is kept', async () => {
		const index = fakeIndex(1400, { cap: 150 });
		const size = new SearchBatchSize();
		const batches = userSearchBatches('email', emails(1500));
		const outcomes = await searchUserBatches(index.api, batches, { concurrency: 1, batchSize: size });
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		expect(foundEmails(outcomes)).toEqual(emails(1400).sort());
		// 500 refused, 250 refused, both 125s accepted: the rest goes out at 125 directly.
		expect(size.current).toBe(125);
		expect(index.refused).toBe(2);
		expect(Math.max(...index.sent.slice(index.sent.indexOf(125)))).toBe(125);
		// Every value was answered by exactly one accepted search.
		const answered = outcomes.flatMap((outcome) => outcome.batch.values);
		expect(answered.sort()).toEqual(emails(1500).sort());
	});

	test('concurrent batches all adapt, and the refusals stay a handful', async () => {
		const index = fakeIndex(3000, { cap: 60 });
		const outcomes = await searchUserBatches(index.api, userSearchBatches('email', emails(3000)), { concurrency: 4 });
		expect(foundEmails(outcomes)).toEqual(emails(3000).sort());
		expect(index.refused).toBeLessThanOrEqual(20);
	});

	test('a value refused on its own fails alone and teaches nothing about size', async () => {
		const index = fakeIndex(600, { poison: ['u7@example.com'] });
		const size = new SearchBatchSize();
		const outcomes = await searchUserBatches(index.api, userSearchBatches('email', emails(600)), {
			concurrency: 1,
			batchSize: size,
		});
		const failed = outcomes.filter((outcome) => !outcome.ok);
		expect(failed.map((outcome) => outcome.batch.values)).toEqual([['u7@example.com']]);
		expect(foundEmails(outcomes)).toEqual(emails(600).filter((email) => email !== 'u7@example.com').sort());
		expect(size.current).toBe(SEARCH_BATCH_VALUES);
		// log2(500) splits down to the bad value, not a search per value.
		expect(index.sent.length).toBeLessThan(25);
	});

	test('when every search is refused, splitting stops after a few requests', async () => {
		const index = fakeIndex(0, { refuseAll: true });
		const batches = userSearchBatches('email', emails(5000));
		const outcomes = await searchUserBatches(index.api, batches, { concurrency: 1 });
		expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
		expect(outcomes.flatMap((outcome) => outcome.batch.values).sort()).toEqual(emails(5000).sort());
		// One path down to single values for the first batch, then one request per remaining batch.
		expect(index.sent.length).toBeLessThanOrEqual(11 + batches.length);
	});

	test('errors other than 400 are reported for the whole batch, never split', async () => {
		let calls = 0;
		const api: GenesysApi = {
			request: async () => {
				calls++;
				throw new GenesysApiError(STANDALONE_NODE, { method: 'POST', path: '/api/v2/users/search', status: 403, code: 'missing.permissions', message: 'no' });
			},
		};
		const outcomes = await searchUserBatches(api, userSearchBatches('email', emails(700)), { concurrency: 2 });
		expect(outcomes.map((outcome) => [outcome.ok, outcome.batch.values.length])).toEqual([
			[false, 500],
			[false, 200],
		]);
		expect(calls).toBe(2);
	});
});
