/**
 * The provisioning engine with the project's real GenesysClient against the emulator, the engine's own waits
 * compressed (the workflow tests cover the same paths through n8n with production timings).
 */
import { advanceWhen, DEFAULT_IDS, shiftableClock } from '../emulator';
import type { Emulator } from '../emulator';
import { TestClient } from '../emulator/testClient';
import { ENGINE_CLIENT, engineClient, runEngine, startEngineEmulator } from './engine-support';
import { settings, validRow } from '../unit/bulk-provision-fixtures';

let emu: Emulator;

/**
 * Lags and delays longer than any test runs, on an emulator clock the test moves once the engine has met
 * them (advanceWhen): what the engine sees does not depend on how fast the machine is.
 */
const LONG_MS = 10 * 60_000;

afterEach(async () => {
	await emu?.close();
});

function createPosts(): Array<{ body: unknown; status: number; fault?: string }> {
	return emu.requests.filter((req) => req.method === 'POST' && req.path === '/api/v2/users');
}

function userByEmail(email: string) {
	const found = emu.state.userByEmail(email);
	if (!found) throw new Error(`no user ${email} in the emulator`);
	return found;
}

async function apiClient(): Promise<TestClient> {
	return await new TestClient(emu.url, ENGINE_CLIENT).login();
}

