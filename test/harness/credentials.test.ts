/**
 * The harness's credentials helper behaves like n8n's CLI helper: defaults and `$self` expressions,
 * preAuthentication only when the expirable field is empty / expired / under test, persistence of its
 * output, one refresh on 401; and testCredential runs the credential's `test` request.
 */
import path from 'node:path';

import {
	CredentialStore,
	HarnessCredentialsHelper,
	loadPackages,
	manualTriggerWorkflow,
	runWorkflow,
	testCredential,
	type RunResult,
} from './index';
import {
	FIXTURE_CLIENT_ID,
	FIXTURE_CLIENT_SECRET,
	startFixtureServer,
	type FixtureServer,
} from './fixtures/fixtureServer';

const FIXTURE = path.join(__dirname, 'fixtures', 'n8n-nodes-harness-fixture');
const API = 'n8n-nodes-harness-fixture.harnessApi';
const TYPE = 'harnessTokenApi';

let server: FixtureServer;

beforeEach(async () => {
	server = await startFixtureServer();
});

afterEach(async () => {
	await server.close();
});

function userData(secret = FIXTURE_CLIENT_SECRET): Record<string, unknown> {
	return { url: server.url, clientId: FIXTURE_CLIENT_ID, clientSecret: secret };
}

function apiRun(data: Record<string, unknown>, items = 1): Promise<RunResult> {
	return runWorkflow({
		packages: [FIXTURE],
		workflow: manualTriggerWorkflow([{ name: 'Call', type: API, parameters: { path: '/items' } }]),
		credentials: { [TYPE]: { id: 'cred-1', name: 'Fixture account', data } },
		startItems: Array.from({ length: items }, (_, i) => ({ json: { i } })),
	});
}

test('the first run fetches one token by preAuthentication, signs every request and persists only the token', async () => {
	const result = await apiRun(userData(), 3);
	expect(result.status).toBe('success');
	expect(server.tokensIssued()).toBe(1);
	expect(server.requests.map((r) => `${r.method} ${r.path} ${r.authorized}`)).toEqual([
		'POST /oauth/token false',
		'GET /api/items true',
		'GET /api/items true',
		'GET /api/items true',
	]);
	const stored = result.credentialsStore[TYPE];
	expect(typeof stored.sessionToken).toBe('string');
	expect(String(stored.sessionToken)).toMatch(/^fixture-token-1-/);
	// Type defaults are applied when reading, never written back.
	expect(Object.keys(stored).sort()).toEqual(['clientId', 'clientSecret', 'sessionToken', 'url']);
	expect(result.credentialUpdates).toEqual([{ type: TYPE, fields: ['sessionToken'] }]);
});

test('type defaults and $self expressions are resolved for the node', async () => {
	const result = await apiRun(userData());
	expect(result.output('Call')[0].json).toMatchObject({
		apiBase: `${server.url}/api`,
		scope: 'fixture:read',
		ok: true,
	});
});

test('a stored token is reused by the next run: no token request, nothing persisted', async () => {
	const first = await apiRun(userData());
	const second = await apiRun(first.credentialsStore[TYPE]);
	expect(second.status).toBe('success');
	expect(server.tokensIssued()).toBe(1);
	expect(second.credentialUpdates).toEqual([]);
	expect(second.credentialsStore[TYPE].sessionToken).toBe(
		first.credentialsStore[TYPE].sessionToken,
	);
});

test('a 401 on a stored token fetches a new one once and resends the request', async () => {
	const first = await apiRun(userData());
	server.revokeTokens();
	server.requests.length = 0;
	const second = await apiRun(first.credentialsStore[TYPE]);
	expect(second.status).toBe('success');
	expect(server.requests.map((r) => `${r.method} ${r.path} ${r.authorized}`)).toEqual([
		'GET /api/items false',
		'POST /oauth/token false',
		'GET /api/items true',
	]);
	expect(second.credentialsStore[TYPE].sessionToken).not.toBe(
		first.credentialsStore[TYPE].sessionToken,
	);
	expect(second.credentialUpdates).toEqual([{ type: TYPE, fields: ['sessionToken'] }]);
});

