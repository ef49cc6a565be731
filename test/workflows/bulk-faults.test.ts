/**
 * 1,000 users through a hostile network: 20% 429s, 5% 5xx, 2% dropped connections, 2% writes applied with
 * the response lost. Time is compressed (Retry-After in hundredths of a second); the rate limit is real but
 * generous.
 */
import type { Emulator } from '../emulator';
import { closeBulkEmulators, createRequests, emails, items, params, runBulk, startBulkEmulator } from './bulk-helpers';

const USERS = 1_000;

let emu: Emulator;

afterAll(closeBulkEmulators);

test('exactly 1,000 users, no duplicates, 1,000 items with the right statuses', async () => {
	emu = await startBulkEmulator({
		seed: 1_000,
		rateLimit: { limit: 20_000, windowMs: 60_000 },
		faults: { rate429: 0.2, retryAfterSec: 0.01, rate5xx: 0.05, dropConnection: 0.02, lostResponse: 0.02 },
	});
	const addresses = emails(USERS, 'hostile');
	const input = addresses.map((email, i) => ({
		name: `Hostile User ${i + 1}`,
		email,
		title: i % 2 ? 'Agent' : 'Lead',
	}));

	const run = await runBulk(
		emu,
		params({}, { concurrency: 20, requestsPerMinute: 3000, includeSummary: true }),
		items(input),
	);
	expect(run.result.status).toBe('success');

	// Genesys holds each user exactly once.
	expect(emu.state.users.size).toBe(USERS);
	const held = [...emu.state.users.values()].map((user) => user.email.toLowerCase());
	expect(new Set(held).size).toBe(USERS);
	expect([...held].sort()).toEqual([...addresses].sort());

	// One item per row, in input order, each naming the user Genesys holds.
	expect(run.failure).toEqual([]);
	expect(run.rows).toHaveLength(USERS);
	expect(run.rows.map((row) => row.row)).toEqual(addresses.map((_, i) => i + 1));
	for (const [i, row] of run.rows.entries()) {
		expect(row.status).toBe('created');
		expect(row.userId).toBe(emu.state.userByEmail(addresses[i])?.id);
	}
	const pairs = run.result
		.output('Create', 0)
		.slice(0, USERS)
		.map((item) => (item.pairedItem as { item: number }).item);
	expect(pairs).toEqual(addresses.map((_, i) => i));

	// The faults really happened, and the creates whose answer was lost were reconciled, not duplicated.
	const { injected } = emu.stats;
	expect(injected.r429).toBeGreaterThan(100);
	expect(injected.r5xx).toBeGreaterThan(10);
	expect(injected.drop).toBeGreaterThan(0);
	expect(injected.lost).toBeGreaterThan(0);
	const posts = createRequests(emu);
	expect(posts.filter((req) => req.applied)).toHaveLength(USERS);
	expect(posts.some((req) => Array.isArray(req.body))).toBe(false);
	const lostCreates = posts.filter((req) => req.fault === 'lost').length;
	expect((run.summary?.engine as { reconciledCreates: number }).reconciledCreates).toBeGreaterThanOrEqual(lostCreates);
	expect(run.summary).toMatchObject({ total: USERS, byStatus: { created: USERS } });
	expect(Number(run.summary?.throttled)).toBeGreaterThan(100);

	// Progress lines carry counts only; a run this long (when over the 5 s interval) logs at least one.
	const nodeLogs = run.result.logs.filter((entry) => entry.source === 'node').map((entry) => entry.message);
	const progress = nodeLogs.filter((line) => line.startsWith('Genesys Cloud Bulk Create Users:'));
	for (const line of progress) expect(line).toMatch(/^Genesys Cloud Bulk Create Users: \d+\/1000 rows done( \(.*\))?$/);
	expect(nodeLogs.join('\n')).not.toMatch(/@example\.com/);
	if (Number(run.summary?.durationMs) > 6_000) expect(progress.length).toBeGreaterThan(0);
}, 600_000); // a ceiling only: the run takes tens of seconds, several times that on a busy machine
