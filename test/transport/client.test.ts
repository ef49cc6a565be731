/**
 * GenesysClient against the Genesys emulator over real HTTP: pacing, retries, token renewal, refusals and
 * secrecy, asserted on what the emulator received.
 */
import { GenesysApiError, GenesysRequestRefused, isGenesysError } from '../../nodes/GenesysCloud/transport';
import { startEmulator } from '../emulator';
import type { Emulator, RecordedRequest } from '../emulator';
import {
	apiRequests,
	caught,
	CLIENT_ID,
	CLIENT_SECRET,
	deepDump,
	densest,
	emulatorPerFile,
	leakedForms,
	makeClient,
	secretForms,
	startTransportEmulator,
	tokenRequests,
} from './helpers';

let emu: Emulator;
emulatorPerFile({ seed: 7, rateLimit: false, fractionalRetryAfter: true }, (started) => {
	emu = started;
});

function user(i: number): { name: string; email: string } {
	return { name: `Transport User ${i}`, email: `transport.user.${i}@example.com` };
}

const ORG = { method: 'GET', path: '/api/v2/organizations/me' } as const;

describe('plain requests', () => {
	it('fetches a token on first use and returns the parsed body', async () => {
		const { client } = makeClient(emu);
		const org = await client.request<{ id: string }>(ORG);
		expect(typeof org.id).toBe('string');
		const full = await client.requestFull(ORG);
		expect(full).toMatchObject({ status: 200, attempts: 1 });
		expect(full.correlationId).toBe(apiRequests(emu)[1].correlationId);
		expect(client.stats()).toEqual({
			requests: 2,
			retries: 0,
			throttled: 0,
			serverErrors: 0,
			networkErrors: 0,
			tokenRefreshes: 1,
			sharedLimits: 0,
			tokens: [{ token: 1, requests: 2, throttled: 0, tokenRefreshes: 1 }],
		});
		expect(tokenRequests(emu)).toHaveLength(1);
	});

	it('sends JSON bodies and repeated query parameters', async () => {
		const { client } = makeClient(emu);
		const created = await client.request<{ id: string; email: string }>({ method: 'POST', path: '/api/v2/users', body: user(1) });
		expect(created.email).toBe(user(1).email);
		expect(emu.state.userByEmail(user(1).email)?.id).toBe(created.id);
		await client.request({ method: 'GET', path: `/api/v2/users/${created.id}`, qs: { expand: ['skills', 'locations'], state: undefined } });
		const get = apiRequests(emu)[1];
		expect(get.path).toBe(`/api/v2/users/${created.id}`);
		expect(get.query).toMatchObject({ expand: expect.stringMatching(/skills|locations/) });
	});

	it('fails a 404 at once with the Genesys fields', async () => {
		const { client } = makeClient(emu);
		const error = await caught(client.request({ method: 'GET', path: '/api/v2/users/00000000-0000-0000-0000-000000000000' }));
		expect(isGenesysError(error, { status: 404, code: 'not.found' })).toBe(true);
		const apiError = error as GenesysApiError;
		expect(apiError.contextId).toBe(apiRequests(emu)[0].correlationId);
		expect(apiError.method).toBe('GET');
		expect(apiError.path).toBe('/api/v2/users/00000000-0000-0000-0000-000000000000');
		expect(apiError.description).toContain(apiError.contextId);
		expect(apiRequests(emu)).toHaveLength(1);
	});

	it('never retries a 400 and reports the field', async () => {
		const { client } = makeClient(emu);
		const error = await caught(client.request({ method: 'POST', path: '/api/v2/users', body: { name: 'No Email' } }));
		expect(isGenesysError(error, { status: 400 })).toBe(true);
		expect((error as GenesysApiError).maybeApplied).toBe(false);
		expect(apiRequests(emu)).toHaveLength(1);
	});
});

describe('refused paths', () => {
	it.each([
		'https://evil.example/api/v2/users',
		'//evil.example/api/v2/users',
		'/api/v2/../../oauth/token',
		'/api/v2/users\\..\\..',
		'/oauth/token',
	])('refuses %j before anything is sent', async (path) => {
		const { client } = makeClient(emu);
		const error = await caught(client.request({ method: 'GET', path }));
		expect(error).toBeInstanceOf(GenesysRequestRefused);
		expect((error as Error).message).toMatch(/Refused to send a request/);
		expect(emu.requests).toHaveLength(0);
	});
});

