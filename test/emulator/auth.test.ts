import { manualClock, startEmulator, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { basicAuth, requestToken, TestClient } from './testClient';

describe('emulator: token endpoint and bearer authentication', () => {
	let emu: Emulator;

	emulatorPerFile(
		{
			clients: [
				{ clientId: 'client-a', clientSecret: 'secret-a' },
				{ clientId: 'client-b', clientSecret: 'secret-b' },
			],
		},
		(started) => {
			emu = started;
		},
		// These tests count and check every token request themselves.
		{ login: false },
	);

	test('client credentials grant returns an opaque bearer token with the default 24 h lifetime', async () => {
		const res = await requestToken(emu.url, { clientId: 'client-a', clientSecret: 'secret-a' });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86400 });
		expect(res.body.access_token.length).toBeGreaterThanOrEqual(32);
		expect(res.body).not.toHaveProperty('refresh_token');
		const other = await requestToken(emu.url, { clientId: 'client-b', clientSecret: 'secret-b' });
		expect(other.body.access_token).not.toBe(res.body.access_token);
		expect(emu.stats.tokensIssued).toBe(2);
	});

	test('wrong secret, unknown client or missing Basic auth is 401 invalid_client', async () => {
		const wrong = await requestToken(emu.url, { clientId: 'client-a', clientSecret: 'secret-b' });
		expect(wrong.status).toBe(401);
		expect(wrong.body.error).toBe('invalid_client');
		expect(wrong.body.error_description).toEqual(expect.any(String));
		const unknown = await requestToken(emu.url, { clientId: 'nobody', clientSecret: 'secret-a' });
		expect(unknown.status).toBe(401);
		const bare = await fetch(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials&client_id=client-a&client_secret=secret-a',
		});
		expect(bare.status).toBe(401);
		expect(emu.stats.tokensIssued).toBe(0);
	});

	test('another grant type is 400 unsupported_grant_type', async () => {
		const res = await requestToken(emu.url, { clientId: 'client-a', clientSecret: 'secret-a' }, 'grant_type=password');
		expect(res.status).toBe(400);
		expect(res.body.error).toBe('unsupported_grant_type');
	});

	test('the request log never holds the secret or the token', async () => {
		const res = await fetch(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: basicAuth('client-a', 'secret-a'), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials&client_secret=secret-a',
		});
		const token = ((await res.json()) as { access_token: string }).access_token;
		const client = new TestClient(emu.url);
		client.token = token;
		await client.get('/api/v2/organizations/me');
		const log = JSON.stringify(emu.requests);
		expect(log).not.toContain('secret-a');
		expect(log).not.toContain(token);
		const [issued, used] = emu.requests.map((r) => r.tokenId);
		expect(issued).toMatch(/^tok-\d+$/);
		expect(used).toBe(issued);
	});

	test('/api/v2 without a bearer token is 401 authentication.required', async () => {
		const client = new TestClient(emu.url);
		const res = await client.call('GET', '/api/v2/organizations/me', undefined, { token: null });
		expect(res.status).toBe(401);
		expect(res.body).toMatchObject({ code: 'authentication.required', status: 401, details: [], errors: [] });
	});

	test('an unknown token is 401 bad.credentials', async () => {
		const client = new TestClient(emu.url);
		const res = await client.call('GET', '/api/v2/organizations/me', undefined, { token: 'not-a-token' });
		expect(res.status).toBe(401);
		expect(res.body.code).toBe('bad.credentials');
	});

	test('every response carries ININ-Correlation-Id equal to the error contextId', async () => {
		const client = await new TestClient(emu.url, { clientId: 'client-a', clientSecret: 'secret-a' }).login();
		const okRes = await client.get('/api/v2/organizations/me');
		expect(okRes.headers.get('inin-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
		const missing = await client.get('/api/v2/users/00000000-0000-4000-8000-000000000000');
		expect(missing.status).toBe(404);
		expect(missing.body.contextId).toBe(missing.headers.get('inin-correlation-id'));
		expect(emu.requests.at(-1)?.correlationId).toBe(missing.body.contextId);
		expect(okRes.headers.get('inin-correlation-id')).not.toBe(missing.body.contextId);
	});

	test('no rate-limit headers are ever sent', async () => {
		const client = await new TestClient(emu.url, { clientId: 'client-a', clientSecret: 'secret-a' }).login();
		const res = await client.get('/api/v2/organizations/me');
		for (const name of res.headers.keys()) expect(name).not.toMatch(/ratelimit/i);
	});

	test('expireAllTokens makes every issued token answer 401 bad.credentials; a new token works', async () => {
		const client = await new TestClient(emu.url, { clientId: 'client-a', clientSecret: 'secret-a' }).login();
		expect((await client.get('/api/v2/organizations/me')).status).toBe(200);
		emu.expireAllTokens();
		const expired = await client.get('/api/v2/organizations/me');
		expect(expired.status).toBe(401);
		expect(expired.body.code).toBe('bad.credentials');
		await client.login();
		expect((await client.get('/api/v2/organizations/me')).status).toBe(200);
	});

	test('tokens/me and organizations/me identify the client and the org', async () => {
		const client = await new TestClient(emu.url, { clientId: 'client-b', clientSecret: 'secret-b' }).login();
		const me = await client.get('/api/v2/tokens/me');
		expect(me.status).toBe(200);
		expect(me.body.OAuthClient.id).toBe('client-b');
		const org = await client.get('/api/v2/organizations/me');
		expect(org.body.id).toBe(me.body.organization.id);
		expect(org.body.name).toEqual(expect.any(String));
	});
});

describe('emulator: token lifetime', () => {
	test('a token expires after tokenLifetimeSec (decimals allowed)', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, tokenLifetimeSec: 0.3 });
		try {
			const client = await new TestClient(emu.url).login();
			const token = await requestToken(emu.url);
			expect(token.body.expires_in).toBe(0.3);
			expect((await client.get('/api/v2/organizations/me')).status).toBe(200);
			clock.advance(299);
			expect((await client.get('/api/v2/organizations/me')).status).toBe(200);
			clock.advance(1);
			const res = await client.get('/api/v2/organizations/me');
			expect(res.status).toBe(401);
			expect(res.body.code).toBe('bad.credentials');
		} finally {
			await emu.close();
		}
	});
});
