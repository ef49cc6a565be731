/**
 * Genesys Cloud unavailable, through n8n's engine: the circuit breaker ends the run early and every row is
 * reported. Time is compressed with the hidden rate window (1 s, so the outage window, 1.5 rate windows, is
 * 1.5 s instead of 90 s); the assertions are on what the emulator received and what each row says, never on
 * how fast this machine is.
 */
import type { Emulator, Faults } from '../emulator';
import { closeBulkEmulators, createRequests, emails, items, params, runBulk, startBulkEmulator, type Json } from './bulk-helpers';

const ROWS = 1_000;

let emu: Emulator;

afterEach(closeBulkEmulators);

function apiRequests(): number {
	return emu.requests.filter((req) => req.path.startsWith('/api/v2/')).length;
}

function errorOf(row: Json): { message: string; code?: string; maybeApplied?: boolean } {
	return row.error as { message: string; code?: string; maybeApplied?: boolean };
}

// Compressed time: the 60 s rate window becomes 1 s, and with it the outage window.
const COMPRESSED = { rateLimitWindowSeconds: 1 };

it.each<[string, Partial<Faults>]>([
	['every request answered 503', { rate5xx: 1 }],
	['every connection dropped', { dropConnection: 1 }],
])('a total outage (%s): 1,000 rows end early, every row "not started: Genesys unavailable"', async (_label, faults) => {
	emu = await startBulkEmulator({ faults });
	const addresses = emails(ROWS, 'outage');
	const run = await runBulk(
		emu,
		params(COMPRESSED, { concurrency: 5, includeSummary: true }),
		items(addresses.map((email, i) => ({ name: `Outage ${i}`, email }))),
	);
	expect(run.result.status).toBe('success');
	expect(run.rows).toHaveLength(ROWS);
	expect(run.rows.map((row) => row.row)).toEqual(addresses.map((_, i) => i + 1));
	for (const row of run.rows) {
		expect(row.status).toBe('failed');
		expect(errorOf(row)).toMatchObject({ code: 'genesys.unavailable' });
		expect(errorOf(row).message).toMatch(/^Not started: Genesys unavailable, so nothing was sent for this row/);
		expect(errorOf(row).maybeApplied).toBeUndefined();
	}
	// Only the lookup was tried (two batches of 500 emails, each retried within one outage window); no create.
	expect(createRequests(emu)).toEqual([]);
	const requests = apiRequests();
	console.log(`total outage (${_label}): ${requests} API requests for ${ROWS} rows, summary durationMs ${String(run.summary?.durationMs)}`);
	expect(requests).toBeLessThanOrEqual(20);
	expect(emu.state.users.size).toBe(0);
});

it('an outage mid-run: created rows stay created, creates under way are maybeApplied, the rest are not started', async () => {
	emu = await startBulkEmulator({ faults: { latencyMs: 20 } });
	const addresses = emails(200, 'midrun');
	const concurrency = 5;
	let outageAt = -1;
	const watcher = setInterval(() => {
		if (emu.state.users.size < 10) return;
		clearInterval(watcher);
		outageAt = emu.requests.length;
		emu.setFaults({ rate5xx: 1 });
	}, 1);
	const run = await runBulk(
		emu,
		params(COMPRESSED, { concurrency }),
		items(addresses.map((email, i) => ({ name: `Mid ${i}`, email }))),
	);
	clearInterval(watcher);
	expect(run.result.status).toBe('success');
	expect(run.rows).toHaveLength(200);
	const counts = { created: 0, maybeApplied: 0, notStarted: 0 };
	for (const row of run.rows) {
		const error = row.error as { message: string; code?: string; maybeApplied?: boolean } | undefined;
		if (row.status === 'created') {
			counts.created++;
			expect(row.userId).toBe(emu.state.userByEmail(String(row.email))?.id);
		} else if (error?.maybeApplied) {
			counts.maybeApplied++;
			expect(error.message).toMatch(/may have created it/);
		} else {
			counts.notStarted++;
			expect(error?.message).toMatch(/^Not started: Genesys unavailable/);
			expect(emu.state.userByEmail(String(row.email))).toBeUndefined();
		}
	}
	expect(counts.created).toBe(emu.state.users.size);
	expect(counts.created).toBeGreaterThanOrEqual(10);
	expect(counts.maybeApplied).toBeLessThanOrEqual(concurrency);
	expect(counts.created + counts.maybeApplied + counts.notStarted).toBe(200);
	expect(counts.notStarted).toBeGreaterThan(150);
	// After the outage began, only the rows already under way sent anything: a few creates each and a search.
	const afterOutage = emu.requests.slice(outageAt).filter((req) => req.path === '/api/v2/users' && req.method === 'POST');
	expect(afterOutage.length).toBeLessThanOrEqual(concurrency * 5);
});
