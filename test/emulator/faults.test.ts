import { DEFAULT_IDS, manualClock, startEmulator, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient } from './testClient';

const ORG = '/api/v2/organizations/me';

describe('emulator: fault knobs', () => {
	let emu: Emulator;
	let client: TestClient;

	emulatorPerFile({ rateLimit: false, fractionalRetryAfter: true }, (started, api) => {
		emu = started;
		client = api;
	});

	test('latencyMs delays every /api/v2 answer, so concurrent requests overlap in flight', async () => {
		emu.setFaults({ latencyMs: { min: 80, max: 120 } });
		const started = Date.now();
		const results = await Promise.all(Array.from({ length: 6 }, () => client.get(ORG)));
		expect(Date.now() - started).toBeGreaterThanOrEqual(75);
		expect(results.every((r) => r.status === 200)).toBe(true);
		expect(emu.stats.maxInFlight).toBe(6);
		expect(emu.stats.inFlight).toBe(0);
	});

	test('rate429 = 1: every request is 429 with Retry-After = retryAfterSec and nothing is applied', async () => {
		emu.setFaults({ rate429: 1, retryAfterSec: 0.25 });
		const res = await client.createUser({ name: 'Nope', email: 'nope@example.com' });
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('0.25');
		expect(res.body).toMatchObject({ code: 'too.many.requests.retry.after', status: 429 });
		expect(res.body.message).toContain('[0.25]');
		expect(emu.state.users.size).toBe(0);
		expect(emu.requests.at(-1)).toMatchObject({ status: 429, fault: 'r429', applied: false });
		expect(emu.stats.injected.r429).toBe(1);
	});

	test('injected Retry-After is rounded up to whole seconds without fractionalRetryAfter', async () => {
		const integer = await startEmulator({ faults: { rate429: 1, retryAfterSec: 0.25 } });
		try {
			const c = await new TestClient(integer.url).login();
			expect((await c.get(ORG)).headers.get('retry-after')).toBe('1');
		} finally {
			await integer.close();
		}
	});

	test('rate429 = 0.5 hits about half the requests, the same ones for the same seed', async () => {
		emu.setFaults({ rate429: 0.5 });
		const run = async (): Promise<number[]> => {
			const statuses: number[] = [];
			for (let i = 0; i < 40; i++) statuses.push((await client.get(ORG)).status);
			return statuses;
		};
		const first = await run();
		const limited = first.filter((s) => s === 429).length;
		expect(limited).toBeGreaterThan(8);
		expect(limited).toBeLessThan(32);
		emu.reset();
		emu.setFaults({ rate429: 0.5 });
		expect(await run()).toEqual(first);
	});

	test('dailyLimit answers 429 with Retry-After of an hour or more', async () => {
		emu.setFaults({ dailyLimit: true });
		const res = await client.get(ORG);
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(3600);
		expect(res.body.code).toBe('too.many.requests.retry.after');
		expect(emu.requests.at(-1)?.fault).toBe('daily');
	});

	test('rate5xx = 1 answers 502/503/504 with a Genesys ErrorBody and applies nothing', async () => {
		emu.setFaults({ rate5xx: 1 });
		const statuses = new Set<number>();
		for (let i = 0; i < 12; i++) {
			const res = await client.createUser({ name: 'Nope', email: `nope${i}@example.com` });
			expect([502, 503, 504]).toContain(res.status);
			expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), contextId: res.headers.get('inin-correlation-id') });
			statuses.add(res.status);
		}
		expect(statuses.size).toBeGreaterThan(1);
		expect(emu.state.users.size).toBe(0);
		expect(emu.stats.injected.r5xx).toBe(12);
	});

	test('dropConnection = 1 destroys the socket before processing: the client errors, nothing applied', async () => {
		emu.setFaults({ dropConnection: 1 });
		await expect(client.createUser({ name: 'Dropped', email: 'dropped@example.com' })).rejects.toThrow();
		expect(emu.state.users.size).toBe(0);
		expect(emu.requests.at(-1)).toMatchObject({ status: 0, fault: 'drop', applied: false });
		expect(emu.stats.injected.drop).toBe(1);
		expect(emu.stats.byStatus[0]).toBe(1);
	});

	test('lostResponse = 1: the write is applied, the client sees a socket error', async () => {
		emu.setFaults({ lostResponse: 1 });
		await expect(client.createUser({ name: 'Lost', email: 'lost@example.com' })).rejects.toThrow();
		const user = emu.state.userByEmail('lost@example.com');
		expect(user).toMatchObject({ name: 'Lost', version: 1 });
		expect(emu.requests.at(-1)).toMatchObject({ status: 0, intendedStatus: 200, fault: 'lost', applied: true });
		expect(emu.stats.injected.lost).toBe(1);
		// Reads are never lost, and a write that fails is answered normally.
		expect((await client.get(`/api/v2/users/${user?.id}`)).status).toBe(200);
		expect((await client.createUser({ name: 'Lost', email: 'lost@example.com' })).status).toBe(409);
	});

	test('pathFilter restricts injected faults to matching paths', async () => {
		emu.setFaults({ rate5xx: 1, pathFilter: '^/api/v2/users$' });
		expect((await client.get(ORG)).status).toBe(200);
		expect((await client.createUser({ name: 'F', email: 'f@example.com' })).status).toBeGreaterThanOrEqual(502);
	});

	test('clearFaults restores normal service; unknown knobs and bad probabilities are refused', async () => {
		emu.setFaults({ rate5xx: 1 });
		emu.clearFaults();
		expect((await client.get(ORG)).status).toBe(200);
		expect(() => emu.setFaults({ rate5XX: 1 } as never)).toThrow(/unknown fault knob/);
		expect(() => emu.setFaults({ rate429: 2 })).toThrow(/probability/);
	});

	test('the token endpoint is never faulted', async () => {
		emu.setFaults({ rate5xx: 1, dropConnection: 1 });
		await expect(new TestClient(emu.url).login()).resolves.toBeDefined();
	});
});

