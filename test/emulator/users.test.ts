import { DEFAULT_IDS, startEmulator, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient } from './testClient';

const jane = { name: 'Jane Doe', email: 'jane.doe@example.com' };

describe('emulator: users', () => {
	let emu: Emulator;
	let client: TestClient;

	emulatorPerFile(
		{
			users: [
				{ name: 'Old Timer', email: 'old.timer@example.com', state: 'deleted' },
				{ id: 'seed-active-1', name: 'Active Seed', email: 'active.seed@example.com' },
			],
		},
		(started, api) => {
			emu = started;
			client = api;
		},
	);

	describe('POST /api/v2/users', () => {
		test('creates one user: state inactive by default, version 1, home division', async () => {
			const res = await client.createUser({ ...jane, title: 'Agent', department: 'Support' });
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({
				name: 'Jane Doe',
				email: 'jane.doe@example.com',
				state: 'inactive',
				version: 1,
				title: 'Agent',
				department: 'Support',
				division: { id: DEFAULT_IDS.homeDivisionId, name: 'Home', selfUri: expect.any(String) },
				selfUri: `/api/v2/users/${res.body.id}`,
			});
			const stored = emu.state.users.get(res.body.id);
			expect(stored).toMatchObject({ email: 'jane.doe@example.com', state: 'inactive', version: 1, divisionId: DEFAULT_IDS.homeDivisionId });
			expect(emu.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v2/users', status: 200, applied: true });
		});

		test('stores state, addresses and a known division', async () => {
			const addresses = [{ address: '+15555550100', mediaType: 'PHONE', type: 'WORK' }];
			const divisionId = DEFAULT_IDS.divisions[1];
			const res = await client.createUser({ ...jane, state: 'active', addresses, divisionId });
			expect(res.status).toBe(200);
			expect(res.body.addresses).toEqual(addresses);
			expect(res.body.division.id).toBe(divisionId);
			expect(emu.state.users.get(res.body.id)).toMatchObject({ state: 'active', addresses, divisionId });
		});

		test('an array body is 400 bad.request and creates nothing', async () => {
			const res = await client.post('/api/v2/users', [jane]);
			expect(res.status).toBe(400);
			expect(res.body.code).toBe('bad.request');
			expect(res.body.message).toMatch(/single JSON object/);
			expect(emu.state.userByEmail(jane.email)).toBeUndefined();
			expect(emu.requests.at(-1)?.applied).toBe(false);
		});

		test.each([
			['missing name', { email: 'x@example.com' }, 'name'],
			['blank name', { name: '  ', email: 'x@example.com' }, 'name'],
			['missing email', { name: 'X' }, 'email'],
			['malformed email', { name: 'X', email: 'not-an-email' }, 'email'],
			['state outside the enum', { name: 'X', email: 'x@example.com', state: 'asleep' }, 'state'],
			['state deleted on create', { name: 'X', email: 'x@example.com', state: 'deleted' }, 'state'],
			['bad contact mediaType', { name: 'X', email: 'x@example.com', addresses: [{ mediaType: 'FAX' }] }, 'addresses.0.mediaType'],
			['bad contact type', { name: 'X', email: 'x@example.com', addresses: [{ mediaType: 'PHONE', type: 'CAR' }] }, 'addresses.0.type'],
			['a field CreateUser lacks (manager)', { name: 'X', email: 'x@example.com', manager: 'someone' }, 'manager'],
			['wrong type', { name: 42, email: 'x@example.com' }, 'name'],
		])('%s is 400 bad.request naming the field', async (_label, body, field) => {
			const res = await client.createUser(body);
			expect(res.status).toBe(400);
			expect(res.body.code).toBe('bad.request');
			expect(res.body.details.map((d: { fieldName: string }) => d.fieldName)).toContain(field);
			expect(emu.state.users.size).toBe(2);
		});

		test('an unknown divisionId is 400 with details fieldName divisionId', async () => {
			const res = await client.createUser({ ...jane, divisionId: 'no-such-division' });
			expect(res.status).toBe(400);
			expect(res.body.details).toEqual([expect.objectContaining({ fieldName: 'divisionId', entityId: 'no-such-division' })]);
		});

		test('a non-JSON content type is 415, malformed JSON 400', async () => {
			const text = await client.call('POST', '/api/v2/users', undefined, {
				rawBody: JSON.stringify(jane),
				headers: { 'Content-Type': 'text/plain' },
			});
			expect(text.status).toBe(415);
			const broken = await client.call('POST', '/api/v2/users', undefined, {
				rawBody: '{"name":',
				headers: { 'Content-Type': 'application/json' },
			});
			expect(broken.status).toBe(400);
			expect(emu.state.users.size).toBe(2);
		});

		test('an email held by an active user is 409 general.conflict, case-insensitively', async () => {
			const res = await client.createUser({ name: 'Copy', email: 'ACTIVE.Seed@Example.com' });
			expect(res.status).toBe(409);
			expect(res.body.code).toBe('general.conflict');
			expect(emu.state.users.size).toBe(2);
		});

		test('an email held by a soft-deleted user is 409 general.conflict too', async () => {
			const deleted = emu.state.userByEmail('old.timer@example.com');
			expect(deleted?.state).toBe('deleted');
			const res = await client.createUser({ name: 'Old Timer', email: 'old.timer@example.com' });
			expect(res.status).toBe(409);
			expect(res.body.code).toBe('general.conflict');
			expect([...emu.state.users.values()].filter((u) => u.email === 'old.timer@example.com')).toHaveLength(1);
		});

		test('a password is accepted, remembered as set, and never stored or logged', async () => {
			const res = await client.createUser({ ...jane, password: 'S3cret-Passw0rd!' });
			expect(res.status).toBe(200);
			expect(emu.state.passwords.has(res.body.id)).toBe(true);
			expect(JSON.stringify(res.body)).not.toContain('S3cret');
			expect(JSON.stringify(emu.requests)).not.toContain('S3cret');
			expect(JSON.stringify([...emu.state.users.values()])).not.toContain('S3cret');
		});

		test('ids are deterministic for a seed', async () => {
			const first = (await client.createUser(jane)).body.id;
			emu.reset();
			const again = (await client.createUser(jane)).body.id;
			expect(again).toBe(first);
			const other = await startEmulator({ seed: 2 });
			try {
				const otherClient = await new TestClient(other.url).login();
				expect((await otherClient.createUser(jane)).body.id).not.toBe(first);
			} finally {
				await other.close();
			}
		});
	});

	describe('GET, PATCH, DELETE /api/v2/users/{id}', () => {
		test('GET reads a user; an unknown id is 404 not.found', async () => {
			const created = (await client.createUser(jane)).body;
			const res = await client.get(`/api/v2/users/${created.id}`);
			expect(res.status).toBe(200);
			expect(res.body).toEqual(created);
			const missing = await client.get('/api/v2/users/does-not-exist');
			expect(missing.status).toBe(404);
			expect(missing.body.code).toBe('not.found');
		});

		test('PATCH with the current version updates fields and bumps the version', async () => {
			const created = (await client.createUser(jane)).body;
			const res = await client.patch(`/api/v2/users/${created.id}`, { title: 'Lead', manager: 'seed-active-1', version: 1 });
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ title: 'Lead', version: 2, manager: { id: 'seed-active-1' } });
			expect(emu.state.users.get(created.id)).toMatchObject({ title: 'Lead', managerId: 'seed-active-1', version: 2 });
		});

		test('PATCH with a stale version is 409 general.conflict "does not match the current version"', async () => {
			const created = (await client.createUser(jane)).body;
			await client.patch(`/api/v2/users/${created.id}`, { title: 'Lead', version: 1 });
			const stale = await client.patch(`/api/v2/users/${created.id}`, { title: 'Boss', version: 1 });
			expect(stale.status).toBe(409);
			expect(stale.body.code).toBe('general.conflict');
			expect(stale.body.message).toContain('does not match the current version');
			expect(emu.state.users.get(created.id)).toMatchObject({ title: 'Lead', version: 2 });
		});

		test('PATCH without version is 400; state must be the only field', async () => {
			const created = (await client.createUser(jane)).body;
			const noVersion = await client.patch(`/api/v2/users/${created.id}`, { title: 'Lead' });
			expect(noVersion.status).toBe(400);
			expect(noVersion.body.details).toEqual([expect.objectContaining({ fieldName: 'version' })]);
			const mixed = await client.patch(`/api/v2/users/${created.id}`, { state: 'active', title: 'Lead', version: 1 });
			expect(mixed.status).toBe(400);
			expect(mixed.body.details).toEqual([expect.objectContaining({ fieldName: 'state' })]);
			const alone = await client.patch(`/api/v2/users/${created.id}`, { state: 'active', version: 1 });
			expect(alone.status).toBe(200);
			expect(emu.state.users.get(created.id)).toMatchObject({ state: 'active', version: 2 });
			expect(emu.state.users.get(created.id)?.title).toBeUndefined();
		});

		test('PATCH manager must be an existing user', async () => {
			const created = (await client.createUser(jane)).body;
			const res = await client.patch(`/api/v2/users/${created.id}`, { manager: 'ghost', version: 1 });
			expect(res.status).toBe(400);
			expect(res.body.details).toEqual([expect.objectContaining({ fieldName: 'manager', entityId: 'ghost' })]);
			expect(emu.state.users.get(created.id)?.managerId).toBeUndefined();
		});

		test('PATCH to an email another user holds is 409', async () => {
			const created = (await client.createUser(jane)).body;
			const res = await client.patch(`/api/v2/users/${created.id}`, { email: 'old.timer@example.com', version: 1 });
			expect(res.status).toBe(409);
			expect(emu.state.userByEmail('jane.doe@example.com')?.id).toBe(created.id);
		});

		test('DELETE soft-deletes: state deleted, email kept, GET needs state=deleted', async () => {
			const created = (await client.createUser(jane)).body;
			const del = await client.delete(`/api/v2/users/${created.id}`);
			expect(del.status).toBe(200);
			expect(emu.state.users.get(created.id)).toMatchObject({ state: 'deleted', email: jane.email, version: 2 });
			expect(emu.state.userByEmail(jane.email)?.id).toBe(created.id);
			expect((await client.get(`/api/v2/users/${created.id}`)).status).toBe(404);
			const deleted = await client.get(`/api/v2/users/${created.id}?state=deleted`);
			expect(deleted.status).toBe(200);
			expect(deleted.body).toMatchObject({ state: 'deleted', version: 2 });
			expect((await client.delete(`/api/v2/users/${created.id}`)).status).toBe(404);
			expect((await client.createUser(jane)).status).toBe(409);
		});

		test('a deleted user takes no PATCH but a restore ({ state, version })', async () => {
			const deleted = emu.state.userByEmail('old.timer@example.com');
			if (deleted === undefined) throw new Error('seed missing');
			const edit = await client.patch(`/api/v2/users/${deleted.id}`, { title: 'x', version: deleted.version });
			expect(edit.status).toBe(404);
			const restore = await client.patch(`/api/v2/users/${deleted.id}`, { state: 'active', version: deleted.version });
			expect(restore.status).toBe(200);
			expect(restore.body).toMatchObject({ state: 'active', version: 2, email: 'old.timer@example.com' });
			expect(emu.state.users.get(deleted.id)?.state).toBe('active');
			expect((await client.get(`/api/v2/users/${deleted.id}`)).status).toBe(200);
		});

		test('restore with a stale version is 409', async () => {
			const deleted = emu.state.userByEmail('old.timer@example.com');
			if (deleted === undefined) throw new Error('seed missing');
			const res = await client.patch(`/api/v2/users/${deleted.id}`, { state: 'active', version: 7 });
			expect(res.status).toBe(409);
			expect(emu.state.users.get(deleted.id)?.state).toBe('deleted');
		});
	});

	test('reset() clears created users and re-seeds the option users', async () => {
		await client.createUser(jane);
		expect(emu.state.users.size).toBe(3);
		emu.reset();
		expect(emu.state.users.size).toBe(2);
		expect(emu.state.userByEmail(jane.email)).toBeUndefined();
		expect(emu.requests).toHaveLength(0);
		expect(emu.stats.total).toBe(0);
		expect(emu.state.users.get('seed-active-1')?.state).toBe('active');
	});
});
