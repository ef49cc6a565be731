/**
 * usersSearchable: new users reach /api/v2/users/search late; the node waits until every user of an item is
 * found, then passes the users on.
 *
 * The search lag is longer than any test here runs, on an emulator clock the test moves: a user becomes
 * searchable when the test says `indexCatchesUp()`, however fast or slow the machine is.
 */
import { shiftableClock, type Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import { CLIENT, runWait, startWaitEmulator } from './wait-support';

const SEARCH = '/api/v2/users/search';
const LAG_MS = 10 * 60_000;

const clock = shiftableClock();
let emu: Emulator;
let api: TestClient;

beforeAll(async () => {
	emu = await startWaitEmulator({ now: clock.now, faults: { searchLagMs: LAG_MS } });
	api = await new TestClient(emu.url, CLIENT).login();
});

/** Every user created so far shows in search from now on. */
function indexCatchesUp(): void {
	clock.advance(LAG_MS);
}

afterAll(async () => {
	await emu.close();
});

async function createUsers(prefix: string, count: number): Promise<Array<{ id: string; email: string }>> {
	const users: Array<{ id: string; email: string }> = [];
	for (let i = 0; i < count; i++) {
		const res = await api.createUser({ name: `${prefix} ${i}`, email: `${prefix}.${i}@example.com` });
		expect(res.status).toBe(200);
		users.push({ id: res.body.id as string, email: res.body.email as string });
	}
	return users;
}

interface SearchBody {
	pageSize: number;
	pageNumber: number;
	query: Array<{ type: string; fields: string[]; values: string[] }>;
}

function searchesSince(seq: number): Array<{ seq: number; body: SearchBody }> {
	return emu.requests
		.filter((request) => request.seq > seq && request.method === 'POST' && request.path === SEARCH)
		.map((request) => ({ seq: request.seq, body: request.body as SearchBody }));
}

async function until(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

function lastSeq(): number {
	return emu.requests.length === 0 ? 0 : emu.requests[emu.requests.length - 1].seq;
}

describe('usersSearchable', () => {
	it('waits across the search lag, then passes the users on', async () => {
		const emails = ['lagging.0@example.com', 'lagging.1@example.com', 'lagging.2@example.com'];
		const since = lastSeq();
		// Bulk Create Users output items: the default expression reads userId, else email.
		const items = [
			{ json: { status: 'created', email: emails[0] } },
			{ json: { status: 'created', email: emails[1].toUpperCase() } },
			{ json: { status: 'created', email: emails[2] } },
		];
		let settled = false;
		// A timeout far beyond the test: the node is still waiting whenever the index catches up.
		const running = runWait(emu, { jobType: 'usersSearchable', timeout: 600 }, items).finally(() => {
			settled = true;
		});
		// The users are created once the node is already searching for them...
		await until(() => searchesSince(since).length > 0);
		const users = await createUsers('lagging', 3);
		// ...and it keeps searching while the index does not show them.
		const created = lastSeq();
		await until(() => searchesSince(created).length >= 2);
		expect(settled).toBe(false);
		const searchedBeforeIndexed = searchesSince(since).length;
		indexCatchesUp();
		const { result, completed, failed } = await running;

		expect(result.status).toBe('success');
		expect(failed).toHaveLength(0);
		expect(completed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		completed.forEach((item, i) => {
			expect(item.json).toMatchObject({ jobType: 'usersSearchable', status: 'searchable', done: true, succeeded: true });
			expect((item.json.job as Array<{ id: string }>).map((user) => user.id)).toEqual([users[i].id]);
		});
		// One search per round (three emails: one batch, one page). Rounds run one after the other, so only
		// the last search sent before the index caught up can have been answered after it: every item was
		// found in that round or a later one.
		const searches = searchesSince(since);
		for (const item of completed) {
			expect(item.json.attempts).toBe(searches.length);
			expect(item.json.attempts).toBeGreaterThanOrEqual(searchedBeforeIndexed);
		}
		expect(searchedBeforeIndexed).toBeGreaterThanOrEqual(3);
		for (const { body } of searches) {
			expect(body.query[0]).toMatchObject({ type: 'EXACT', fields: ['email'] });
			expect(body.query[1]).toEqual({ type: 'EXACT', fields: ['state'], values: ['active', 'inactive'] });
		}
	});

	it('an item naming several users completes only once all of them are searchable', async () => {
		const users = await createUsers('several', 4);
		indexCatchesUp();
		const { completed } = await runWait(emu, { jobType: 'usersSearchable', users: '={{ $json.emails.join(",") }}' }, [
			{ json: { emails: users.map((user) => user.email) } },
		]);
		expect(completed).toHaveLength(1);
		expect((completed[0].json.job as Array<{ email: string }>).map((user) => user.email)).toEqual(
			users.map((user) => user.email),
		);
	});

	it('batches many users into searches of at most 500 values', async () => {
		const users = await createUsers('batch', 530);
		indexCatchesUp();
		const since = lastSeq();
		const { completed } = await runWait(
			emu,
			{ jobType: 'usersSearchable' },
			users.map((user) => ({ json: { userId: user.id } })),
		);
		expect(completed).toHaveLength(530);
		// Every user is searchable, so one round finds them all: two searches (500 + 30 ids), never one
		// per user, each read page by page (100 users per page).
		expect(completed.every((item) => item.json.attempts === 1)).toBe(true);
		const searches = searchesSince(since);
		const batches = searches.filter((search) => search.body.pageNumber === 1);
		expect(batches.map((search) => search.body.query[0].values.length).sort((a, b) => b - a)).toEqual([500, 30]);
		expect(searches.map((search) => search.body.pageNumber).sort((a, b) => a - b)).toEqual([1, 1, 2, 3, 4, 5]);
		const searched = new Set(searches.flatMap((search) => search.body.query[0].values));
		expect(users.every((user) => searched.has(user.id))).toBe(true);
	});

	it('times out naming the users that never became searchable', async () => {
		const [user] = await createUsers('partly', 1);
		indexCatchesUp();
		const { completed, failed } = await runWait(
			emu,
			{ jobType: 'usersSearchable', users: '={{ $json.users }}', timeout: 1.2 },
			[{ json: { users: [user.email, 'nobody@example.com'] } }],
		);
		expect(completed).toHaveLength(0);
		expect(failed[0].json).toMatchObject({
			status: 'timedOut',
			lastStatus: '1 of 2 found',
			missing: ['nobody@example.com'],
			done: false,
			succeeded: false,
		});
		expect((failed[0].json.job as Array<{ id: string }>).map((found) => found.id)).toEqual([user.id]);
		// The node's own clock: it does not give up before the timeout, however fast the searches answer.
		expect(failed[0].json.elapsedMs).toBeGreaterThanOrEqual(1_200);
	});

	it('an item without any user is a configuration error', async () => {
		const { result } = await runWait(emu, { jobType: 'usersSearchable' }, [{ json: { status: 'failed' } }]);
		expect(result.status).toBe('error');
		expect(result.errorMessage).toBe('No user id or email for item 0');
	});
});

describe('usersSearchable with fewer values per search allowed than a batch', () => {
	it('splits the refused batch and still finds every user', async () => {
		const capped = await startWaitEmulator({ searchMaxValues: 40 });
		try {
			const client = await new TestClient(capped.url, CLIENT).login();
			const emails = Array.from({ length: 120 }, (_, i) => `capped.${i}@example.com`);
			for (const email of emails) expect((await client.createUser({ name: email, email })).status).toBe(200);
			const { completed, failed } = await runWait(
				capped,
				{ jobType: 'usersSearchable' },
				emails.map((email) => ({ json: { email } })),
			);
			expect(failed).toEqual([]);
			expect(completed.map((item) => (item.json.job as Array<{ email: string }>)[0].email)).toEqual(emails);
			const searches = capped.requests.filter((request) => request.path === SEARCH);
			const refused = searches.filter((request) => request.status === 400);
			// 120 refused, 60 refused, then 30 at a time: a couple of refusals, not one per value.
			expect(refused.length).toBeGreaterThan(0);
			expect(refused.length).toBeLessThanOrEqual(3);
			expect(searches.length).toBeLessThanOrEqual(10);
		} finally {
			await capped.close();
		}
	});
});
