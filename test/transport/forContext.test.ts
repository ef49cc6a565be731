/**
 * GenesysClient.forContext inside n8n's real engine (n8n-core 2.x; N8N_ENGINE=1 for the last 1.x), through
 * httpRequestWithAuthentication, the credential's preAuthentication and the harness's credentials helper
 * (a copy of the CLI's semantics: token persisted when the expirable field is blank).
 */
import { engineVersion, testCredential } from '../harness';
import type { RunResult, StartItem } from '../harness';
import type { Emulator } from '../emulator';
import {
	apiRequests,
	CLIENT_ID,
	CLIENT_SECRET,
	credentialsFor,
	deepDump,
	emulatorPerFile,
	leakedForms,
	secretForms,
	tokenRequests,
} from './helpers';
import { CREDENTIAL, ORG, PROBE, runProbe } from './probe';
import type { ProbeOptions, ProbeRun } from './probe';

let emu: Emulator;
emulatorPerFile({ rateLimit: false, fractionalRetryAfter: true }, (started) => {
	emu = started;
});

/** A probe run that n8n finished without an error of its own (request failures come back as items). */
async function probe(startItems: StartItem[], options: ProbeOptions = {}): Promise<ProbeRun> {
	const run = await runProbe(emu.url, startItems, options);
	expect(run.result.errorMessage).toBeUndefined();
	expect(run.result.status).toBe('success');
	return run;
}

function tokenUpdates(result: RunResult): number {
	return result.credentialUpdates.filter((update) => JSON.stringify(update).includes('accessToken')).length;
}