describe('429', () => {
	it('waits Retry-After after every 429 before the next request (sequential)', async () => {
		emu.setFaults({ rate429: 0.5, retryAfterSec: 0.15 });
		const { client } = makeClient(emu, { maxConcurrency: 1 });
		for (let i = 0; i < 8; i++) await client.request(ORG);
		const api = apiRequests(emu);
		const throttled = api.filter((r) => r.status === 429);
		expect(throttled.length).toBeGreaterThan(0);
		for (const r of throttled) {
			const next = api.find((n) => n.seq > r.seq) as RecordedRequest;
			expect(next.at - r.at).toBeGreaterThanOrEqual(150);
		}
		expect(api.filter((r) => r.status === 200)).toHaveLength(8);
		expect(client.stats()).toMatchObject({ throttled: throttled.length, retries: throttled.length });
	});

	it('pauses the whole credential, not just the throttled request (concurrent)', async () => {
		const concurrency = 4;
		emu.setFaults({ rate429: 0.2, retryAfterSec: 0.3, latencyMs: 20 });
		const { client, logs } = makeClient(emu, { maxConcurrency: concurrency });
		await Promise.all(Array.from({ length: 24 }, async () => await client.request(ORG)));
		const api = apiRequests(emu);
		const seen429 = logs.filter((l) => l.line.includes('-> HTTP 429')).map((l) => l.at);
		expect(seen429.length).toBeGreaterThan(0);
		expect(seen429).toHaveLength(api.filter((r) => r.status === 429).length);
		// From the moment the client read a 429 until Retry-After passed, only requests already in flight
		// (at most concurrency - 1) may still reach the server; without the shared pause there would be dozens.
		for (const at of seen429) {
			const during = api.filter((r) => r.at > at && r.at < at + 300);
			expect(during.length).toBeLessThanOrEqual(concurrency - 1);
		}
		expect(api.filter((r) => r.status === 200)).toHaveLength(24);
	});

	it('re-sends a throttled POST: a 429 proves it was not applied', async () => {
		emu.setFaults({ rate429: 0.6, retryAfterSec: 0.02, pathFilter: '^/api/v2/users$' });
		const { client } = makeClient(emu);
		for (let i = 0; i < 5; i++) await client.request({ method: 'POST', path: '/api/v2/users', body: user(i) });
		expect(emu.state.users.size).toBe(5);
		expect(apiRequests(emu).filter((r) => r.status === 429).length).toBeGreaterThan(0);
	});

	it('fails fast on a daily limit (Retry-After over 180 s)', async () => {
		emu.setFaults({ dailyLimit: true });
		const { client } = makeClient(emu);
		const error = await caught(client.request(ORG));
		expect(isGenesysError(error, { status: 429 })).toBe(true);
		const apiError = error as GenesysApiError;
		expect(apiError.kind).toBe('dailyLimit');
		expect(apiError.retryAfterSec).toBeGreaterThan(180);
		expect(apiError.message).toMatch(/daily limit/i);
		expect(apiError.contextId).toBe(apiRequests(emu)[0].correlationId);
		expect(apiRequests(emu)).toHaveLength(1);
	});
});

