/**
 * The lookup of existing users sends large search batches (nodes/GenesysCloud/userSearch.ts). Genesys does
 * not document how many values one criterion may hold, so here the emulator allows fewer than a batch
 * (`searchMaxValues`): the node must still find every existing user, at the cost of a few refused searches.
 */
import type { Emulator, RecordedRequest, SeedUser } from '../emulator';
import { closeBulkEmulators, emails, items, params, runBulk, startBulkEmulator, writes } from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

const SEARCH_PATH = '/api/v2/users/search';
const CAP = 150;

function searches(): RecordedRequest[] {
	return emu.requests.filter((req) => req.path === SEARCH_PATH);
}

function searchedValues(req: RecordedRequest): string[] {
	const body = req.body as { query: Array<{ fields: string[]; values: string[] }> };
	return body.query.find((criterion) => criterion.fields[0] === 'email')?.values ?? [];
}

test('dry run of 1,100 rows with a search cap below the batch size: every existing user is found', async () => {
	const all = emails(1100, 'capped');
	const seeded: SeedUser[] = all.slice(0, 620).map((email, i) => ({
		id: `seed-${i}`,
		name: `Seeded ${i}`,
		email,
		state: i < 600 ? 'active' : 'deleted',
	}));
	emu = await startBulkEmulator({ users: seeded, searchMaxValues: CAP });
	const run = await runBulk(
		emu,
		params({ dryRun: true }),
		items(all.map((email, i) => ({ name: `Row ${i}`, email }))),
	);
	expect(run.result.status).toBe('success');
	expect(run.failure).toEqual([]);
	expect(run.rows).toHaveLength(1100);
	const byEmail = new Map(run.rows.map((row) => [String(row.email), row]));
	for (const [i, seed] of seeded.entries()) {
		const row = byEmail.get(seed.email);
		expect(row?.action).toBe(i < 600 ? 'skip' : 'fail');
		expect(JSON.stringify(row?.steps)).toContain(seed.id);
	}
	for (const email of all.slice(620)) expect(byEmail.get(email)?.action).toBe('create');
	expect(writes(emu)).toEqual([]);

	// Every email went out in an accepted search; the refused ones were the first, oversized batches.
	const accepted = searches().filter((req) => req.status === 200);
	const refused = searches().filter((req) => req.status === 400);
	expect(new Set(accepted.flatMap(searchedValues))).toEqual(new Set(all));
	expect(refused.length).toBeGreaterThan(0);
	expect(refused.length).toBeLessThanOrEqual(8);
	for (const req of refused) expect(searchedValues(req).length).toBeGreaterThan(CAP);
	// 1,100 emails at up to 150 per search, 620 of them found (pages of 100), plus the refusals.
	expect(searches().length).toBeLessThanOrEqual(30);
});

test('without a cap, 1,100 emails take 3 searches', async () => {
	const all = emails(1100, 'open');
	emu = await startBulkEmulator();
	const run = await runBulk(emu, params({ dryRun: true }), items(all.map((email, i) => ({ name: `Row ${i}`, email }))));
	expect(run.result.status).toBe('success');
	expect(run.rows.every((row) => row.action === 'create')).toBe(true);
	expect(searches().map((req) => searchedValues(req).length)).toEqual(expect.arrayContaining([500, 500, 100]));
	expect(searches()).toHaveLength(3);
});
