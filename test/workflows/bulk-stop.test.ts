/**
 * n8n's Stop mid-run, through the engine: every row is still reported. Creates that were on the wire are
 * `failed` with `maybeApplied: true` and the advice to rerun; rows that never started say so, and nothing of
 * theirs reached Genesys; `created` rows name the user Genesys holds.
 */
import type { Emulator } from '../emulator';
import { closeBulkEmulators, createRequests, emails, items, NODE_NAME, params, runBulk, startBulkEmulator, type Json } from './bulk-helpers';

const ROWS = 30;
const CONCURRENCY = 3;

let emu: Emulator;

afterEach(closeBulkEmulators);

function rowsOf(run: Awaited<ReturnType<typeof runBulk>>): Json[] {
	// A stopped execution still records what the node returned.
	const all = [0, 1].flatMap((output) => run.result.output(NODE_NAME, output).map((item) => item.json));
	return all.filter((json) => !('summary' in json)).sort((a, b) => Number(a.row) - Number(b.row));
}

test('Stop: in-flight creates are maybeApplied with the advice to rerun; rows not started say so; state matches', async () => {
	// Slow creates, so several are on the wire when Stop comes.
	emu = await startBulkEmulator({ faults: { latencyMs: 150 } });
	const controller = new AbortController();
	const addresses = emails(ROWS, 'halt');
	const watcher = setInterval(() => {
		if (emu.state.users.size < 4) return;
		clearInterval(watcher);
		controller.abort();
	}, 1);
	const run = await runBulk(
		emu,
		params({}, { concurrency: CONCURRENCY }),
		items(addresses.map((email, i) => ({ name: `Halt ${i}`, email }))),
		{ signal: controller.signal },
	);
	clearInterval(watcher);
	expect(run.result.status).toBe('canceled');
	// Requests already sent may still land at the emulator: let them.
	await new Promise((resolve) => setTimeout(resolve, 500));

	const rows = rowsOf(run);
	expect(rows.map((row) => row.row)).toEqual(addresses.map((_, i) => i + 1));
	const posted = new Set(createRequests(emu).map((req) => String((req.body as { email: string }).email)));
	const byStatus = { created: 0, inFlight: 0, notStarted: 0 };
	for (const row of rows) {
		const email = String(row.email);
		const error = row.error as { message: string; code?: string; maybeApplied?: boolean } | undefined;
		if (row.status === 'created') {
			byStatus.created++;
			expect(row.userId).toBe(emu.state.userByEmail(email)?.id);
		} else if (error?.maybeApplied) {
			byStatus.inFlight++;
			expect(row.status).toBe('failed');
			expect(error).toMatchObject({ code: 'execution.cancelled', maybeApplied: true });
			expect(error.message).toMatch(/may have created it\. Run the workflow again/);
		} else {
			byStatus.notStarted++;
			expect(row.status).toBe('failed');
			expect(error).toMatchObject({ code: 'execution.cancelled' });
			expect(error?.message).toMatch(/^Not started: the execution was stopped before this row began, so nothing was sent/);
			// Nothing of a row that never started reached Genesys.
			expect(posted.has(email)).toBe(false);
			expect(emu.state.userByEmail(email)).toBeUndefined();
		}
	}
	expect(byStatus.created).toBeGreaterThanOrEqual(4 - CONCURRENCY);
	expect(byStatus.inFlight).toBeGreaterThan(0);
	expect(byStatus.inFlight).toBeLessThanOrEqual(CONCURRENCY);
	expect(byStatus.notStarted).toBeGreaterThan(0);
	expect(byStatus.created + byStatus.inFlight + byStatus.notStarted).toBe(ROWS);
	// Genesys holds the created users and, at most, the in-flight ones.
	expect(emu.state.users.size).toBeGreaterThanOrEqual(byStatus.created);
	expect(emu.state.users.size).toBeLessThanOrEqual(byStatus.created + byStatus.inFlight);
});
