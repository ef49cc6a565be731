import { manualClock, startEmulator } from './index';
import { requestToken, sleep, TestClient } from './testClient';

const ORG = '/api/v2/organizations/me';

describe('emulator: per-token rolling-window rate limit', () => {
	test('over the limit is 429 with the normalised body and a Retry-After that frees a slot', async () => {
		// Emulator time stands still until the test moves it: the window rolls when the test says so.
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, rateLimit: { limit: 3, windowMs: 400 }, fractionalRetryAfter: true });
		try {
			const client = await new TestClient(emu.url).login();
			for (let i = 0; i < 3; i++) expect((await client.get(ORG)).status).toBe(200);
			const limited = await client.get(ORG);
			expect(limited.status).toBe(429);
			const retryAfter = limited.headers.get('retry-after') ?? '';
			const seconds = Number(retryAfter);
			expect(seconds).toBe(0.4);
			expect(limited.body).toEqual({
				message: `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
				code: 'too.many.requests.retry.after',
				status: 429,
				contextId: limited.headers.get('inin-correlation-id'),
				details: [],
				errors: [],
			});
			expect(emu.requests.at(-1)).toMatchObject({ status: 429, fault: 'rateLimit', applied: false });
			expect(emu.stats.rateLimited).toBe(1);

			clock.advance(seconds * 1000 - 1);
			expect((await client.get(ORG)).status).toBe(429);
			clock.advance(1);
			expect((await client.get(ORG)).status).toBe(200);
		} finally {
			await emu.close();
		}
	});

	test('refused requests do not occupy the window; the window rolls', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, rateLimit: { limit: 2, windowMs: 300 }, fractionalRetryAfter: true });
		try {
			const client = await new TestClient(emu.url).login();
			expect((await client.get(ORG)).status).toBe(200);
			expect((await client.get(ORG)).status).toBe(200);
			for (let i = 0; i < 5; i++) expect((await client.get(ORG)).status).toBe(429);
			clock.advance(300);
			expect((await client.get(ORG)).status).toBe(200);
			expect((await client.get(ORG)).status).toBe(200);
			expect((await client.get(ORG)).status).toBe(429);
			expect(emu.stats.byStatus).toMatchObject({ 200: 5, 429: 6 });
		} finally {
			await emu.close();
		}
	});

	test('the limit is per token: a second token has its own window', async () => {
		const emu = await startEmulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
		try {
			const first = await new TestClient(emu.url).login();
			const second = await new TestClient(emu.url).login();
			await first.get(ORG);
			await first.get(ORG);
			expect((await first.get(ORG)).status).toBe(429);
			expect((await second.get(ORG)).status).toBe(200);
		} finally {
			await emu.close();
		}
	});

	test('Retry-After is integer seconds (rounded up) by default', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, rateLimit: { limit: 1, windowMs: 2_500 } });
		try {
			const client = await new TestClient(emu.url).login();
			await client.get(ORG);
			const limited = await client.get(ORG);
			expect(limited.headers.get('retry-after')).toBe('3');
			expect(limited.body.message).toBe('Rate limit exceeded the maximum. Retry the request in [3] seconds');
		} finally {
			await emu.close();
		}
	});

	test('the token endpoint is not rate limited; rateLimit: false turns the limiter off', async () => {
		const emu = await startEmulator({ rateLimit: false });
		try {
			const client = await new TestClient(emu.url).login();
			const statuses = await Promise.all(Array.from({ length: 50 }, () => client.get(ORG)));
			expect(statuses.every((r) => r.status === 200)).toBe(true);
		} finally {
			await emu.close();
		}
		const limited = await startEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
		try {
			for (let i = 0; i < 5; i++) await new TestClient(limited.url).login();
			expect(limited.stats.tokensIssued).toBe(5);
		} finally {
			await limited.close();
		}
	});
});

describe('emulator: limits across tokens (org-wide, per route) and on the token endpoint', () => {
	test('an org-wide cap counts every token together; each token still has its own window', async () => {
		const emu = await startEmulator({
			rateLimit: { limit: 3, windowMs: 60_000 },
			orgRateLimit: { limit: 4, windowMs: 60_000 },
		});
		try {
			const first = await new TestClient(emu.url).login();
			const second = await new TestClient(emu.url).login();
			const statuses: number[] = [];
			for (const client of [first, first, second, second]) statuses.push((await client.get(ORG)).status);
			expect(statuses).toEqual([200, 200, 200, 200]);
			// Both tokens are within their own 3, but the org has used its 4.
			const refused = await second.get(ORG);
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
			expect((await first.get(ORG)).status).toBe(429);
			expect(emu.requests.at(-1)).toMatchObject({ fault: 'orgRateLimit', applied: false });
			expect(emu.stats.rateLimitedBy).toMatchObject({ org: 2, token: 0 });
		} finally {
			await emu.close();
		}
	});

	test('a refused request counts in no window: an org refusal leaves the token window alone', async () => {
		const emu = await startEmulator({
			rateLimit: { limit: 2, windowMs: 300 },
			orgRateLimit: { limit: 2, windowMs: 60_000 },
			fractionalRetryAfter: true,
		});
		try {
			const first = await new TestClient(emu.url).login();
			const second = await new TestClient(emu.url).login();
			expect((await first.get(ORG)).status).toBe(200);
			expect((await first.get(ORG)).status).toBe(200);
			expect((await second.get(ORG)).status).toBe(429);
			// After the token window has rolled, `first` is refused by the org cap only.
			await sleep(320);
			expect((await first.get(ORG)).status).toBe(429);
			expect(emu.stats.rateLimitedBy).toEqual({ token: 0, org: 2, route: 0, tokenEndpoint: 0 });
		} finally {
			await emu.close();
		}
	});

	test('a per-route cap applies across tokens to matching requests only', async () => {
		const emu = await startEmulator({
			rateLimit: { limit: 100, windowMs: 60_000 },
			routeRateLimits: [{ pathFilter: '^/api/v2/users/search$', method: 'POST', limit: 2, windowMs: 60_000 }],
		});
		try {
			const first = await new TestClient(emu.url).login();
			const second = await new TestClient(emu.url).login();
			const search = { query: [{ type: 'EXACT', fields: ['email'], value: 'nobody@example.com' }] };
			expect((await first.call('POST', '/api/v2/users/search', search)).status).toBe(200);
			expect((await second.call('POST', '/api/v2/users/search', search)).status).toBe(200);
			const refused = await second.call('POST', '/api/v2/users/search', search);
			expect(refused.status).toBe(429);
			expect(refused.body).toMatchObject({ code: 'too.many.requests.retry.after' });
			// Other routes are not capped.
			expect((await first.get(ORG)).status).toBe(200);
			expect(emu.requests.filter((r) => r.fault === 'routeRateLimit')).toHaveLength(1);
			expect(emu.stats.rateLimitedBy.route).toBe(1);
		} finally {
			await emu.close();
		}
	});

	test('the token endpoint has its own limit per OAuth client, answered 429 with Retry-After', async () => {
		const emu = await startEmulator({ tokenRateLimit: { limit: 2, windowMs: 60_000 } });
		try {
			expect((await requestToken(emu.url)).status).toBe(200);
			expect((await requestToken(emu.url)).status).toBe(200);
			const refused = await requestToken(emu.url);
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(refused.body).toMatchObject({ error: 'too_many_requests' });
			expect(refused.body.access_token).toBeUndefined();
			expect(emu.requests.at(-1)).toMatchObject({ path: '/oauth/token', status: 429, fault: 'tokenRateLimit' });
			expect(emu.stats).toMatchObject({ tokensIssued: 2, rateLimitedBy: { tokenEndpoint: 1 } });
		} finally {
			await emu.close();
		}
	});

	test('one token can be expired alone, and injected 429s can target one token', async () => {
		const emu = await startEmulator({ rateLimit: false, faults: { rate429: 1, tokenFilter: '^tok-2$' } });
		try {
			const first = await new TestClient(emu.url).login();
			const second = await new TestClient(emu.url).login();
			expect((await first.get(ORG)).status).toBe(200);
			expect((await second.get(ORG)).status).toBe(429);
			emu.clearFaults();
			emu.expireToken('tok-1');
			expect((await first.get(ORG)).status).toBe(401);
			expect((await second.get(ORG)).status).toBe(200);
			expect(emu.issuedTokens()).toEqual([first.token, second.token]);
		} finally {
			await emu.close();
		}
	});
});
