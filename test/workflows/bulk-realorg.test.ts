/**
 * Bulk Create Users against what a real org does (issue: new users come out active, roles stay in their
 * division, an update never wipes data): through n8n's engine against the emulator, which models each trap.
 */
import type { Emulator } from '../emulator';
import { closeBulkEmulators, createRequests, items, params, runBulk, startBulkEmulator } from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

describe('new user state', () => {
	test('with default options every new user is active and every create sends a state', async () => {
		emu = await startBulkEmulator();
		const input = [
			{ name: 'Ann Active', email: 'ann@example.com' },
			{ name: 'Ben Default', email: 'ben@example.com', title: 'Agent' },
			{ name: 'Cat Row', email: 'cat@example.com', state: 'Active' },
		];
		const run = await runBulk(emu, params(), items(input));
		expect(run.result.status).toBe('success');
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'created', 'created']);
		expect(createRequests(emu).map((req) => (req.body as { state?: string }).state)).toEqual([
			'active',
			'active',
			'active',
		]);
		expect([...emu.state.users.values()].map((user) => user.state)).toEqual(['active', 'active', 'active']);
		// No invitation was needed to activate them.
		expect(emu.state.inviteRequests).toEqual([]);
	});

	test('New User State inactive applies to rows without a state; a row state wins', async () => {
		emu = await startBulkEmulator();
		const input = [
			{ name: 'Dan Quiet', email: 'dan@example.com' },
			{ name: 'Eve Live', email: 'eve@example.com', state: 'active' },
		];
		const run = await runBulk(emu, params({}, { newUserState: 'inactive' }), items(input));
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'created']);
		expect(emu.state.userByEmail('dan@example.com')?.state).toBe('inactive');
		expect(emu.state.userByEmail('eve@example.com')?.state).toBe('active');
	});

	test('a user meant to stay inactive gets no invitation (it would activate them); the step says why', async () => {
		emu = await startBulkEmulator();
		const input = [
			{ name: 'Fay Later', email: 'fay@example.com', state: 'inactive' },
			{ name: 'Gus Now', email: 'gus@example.com' },
		];
		const run = await runBulk(emu, params({}, { sendInvite: true }), items(input));
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'created']);
		const fay = emu.state.userByEmail('fay@example.com');
		const gus = emu.state.userByEmail('gus@example.com');
		expect(fay?.state).toBe('inactive');
		expect(gus?.state).toBe('active');
		expect(emu.state.inviteRequests.map((request) => request.userId)).toEqual([gus?.id]);
		expect(run.rows[0].steps).toContainEqual({
			step: 'invite',
			status: 'skipped',
			detail: 'not sent: the user is to stay inactive and an invitation would activate it',
		});
	});

	test('a dry run shows the state that would be sent', async () => {
		emu = await startBulkEmulator();
		const run = await runBulk(emu, params({ dryRun: true }), items([{ name: 'Hal Plan', email: 'hal@example.com' }]));
		expect(run.rows[0]).toMatchObject({
			status: 'planned',
			action: 'create',
			body: { name: 'Hal Plan', email: 'hal@example.com', state: 'active' },
		});
		expect(createRequests(emu)).toEqual([]);
	});
});
