/**
 * Bulk Create Users against what a real org does (issue: new users come out active, roles stay in their
 * division, an update never wipes data): through n8n's engine against the emulator, which models each trap.
 */
import { DEFAULT_IDS } from '../emulator';
import type { Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import {
	CLIENT,
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

describe('update keeps what the row does not set', () => {
	const held = [
		{ address: '+15555550101', mediaType: 'PHONE', type: 'WORK', extension: '4021' },
		{ address: '+15555550102', mediaType: 'PHONE', type: 'MOBILE' },
		{ address: '+15555550103', mediaType: 'PHONE', type: 'HOME' },
		{ extension: '7788', mediaType: 'PHONE', type: 'WORK2' },
		{ address: 'private@example.org', mediaType: 'EMAIL', type: 'HOME' },
	];

	function patches(target: Emulator): number {
		return target.requests.filter((req) => req.method === 'PATCH' && /^\/api\/v2\/users\/[^/]+$/.test(req.path)).length;
	}

	test('a new work number replaces the work phone only; a rerun sends no PATCH and says unchanged', async () => {
		emu = await startBulkEmulator();
		const client = await new TestClient(emu.url, CLIENT).login();
		const created = await client.createUser({ name: 'Pat Phones', email: 'pat@example.com', state: 'active', addresses: held });
		expect(created.status).toBe(200);
		const row = { name: 'Pat Phones', email: 'pat@example.com', workPhone: '+1 (555) 555-0199' };

		const first = await runBulk(emu, params({ onExisting: 'update' }), items([row]));
		expect(first.rows[0]).toMatchObject({ status: 'updated' });
		expect(first.rows[0].steps).toContainEqual({ step: 'update', status: 'done', detail: 'addresses' });
		expect(emu.state.userByEmail('pat@example.com')?.addresses).toEqual([
			// The number the row sets; the extension it does not set stays.
			{ address: '+15555550199', mediaType: 'PHONE', type: 'WORK', extension: '4021' },
			...held.slice(1),
		]);
		expect(patches(emu)).toBe(1);

		const rerun = await runBulk(emu, params({ onExisting: 'update' }), items([row]));
		expect(rerun.rows[0]).toMatchObject({ status: 'updated' });
		expect(rerun.rows[0].steps).toContainEqual({ step: 'update', status: 'skipped', detail: 'unchanged' });
		expect(patches(emu)).toBe(1);
	});

	test('phones are sent in E.164 with the extension apart; national numbers use the Default Country Calling Code', async () => {
		emu = await startBulkEmulator();
		const input = [
			{ name: 'Uma Uk', email: 'uma@example.com', workPhone: '020 7946 0958 ext. 12', mobilePhone: '+44 7700 900123' },
			{ name: 'Ike Intl', email: 'ike@example.com', workPhone: '0049 30 901820' },
		];
		const run = await runBulk(emu, params({}, { defaultCountryCode: '+44' }), items(input));
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'created']);
		expect(emu.state.userByEmail('uma@example.com')?.addresses).toEqual([
			{ address: '+442079460958', extension: '12', mediaType: 'PHONE', type: 'WORK' },
			{ address: '+447700900123', mediaType: 'PHONE', type: 'MOBILE' },
		]);
		expect(emu.state.userByEmail('ike@example.com')?.addresses).toEqual([
			{ address: '+4930901820', mediaType: 'PHONE', type: 'WORK' },
		]);
	});

	test.each([false, true])(
		'an unreadable number makes the row invalid, naming row and field, before any write (dry run %s)',
		async (dryRun) => {
			emu = await startBulkEmulator();
			const input = [
				{ name: 'Ok Row', email: 'ok@example.com', workPhone: '+1 555 555 0100' },
				{ name: 'No Country', email: 'nocc@example.com', workPhone: '555-0100 x12' },
				{ name: 'Bad Mobile', email: 'bad@example.com', mobilePhone: 'call me' },
			];
			const run = await runBulk(emu, params({ dryRun }), items(input));
			expect(run.rows.map((row) => row.status)).toEqual([dryRun ? 'planned' : 'created', 'invalid', 'invalid']);
			expect(run.rows[1]).toMatchObject({ row: 2, error: { field: 'workPhone' } });
			expect((run.rows[1].error as { message: string }).message).toMatch(/^Row 2: Work phone '555-0100 x12' has no country code/);
			expect(run.rows[2]).toMatchObject({ row: 3, error: { field: 'mobilePhone', message: "Row 3: Mobile phone 'call me' is not a phone number" } });
			expect(createRequests(emu).map((req) => (req.body as { email: string }).email)).toEqual(dryRun ? [] : ['ok@example.com']);
		},
	);

	test('a rerun of the same 1,000 rows with onExisting update sends 0 PATCH requests', async () => {
		emu = await startBulkEmulator();
		const input = emails(1000).map((email, i) => ({
			name: `User ${i}`,
			email,
			title: 'Agent',
			department: i % 2 === 0 ? 'Sales' : 'Support',
			workPhone: `+1 555 ${String(1000000 + i).slice(1, 4)} ${String(i).padStart(4, '0')}`,
			mobilePhone: `+44 7700 ${String(900000 + i)}`,
		}));
		// The emulator has no rate limit here: the node's own pacing is compressed (3,000 requests per 6 s) so
		// the test measures requests, not minutes.
		const parameters = params({ onExisting: 'update', rateLimitWindowSeconds: 6 }, { concurrency: 20, requestsPerMinute: 3000 });
		const first = await runBulk(emu, parameters, items(input), { timeoutMs: 300_000 });
		expect(first.rows.filter((row) => row.status === 'created')).toHaveLength(1000);
		const before = emu.requests.length;
		const rerun = await runBulk(emu, parameters, items(input), { timeoutMs: 300_000 });
		expect(rerun.rows.filter((row) => row.status === 'updated')).toHaveLength(1000);
		const rerunRequests = emu.requests.slice(before);
		expect(rerunRequests.filter((req) => req.method === 'PATCH')).toEqual([]);
		expect(rerun.rows.every((row) => (row.steps as unknown[]).some((step) => JSON.stringify(step) === JSON.stringify({ step: 'update', status: 'skipped', detail: 'unchanged' })))).toBe(true);
	}, 600_000);
});