describe('emulator: consistencyDelayMs', () => {
	test('a new user is 404 on every user-scoped endpoint for the delay, then visible', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, faults: { consistencyDelayMs: 1000 } });
		try {
			const client = await new TestClient(emu.url).login();
			const user = (await client.createUser({ name: 'Slow', email: 'slow@example.com' })).body;
			const id: string = user.id;
			const calls: Array<[string, string, unknown]> = [
				['GET', `/api/v2/users/${id}`, undefined],
				['PATCH', `/api/v2/users/${id}`, { title: 'x', version: 1 }],
				['POST', `/api/v2/users/${id}/externalid`, { authorityName: 'HRIS', externalKey: 'E1' }],
				['GET', `/api/v2/users/${id}/externalid`, undefined],
				['POST', `/api/v2/authorization/subjects/${id}/bulkadd`, { grants: [{ roleId: DEFAULT_IDS.roles[0], divisionId: '*' }] }],
				['PATCH', `/api/v2/users/${id}/routingskills/bulk`, [{ id: DEFAULT_IDS.skills[0], proficiency: 3 }]],
				['POST', `/api/v2/routing/queues/${DEFAULT_IDS.queues[0]}/members`, [{ id }]],
				['PATCH', `/api/v2/users/${id}/queues`, [{ id: DEFAULT_IDS.queues[0], joined: true }]],
				['POST', `/api/v2/users/${id}/invite`, undefined],
				['POST', `/api/v2/users/${id}/password`, { newPassword: 'Passw0rd!x' }],
			];
			for (const [method, path, body] of calls) {
				const res = await client.call(method, path, body);
				expect({ method, path, status: res.status, code: res.body?.code }).toEqual({ method, path, status: 404, code: 'not.found' });
			}
			expect(emu.state.users.get(id)?.title).toBeUndefined();
			expect(emu.state.invites).toEqual([]);
			// Creating it again still conflicts: the user exists, it is just not visible yet.
			expect((await client.createUser({ name: 'Slow', email: 'slow@example.com' })).status).toBe(409);

			clock.advance(1000);
			const okStatuses = [200, 200, 200, 200, 204, 200, 204, 200, 204, 204];
			for (const [i, [method, path, body]] of calls.entries()) {
				const res = await client.call(method, path, body);
				expect({ method, path, status: res.status }).toEqual({ method, path, status: okStatuses[i] });
			}
			expect(emu.state.invites).toEqual([id]);
		} finally {
			await emu.close();
		}
	});
});