describe(`forContext on the n8n ${engineVersion()}.x engine`, () => {
	it('fetches, persists and reuses the token through preAuthentication', async () => {
		const { result, items, stats } = await probe([ORG, ORG]);
		expect(items.map((i) => i.ok)).toEqual([true, true]);
		expect(tokenRequests(emu)).toHaveLength(1);
		expect(tokenUpdates(result)).toBe(1);
		const stored = result.credentialsStore[CREDENTIAL];
		expect(typeof stored.accessToken).toBe('string');
		expect(stored.tokenExpiresAt as number).toBeGreaterThan(Date.now());
		expect(stats).toMatchObject({ requests: 2, tokenRefreshes: 1, retries: 0 });

		// A second execution starts from the persisted token: no token request at all.
		emu.reset();
		const again = await probe([ORG], { credentials: stored });
		expect(again.items[0].ok).toBe(true);
		expect(tokenRequests(emu)).toHaveLength(0);
	});

	it('renews once on a 401 mid-run (ignoreHttpStatusErrors disables n8n own retry)', async () => {
		const { result, items, stats } = await probe([ORG, { json: { ...ORG.json, expireTokensAt: emu.url } }, ORG]);
		expect(items.map((i) => i.ok)).toEqual([true, true, true]);
		expect(apiRequests(emu).map((r) => r.status)).toEqual([200, 401, 200, 200]);
		expect(tokenRequests(emu)).toHaveLength(2);
		expect(tokenUpdates(result)).toBe(2);
		expect(stats.tokenRefreshes).toBe(2);
	});

	it('renews a stored token close to its expiry before using it', async () => {
		const first = await probe([ORG]);
		emu.reset();
		const nearlyExpired = { ...first.result.credentialsStore[CREDENTIAL], tokenExpiresAt: Date.now() + 30_000 };
		const { items } = await probe([ORG], { credentials: nearlyExpired });
		expect(items[0].ok).toBe(true);
		expect(apiRequests(emu).map((r) => r.status)).toEqual([200]);
		expect(tokenRequests(emu)).toHaveLength(1);
	});

	it('honours 429 and recovers from 5xx through n8n requests', async () => {
		emu.setFaults({ rate429: 0.3, retryAfterSec: 0.05, rate5xx: 0.3 });
		const { items, stats } = await probe(Array.from({ length: 8 }, () => ORG), {
			parallel: true,
			settings: { maxConcurrency: 3 },
		});
		expect(items.every((i) => i.ok)).toBe(true);
		const api = apiRequests(emu);
		expect(stats.throttled).toBe(api.filter((r) => r.status === 429).length);
		expect(stats.serverErrors).toBe(api.filter((r) => r.status >= 500).length);
		expect(stats.throttled + stats.serverErrors).toBeGreaterThan(0);
		expect(emu.stats.maxInFlight).toBeLessThanOrEqual(3);
	});

	it('maps a lost response to maybeApplied, without re-posting', async () => {
		emu.setFaults({ lostResponse: 1, pathFilter: '^/api/v2/users$' });
		const { items } = await probe([
			{ json: { method: 'POST', path: '/api/v2/users', body: { name: 'Lost Response', email: 'lost.response@example.com' } } },
		]);
		expect(items[0]).toMatchObject({ ok: false, name: 'NodeApiError', status: 0, kind: 'network', maybeApplied: true });
		expect(items[0].code).toMatch(/^E[A-Z]+/);
		expect(apiRequests(emu).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(emu.state.userByEmail('lost.response@example.com')).toBeDefined();
	});

	it('reports refused client credentials as a token failure', async () => {
		const { items } = await probe([ORG], { credentials: credentialsFor(emu.url, 'wrong-secret') });
		expect(items[0]).toMatchObject({ ok: false, status: 401, code: 'invalid_client', kind: 'token' });
		expect(apiRequests(emu)).toHaveLength(0);
	});

	it('refuses absolute URLs before n8n sends anything', async () => {
		const { items } = await probe([{ json: { method: 'GET', path: 'https://evil.example/api/v2/users' } }]);
		expect(items[0]).toMatchObject({ ok: false, name: 'NodeOperationError' });
		expect(items[0].message).toMatch(/absolute URLs are not allowed/);
		expect(emu.requests).toHaveLength(0);
	});

	it('leaks neither secret nor token into run data or logs', async () => {
		emu.setFaults({ lostResponse: 1, pathFilter: '^/api/v2/users$' });
		const { result } = await probe([
			ORG,
			{ json: { method: 'GET', path: '/api/v2/users/missing' } },
			{ json: { method: 'POST', path: '/api/v2/users', body: { name: 'Leak Test', email: 'leak.test@example.com' } } },
			{ json: { ...ORG.json, expireTokensAt: emu.url } },
		]);
		const bad = await probe([ORG], { credentials: credentialsFor(emu.url, 'wrong-secret-leak') });
		const tokens = [String(result.credentialsStore[CREDENTIAL].accessToken)];
		const forms = [...secretForms(CLIENT_ID, CLIENT_SECRET, tokens), ...secretForms(CLIENT_ID, 'wrong-secret-leak', [])];
		for (const dump of [deepDump(result.run), deepDump(result.logs), deepDump(bad.result.run), deepDump(bad.result.logs)]) {
			expect(leakedForms(dump, forms)).toEqual([]);
		}
		expect(result.logs.some((entry) => JSON.stringify(entry).includes('Genesys Cloud:'))).toBe(true);
	});
});

describe('credential test', () => {
	it('passes against the API host with a valid client and fails with a wrong secret', async () => {
		const good = await testCredential(CREDENTIAL, credentialsFor(emu.url), { packages: [PROBE] });
		expect(good.status).toBe('OK');
		const paths = emu.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
		expect(paths).toEqual(['POST /oauth/token 200', 'GET /api/v2/organizations/me 200']);

		emu.reset();
		const bad = await testCredential(CREDENTIAL, credentialsFor(emu.url, 'wrong-secret'), { packages: [PROBE] });
		expect(bad.status).toBe('Error');
		expect(bad.message).not.toContain('wrong-secret');
		expect(apiRequests(emu)).toHaveLength(0);
	});
});
