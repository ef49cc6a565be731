/**
 * The credential's preAuthentication against the emulator's real token endpoint.
 */
import { GenesysCloudOAuth2Api } from '../../credentials/GenesysCloudOAuth2Api.credentials';
import { GenesysTokenError } from '../../nodes/GenesysCloud/transport';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import {
	caught,
	CLIENT_ID,
	CLIENT_SECRET,
	credentialsFor,
	deepDump,
	emulatorPerFile,
	leakedForms,
	secretForms,
	tokenRequests,
} from './helpers';
import { plainRequestHelper } from './plainSender';

const credential = new GenesysCloudOAuth2Api();
const LIFETIME_SEC = 120;

let emu: Emulator;
emulatorPerFile({ tokenLifetimeSec: LIFETIME_SEC }, (started) => {
	emu = started;
});

async function preAuth(credentials = credentialsFor(emu.url)) {
	return await credential.preAuthentication.call(plainRequestHelper(), credentials);
}

describe('preAuthentication', () => {
	it('fetches a token with Basic auth and a form body, and stores its expiry', async () => {
		const before = Date.now();
		const output = await preAuth();
		const after = Date.now();
		expect(Object.keys(output).sort()).toEqual(['accessToken', 'tokenExpiresAt']);
		expect(typeof output.accessToken).toBe('string');
		expect((output.accessToken as string).length).toBeGreaterThan(10);
		const expiresAt = output.tokenExpiresAt as number;
		expect(expiresAt).toBeGreaterThanOrEqual(before + LIFETIME_SEC * 1000);
		expect(expiresAt).toBeLessThanOrEqual(after + LIFETIME_SEC * 1000);

		const [request] = tokenRequests(emu);
		expect(request).toMatchObject({ method: 'POST', status: 200, body: { grant_type: 'client_credentials' } });
		expect(emu.stats.tokensIssued).toBe(1);
	});

	it('issues a token the API accepts', async () => {
		const { accessToken } = await preAuth();
		const response = await fetch(`${emu.url}/api/v2/organizations/me`, { headers: { Authorization: `Bearer ${String(accessToken)}` } });
		expect(response.status).toBe(200);
	});

	it('shares one token request between concurrent calls for the same client', async () => {
		const outputs = await Promise.all(Array.from({ length: 6 }, async () => await preAuth()));
		expect(new Set(outputs.map((o) => o.accessToken)).size).toBe(1);
		expect(tokenRequests(emu)).toHaveLength(1);
		// once settled, the next call asks again
		const later = await preAuth();
		expect(later.accessToken).not.toBe(outputs[0].accessToken);
		expect(tokenRequests(emu)).toHaveLength(2);
	});

	it('does not merge calls that differ by secret', async () => {
		const results = await Promise.allSettled([preAuth(), preAuth(credentialsFor(emu.url, 'wrong-secret'))]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
		expect(tokenRequests(emu)).toHaveLength(2);
	});

	it('rebuilds a refused token request from status and OAuth error only', async () => {
		const error = await caught(preAuth(credentialsFor(emu.url, 'wrong-secret-4711')));
		expect(error).toBeInstanceOf(GenesysTokenError);
		expect(error).toMatchObject({ httpStatus: 401, oauthError: 'invalid_client' });
		expect((error as Error).message).toMatch(/^Genesys Cloud token request failed: HTTP 401 invalid_client/);
		expect(leakedForms(deepDump(error), secretForms(CLIENT_ID, 'wrong-secret-4711', []))).toEqual([]);
	});

	it('reports an unreachable login host by network code, without the request headers', async () => {
		const closed = await startEmulator();
		const url = closed.url;
		await closed.close();
		const error = await caught(preAuth(credentialsFor(emu.url, CLIENT_SECRET, url)));
		expect(error).toBeInstanceOf(GenesysTokenError);
		expect(error).toMatchObject({ httpStatus: 0, oauthError: 'ECONNREFUSED' });
		expect(leakedForms(deepDump(error), secretForms(CLIENT_ID, CLIENT_SECRET, []))).toEqual([]);
	});

	it('asks for the missing client id or secret without calling out', async () => {
		const error = await caught(preAuth({ ...credentialsFor(emu.url), clientSecret: '' }));
		expect((error as Error).message).toMatch(/Client ID and a Client Secret/);
		expect(tokenRequests(emu)).toHaveLength(0);
	});

	it('refuses a bad custom URL before any request', async () => {
		const error = await caught(preAuth({ ...credentialsFor(emu.url), loginBaseUrl: 'not a url' }));
		expect((error as Error).message).toMatch(/Login Base URL/);
	});
});