describe('invite', () => {
	test('new users are invited without force, restored users with force=true; a plain rerun invites nobody', async () => {
		emu = await startBulkEmulator({
			users: [{ id: 'gone-1', name: 'Gone Before', email: 'gone@example.com', state: 'deleted' }],
		});
		const input = [
			{ name: 'New Hire', email: 'new@example.com' },
			{ name: 'Gone Before', email: 'gone@example.com' },
		];
		const parameters = params({ onExisting: 'update', restoreDeleted: true }, { sendInvite: true });
		const first = await runBulk(emu, parameters, items(input));
		expect(first.rows.map((row) => row.status)).toEqual(['created', 'restored']);
		const created = emu.state.userByEmail('new@example.com');
		expect(emu.state.inviteRequests.map(({ userId, force, sent }) => ({ userId, force, sent }))).toEqual(
			expect.arrayContaining([
				{ userId: created?.id, force: false, sent: true },
				{ userId: 'gone-1', force: true, sent: true },
			]),
		);
		expect(emu.state.inviteRequests).toHaveLength(2);
		expect(first.rows[0].steps).toContainEqual({ step: 'invite', status: 'done', detail: 'invitation sent' });
		expect(first.rows[1].steps).toContainEqual({
			step: 'invite',
			status: 'done',
			detail: 'invitation sent with force=true (even if one is outstanding)',
		});

		const rerun = await runBulk(emu, parameters, items(input));
		expect(rerun.rows.map((row) => row.status)).toEqual(['updated', 'updated']);
		expect(emu.state.inviteRequests).toHaveLength(2);
		expect(emu.state.invites).toHaveLength(2);
	});

	test('Resend Invite to Updated Users sends again with force=true, even while one is outstanding', async () => {
		emu = await startBulkEmulator();
		const input = [{ name: 'Rae Resend', email: 'rae@example.com' }];
		await runBulk(emu, params({}, { sendInvite: true }), items(input));
		const run = await runBulk(emu, params({ onExisting: 'update' }, { resendInvite: true }), items(input));
		expect(run.rows[0]).toMatchObject({ status: 'updated' });
		expect(emu.state.inviteRequests.map(({ force, sent }) => ({ force, sent }))).toEqual([
			{ force: false, sent: true },
			{ force: true, sent: true },
		]);
		const dry = await runBulk(emu, params({ onExisting: 'update', dryRun: true }, { resendInvite: true }), items(input));
		expect(dry.rows[0].steps).toContainEqual({
			step: 'invite',
			status: 'planned',
			detail: 'send invitation email with force=true (even if one is outstanding)',
		});
	});
});

