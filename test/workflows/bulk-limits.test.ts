/**
 * When the run cannot go on: bad credentials (the node fails), a daily limit (every row still reported),
 * and n8n's Stop button (no new rows start).
 */
import type { Emulator } from '../emulator';
import {
	CLIENT,
	closeBulkEmulators,
	createRequests,
	emails,
	items,
	params,
	runBulk,
	startBulkEmulator,
	writes,
} from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

test('credentials Genesys refuses: the node fails before writing, without echoing the secret', async () => {
	emu = await startBulkEmulator();
	const wrongSecret = 'wrong-secret-5d1e0a';
	const { result } = await runBulk(emu, params(), items([{ name: 'Nobody', email: 'nobody@example.com' }]), {
		clientSecret: wrongSecret,
	});
	expect(result.status).toBe('error');
	expect(result.errorMessage).toMatch(/credential|client/i);
	const said = JSON.stringify({ message: result.errorMessage, error: result.error, logs: result.logs });
	expect(said).not.toContain(wrongSecret);
	expect(said).not.toContain(CLIENT.clientSecret);
	expect(writes(emu)).toEqual([]);
});

test('a daily limit part-way: finished rows keep their result, the rest fail with the reason, nothing thrown', async () => {
	emu = await startBulkEmulator();
	const addresses = emails(8, 'daily');
	let creates = 0;
	// The limit trips once three users exist: applied from the emulator's own request log.
	const watcher = setInterval(() => {
		creates = createRequests(emu).filter((req) => req.applied).length;
		if (creates >= 3) emu.setFaults({ dailyLimit: true, pathFilter: '^/api/v2/users$' });
	}, 1);
	emu.setFaults({ latencyMs: 40 });
	const run = await runBulk(
		emu,
		params({}, { concurrency: 1, includeSummary: true }),
		items(addresses.map((email, i) => ({ name: `Daily ${i}`, email }))),
	);
	clearInterval(watcher);
	expect(run.result.status).toBe('success');
	expect(run.rows).toHaveLength(8);
	const created = run.rows.filter((row) => row.status === 'created');
	const failed = run.rows.filter((row) => row.status === 'failed');
	expect(created.length).toBe(emu.state.users.size);
	expect(created.length).toBeGreaterThanOrEqual(3);
	expect(failed.length).toBeGreaterThan(0);
	expect(created.length + failed.length).toBe(8);
	for (const row of failed) expect(String((row.error as { message: string }).message)).toMatch(/daily limit/i);
	// One refused create; every later row was never sent.
	expect(createRequests(emu).filter((req) => req.fault === 'daily')).toHaveLength(1);
	expect(run.summary).toMatchObject({ total: 8 });
});

test('Stop: no new rows start after the cancel, and the node returns promptly', async () => {
	emu = await startBulkEmulator({ faults: { latencyMs: 50 } });
	const controller = new AbortController();
	const addresses = emails(40, 'stop');
	const concurrency = 2;
	let abortedAt = Number.POSITIVE_INFINITY;
	let createsAtAbort = 0;
	// Stop once a few users exist, as a user watching the run would.
	const watcher = setInterval(() => {
		if (emu.state.users.size < 4) return;
		clearInterval(watcher);
		abortedAt = Date.now();
		createsAtAbort = createRequests(emu).length;
		controller.abort();
	}, 1);
	const run = await runBulk(
		emu,
		params({}, { concurrency }),
		items(addresses.map((email, i) => ({ name: `Stop ${i}`, email }))),
		{ signal: controller.signal },
	);
	clearInterval(watcher);
	expect(run.result.status).toBe('canceled');
	// Returns, and not after running out the engine's own waits (a minute for consistency): a bound generous
	// enough for a busy machine. That nothing new starts after the cancel is what the counts below check.
	expect(Date.now() - abortedAt).toBeLessThan(20_000);
	// Let requests already on the wire land: at most one per worker, nothing started afterwards.
	await new Promise((resolve) => setTimeout(resolve, 300));
	const createsAfterAbort = createRequests(emu).length - createsAtAbort;
	expect(createsAfterAbort).toBeLessThanOrEqual(concurrency);
	expect(emu.state.users.size).toBeGreaterThanOrEqual(4);
	expect(emu.state.users.size).toBeLessThanOrEqual(4 + concurrency);
});
