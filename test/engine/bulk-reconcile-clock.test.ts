/**
 * The 409 reconcile window on a hand-moved clock shared by the engine and the emulator: search lags of
 * minutes, as Genesys has, without waiting minutes.
 */
import { runBulkCreate } from '../../nodes/GenesysCloudBulkCreateUsers/engine/run';
import type { Clock } from '../../nodes/GenesysCloud/transport';
import { startEmulator, type Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import { ENGINE_CLIENT, engineClient } from './engine-support';
import { settings, validRow } from '../unit/bulk-provision-fixtures';

/** Time moves only when the engine sleeps. */
function manualClock(): Clock & { t: number } {
	const clock = {
		t: 1_700_000_000_000,
		now: () => clock.t,
		sleep: async (ms: number) => {
			clock.t += ms;
		},
	};
	return clock;
}

let emu: Emulator | undefined;

afterEach(async () => {
	await emu?.close();
	emu = undefined;
});

async function conflictAfterLag(searchLagMs: number, reconcileWindowSeconds: number) {
	const clock = manualClock();
	emu = await startEmulator({ seed: 3, clients: [ENGINE_CLIENT], rateLimit: false, now: clock.now, faults: { searchLagMs } });
	// Someone else created the user a moment ago: the email is taken, search does not show it yet.
	const other = await new TestClient(emu.url, ENGINE_CLIENT).login();
	const existing = await other.createUser({ name: 'Early Bird', email: 'early@example.com', state: 'active' });
	const startedAt = clock.t;
	const outcome = await runBulkCreate(
		{
			api: engineClient(emu),
			settings: settings({ reconcileWindowSeconds }),
			clock,
			log: { info: () => undefined },
		},
		[validRow(0, { email: 'early@example.com', name: 'Early Bird' })],
	);
	return { result: outcome.results[0], userId: existing.body.id as string, waitedMs: clock.t - startedAt };
}

test('with the default window (180 s) a user search shows only after 170 s is still reconciled', async () => {
	const { result, userId, waitedMs } = await conflictAfterLag(170_000, 180);
	expect(result).toMatchObject({ status: 'existing', userId });
	expect(result.steps).toContainEqual({
		step: 'create',
		status: 'skipped',
		detail: `email already in use by active user ${userId}`,
	});
	expect(waitedMs).toBeGreaterThanOrEqual(170_000);
	expect(waitedMs).toBeLessThanOrEqual(180_000);
});

test('past the window the row fails with the conflict, after waiting the whole window', async () => {
	const { result, waitedMs } = await conflictAfterLag(190_000, 180);
	expect(result).toMatchObject({ status: 'failed', error: { httpStatus: 409, field: 'create' } });
	expect(waitedMs).toBe(180_000);
});