test('neither the client secret nor the token shows in logs, outputs or errors', async () => {
	const ok = await apiRun(userData(), 2);
	const token = String(ok.credentialsStore[TYPE].sessionToken);
	expect(ok.logs.some((entry) => entry.message === 'fixture API answered')).toBe(true);
	expect(ok.visibleText()).toContain('fixture API answered');
	expect(ok.visibleText()).not.toContain(FIXTURE_CLIENT_SECRET);
	expect(ok.visibleText()).not.toContain(token);
});

test('a wrong secret fails the run with the token endpoint refusing, twice (first try and the 401 retry)', async () => {
	const result = await apiRun(userData('wrong-secret'));
	expect(result.status).toBe('error');
	expect(server.tokensIssued()).toBe(0);
	expect(server.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(2);
	expect(result.credentialUpdates).toEqual([]);
	expect(result.visibleText()).toContain('Authorization failed');
	expect(result.visibleText()).not.toContain('wrong-secret');
});

test('a node whose credential is missing fails like n8n does', async () => {
	const result = await runWorkflow({
		packages: [FIXTURE],
		workflow: manualTriggerWorkflow([{ name: 'Call', type: API, parameters: {} }]),
	});
	expect(result.status).toBe('error');
	expect(result.errorMessage).toMatch(/credentials/i);
});

test('getDecrypted returns a fresh copy each time; raw skips defaults', async () => {
	const registry = await loadPackages([FIXTURE]);
	const store = new CredentialStore({ [TYPE]: { id: 'c1', data: userData() } });
	const helper = new HarnessCredentialsHelper(registry, store);
	const additionalData = { variables: {}, executionId: 'x' } as never;
	const reference = { id: 'c1', name: 'x' };
	const first = await helper.getDecrypted(additionalData, reference, TYPE, 'manual');
	expect(first).toMatchObject({
		apiBase: `${server.url}/api`,
		scope: 'fixture:read',
		sessionToken: '',
	});
	first.clientSecret = 'changed';
	const second = await helper.getDecrypted(additionalData, reference, TYPE, 'manual');
	expect(second.clientSecret).toBe(FIXTURE_CLIENT_SECRET);
	const raw = await helper.getDecrypted(additionalData, reference, TYPE, 'manual', undefined, true);
	expect(raw).toEqual(userData());
	await expect(
		helper.getDecrypted(additionalData, { id: 'other', name: 'x' }, TYPE, 'manual'),
	).rejects.toThrow(/does not exist/);
	expect(helper.getParentTypes(TYPE)).toEqual([]);
});

test('authenticate applies the generic header with $credentials', async () => {
	const helper = new HarnessCredentialsHelper(await loadPackages([FIXTURE]), new CredentialStore());
	const signed = await helper.authenticate({ sessionToken: 'abc' }, TYPE, {
		url: '/x',
		headers: { Accept: 'a' },
	});
	expect(signed.headers).toEqual({ Accept: 'a', Authorization: 'Bearer abc' });
});

describe('testCredential', () => {
	test('passes with valid data and keeps the token it fetched', async () => {
		const result = await testCredential(TYPE, userData(), { packages: [FIXTURE] });
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests.map((r) => `${r.method} ${r.path} ${r.authorized}`)).toEqual([
			'POST /oauth/token false',
			'GET /api/me true',
		]);
		expect(String(result.credentialsStore[TYPE].sessionToken)).toMatch(/^fixture-token-/);
	});

	test('always fetches a fresh token, even when one is stored', async () => {
		const first = await testCredential(TYPE, userData(), { packages: [FIXTURE] });
		await testCredential(TYPE, first.credentialsStore[TYPE], { packages: [FIXTURE] });
		expect(server.tokensIssued()).toBe(2);
	});

	test('fails with a wrong secret, without the secret in the message', async () => {
		const result = await testCredential(TYPE, userData('wrong-secret-value'), {
			packages: [FIXTURE],
		});
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('wrong-secret-value');
		expect(server.requests.some((r) => r.path === '/api/me')).toBe(false);
	});

	test('reports an unreachable host', async () => {
		const url = server.url;
		await server.close();
		const result = await testCredential(TYPE, { ...userData(), url }, { packages: [FIXTURE] });
		expect(result.status).toBe('Error');
		server = await startFixtureServer();
	});
});