describe('create and follow-ups', () => {
	test('one CreateUser object per user, then every follow-up lands in Genesys', async () => {
		emu = await startEngineEmulator();
		const [roleA, roleB] = [DEFAULT_IDS.roles[1], DEFAULT_IDS.roles[2]];
		const rows = [
			validRow(
				0,
				{ email: 'jane@example.com', name: 'Jane Doe', title: 'Agent', state: 'active' },
				{
					externalKey: 'E-1',
					roles: [
						// No division: the user's own (the home division here).
						{ roleId: roleA },
						{ roleId: roleB, divisionId: DEFAULT_IDS.divisions[1] },
					],
					skills: [{ id: DEFAULT_IDS.skills[0], proficiency: 3 }],
					queueIds: [DEFAULT_IDS.queues[0], DEFAULT_IDS.queues[1]],
				},
			),
			// Manager comes later in the input than the user it manages.
			validRow(1, { email: 'john@example.com', name: 'John Roe' }, { manager: 'boss@example.com' }),
			validRow(2, { email: 'boss@example.com', name: 'Big Boss' }),
		];
		const run = await runEngine(emu, settings({ concurrency: 1, sendInvite: true, externalIdAuthority: 'HRIS' }), rows);

		expect(run.results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(createPosts().map((req) => req.body)).toEqual([
			{ email: 'jane@example.com', name: 'Jane Doe', title: 'Agent', state: 'active' },
			{ email: 'john@example.com', name: 'John Roe', state: 'active' },
			{ email: 'boss@example.com', name: 'Big Boss', state: 'active' },
		]);
		const jane = userByEmail('jane@example.com');
		expect(run.results[0]).toMatchObject({
			userId: jane.id,
			user: { id: jane.id, email: 'jane@example.com' },
		});
		expect(emu.state.externalIds.get(jane.id)).toEqual([{ authorityName: 'HRIS', externalKey: 'E-1' }]);
		expect(emu.state.grants.get(jane.id)).toEqual([
			{ roleId: roleA, divisionId: DEFAULT_IDS.homeDivisionId },
			{ roleId: roleB, divisionId: DEFAULT_IDS.divisions[1] },
		]);
		expect(emu.state.skills.get(jane.id)).toEqual([{ id: DEFAULT_IDS.skills[0], proficiency: 3 }]);
		expect(emu.state.queueMembers.get(DEFAULT_IDS.queues[0])?.has(jane.id)).toBe(true);
		expect(emu.state.queueMembers.get(DEFAULT_IDS.queues[1])?.has(jane.id)).toBe(true);
		expect(userByEmail('john@example.com').managerId).toBe(userByEmail('boss@example.com').id);
		expect([...emu.state.invites].sort()).toEqual([...emu.state.users.keys()].sort());
		expect(run.results[0].steps.map((s) => `${s.step}:${s.status}`)).toEqual([
			'lookup:done',
			'create:done',
			'externalId:done',
			'roles:done',
			'skills:done',
			'queues:done',
			'invite:done',
		]);
		expect(run.results[1].steps.map((s) => s.step)).toEqual(['lookup', 'create', 'manager', 'invite']);
	});

	test('follow-ups 404 while a new user propagates: retried until visible', async () => {
		const clock = shiftableClock();
		emu = await startEngineEmulator({ now: clock.now, faults: { consistencyDelayMs: LONG_MS } });
		const rows = [
			validRow(0, { email: 'a@example.com' }, { roles: [{ roleId: DEFAULT_IDS.roles[0], divisionId: '*' }] }),
			validRow(1, { email: 'b@example.com' }, { skills: [{ id: DEFAULT_IDS.skills[1], proficiency: 1 }] }),
		];
		// The users become visible once each row's follow-up has met a 404.
		const visible = advanceWhen(clock, () => new Set(emu.requests.filter((req) => req.status === 404).map((req) => req.path)).size >= 2, LONG_MS);
		const run = await runEngine(emu, settings(), rows, { timing: { consistencyWindowMs: 120_000 } });
		expect(await visible).toBe(true);
		expect(run.results.map((r) => r.status)).toEqual(['created', 'created']);
		expect(run.counters.consistencyRetries).toBeGreaterThan(0);
		const notFound = emu.requests.filter((req) => req.status === 404);
		expect(notFound.length).toBeGreaterThan(0);
		// Backoff, not a busy loop: a few 404s per row while the test's clock caught up.
		expect(notFound.length).toBeLessThanOrEqual(2 * 6);
		expect(emu.state.grants.get(userByEmail('a@example.com').id)).toHaveLength(1);
		expect(createPosts()).toHaveLength(2);
	});

	test('a follow-up that never succeeds fails the row with its user id; a rerun with update completes it', async () => {
		const clock = shiftableClock();
		emu = await startEngineEmulator({ now: clock.now, faults: { consistencyDelayMs: LONG_MS } });
		const rows = [
			validRow(0, { email: 'slow@example.com' }, { roles: [{ roleId: DEFAULT_IDS.roles[1], divisionId: '*' }] }),
		];
		const first = await runEngine(emu, settings(), rows, { timing: { consistencyWindowMs: 300, authCacheWindowMs: 300 } });
		const user = userByEmail('slow@example.com');
		expect(first.results[0]).toMatchObject({
			status: 'failed',
			userId: user.id,
			error: { field: 'roles', httpStatus: 404, code: 'not.found' },
		});
		expect(first.results[0].steps.map((s) => `${s.step}:${s.status}`)).toEqual([
			'lookup:done',
			'create:done',
			'roles:failed',
		]);
		expect(emu.state.grants.get(user.id)).toBeUndefined();

		clock.advance(LONG_MS);
		const second = await runEngine(emu, settings({ onExisting: 'update' }), rows);
		expect(second.results[0]).toMatchObject({ status: 'updated', userId: user.id });
		expect(emu.state.grants.get(user.id)).toEqual([{ roleId: DEFAULT_IDS.roles[1], divisionId: '*' }]);
		expect(createPosts()).toHaveLength(1);
		expect(emu.state.users.size).toBe(1);
	});
});

describe('never twice, never lost', () => {
	test('every create response lost: the re-POST is refused (409) and the user is reported created', async () => {
		emu = await startEngineEmulator({ faults: { lostResponse: 1, pathFilter: '^/api/v2/users$' } });
		const rows = [validRow(0, { email: 'lost1@example.com' }), validRow(1, { email: 'lost2@example.com' })];
		const run = await runEngine(emu, settings(), rows);
		expect(run.results.map((r) => r.status)).toEqual(['created', 'created']);
		expect(emu.state.users.size).toBe(2);
		for (const [i, email] of ['lost1@example.com', 'lost2@example.com'].entries()) {
			const posts = createPosts().filter((req) => (req.body as { email: string }).email === email);
			expect(posts.map((req) => [req.status, req.fault])).toEqual([
				[0, 'lost'],
				[409, undefined],
			]);
			expect(run.results[i]).toMatchObject({ userId: userByEmail(email).id });
			expect(run.results[i].steps[1]).toMatchObject({ step: 'create', status: 'done' });
			expect(run.results[i].steps[1].detail).toContain('lost');
		}
		expect(run.counters.reconciledCreates).toBe(2);
	});

	test('a lost response while search lags: the lookup waits for the index, still one user', async () => {
		const clock = shiftableClock();
		emu = await startEngineEmulator({
			now: clock.now,
			faults: { lostResponse: 1, pathFilter: '^/api/v2/users$', searchLagMs: LONG_MS },
		});
		// The index catches up once the lookup and two reconciling searches have missed the user.
		const indexed = advanceWhen(clock, () => emu.requests.filter((req) => req.path === '/api/v2/users/search').length >= 3, LONG_MS);
		const run = await runEngine(emu, settings(), [validRow(0, { email: 'lag@example.com' })], {
			timing: { searchLagWindowMs: 120_000 },
		});
		expect(await indexed).toBe(true);
		expect(run.results[0]).toMatchObject({
			status: 'created',
			userId: userByEmail('lag@example.com').id,
		});
		expect(emu.state.users.size).toBe(1);
		const searches = emu.requests.filter((req) => req.path === '/api/v2/users/search');
		expect(searches.length).toBeGreaterThan(2);
	});

	test('dropped connections on create (not applied): re-posted, one user each', async () => {
		emu = await startEngineEmulator({
			faults: { dropConnection: 0.5, pathFilter: '^/api/v2/users$' },
		});
		const rows = Array.from({ length: 12 }, (_, i) => validRow(i, { email: `drop${i}@example.com` }));
		const run = await runEngine(emu, settings(), rows);
		expect(run.results.every((r) => r.status === 'created')).toBe(true);
		expect(emu.state.users.size).toBe(12);
		expect(createPosts().filter((req) => req.fault === 'drop').length).toBeGreaterThan(0);
	});
});

describe('existing users', () => {
	test('a user created between lookup and create (409 race) takes the existing-user policy', async () => {
		const clock = shiftableClock();
		emu = await startEngineEmulator({ now: clock.now, faults: { searchLagMs: LONG_MS } });
		const api = await apiClient();
		for (const email of ['race-skip@example.com', 'race-update@example.com', 'race-fail@example.com']) {
			expect((await api.post('/api/v2/users', { name: 'Raced', email })).status).toBe(200);
		}
		// All three start while the search index does not know the raced users yet; it catches up once
		// every create has met its 409.
		const timing = { searchLagWindowMs: 120_000 };
		const indexed = advanceWhen(clock, () => createPosts().filter((req) => req.status === 409).length === 3, LONG_MS);
		const [skip, update, fail] = await Promise.all([
			runEngine(emu, settings({ onExisting: 'skip' }), [validRow(0, { email: 'race-skip@example.com', name: 'Mine' })], { timing }),
			runEngine(emu, settings({ onExisting: 'update' }), [validRow(0, { email: 'race-update@example.com', name: 'Mine' })], {
				timing,
			}),
			runEngine(emu, settings({ onExisting: 'fail' }), [validRow(0, { email: 'race-fail@example.com', name: 'Mine' })], { timing }),
		]);
		expect(await indexed).toBe(true);

		expect(skip.results[0]).toMatchObject({
			status: 'existing',
			userId: userByEmail('race-skip@example.com').id,
		});
		expect(skip.results[0].steps.map((s) => `${s.step}:${s.status}`)).toEqual(['lookup:done', 'create:skipped']);
		expect(update.results[0]).toMatchObject({ status: 'updated' });
		expect(userByEmail('race-update@example.com').name).toBe('Mine');
		expect(fail.results[0]).toMatchObject({
			status: 'failed',
			error: { code: 'user.exists', field: 'email' },
		});
		expect(userByEmail('race-skip@example.com').name).toBe('Raced');
		expect(userByEmail('race-fail@example.com').name).toBe('Raced');
		expect(emu.state.users.size).toBe(3);
		expect(createPosts().map((req) => req.status)).toEqual([200, 200, 200, 409, 409, 409]);
	});

	test('a user edited after the search indexed it: the update works from the user as it is now', async () => {
		emu = await startEngineEmulator({ users: [{ name: 'Target Name', email: 'edit@example.com', state: 'active' }] });
		const seeded = userByEmail('edit@example.com');
		emu.setFaults({ searchLagMs: 60_000 });
		const api = await apiClient();
		const edit = await api.patch(`/api/v2/users/${seeded.id}`, { name: 'Changed Name', version: seeded.version });
		expect(edit.status).toBe(200);
		// The search still shows "Target Name": only a fresh read shows the name must be set back.
		const run = await runEngine(emu, settings({ onExisting: 'update' }), [
			validRow(0, { email: 'edit@example.com', name: 'Target Name' }),
		]);
		expect(run.results[0]).toMatchObject({ status: 'updated', userId: seeded.id, user: { name: 'Target Name' } });
		expect(userByEmail('edit@example.com').name).toBe('Target Name');
	});

	test('someone else edits the user between our read and our PATCH: re-read, changes worked out again, re-sent', async () => {
		emu = await startEngineEmulator({ users: [{ name: 'Before', email: 'busy@example.com', state: 'active' }] });
		const seeded = userByEmail('busy@example.com');
		const api = await apiClient();
		const client = engineClient(emu);
		let interfered = false;
		const racing = {
			request: async <T>(options: Parameters<typeof client.request>[0]): Promise<T> => {
				if (options.method === 'PATCH' && !interfered) {
					interfered = true;
					const current = await api.get(`/api/v2/users/${seeded.id}`);
					await api.patch(`/api/v2/users/${seeded.id}`, { department: 'Theirs', version: current.body.version });
				}
				return await client.request<T>(options);
			},
		};
		const run = await runEngine(
			emu,
			settings({ onExisting: 'update' }),
			[validRow(0, { email: 'busy@example.com', name: 'Mine' })],
			{
				api: racing,
			},
		);
		expect(run.results[0]).toMatchObject({ status: 'updated', user: { name: 'Mine', department: 'Theirs' } });
		expect(run.counters.versionRetries).toBe(1);
		const ours = emu.requests.filter(
			(req) => req.method === 'PATCH' && (req.body as { name?: string }).name === 'Mine',
		);
		expect(ours.map((req) => req.status)).toEqual([409, 200]);
		expect(userByEmail('busy@example.com')).toMatchObject({ name: 'Mine', department: 'Theirs' });
	});

	test('soft-deleted user: restored (state alone, then fields) or failed with how to restore', async () => {
		emu = await startEngineEmulator({
			users: [
				{ name: 'Gone', email: 'gone@example.com', state: 'deleted', title: 'Old' },
				{ name: 'Gone Too', email: 'gone2@example.com', state: 'deleted' },
			],
		});
		const gone = userByEmail('gone@example.com');
		const restored = await runEngine(emu, settings({ restoreDeleted: true }), [
			validRow(
				0,
				{ email: 'gone@example.com', name: 'Back', title: 'New', state: 'inactive' },
				{ roles: [{ roleId: DEFAULT_IDS.roles[0], divisionId: '*' }] },
			),
		]);
		expect(restored.results[0]).toMatchObject({ status: 'restored', userId: gone.id });
		expect(userByEmail('gone@example.com')).toMatchObject({
			state: 'inactive',
			name: 'Back',
			title: 'New',
		});
		expect(emu.state.grants.get(gone.id)).toHaveLength(1);
		const patches = emu.requests.filter((req) => req.method === 'PATCH' && req.path === `/api/v2/users/${gone.id}`);
		expect(patches.map((req) => req.body)).toEqual([
			{ state: 'inactive', version: gone.version - 2 },
			{ name: 'Back', title: 'New', version: gone.version - 1 },
		]);
		expect(
			emu.requests.some(
				(req) => req.method === 'GET' && req.path === `/api/v2/users/${gone.id}` && req.query.state === 'deleted',
			),
		).toBe(true);

		const refused = await runEngine(emu, settings({ restoreDeleted: false, onExisting: 'update' }), [
			validRow(0, { email: 'gone2@example.com' }),
		]);
		expect(refused.results[0]).toMatchObject({
			status: 'failed',
			userId: userByEmail('gone2@example.com').id,
			error: { code: 'user.deleted', field: 'email' },
		});
		expect(userByEmail('gone2@example.com').state).toBe('deleted');
		expect(createPosts()).toHaveLength(0);
	});
});

describe('checks before writing', () => {
	test('unknown role, skill, queue, division or manager: the row is invalid, its neighbours go on', async () => {
		emu = await startEngineEmulator();
		const rows = [
			validRow(0, { email: 'ok@example.com' }, { roles: [{ roleId: DEFAULT_IDS.roles[0], divisionId: '*' }] }),
			validRow(1, { email: 'badrole@example.com' }, { roles: [{ roleId: 'no-such-role', divisionId: '*' }] }),
			validRow(2, { email: 'badskill@example.com' }, { skills: [{ id: 'no-such-skill', proficiency: 1 }] }),
			validRow(3, { email: 'badqueue@example.com' }, { queueIds: [DEFAULT_IDS.queues[0], 'no-such-queue'] }),
			validRow(4, { email: 'baddiv@example.com', divisionId: 'no-such-division' }),
			validRow(5, { email: 'badmgr@example.com' }, { manager: 'nobody@example.com' }),
			validRow(6, { email: 'badmgrid@example.com' }, { manager: 'no-such-user-id' }),
			validRow(7, { email: 'ok2@example.com' }),
		];
		const run = await runEngine(emu, settings(), rows);
		expect(run.results.map((r) => r.status)).toEqual([
			'created',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'created',
		]);
		expect(run.results.map((r) => r.error?.field)).toEqual([
			undefined,
			'roles[0]',
			'skills[0]',
			'queues[1]',
			'divisionId',
			'manager',
			'manager',
			undefined,
		]);
		expect(createPosts().map((req) => (req.body as { email: string }).email)).toEqual([
			'ok@example.com',
			'ok2@example.com',
		]);
		// One GET per distinct id.
		const roleChecks = emu.requests.filter((req) => req.path.startsWith('/api/v2/authorization/roles/'));
		expect(roleChecks.map((req) => req.path).sort()).toEqual(
			[`/api/v2/authorization/roles/${DEFAULT_IDS.roles[0]}`, '/api/v2/authorization/roles/no-such-role'].sort(),
		);
	});

	test('bad credentials: the run throws before any write', async () => {
		emu = await startEngineEmulator();
		const client = engineClient(emu, 4, { ...ENGINE_CLIENT, clientSecret: 'wrong-secret' });
		await expect(
			runEngine(emu, settings(), [validRow(0, { email: 'a@example.com' })], { client }),
		).rejects.toMatchObject({
			kind: 'token',
		});
		expect(createPosts()).toHaveLength(0);
	});
});

describe('stopping', () => {
	test('a daily limit on creates: the failing row and every row not started report it; nothing is thrown', async () => {
		emu = await startEngineEmulator({
			faults: { dailyLimit: true, pathFilter: '^/api/v2/users$' },
		});
		const rows = Array.from({ length: 6 }, (_, i) => validRow(i, { email: `d${i}@example.com` }));
		const run = await runEngine(emu, settings({ concurrency: 1 }), rows);
		expect(run.results[0]).toMatchObject({
			status: 'failed',
			error: { httpStatus: 429, field: 'create' },
		});
		expect(run.results[0].error?.message).toMatch(/daily limit/i);
		for (const result of run.results.slice(1)) {
			expect(result).toMatchObject({ status: 'failed', steps: [] });
			expect(result.error?.message).toMatch(/^Not processed: .*daily limit/i);
		}
		expect(createPosts()).toHaveLength(1);
		expect(emu.state.users.size).toBe(0);
	});

	test('a daily limit in the last follow-up phase: users kept, each row failed on that step', async () => {
		emu = await startEngineEmulator({
			faults: { dailyLimit: true, pathFilter: '^/api/v2/users/[^/]+/invite$' },
		});
		const rows = Array.from({ length: 4 }, (_, i) => validRow(i, { email: `i${i}@example.com` }));
		const run = await runEngine(emu, settings({ concurrency: 1, sendInvite: true }), rows);
		expect(emu.state.users.size).toBe(4);
		for (const [i, result] of run.results.entries()) {
			expect(result).toMatchObject({
				status: 'failed',
				userId: userByEmail(`i${i}@example.com`).id,
				error: { field: 'invite' },
			});
			expect(result.error?.message).toMatch(/daily limit/i);
		}
		expect(run.results[0].steps.at(-1)).toMatchObject({ step: 'invite', status: 'failed' });
		expect(run.results[3].steps.at(-1)).toMatchObject({ step: 'invite', status: 'skipped' });
		expect(emu.requests.filter((req) => req.path.endsWith('/invite'))).toHaveLength(1);
	});

	test('cancelled: no new rows start, finished rows keep their result', async () => {
		emu = await startEngineEmulator({ faults: { latencyMs: 30 } });
		const controller = new AbortController();
		const rows = Array.from({ length: 20 }, (_, i) => validRow(i, { email: `c${i}@example.com` }));
		setTimeout(() => controller.abort(), 250);
		const run = await runEngine(emu, settings({ concurrency: 2 }), rows, {
			signal: controller.signal,
		});
		const created = run.results.filter((r) => r.status === 'created');
		const cancelled = run.results.filter((r) => r.error?.code === 'execution.cancelled');
		expect(created.length).toBeGreaterThan(0);
		expect(cancelled.length).toBeGreaterThan(0);
		expect(created.length + cancelled.length).toBe(20);
		// Every created row's user exists. A user beyond them can only come from a create that was on the wire when
		// Stop came (Genesys still handles it): its row must say the user may have been created.
		const emails = [...emu.state.users.values()].map((user) => user.email);
		for (const row of created) expect(emails).toContain(row.email);
		const unconfirmed = new Set(cancelled.filter((r) => r.error?.maybeApplied === true).map((r) => r.email));
		for (const email of emails.filter((e) => !created.some((row) => row.email === e))) {
			expect(unconfirmed).toContain(email);
		}
		expect(unconfirmed.size).toBeLessThanOrEqual(2);
	});
});
