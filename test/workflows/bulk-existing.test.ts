/**
 * Emails that already have a user: live, soft-deleted, twice in the input, or created by someone else while
 * the run is going (409 race), under every onExisting x restoreDeleted option.
 */
import { advanceWhen, DEFAULT_IDS, shiftableClock } from '../emulator';
import type { Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import {
	appliedWrites,
	CLIENT,
	closeBulkEmulators,
	createRequests,
	items,
	params,
	runBulk,
	startBulkEmulator,
	writes,
} from './bulk-helpers';

let emu: Emulator;

/** Search lag and consistency delay longer than any test runs; the tests move the emulator's clock. */
const LAG_MS = 10 * 60_000;

afterEach(closeBulkEmulators);

const SEEDED = [
	{ name: 'Old Active', email: 'active@example.com', state: 'active' as const, title: 'Old Title' },
	{ name: 'Old Gone', email: 'deleted@example.com', state: 'deleted' as const },
];

const INPUT = [
	{ name: 'New Active', email: 'active@example.com', title: 'New Title' },
	{ name: 'Back Again', email: 'deleted@example.com', title: 'Returning' },
	{ name: 'Brand New', email: 'new@example.com' },
	{ name: 'Brand New Twice', email: 'New@Example.com' },
];

type OnExisting = 'skip' | 'update' | 'fail';

const EXPECTED_ACTIVE: Record<OnExisting, string> = { skip: 'existing', update: 'updated', fail: 'failed' };

describe.each([
	['skip', false],
	['skip', true],
	['update', false],
	['update', true],
	['fail', false],
	['fail', true],
] as Array<[OnExisting, boolean]>)('onExisting=%s restoreDeleted=%s', (onExisting, restoreDeleted) => {
	test('live, soft-deleted, new and duplicated emails each take their documented path', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const active = emu.state.userByEmail('active@example.com');
		const deleted = emu.state.userByEmail('deleted@example.com');
		const before = { activeVersion: active?.version, deletedVersion: deleted?.version };

		const run = await runBulk(emu, params({ onExisting, restoreDeleted }), items(INPUT));
		expect(run.result.status).toBe('success');
		const [activeRow, deletedRow, newRow, duplicateRow] = run.rows;

		// Live user: skip returns it, update patches it, fail reports it; never re-created.
		expect(activeRow).toMatchObject({ status: EXPECTED_ACTIVE[onExisting], userId: active?.id });
		if (onExisting === 'update') {
			expect(emu.state.userByEmail('active@example.com')).toMatchObject({ name: 'New Active', title: 'New Title' });
		} else {
			expect(emu.state.userByEmail('active@example.com')).toMatchObject({
				name: 'Old Active',
				title: 'Old Title',
				version: before.activeVersion,
			});
		}
		if (onExisting === 'fail') expect(activeRow.error).toMatchObject({ code: 'user.exists', field: 'email' });
		if (onExisting === 'skip') expect(activeRow.user).toMatchObject({ id: active?.id, name: 'Old Active' });

		// Soft-deleted user: restored (then updated) when allowed, otherwise a failure saying how to restore.
		if (restoreDeleted) {
			expect(deletedRow).toMatchObject({ status: 'restored', userId: deleted?.id });
			expect(emu.state.userByEmail('deleted@example.com')).toMatchObject({
				state: 'active',
				name: 'Back Again',
				title: 'Returning',
			});
		} else {
			expect(deletedRow).toMatchObject({
				status: 'failed',
				userId: deleted?.id,
				error: { code: 'user.deleted', field: 'email' },
			});
			expect(String((deletedRow.error as { message: string }).message)).toContain('Restore Deleted Users');
			expect(emu.state.userByEmail('deleted@example.com')).toMatchObject({
				state: 'deleted',
				version: before.deletedVersion,
			});
		}

		// New email created once; its second spelling in the input is invalid and sends nothing.
		expect(newRow).toMatchObject({ status: 'created', email: 'new@example.com' });
		expect(duplicateRow).toMatchObject({ status: 'invalid', row: 4, error: { field: 'email' } });
		expect(createRequests(emu).map((req) => req.body)).toEqual([{ name: 'Brand New', email: 'new@example.com', state: 'active' }]);
		expect(emu.state.users.size).toBe(3);

		// Writes on the existing users are exactly what the policy asks for.
		const activeWrites = appliedWrites(emu).filter((req) => req.path === `/api/v2/users/${active?.id}`);
		expect(activeWrites.map((req) => req.body)).toEqual(
			onExisting === 'update' ? [{ name: 'New Active', title: 'New Title', version: before.activeVersion }] : [],
		);
		const deletedWrites = appliedWrites(emu).filter((req) => req.path === `/api/v2/users/${deleted?.id}`);
		expect(deletedWrites.map((req) => req.body)).toEqual(
			restoreDeleted
				? [
						{ state: 'active', version: before.deletedVersion },
						{ name: 'Back Again', title: 'Returning', version: (before.deletedVersion ?? 0) + 1 },
					]
				: [],
		);
		const statusOutput = (status: unknown): number => (status === 'failed' || status === 'invalid' ? 1 : 0);
		expect(run.failure).toHaveLength(run.rows.filter((row) => statusOutput(row.status) === 1).length);
	});
});