describe('5xx and dropped connections', () => {
	it('recovers idempotent requests from 502/503/504', async () => {
		emu.setFaults({ rate5xx: 0.4 });
		const { client } = makeClient(emu, { maxConcurrency: 4 });
		await Promise.all(Array.from({ length: 20 }, async () => await client.request(ORG)));
		const api = apiRequests(emu);
		const failed = api.filter((r) => r.status >= 500);
		expect(failed.length).toBeGreaterThan(0);
		for (const r of failed) expect([502, 503, 504]).toContain(r.status);
		expect(api.filter((r) => r.status === 200)).toHaveLength(20);
		expect(client.stats()).toMatchObject({ serverErrors: failed.length, retries: failed.length });
	});

	it('recovers idempotent requests from reset connections', async () => {
		emu.setFaults({ dropConnection: 0.3 });
		const { client } = makeClient(emu, { maxConcurrency: 3 });
		await Promise.all(Array.from({ length: 15 }, async () => await client.request(ORG)));
		const dropped = apiRequests(emu).filter((r) => r.fault === 'drop');
		expect(dropped.length).toBeGreaterThan(0);
		expect(client.stats()).toMatchObject({ networkErrors: dropped.length, retries: dropped.length });
	});

	it('retries a search marked idempotent after a reset', async () => {
		emu.setFaults({ dropConnection: 0.5, pathFilter: 'search' });
		const { client } = makeClient(emu);
		for (let i = 0; i < 4; i++) {
			const found = await client.request<{ total: number }>({
				method: 'POST',
				path: '/api/v2/users/search',
				idempotent: true,
				body: { query: [{ type: 'EXACT', fields: ['email'], value: `nobody${i}@example.com` }] },
			});
			expect(found.total).toBe(0);
		}
		expect(apiRequests(emu).filter((r) => r.fault === 'drop').length).toBeGreaterThan(0);
	});

	it('gives up at the deadline with the last Genesys answer', async () => {
		emu.setFaults({ rate5xx: 1 });
		const { client } = makeClient(emu, { retry: { baseDelayMs: 20, maxDelayMs: 40, deadlineMs: 300 } });
		const error = await caught(client.request(ORG));
		expect(isGenesysError(error, { status: [502, 503, 504] })).toBe(true);
		const apiError = error as GenesysApiError;
		expect(apiError.kind).toBe('deadline');
		expect(apiError.attempts).toBe(apiRequests(emu).length);
		expect(apiError.message).toMatch(/gave up after \d+ attempts/);
		// a 300 ms budget with 10-40 ms steps bounds the attempts
		expect(apiRequests(emu).length).toBeLessThanOrEqual(31);
	});
});

describe('non-idempotent writes', () => {
	it('does not re-send a POST whose response was lost, and says it may have been applied', async () => {
		emu.setFaults({ lostResponse: 1, pathFilter: '^/api/v2/users$' });
		const { client } = makeClient(emu);
		const error = await caught(client.request({ method: 'POST', path: '/api/v2/users', body: user(1) }));
		expect(isGenesysError(error, { status: 0 })).toBe(true);
		expect(error).toMatchObject({ maybeApplied: true, kind: 'network', code: 'ECONNRESET' });
		const posts = apiRequests(emu).filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(posts[0].applied).toBe(true);
		expect(emu.state.userByEmail(user(1).email)).toBeDefined();
	});

	it('creates each user exactly once under mixed faults, re-sending only what provably did not apply', async () => {
		emu.setFaults({ rate5xx: 0.3, rate429: 0.2, retryAfterSec: 0.02, dropConnection: 0.1, lostResponse: 0.1, pathFilter: '^/api/v2/users$' });
		const { client } = makeClient(emu, { maxConcurrency: 4 });
		const outcomes = await Promise.allSettled(
			Array.from({ length: 30 }, async (_, i) => await client.request({ method: 'POST', path: '/api/v2/users', body: user(i) })),
		);
		const posts = apiRequests(emu).filter((r) => r.method === 'POST');
		const fulfilled = outcomes.filter((o) => o.status === 'fulfilled').length;
		const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
		// Answers that leave the outcome unknown end their request: each one is exactly one rejection...
		const unknownOutcome = posts.filter((r) => [502, 503, 504].includes(r.status) || r.fault === 'drop' || r.fault === 'lost');
		expect(rejected).toHaveLength(unknownOutcome.length);
		for (const failure of rejected) expect(failure.reason).toMatchObject({ maybeApplied: true });
		// ...every other attempt either succeeded once or was provably not applied (429) and re-sent.
		const created = posts.filter((r) => r.status === 200);
		expect(created).toHaveLength(fulfilled);
		const notApplied = posts.filter((r) => r.status === 429);
		expect(posts).toHaveLength(created.length + unknownOutcome.length + notApplied.length);
		// Genesys holds each fulfilled user plus the lost-response ones, never a duplicate.
		const lost = posts.filter((r) => r.fault === 'lost').length;
		expect(emu.state.users.size).toBe(fulfilled + lost);
		const emails = [...emu.state.users.values()].map((u) => u.email);
		expect(new Set(emails).size).toBe(emails.length);
		expect(fulfilled).toBeGreaterThan(0);
		expect(rejected.length).toBeGreaterThan(0);
	});
});

