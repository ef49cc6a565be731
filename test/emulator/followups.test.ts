import { DEFAULT_IDS, startEmulator, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient } from './testClient';

const [ROLE_A, ROLE_B] = DEFAULT_IDS.roles;
const [SKILL_A, SKILL_B] = DEFAULT_IDS.skills;
const [QUEUE_A, QUEUE_B] = DEFAULT_IDS.queues;

describe('emulator: follow-up provisioning endpoints', () => {
	let emu: Emulator;
	let client: TestClient;
	let userId: string;

	emulatorPerFile({}, (started, api) => {
		emu = started;
		client = api;
	});
	beforeEach(async () => {
		userId = (await client.createUser({ name: 'Follow Up', email: 'follow.up@example.com' })).body.id;
	});

	describe('external ids', () => {
		test('POST answers a single object; GET lists; lookup by authority/key finds the user', async () => {
			const res = await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'HRIS', externalKey: 'E-1' });
			expect(res.status).toBe(200);
			expect(Array.isArray(res.body)).toBe(false);
			expect(res.body).toMatchObject({ authorityName: 'HRIS', externalKey: 'E-1', selfUri: expect.any(String) });
			expect(emu.state.externalIds.get(userId)).toEqual([{ authorityName: 'HRIS', externalKey: 'E-1' }]);

			const list = await client.get(`/api/v2/users/${userId}/externalid`);
			expect(list.body).toEqual([expect.objectContaining({ authorityName: 'HRIS', externalKey: 'E-1' })]);
			const found = await client.get('/api/v2/users/externalid/HRIS/E-1');
			expect(found.status).toBe(200);
			expect(found.body).toMatchObject({ id: userId, email: 'follow.up@example.com' });
		});

		test('lookup is case-sensitive; an unknown key is 404', async () => {
			await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'HRIS', externalKey: 'E-1' });
			expect((await client.get('/api/v2/users/externalid/hris/E-1')).status).toBe(404);
			expect((await client.get('/api/v2/users/externalid/HRIS/E-2')).status).toBe(404);
		});

		test('posting the same id twice keeps one; another user cannot take it (409); bad bodies 400', async () => {
			await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'HRIS', externalKey: 'E-1' });
			expect((await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'HRIS', externalKey: 'E-1' })).status).toBe(200);
			expect(emu.state.externalIds.get(userId)).toHaveLength(1);
			const other = (await client.createUser({ name: 'Other', email: 'other@example.com' })).body.id;
			expect((await client.post(`/api/v2/users/${other}/externalid`, { authorityName: 'HRIS', externalKey: 'E-1' })).status).toBe(409);
			expect((await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'HRIS' })).status).toBe(400);
			expect((await client.post(`/api/v2/users/${userId}/externalid`, [{ authorityName: 'HRIS', externalKey: 'E-9' }])).status).toBe(400);
		});
	});

	describe('roles', () => {
		test('GET role by id; unknown role 404', async () => {
			const role = await client.get(`/api/v2/authorization/roles/${ROLE_A}`);
			expect(role.body).toMatchObject({ id: ROLE_A, name: 'employee' });
			expect((await client.get('/api/v2/authorization/roles/nope')).status).toBe(404);
		});

		test('bulkadd grants roles (204), "*" division allowed, duplicates kept once; subjects lists them', async () => {
			const body = { grants: [{ roleId: ROLE_A, divisionId: '*' }, { roleId: ROLE_B, divisionId: DEFAULT_IDS.homeDivisionId }] };
			const res = await client.post(`/api/v2/authorization/subjects/${userId}/bulkadd`, body);
			expect(res.status).toBe(204);
			await client.post(`/api/v2/authorization/subjects/${userId}/bulkadd?subjectType=PC_USER`, body);
			expect(emu.state.grants.get(userId)).toEqual(body.grants);
			const subject = await client.get(`/api/v2/authorization/subjects/${userId}`);
			expect(subject.body.grants).toEqual([
				expect.objectContaining({ role: { id: ROLE_A, name: 'employee' }, division: expect.objectContaining({ id: '*' }) }),
				expect.objectContaining({ role: expect.objectContaining({ id: ROLE_B }), division: expect.objectContaining({ id: DEFAULT_IDS.homeDivisionId }) }),
			]);
		});

		test('an unknown role or division is 404 not.found naming it, and grants nothing', async () => {
			const role = await client.post(`/api/v2/authorization/subjects/${userId}/bulkadd`, {
				grants: [{ roleId: ROLE_A, divisionId: '*' }, { roleId: 'ghost-role', divisionId: '*' }],
			});
			expect(role.status).toBe(404);
			expect(role.body).toMatchObject({ code: 'not.found', entityId: 'ghost-role' });
			expect(role.body.message).toContain('ghost-role');
			const division = await client.post(`/api/v2/authorization/subjects/${userId}/bulkadd`, {
				grants: [{ roleId: ROLE_A, divisionId: 'ghost-division' }],
			});
			expect(division.status).toBe(404);
			expect(division.body.entityId).toBe('ghost-division');
			expect(emu.state.grants.get(userId)).toBeUndefined();
		});

		test('bulkadd for an unknown subject is 404', async () => {
			const res = await client.post('/api/v2/authorization/subjects/nobody/bulkadd', { grants: [{ roleId: ROLE_A, divisionId: '*' }] });
			expect(res.status).toBe(404);
		});
	});

	describe('routing', () => {
		test('PATCH routingskills/bulk adds and updates skills (200 entities)', async () => {
			const res = await client.patch(`/api/v2/users/${userId}/routingskills/bulk`, [{ id: SKILL_A, proficiency: 3 }]);
			expect(res.status).toBe(200);
			expect(res.body.entities).toEqual([expect.objectContaining({ id: SKILL_A, proficiency: 3, name: 'English' })]);
			await client.patch(`/api/v2/users/${userId}/routingskills/bulk`, [
				{ id: SKILL_A, proficiency: 4.5 },
				{ id: SKILL_B, proficiency: 0 },
			]);
			expect(emu.state.skills.get(userId)).toEqual([
				{ id: SKILL_A, proficiency: 4.5 },
				{ id: SKILL_B, proficiency: 0 },
			]);
			const listed = await client.get(`/api/v2/users/${userId}/routingskills`);
			expect(listed.body.entities).toHaveLength(2);
		});

		test('an unknown skill is 404; proficiency outside 0..5 is 400', async () => {
			const unknown = await client.patch(`/api/v2/users/${userId}/routingskills/bulk`, [{ id: 'ghost-skill', proficiency: 1 }]);
			expect(unknown.status).toBe(404);
			expect(unknown.body.entityId).toBe('ghost-skill');
			const tooHigh = await client.patch(`/api/v2/users/${userId}/routingskills/bulk`, [{ id: SKILL_A, proficiency: 6 }]);
			expect(tooHigh.status).toBe(400);
			expect(emu.state.skills.get(userId)).toBeUndefined();
		});

		test('GET routing skill and queue by id', async () => {
			expect((await client.get(`/api/v2/routing/skills/${SKILL_A}`)).body).toMatchObject({ id: SKILL_A, name: 'English' });
			expect((await client.get(`/api/v2/routing/queues/${QUEUE_A}`)).body).toMatchObject({ id: QUEUE_A, name: 'Support Queue' });
			expect((await client.get('/api/v2/routing/queues/ghost')).status).toBe(404);
		});

		test('queue members: add (204), at most 100, unknown queue 404, unknown user 404', async () => {
			const add = await client.post(`/api/v2/routing/queues/${QUEUE_A}/members`, [{ id: userId }]);
			expect(add.status).toBe(204);
			expect([...(emu.state.queueMembers.get(QUEUE_A) ?? [])]).toEqual([userId]);
			const tooMany = Array.from({ length: 101 }, () => ({ id: userId }));
			expect((await client.post(`/api/v2/routing/queues/${QUEUE_B}/members`, tooMany)).status).toBe(400);
			expect((await client.post('/api/v2/routing/queues/ghost/members', [{ id: userId }])).status).toBe(404);
			expect((await client.post(`/api/v2/routing/queues/${QUEUE_B}/members`, [{ id: 'ghost-user' }])).status).toBe(404);
			expect(emu.state.queueMembers.get(QUEUE_B)).toBeUndefined();
			const removed = await client.post(`/api/v2/routing/queues/${QUEUE_A}/members?delete=true`, [{ id: userId }]);
			expect(removed.status).toBe(204);
			expect(emu.state.queueMembers.get(QUEUE_A)?.size).toBe(0);
		});

		test('PATCH users/{id}/queues joins and unjoins queues the user is a member of', async () => {
			const notMember = await client.patch(`/api/v2/users/${userId}/queues`, [{ id: QUEUE_A, joined: true }]);
			expect(notMember.status).toBe(400);
			await client.post(`/api/v2/routing/queues/${QUEUE_A}/members`, [{ id: userId }]);
			const unjoin = await client.patch(`/api/v2/users/${userId}/queues`, [{ id: QUEUE_A, joined: false }]);
			expect(unjoin.status).toBe(200);
			expect(unjoin.body.entities).toEqual([expect.objectContaining({ id: QUEUE_A, joined: false })]);
			expect(emu.state.joinedQueues.get(userId)?.has(QUEUE_A)).toBe(false);
			await client.patch(`/api/v2/users/${userId}/queues`, [{ id: QUEUE_A, joined: true }]);
			expect(emu.state.joinedQueues.get(userId)?.has(QUEUE_A)).toBe(true);
		});
	});

	describe('invite and password', () => {
		test('invite is 204 and recorded in order', async () => {
			const other = (await client.createUser({ name: 'Other', email: 'other@example.com' })).body.id;
			expect((await client.post(`/api/v2/users/${other}/invite`)).status).toBe(204);
			expect((await client.post(`/api/v2/users/${userId}/invite?force=true`)).status).toBe(204);
			expect(emu.state.invites).toEqual([other, userId]);
		});

		test('password is 204, remembered as set, never stored or logged; empty is 400', async () => {
			expect((await client.post(`/api/v2/users/${userId}/password`, { newPassword: '' })).status).toBe(400);
			expect(emu.state.passwords.has(userId)).toBe(false);
			expect((await client.post(`/api/v2/users/${userId}/password`, { newPassword: 'Tr1cky-Secret' })).status).toBe(204);
			expect(emu.state.passwords.has(userId)).toBe(true);
			expect(JSON.stringify(emu.requests)).not.toContain('Tr1cky-Secret');
		});

		test('a deleted user gets 404 on follow-ups', async () => {
			await client.delete(`/api/v2/users/${userId}`);
			expect((await client.post(`/api/v2/users/${userId}/invite`)).status).toBe(404);
			expect((await client.post(`/api/v2/users/${userId}/externalid`, { authorityName: 'A', externalKey: 'K' })).status).toBe(404);
		});
	});

	describe('organization', () => {
		test('home division, divisions, roles, skills and queues listings', async () => {
			const home = await client.get('/api/v2/authorization/divisions/home');
			expect(home.body).toMatchObject({ id: DEFAULT_IDS.homeDivisionId, name: 'Home', homeDivision: true });
			const divisions = await client.get('/api/v2/authorization/divisions');
			expect(divisions.body.entities.map((d: { id: string }) => d.id)).toEqual([...DEFAULT_IDS.divisions]);
			const roles = await client.get('/api/v2/authorization/roles?pageSize=2');
			expect(roles.body).toMatchObject({ pageSize: 2, total: DEFAULT_IDS.roles.length, pageCount: 2 });
			expect((await client.get('/api/v2/routing/skills')).body.total).toBe(DEFAULT_IDS.skills.length);
			expect((await client.get('/api/v2/routing/queues')).body.total).toBe(DEFAULT_IDS.queues.length);
		});

		test('custom ids replace the defaults', async () => {
			const custom = await startEmulator({ divisions: ['div-x', 'div-y'], roles: ['role-x'], skills: ['skill-x'], queues: ['queue-x'] });
			try {
				const c = await new TestClient(custom.url).login();
				expect((await c.get('/api/v2/authorization/divisions/home')).body.id).toBe('div-x');
				expect((await c.get('/api/v2/authorization/roles/role-x')).status).toBe(200);
				expect((await c.get(`/api/v2/authorization/roles/${ROLE_A}`)).status).toBe(404);
				const user = (await c.createUser({ name: 'X', email: 'x@example.com', divisionId: 'div-y' })).body;
				expect(user.division.id).toBe('div-y');
			} finally {
				await custom.close();
			}
		});

		test('an unknown path is 404, a wrong method 405', async () => {
			expect((await client.get('/api/v2/nothing/here')).status).toBe(404);
			expect((await client.call('DELETE', '/api/v2/users/search')).status).toBe(404);
			expect((await client.call('PUT', '/api/v2/organizations/me')).status).toBe(405);
		});
	});
});
