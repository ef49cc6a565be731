/**
 * What a real org does with users that a first client easily gets wrong: the state of a new user, the division
 * of a role grant, PATCH replacing lists, invitations, passwords, and the consistency windows. Each behaviour
 * names its public witness in the route that implements it.
 */
import { DEFAULT_IDS, startEmulator, type Emulator } from './index';
import { TestClient } from './testClient';

const [HOME, SALES] = DEFAULT_IDS.divisions;
const [ROLE_A] = DEFAULT_IDS.roles;
const MINUTE = 60_000;

/** A clock the test moves by hand: nothing here depends on how fast the machine is. */
function manualClock(start = Date.UTC(2026, 0, 5, 9)): { now: () => number; advance: (ms: number) => void } {
	let now = start;
	return { now: () => now, advance: (ms) => (now += ms) };
}

describe('emulator: a real org', () => {
	let emu: Emulator;
	let client: TestClient;
	const clock = manualClock();

	beforeAll(async () => {
		// Invitations are followed over 30 days of emulator time: the token must outlive them.
		emu = await startEmulator({ now: clock.now, tokenLifetimeSec: 365 * 86_400 });
		client = await new TestClient(emu.url).login();
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	async function create(body: Record<string, unknown> = {}): Promise<string> {
		const res = await client.createUser({ name: 'Real Org', email: `real.${emu.state.users.size}@example.com`, ...body });
		expect(res.status).toBe(200);
		return res.body.id as string;
	}

	describe('state of a new user', () => {
		test('without state the user is inactive, and stays so when no invite follows', async () => {
			const id = await create();
			expect(emu.state.users.get(id)?.state).toBe('inactive');
			expect((await client.get(`/api/v2/users/${id}`)).body).toMatchObject({ state: 'inactive', version: 1 });
		});

		test('the state asked for is the state given', async () => {
			expect(emu.state.users.get(await create({ state: 'active' }))?.state).toBe('active');
			expect(emu.state.users.get(await create({ state: 'inactive' }))?.state).toBe('inactive');
		});

		test('an invitation activates an inactive user: new version, dateWelcomeSent set, search sees it', async () => {
			const id = await create();
			expect((await client.post(`/api/v2/users/${id}/invite`)).status).toBe(204);
			const user = (await client.get(`/api/v2/users/${id}`)).body;
			expect(user).toMatchObject({ state: 'active', version: 2, dateWelcomeSent: new Date(clock.now()).toISOString() });
			const search = await client.searchByEmail(user.email, [{ type: 'EXACT', fields: ['state'], values: ['active'] }]);
			expect(search.body.results.map((found: { id: string }) => found.id)).toEqual([id]);
		});
	});

	describe('invitations', () => {
		test('a repeat without force sends nothing while the first is outstanding; force resends', async () => {
			const id = await create({ state: 'active' });
			await client.post(`/api/v2/users/${id}/invite`);
			clock.advance(MINUTE);
			expect((await client.post(`/api/v2/users/${id}/invite?force=false`)).status).toBe(204);
			expect((await client.post(`/api/v2/users/${id}/invite`)).status).toBe(204);
			expect(emu.state.invites).toEqual([id]);
			expect((await client.post(`/api/v2/users/${id}/invite?force=true`)).status).toBe(204);
			expect(emu.state.invites).toEqual([id, id]);
			expect(emu.state.inviteRequests.map(({ force, sent }) => ({ force, sent }))).toEqual([
				{ force: false, sent: true },
				{ force: false, sent: false },
				{ force: false, sent: false },
				{ force: true, sent: true },
			]);
			// Only a sent invitation is a write.
			const invites = emu.requests.filter((request) => request.path.endsWith('/invite'));
			expect(invites.map((request) => request.applied)).toEqual([true, false, false, true]);
			expect(emu.state.users.get(id)?.version).toBe(1);
		});

		test('an invitation expires after 30 days: then a plain invite sends again', async () => {
			const id = await create({ state: 'active' });
			await client.post(`/api/v2/users/${id}/invite`);
			clock.advance(30 * 24 * 60 * MINUTE - 1);
			await client.post(`/api/v2/users/${id}/invite`);
			expect(emu.state.invites).toEqual([id]);
			clock.advance(1);
			await client.post(`/api/v2/users/${id}/invite`);
			expect(emu.state.invites).toEqual([id, id]);
		});

		test('force takes only true or false', async () => {
			const id = await create();
			const res = await client.post(`/api/v2/users/${id}/invite?force=yes`);
			expect(res.status).toBe(400);
			expect(res.body.details).toEqual([expect.objectContaining({ fieldName: 'force' })]);
			expect(emu.state.inviteRequests).toEqual([]);
		});
	});

	describe('role grants keep their division', () => {
		test('every grant is recorded with the exact division asked; * stays *; the home division is served', async () => {
			const home = await client.get('/api/v2/authorization/divisions/home');
			expect(home.body).toMatchObject({ id: HOME, homeDivision: true });
			expect(emu.catalog.homeDivisionId).toBe(HOME);
			const id = await create();
			const grants = [
				{ roleId: ROLE_A, divisionId: HOME },
				{ roleId: ROLE_A, divisionId: SALES },
			];
			expect((await client.post(`/api/v2/authorization/subjects/${id}/bulkadd`, { grants })).status).toBe(204);
			expect(emu.state.grants.get(id)).toEqual(grants);
			expect(emu.state.grants.get(id)?.some((grant) => grant.divisionId === '*')).toBe(false);
			await client.post(`/api/v2/authorization/subjects/${id}/bulkadd`, { grants: [{ roleId: ROLE_A, divisionId: '*' }] });
			expect(emu.state.grants.get(id)).toEqual([...grants, { roleId: ROLE_A, divisionId: '*' }]);
			const subject = await client.get(`/api/v2/authorization/subjects/${id}`);
			expect(subject.body.grants.map((grant: { division: { id: string } }) => grant.division.id)).toEqual([HOME, SALES, '*']);
		});

		test('a grant without a division is refused (RoleDivisionPair.divisionId is required): nothing defaults to *', async () => {
			const id = await create();
			const res = await client.post(`/api/v2/authorization/subjects/${id}/bulkadd`, { grants: [{ roleId: ROLE_A }] });
			expect(res.status).toBe(400);
			expect(res.body.details).toEqual([expect.objectContaining({ fieldName: 'grants.0.divisionId' })]);
			expect(emu.state.grants.get(id)).toBeUndefined();
		});
	});

	describe('PATCH addresses replaces the whole list', () => {
		const phones = [
			{ address: '+15555550101', mediaType: 'PHONE', type: 'WORK' },
			{ address: '+15555550102', mediaType: 'PHONE', type: 'MOBILE' },
			{ address: '+15555550103', mediaType: 'PHONE', type: 'HOME' },
			{ extension: '4021', mediaType: 'PHONE', type: 'WORK2' },
			{ address: 'private@example.org', mediaType: 'EMAIL', type: 'HOME' },
		];

		test('a PATCH with one phone leaves only that phone; the version moves by one', async () => {
			const id = await create({ addresses: phones });
			const work = { address: '+15555550199', mediaType: 'PHONE', type: 'WORK' };
			const res = await client.patch(`/api/v2/users/${id}`, { addresses: [work], version: 1 });
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ version: 2, addresses: [work] });
			expect(emu.state.users.get(id)?.addresses).toEqual([work]);
		});

		test('a client that merges first keeps the others; a stale version changes nothing', async () => {
			const id = await create({ addresses: phones });
			const current = (await client.get(`/api/v2/users/${id}`)).body;
			const merged = current.addresses.map((contact: { type: string }) =>
				contact.type === 'WORK' ? { address: '+15555550199', mediaType: 'PHONE', type: 'WORK' } : contact,
			);
			expect((await client.patch(`/api/v2/users/${id}`, { addresses: merged, version: current.version })).status).toBe(200);
			expect(emu.state.users.get(id)?.addresses).toEqual([{ ...phones[0], address: '+15555550199' }, ...phones.slice(1)]);
			const stale = await client.patch(`/api/v2/users/${id}`, { addresses: [], version: current.version });
			expect(stale.status).toBe(409);
			expect(emu.state.users.get(id)?.addresses).toHaveLength(5);
		});

		test('the PRIMARY email cannot be changed through addresses; sent unchanged it is accepted', async () => {
			const id = await create();
			const email = emu.state.users.get(id)?.email;
			const changed = await client.patch(`/api/v2/users/${id}`, {
				addresses: [{ address: 'other@example.com', mediaType: 'EMAIL', type: 'PRIMARY' }],
				version: 1,
			});
			expect(changed.status).toBe(400);
			expect(changed.body.details).toEqual([expect.objectContaining({ fieldName: 'addresses' })]);
			const same = await client.patch(`/api/v2/users/${id}`, {
				addresses: [{ address: email, mediaType: 'EMAIL', type: 'PRIMARY' }],
				version: 1,
			});
			expect(same.status).toBe(200);
		});
	});

	describe('passwords', () => {
		test('with passwordFailure the create still succeeds, the password stays unset, and a later POST /password sets it', async () => {
			emu.setFaults({ passwordFailure: 1 });
			const id = await create({ password: 'Initial-Secret-1' });
			expect(emu.state.users.get(id)).toBeDefined();
			expect(emu.state.passwords.has(id)).toBe(false);
			const failed = await client.post(`/api/v2/users/${id}/password`, { newPassword: 'Retry-Secret-2' });
			expect(failed.status).toBe(500);
			expect(emu.requests.at(-1)?.applied).toBe(false);
			emu.setFaults({ passwordFailure: 0 });
			expect((await client.post(`/api/v2/users/${id}/password`, { newPassword: 'Retry-Secret-2' })).status).toBe(204);
			expect(emu.state.passwords.has(id)).toBe(true);
			expect(emu.state.passwordAttempts.map(({ via, ok }) => `${via}:${ok}`)).toEqual([
				'create:false',
				'password:false',
				'password:true',
			]);
			expect(JSON.stringify(emu.state.passwordAttempts)).not.toContain('Secret');
		});

		test('a fractional passwordFailure fails some and not others, the same way for the same seed', async () => {
			emu.setFaults({ passwordFailure: 0.5 });
			for (let i = 0; i < 20; i++) await create({ password: 'Initial-Secret-1' });
			const outcomes = emu.state.passwordAttempts.map((attempt) => attempt.ok);
			expect(outcomes).toContain(true);
			expect(outcomes).toContain(false);
			emu.reset();
			emu.setFaults({ passwordFailure: 0.5 });
			for (let i = 0; i < 20; i++) await create({ password: 'Initial-Secret-1' });
			expect(emu.state.passwordAttempts.map((attempt) => attempt.ok)).toEqual(outcomes);
		});
	});

	describe('consistency windows on the emulator clock', () => {
		test('search can lag minutes: a new user is found only once searchLagMs has passed', async () => {
			emu.setFaults({ searchLagMs: 3 * MINUTE });
			const id = await create();
			const email = emu.state.users.get(id)?.email as string;
			clock.advance(3 * MINUTE - 1);
			expect((await client.searchByEmail(email)).body.results).toEqual([]);
			clock.advance(1);
			expect((await client.searchByEmail(email)).body.results.map((user: { id: string }) => user.id)).toEqual([id]);
		});

		test('a role or division added at run time 404s on bulkadd for authCacheLagMs, for an existing user too', async () => {
			emu.setFaults({ authCacheLagMs: 2 * MINUTE });
			const existing = await create({ state: 'active' });
			const newRole = '0201e000-0000-4000-8000-0000000000aa';
			const newDivision = '0d1f0000-0000-4000-8000-0000000000aa';
			emu.catalog.addRole(newRole, 'Onboarding');
			emu.catalog.addDivision(newDivision, 'New Hires');
			// The role is listed at once: only the authorization cache lags.
			expect((await client.get(`/api/v2/authorization/roles/${newRole}`)).status).toBe(200);

			const grantRole = { grants: [{ roleId: newRole, divisionId: HOME }] };
			const grantDivision = { grants: [{ roleId: ROLE_A, divisionId: newDivision }] };
			const early = await client.post(`/api/v2/authorization/subjects/${existing}/bulkadd`, grantRole);
			expect(early.status).toBe(404);
			expect(early.body.message).toContain(newRole);
			expect((await client.post(`/api/v2/authorization/subjects/${existing}/bulkadd`, grantDivision)).status).toBe(404);
			// Known roles and divisions are not affected.
			const known = { grants: [{ roleId: ROLE_A, divisionId: SALES }] };
			expect((await client.post(`/api/v2/authorization/subjects/${existing}/bulkadd`, known)).status).toBe(204);

			clock.advance(2 * MINUTE);
			expect((await client.post(`/api/v2/authorization/subjects/${existing}/bulkadd`, grantRole)).status).toBe(204);
			expect((await client.post(`/api/v2/authorization/subjects/${existing}/bulkadd`, grantDivision)).status).toBe(204);
			expect(emu.state.grants.get(existing)).toEqual([known.grants[0], grantRole.grants[0], grantDivision.grants[0]]);
		});

		test('reset forgets roles and divisions added at run time', async () => {
			emu.catalog.addRole('0201e000-0000-4000-8000-0000000000bb');
			expect(() => emu.catalog.addRole('0201e000-0000-4000-8000-0000000000bb')).toThrow(RangeError);
			emu.reset();
			expect((await client.get('/api/v2/authorization/roles/0201e000-0000-4000-8000-0000000000bb')).status).toBe(404);
		});
	});
});
