import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { TS_NODE_ARGS } from '../support/tsNode';
import { DEFAULT_IDS, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient, type ApiResponse } from './testClient';

async function admin(url: string, method: string, path: string, body?: unknown): Promise<Omit<ApiResponse, 'headers'>> {
	const res = await fetch(`${url}/__emulator${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('emulator: admin HTTP API', () => {
	let emu: Emulator;
	let client: TestClient;

	emulatorPerFile({}, (started, api) => {
		emu = started;
		client = api;
	});

	test('GET state, requests and stats reflect what happened; admin calls are not logged', async () => {
		const user = (await client.createUser({ name: 'Admin Seen', email: 'seen@example.com' })).body;
		await client.post(`/api/v2/users/${user.id}/externalid`, { authorityName: 'HRIS', externalKey: 'K1' });
		await client.post(`/api/v2/users/${user.id}/invite`);
		const state = await admin(emu.url, 'GET', '/state');
		expect(state.status).toBe(200);
		// Created without a state, then activated by the invitation: version 2.
		expect(state.body.users).toEqual([
			expect.objectContaining({ id: user.id, email: 'seen@example.com', state: 'active', version: 2 }),
		]);
		expect(state.body.externalIds).toEqual({ [user.id]: [{ authorityName: 'HRIS', externalKey: 'K1' }] });
		expect(state.body.invites).toEqual([user.id]);

		const requests = await admin(emu.url, 'GET', '/requests');
		expect(requests.body.map((r: { path: string }) => r.path)).toEqual([
			'/api/v2/users',
			`/api/v2/users/${user.id}/externalid`,
			`/api/v2/users/${user.id}/invite`,
		]);
		const since = await admin(emu.url, 'GET', `/requests?since=${requests.body[1].seq}`);
		expect(since.body).toHaveLength(1);
		const stats = await admin(emu.url, 'GET', '/stats');
		expect(stats.body).toMatchObject({ total: 3, byStatus: { 200: 2, 204: 1 } });
		expect(emu.requests).toHaveLength(3);
	});

	test('POST faults merges knobs, faults/clear clears them; a bad knob is 400', async () => {
		const set = await admin(emu.url, 'POST', '/faults', { rate5xx: 1 });
		expect(set.body.rate5xx).toBe(1);
		expect((await client.get('/api/v2/organizations/me')).status).toBeGreaterThanOrEqual(502);
		expect((await admin(emu.url, 'POST', '/faults', { nope: 1 })).status).toBe(400);
		await admin(emu.url, 'POST', '/faults/clear');
		expect((await client.get('/api/v2/organizations/me')).status).toBe(200);
	});

	test('POST reset clears users and the log; POST users seeds users', async () => {
		await client.createUser({ name: 'Gone Soon', email: 'gone@example.com' });
		expect((await admin(emu.url, 'POST', '/reset')).status).toBe(204);
		expect(emu.state.users.size).toBe(0);
		expect(emu.requests).toHaveLength(0);
		const seeded = await admin(emu.url, 'POST', '/users', [{ name: 'Seeded', email: 'seeded@example.com', state: 'deleted' }]);
		expect(seeded.status).toBe(200);
		expect(emu.state.userByEmail('seeded@example.com')?.state).toBe('deleted');
		expect((await admin(emu.url, 'POST', '/users', [{ name: 'Bad' }])).status).toBe(400);
	});

	test('POST jobs/script and jobs/pages script answers; GET jobs/pollcount counts polls', async () => {
		const path = '/api/v2/flows/jobs/fj-1';
		expect((await admin(emu.url, 'POST', '/jobs/script', { path, polls: [{ body: { status: 'Started' } }, { body: { status: 'Success' } }] })).status).toBe(204);
		expect((await client.get(path)).body.status).toBe('Started');
		expect((await client.get(path)).body.status).toBe('Success');
		expect((await admin(emu.url, 'GET', `/jobs/pollcount?path=${encodeURIComponent(path)}`)).body.count).toBe(2);
		expect((await admin(emu.url, 'POST', '/jobs/pages', { path: '/api/v2/p', pages: [{ a: 1 }, { a: 2 }] })).status).toBe(204);
		expect((await client.get('/api/v2/p')).body).toEqual({ a: 1, cursor: expect.any(String) });
		expect((await admin(emu.url, 'POST', '/jobs/script', { path: 'no-slash', polls: [] })).status).toBe(400);
	});

	test('POST catalog adds a role or division; POST outbound/import uploads contacts; state shows invites and passwords', async () => {
		const role = '0201e000-0000-4000-8000-0000000000cc';
		expect((await admin(emu.url, 'POST', '/catalog', { kind: 'role', id: role, name: 'Onboarding' })).status).toBe(204);
		expect((await client.get(`/api/v2/authorization/roles/${role}`)).body).toMatchObject({ id: role, name: 'Onboarding' });
		expect((await admin(emu.url, 'POST', '/catalog', { kind: 'role', id: role })).status).toBe(400);
		const list = DEFAULT_IDS.contactLists[0];
		expect((await admin(emu.url, 'POST', '/outbound/import', { contactListId: list, rows: 7 })).status).toBe(204);
		expect(emu.outbound.contactCount(list)).toBe(7);
		expect((await admin(emu.url, 'POST', '/outbound/import', { contactListId: 'nope', rows: 7 })).status).toBe(400);
		const id = (await client.createUser({ name: 'Invited', email: 'invited@example.com', password: 'A-Secret-9' })).body.id;
		await client.post(`/api/v2/users/${id}/invite?force=true`);
		const state = (await admin(emu.url, 'GET', '/state')).body;
		expect(state.inviteRequests).toEqual([expect.objectContaining({ userId: id, force: true, sent: true })]);
		expect(state.passwordAttempts).toEqual([expect.objectContaining({ userId: id, via: 'create', ok: true })]);
	});

	test('POST tokens/expire makes issued tokens 401', async () => {
		expect((await admin(emu.url, 'POST', '/tokens/expire')).status).toBe(204);
		expect((await client.get('/api/v2/organizations/me')).status).toBe(401);
		await client.login();
	});

	test('an unknown admin path is 404', async () => {
		expect((await admin(emu.url, 'GET', '/nothing')).status).toBe(404);
	});
});

describe('emulator: CLI', () => {
	let child: ChildProcess | undefined;
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'genesys-emulator-'));
	});
	afterAll(() => {
		if (child && child.exitCode === null) child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	});

	test('starts from flags, prints {"url"}, serves the seeded users and limit, stops on SIGTERM', async () => {
		const usersFile = join(dir, 'users.json');
		writeFileSync(usersFile, JSON.stringify([{ id: 'cli-user', name: 'Cli User', email: 'cli@example.com' }]));
		child = spawn(
			process.execPath,
			[...TS_NODE_ARGS, join(__dirname, 'cli.ts'), '--port', '0', '--seed', '7', '--rate-limit', '2/60000', '--users', usersFile, '--client', 'cli-id:cli-secret'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		const stdout = child.stdout;
		if (stdout === null) throw new Error('no stdout');
		const firstLine = await new Promise<string>((resolve, reject) => {
			createInterface({ input: stdout }).once('line', resolve);
			child?.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
		});
		const { url } = JSON.parse(firstLine) as { url: string };
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

		const cli = await new TestClient(url, { clientId: 'cli-id', clientSecret: 'cli-secret' }).login();
		expect((await cli.get('/api/v2/users/cli-user')).body.email).toBe('cli@example.com');
		expect((await cli.get('/api/v2/organizations/me')).status).toBe(200);
		expect((await cli.get('/api/v2/organizations/me')).status).toBe(429);
		const state = await admin(url, 'GET', '/state');
		expect(state.body.users).toHaveLength(1);

		const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	test('an unknown flag exits with status 2 and a usage message', async () => {
		const bad = spawn(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'cli.ts'), '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		bad.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
		expect(code).toBe(2);
		expect(stderr).toContain('unknown option --bogus');
	});
});