describe('initial password', () => {
	const input = [{ name: 'Pia Pass', email: 'pia@example.com', password: 'Init!al-Pa55' }];

	test('is set after the create with POST /users/{id}/password, never inside the CreateUser', async () => {
		emu = await startBulkEmulator();
		const run = await runBulk(emu, params(), items(input));
		const pia = emu.state.userByEmail('pia@example.com');
		expect(run.rows[0]).toMatchObject({ status: 'created', userId: pia?.id });
		expect(run.rows[0].steps).toContainEqual({ step: 'password', status: 'done', detail: 'initial password set' });
		expect(createRequests(emu).map((req) => Object.keys(req.body as object))).toEqual([['name', 'email', 'state']]);
		expect(emu.state.passwordAttempts.map(({ userId, via, ok }) => ({ userId, via, ok }))).toEqual([
			{ userId: pia?.id, via: 'password', ok: true },
		]);
		expect(emu.state.passwords.has(pia?.id ?? '')).toBe(true);
	});

	test('a password Genesys keeps failing is retried, then the row fails naming it; the user is kept', async () => {
		emu = await startBulkEmulator({ faults: { passwordFailure: 1 } });
		const run = await runBulk(emu, params(), items(input));
		const pia = emu.state.userByEmail('pia@example.com');
		expect(pia?.state).toBe('active');
		expect(run.rows[0]).toMatchObject({ status: 'failed', userId: pia?.id, error: { field: 'password', httpStatus: 500 } });
		// Three attempts (DEFAULT_TIMING.passwordAttempts), none applied.
		expect(emu.state.passwordAttempts.map(({ via, ok }) => ({ via, ok }))).toEqual(
			Array.from({ length: 3 }, () => ({ via: 'password', ok: false })),
		);
		expect(JSON.stringify(run.rows)).not.toContain('Init!al-Pa55');
	});

	test('a rerun under update does not reset the password of an existing user', async () => {
		emu = await startBulkEmulator();
		await runBulk(emu, params(), items(input));
		await runBulk(emu, params({ onExisting: 'update' }), items(input));
		expect(emu.state.passwordAttempts).toHaveLength(1);
	});
});

describe('consistency windows', () => {
	test('a 409 waits for search to show the user holding the email (Reconcile Window); 0 fails at once', async () => {
		// The user was created moments before the run, so the lookup misses it and the create is refused.
		emu = await startBulkEmulator({ faults: { searchLagMs: 3_000 } });
		const other = await new TestClient(emu.url, CLIENT).login();
		const early = await other.createUser({ name: 'Early Bird', email: 'early@example.com', state: 'active' });
		const run = await runBulk(emu, params(), items([{ name: 'Early Bird', email: 'early@example.com' }]));
		expect(run.rows[0]).toMatchObject({ status: 'existing', userId: early.body.id });

		// A lag far past a window of 0 s: the row fails on the conflict, however slow the machine is.
		const lagging = await startBulkEmulator({ faults: { searchLagMs: 600_000 } });
		const late = await new TestClient(lagging.url, CLIENT).login();
		await late.createUser({ name: 'Late Bird', email: 'late@example.com', state: 'active' });
		const failed = await runBulk(
			lagging,
			params({}, { reconcileWindowSeconds: 0 }),
			items([{ name: 'Late Bird', email: 'late@example.com' }]),
		);
		expect(failed.rows[0]).toMatchObject({ status: 'failed', error: { httpStatus: 409, field: 'create' } });
	});

	test('a role grant answered 404 while a new role is not in the authorization cache is retried for an existing user', async () => {
		emu = await startBulkEmulator({ users: [{ id: 'old-1', name: 'Old Hand', email: 'old@example.com' }] });
		const newRole = '0201e000-0000-4000-8000-0000000000aa';
		emu.setFaults({ authCacheLagMs: 1_500 });
		emu.catalog.addRole(newRole, 'Onboarding');
		const run = await runBulk(
			emu,
			params({ onExisting: 'update' }, { includeSummary: true }),
			items([{ name: 'Old Hand', email: 'old@example.com', roles: newRole }]),
		);
		expect(run.rows[0]).toMatchObject({ status: 'updated' });
		expect(run.rows[0].steps).toContainEqual({ step: 'roles', status: 'done', detail: '1 role grant(s)' });
		expect(emu.state.grants.get('old-1')).toEqual([{ roleId: newRole, divisionId: emu.catalog.homeDivisionId }]);
		const bulkadds = emu.requests.filter((req) => req.path === '/api/v2/authorization/subjects/old-1/bulkadd');
		expect(bulkadds.length).toBeGreaterThan(1);
		expect(bulkadds.slice(0, -1).every((req) => req.status === 404)).toBe(true);
		expect(run.summary?.engine).toMatchObject({ consistencyRetries: bulkadds.length - 1 });
	});
});