describe('tokens', () => {
	it('renews once on a mid-run 401 and resends, even with requests in flight', async () => {
		const { client } = makeClient(emu, { maxConcurrency: 5 });
		await client.request(ORG);
		emu.expireAllTokens();
		await Promise.all(Array.from({ length: 10 }, async () => await client.request(ORG)));
		expect(tokenRequests(emu)).toHaveLength(2);
		expect(client.stats().tokenRefreshes).toBe(2);
		const api = apiRequests(emu);
		const unauthorized = api.filter((r) => r.status === 401);
		// each request meets at most one 401: only the first renews, the others reuse its token
		expect(unauthorized.length).toBeGreaterThanOrEqual(1);
		expect(unauthorized.length).toBeLessThanOrEqual(10);
		expect(api.filter((r) => r.status === 200)).toHaveLength(11);
	});

	it('renews shortly before the stored expiry instead of waiting for a 401', async () => {
		// 2 s tokens renewed 1 s ahead: a request may take up to a second to reach the server (a busy
		// machine) and still carry a valid token. Eleven requests 250 ms apart span more than two renewals.
		const shortLived = await startTransportEmulator({
			rateLimit: false,
			tokenLifetimeSec: 2,
		});
		try {
			const { client } = makeClient(shortLived, { renewBeforeExpiryMs: 1_000 });
			for (let i = 0; i < 11; i++) {
				await client.request(ORG);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			expect(apiRequests(shortLived).filter((r) => r.status === 401)).toEqual([]);
			expect(tokenRequests(shortLived).length).toBeGreaterThanOrEqual(3);
			expect(client.stats().tokenRefreshes).toBe(tokenRequests(shortLived).length);
		} finally {
			await shortLived.close();
		}
	});

	it('does not renew on every request when tokens live shorter than the renewal margin', async () => {
		const shortLived = await startTransportEmulator({
			rateLimit: false,
			tokenLifetimeSec: 2,
		});
		try {
			const { client } = makeClient(shortLived, { renewBeforeExpiryMs: 60_000 });
			for (let i = 0; i < 6; i++) await client.request(ORG);
			expect(tokenRequests(shortLived)).toHaveLength(1);
		} finally {
			await shortLived.close();
		}
	});

	it('fails once, clearly, when the client credentials are refused', async () => {
		const { client } = makeClient(emu, { clientSecret: 'not-the-secret' });
		const error = await caught(client.request(ORG));
		expect(isGenesysError(error, { status: 401, code: 'invalid_client' })).toBe(true);
		expect(error).toMatchObject({ kind: 'token' });
		expect((error as GenesysApiError).message).toMatch(/refused the OAuth client credentials/);
		expect(tokenRequests(emu)).toHaveLength(1);
		expect(apiRequests(emu)).toHaveLength(0);
	});
});

describe('incomplete credential', () => {
	it('fails at once, without retries or requests', async () => {
		const { client } = makeClient(emu, { clientSecret: '' });
		const error = await caught(client.request(ORG));
		expect(error).toMatchObject({ kind: 'token', status: 0, code: 'invalid_configuration', attempts: 1 });
		expect((error as Error).message).toMatch(/needs a Client ID and a Client Secret/);
		expect(emu.requests).toHaveLength(0);
	});
});

describe('pacing', () => {
	it('never has more requests in flight than maxConcurrency', async () => {
		emu.setFaults({ latencyMs: 25 });
		const { client } = makeClient(emu, { maxConcurrency: 3 });
		await Promise.all(Array.from({ length: 18 }, async () => await client.request(ORG)));
		expect(emu.stats.maxInFlight).toBe(3);
	});

	it('never exceeds the rate over any window, so the server never throttles', async () => {
		const window = { limit: 4, windowMs: 600 };
		const limited = await startTransportEmulator({
			rateLimit: window,
			fractionalRetryAfter: true,
		});
		try {
			// The margin absorbs the lag between our start and the server's arrival stamp (event-loop jitter on
			// a busy test machine, network latency in production).
			const { client } = makeClient(limited, { rateLimit: window, windowMarginMs: 100, maxConcurrency: 10 });
			await Promise.all(Array.from({ length: 9 }, async () => await client.request(ORG)));
			const api = apiRequests(limited);
			expect(limited.stats.rateLimited).toBe(0);
			expect(api).toHaveLength(9);
			expect(densest(api.map((r) => r.at), window.windowMs)).toBeLessThanOrEqual(window.limit);
		} finally {
			await limited.close();
		}
	});

	it('shares one budget between clients given the same throttle', async () => {
		emu.setFaults({ latencyMs: 10 });
		const first = makeClient(emu, { maxConcurrency: 2 });
		const second = makeClient(emu, { throttle: first.client.throttle });
		await Promise.all([
			...Array.from({ length: 6 }, async () => await first.client.request(ORG)),
			...Array.from({ length: 6 }, async () => await second.client.request(ORG)),
		]);
		expect(emu.stats.maxInFlight).toBe(2);
	});
});

describe('cancellation', () => {
	it('stops waiting out a 429 as soon as the signal aborts', async () => {
		emu.setFaults({ rate429: 1, retryAfterSec: 60 });
		const { client } = makeClient(emu, { retry: { deadlineMs: 120_000 } });
		const controller = new AbortController();
		const pending = client.request({ ...ORG, signal: controller.signal });
		while (apiRequests(emu).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		controller.abort(new Error('execution cancelled'));
		await expect(pending).rejects.toThrow('execution cancelled');
		expect(apiRequests(emu)).toHaveLength(1);
	});
});

describe('secrets', () => {
	it('the leak check sees through non-enumerable causes', () => {
		const inner = Object.assign(new Error('inner'), { config: { headers: { Authorization: 'Bearer abcdefghijklmnop' } } });
		const outer = new Error('outer', { cause: inner });
		expect(Object.keys(outer)).not.toContain('cause');
		expect(leakedForms(deepDump(outer), ['abcdefghijklmnop'])).toHaveLength(1);
	});

	it('appear in no error, however the request failed', async () => {
		const errors: unknown[] = [];
		const tokens: string[] = [];
		const collect = async (run: () => Promise<unknown>): Promise<void> => {
			errors.push(await caught(run()));
		};
		const good = makeClient(emu);
		await good.client.request(ORG);

		await collect(async () => await good.client.request({ method: 'GET', path: '/api/v2/users/missing' }));
		await collect(async () => await good.client.request({ method: 'POST', path: '/api/v2/users', body: { name: 'x' } }));
		await collect(async () => await good.client.request({ method: 'GET', path: 'https://evil.example/api/v2/users' }));
		emu.setFaults({ lostResponse: 1, pathFilter: '^/api/v2/users$' });
		await collect(async () => await good.client.request({ method: 'POST', path: '/api/v2/users', body: user(99) }));
		emu.setFaults({ dailyLimit: true, pathFilter: undefined });
		await collect(async () => await good.client.request(ORG));
		emu.clearFaults();
		emu.setFaults({ rate5xx: 1 });
		const impatient = makeClient(emu, { retry: { deadlineMs: 50 } });
		await collect(async () => await impatient.client.request(ORG));
		emu.clearFaults();
		const badSecret = makeClient(emu, { clientSecret: 'wrong-secret-for-leak-test' });
		await collect(async () => await badSecret.client.request(ORG));
		const closed = await startEmulator();
		await closed.close();
		const unreachable = makeClient({ url: closed.url }, { loginUrl: emu.url, retry: { deadlineMs: 100 } });
		await collect(async () => await unreachable.client.request(ORG));
		const loginOnly = makeClient(emu, { loginUrl: closed.url, retry: { deadlineMs: 100 } });
		await collect(async () => await loginOnly.client.request(ORG));

		tokens.push(...good.sender.tokens, ...impatient.sender.tokens);
		expect(tokens.length).toBeGreaterThanOrEqual(2);
		expect(errors).toHaveLength(9);
		const forms = [
			...secretForms(CLIENT_ID, CLIENT_SECRET, tokens),
			...secretForms(CLIENT_ID, 'wrong-secret-for-leak-test', []),
		];
		for (const error of errors) {
			const dump = deepDump(error);
			expect(leakedForms(dump, forms)).toEqual([]);
			expect(dump).not.toMatch(/Bearer [A-Za-z0-9_-]{10,}/);
			expect(dump).not.toMatch(/Basic [A-Za-z0-9+/=]{10,}/);
		}
		// each failure kind is represented
		expect(errors.map((e) => (isGenesysError(e) ? `${e.kind}:${e.status}` : (e as Error).name))).toEqual([
			'response:404',
			'response:400',
			'NodeOperationError',
			'network:0',
			'dailyLimit:429',
			expect.stringMatching(/^deadline:50[234]$/),
			'token:401',
			'deadline:0',
			'token:0',
		]);
	});
});
