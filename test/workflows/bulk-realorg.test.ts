/**
 * Bulk Create Users against what a real org does (issue: new users come out active, roles stay in their
 * division, an update never wipes data): through n8n's engine against the emulator, which models each trap.
 */
import { DEFAULT_IDS } from '../emulator';
import type { Emulator } from '../emulator';
import {
	closeBulkEmulators,
	createRequests,
	emails,
	items,
	params,
	runBulk,
	startBulkEmulator,
} from './bulk-helpers';

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

describe('role division', () => {
	const [roleA, roleB, roleC] = [DEFAULT_IDS.roles[0], DEFAULT_IDS.roles[1], DEFAULT_IDS.roles[2]];
	const other = DEFAULT_IDS.divisions[1];

	test("a role without a division goes to the user's division; * only when the row asks for it", async () => {
		emu = await startBulkEmulator();
		const input = [
			{ name: 'Home User', email: 'home@example.com', roles: roleA },
			{ name: 'Other User', email: 'other@example.com', divisionId: other, roles: `${roleA}, ${roleB}:*` },
		];
		const run = await runBulk(emu, params(), items(input));
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'created']);
		expect(emu.state.grants.get(emu.state.userByEmail('home@example.com')?.id ?? '')).toEqual([
			{ roleId: roleA, divisionId: emu.catalog.homeDivisionId },
		]);
		expect(emu.state.grants.get(emu.state.userByEmail('other@example.com')?.id ?? '')).toEqual([
			{ roleId: roleA, divisionId: other },
			{ roleId: roleB, divisionId: '*' },
		]);
		// The home division is read once for the run, and only because a row needed it.
		expect(emu.requests.filter((req) => req.path === '/api/v2/authorization/divisions/home')).toHaveLength(1);
	});

	test('with default options no grant is made in * ; the Default Role Division option can still ask for it', async () => {
		emu = await startBulkEmulator();
		const input = emails(6).map((email, i) => ({ name: `User ${i}`, email, roles: i % 2 === 0 ? roleA : `${roleB},${roleC}` }));
		await runBulk(emu, params(), items(input));
		const grants = [...emu.state.grants.values()].flat();
		expect(grants).toHaveLength(9);
		expect(grants.filter((grant) => grant.divisionId === '*')).toEqual([]);

		const star = await startBulkEmulator();
		await runBulk(star, params({}, { roleDivisionId: '*' }), items([{ name: 'Star', email: 'star@example.com', roles: roleA }]));
		expect([...star.state.grants.values()].flat()).toEqual([{ roleId: roleA, divisionId: '*' }]);
		expect(star.requests.filter((req) => req.path === '/api/v2/authorization/divisions/home')).toEqual([]);
	});

	test('a dry run names the division each role would be granted in', async () => {
		emu = await startBulkEmulator();
		const run = await runBulk(emu, params({ dryRun: true }), items([{ name: 'Plan', email: 'plan@example.com', roles: roleA }]));
		expect(run.rows[0].steps).toContainEqual({
			step: 'roles',
			status: 'planned',
			detail: `${roleA}@${emu.catalog.homeDivisionId}`,
		});
	});
});