describe('running the same input again', () => {
	const input = [
		{ name: 'Ann One', email: 'ann@example.com', roles: DEFAULT_IDS.roles[0] },
		{ name: 'Bob Two', email: 'bob@example.com', title: 'Agent' },
		{ name: 'Cat Three', email: 'cat@example.com', manager: 'ann@example.com' },
	];

	test('creates nothing the second time: skip reports existing, update reports updated without re-sending unchanged fields', async () => {
		emu = await startBulkEmulator();
		const first = await runBulk(emu, params(), items(input));
		expect(first.rows.map((row) => row.status)).toEqual(['created', 'created', 'created']);
		const ids = first.rows.map((row) => row.userId);
		const writesAfterFirst = writes(emu).length;

		const second = await runBulk(emu, params({ onExisting: 'skip' }), items(input));
		expect(second.rows.map((row) => [row.status, row.userId])).toEqual(ids.map((id) => ['existing', id]));
		expect(writes(emu).length).toBe(writesAfterFirst);

		const third = await runBulk(emu, params({ onExisting: 'update' }), items(input));
		expect(third.rows.map((row) => [row.status, row.userId])).toEqual(ids.map((id) => ['updated', id]));
		expect(third.rows[0].steps).toContainEqual({ step: 'update', status: 'skipped', detail: 'unchanged' });
		// Follow-ups are re-applied (idempotent), users are never posted again.
		expect(createRequests(emu)).toHaveLength(3);
		expect(emu.state.users.size).toBe(3);
		expect(emu.state.grants.get(String(ids[0]))).toEqual([{ roleId: DEFAULT_IDS.roles[0], divisionId: DEFAULT_IDS.homeDivisionId }]);
		expect(emu.state.userByEmail('cat@example.com')?.managerId).toBe(ids[0]);
	});
});

describe('eventual consistency', () => {
	test('a user created by someone else after the lookup (409) is found once search catches up', async () => {
		// The lag outlasts the test on an emulator clock that catches up once the node has met the 409.
		const clock = shiftableClock();
		emu = await startBulkEmulator({ now: clock.now, faults: { searchLagMs: LAG_MS } });
		const api = await new TestClient(emu.url, CLIENT).login();
		expect((await api.post('/api/v2/users', { name: 'Someone Else', email: 'race@example.com' })).status).toBe(200);
		const indexed = advanceWhen(clock, () => createRequests(emu).some((req) => req.status === 409), LAG_MS);
		const run = await runBulk(
			emu,
			params({ onExisting: 'update' }),
			items([{ name: 'Mine Now', email: 'race@example.com' }]),
		);
		expect(await indexed).toBe(true);
		expect(run.rows[0]).toMatchObject({ status: 'updated', userId: emu.state.userByEmail('race@example.com')?.id });
		expect(run.rows[0].steps).toContainEqual(expect.objectContaining({ step: 'create', status: 'skipped' }));
		expect(createRequests(emu).map((req) => req.status)).toEqual([200, 409]);
		expect(emu.state.users.size).toBe(1);
		expect(emu.state.userByEmail('race@example.com')?.name).toBe('Mine Now');
	});

	test('follow-ups answered 404 right after the create are retried until the user is visible', async () => {
		// Visible once the node has met a 404 (the node's own window is a minute).
		const clock = shiftableClock();
		emu = await startBulkEmulator({ now: clock.now, faults: { consistencyDelayMs: LAG_MS } });
		const visible = advanceWhen(clock, () => emu.requests.some((req) => req.status === 404), LAG_MS);
		const run = await runBulk(
			emu,
			params({}, { includeSummary: true, externalIdAuthority: 'HRIS' }),
			items([
				{
					name: 'Fresh User',
					email: 'fresh@example.com',
					employee_id: 'F-1',
					roles: DEFAULT_IDS.roles[1],
					queues: DEFAULT_IDS.queues[1],
				},
			]),
		);
		const user = emu.state.userByEmail('fresh@example.com');
		expect(run.rows[0]).toMatchObject({ status: 'created', userId: user?.id });
		expect(emu.requests.filter((req) => req.status === 404).length).toBeGreaterThan(0);
		expect(await visible).toBe(true);
		expect((run.summary?.engine as { consistencyRetries: number }).consistencyRetries).toBeGreaterThan(0);
		expect(emu.state.externalIds.get(user?.id ?? '')).toHaveLength(1);
		expect(emu.state.grants.get(user?.id ?? '')).toHaveLength(1);
		expect(emu.state.queueMembers.get(DEFAULT_IDS.queues[1])?.has(user?.id ?? '')).toBe(true);
		expect(createRequests(emu)).toHaveLength(1);
	});
});
