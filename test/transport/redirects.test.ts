/**
 * No request of the credential or the transport follows a redirect (n8n's engine, 2.x and N8N_ENGINE=1):
 * the emulator answers 301/302/303/307/308 pointing at a second loopback server that records everything it
 * receives. Whatever the code and the request (GET, a create POST, the token POST, the credential test), the
 * run reports the status and the Location host, retries nothing, and the second server sees nothing.
 */
import { engineVersion, testCredential } from '../harness';
import { startTrap } from '../emulator';
import type { Emulator, TrapServer } from '../emulator';
import { apiRequests, CLIENT_ID, CLIENT_SECRET, credentialsFor, deepDump, emulatorPerFile, leakedForms, secretForms, tokenRequests } from './helpers';
import { CREDENTIAL, ORG, PROBE, runProbe } from './probe';

const CODES = [301, 302, 303, 307, 308] as const;
const CREATE = { json: { method: 'POST', path: '/api/v2/users', body: { name: 'Ann Redirect', email: 'ann.redirect@example.com', password: 'Initial-Pa55!' } } };

let emu: Emulator;
let trap: TrapServer;
emulatorPerFile({ rateLimit: false }, (started) => {
	emu = started;
});
beforeAll(async () => {
	trap = await startTrap();
});
afterAll(async () => {
	await trap.close();
});
beforeEach(() => {
	trap.received.length = 0;
});

/** A token obtained before the redirect is switched on, so API redirects are seen with a bearer in hand. */
async function storedToken(): Promise<Record<string, unknown>> {
	const { result } = await runProbe(emu.url, [ORG]);
	emu.reset();
	return result.credentialsStore[CREDENTIAL];
}

describe(`redirects are never followed (n8n ${engineVersion()}.x engine)`, () => {
	it.each(CODES)('HTTP %i on a GET and on a create POST: an error naming status and host, sent once', async (status) => {
		const credentials = await storedToken();
		emu.setFaults({ redirect: { status, location: `${trap.url}/api/v2/stolen?next=1`, pathFilter: '^/api/v2/' } });
		const { result, items } = await runProbe(emu.url, [ORG, CREATE], { credentials });
		expect(result.status).toBe('success');
		for (const item of items) {
			expect(item).toMatchObject({ ok: false, name: 'NodeApiError', status, kind: 'redirect', maybeApplied: false });
			expect(item.message).toContain(`HTTP ${status}`);
			expect(item.message).toContain(trap.host);
			expect(item.message).not.toContain('/stolen');
		}
		expect(apiRequests(emu).map((r) => `${r.method} ${r.status}`)).toEqual([`GET ${status}`, `POST ${status}`]);
		expect(emu.state.users.size).toBe(0);
		expect(trap.received).toEqual([]);
		const dump = deepDump(result.run) + deepDump(result.logs);
		expect(leakedForms(dump, secretForms(CLIENT_ID, CLIENT_SECRET, [String(credentials.accessToken)]))).toEqual([]);
	});

	it.each(CODES)('HTTP %i on the token POST: a credential error naming status and host, no API request', async (status) => {
		emu.setFaults({ redirect: { status, location: `${trap.url}/oauth/token`, pathFilter: '^/oauth/token$' } });
		const { result, items } = await runProbe(emu.url, [ORG]);
		expect(result.status).toBe('success');
		expect(items[0]).toMatchObject({ ok: false, status, kind: 'token', code: 'redirect' });
		expect(items[0].message).toContain(`HTTP ${status}`);
		expect(items[0].message).toContain(trap.host);
		expect(tokenRequests(emu)).toHaveLength(1);
		expect(apiRequests(emu)).toHaveLength(0);
		expect(trap.received).toEqual([]);
		expect(leakedForms(deepDump(result.run) + deepDump(result.logs), secretForms(CLIENT_ID, CLIENT_SECRET, []))).toEqual([]);
	});

	it('a relative Location is reported with the API host it resolves to', async () => {
		const credentials = await storedToken();
		emu.setFaults({ redirect: { status: 302, location: '/login?expired=1', pathFilter: '^/api/v2/' } });
		const { items } = await runProbe(emu.url, [ORG], { credentials });
		expect(items[0]).toMatchObject({ ok: false, status: 302, kind: 'redirect' });
		expect(items[0].message).toContain(new URL(emu.url).host);
		expect(apiRequests(emu)).toHaveLength(1);
	});
});

describe('the credential test follows no redirect', () => {
	it.each([307, 301] as const)('HTTP %i on GET /organizations/me fails the test; the second host sees nothing', async (status) => {
		emu.setFaults({ redirect: { status, location: `${trap.url}/api/v2/organizations/me`, pathFilter: '^/api/v2/' } });
		const outcome = await testCredential(CREDENTIAL, credentialsFor(emu.url), { packages: [PROBE] });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toContain(String(status));
		// 2.x keeps the response on the error, so the credential's rule names the redirect; 1.x drops it and
		// n8n's own "Request failed with status code" remains.
		if (engineVersion() === 2) expect(outcome.message).toMatch(/redirect/);
		expect(trap.received).toEqual([]);
	});

	it('HTTP 307 on the token POST fails the test; the second host sees nothing', async () => {
		emu.setFaults({ redirect: { status: 307, location: `${trap.url}/oauth/token`, pathFilter: '^/oauth/token$' } });
		const outcome = await testCredential(CREDENTIAL, credentialsFor(emu.url), { packages: [PROBE] });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/307/);
		expect(apiRequests(emu)).toHaveLength(0);
		expect(trap.received).toEqual([]);
		expect(outcome.message).not.toContain(CLIENT_SECRET);
	});
});
