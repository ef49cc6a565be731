/**
 * A custom API or Login Base URL with http:// is refused unless it points at this machine (n8n's engine,
 * 2.x and N8N_ENGINE=1): the node run and the credential test fail with the reason, and nothing is sent.
 */
import { engineVersion, testCredential } from '../harness';
import type { Emulator } from '../emulator';
import { CLIENT_SECRET, credentialsFor, emulatorPerFile } from './helpers';
import { CREDENTIAL, ORG, PROBE, runProbe } from './probe';

let emu: Emulator;
emulatorPerFile({ rateLimit: false }, (started) => {
	emu = started;
});

/** The emulator, reached through a name that is not loopback (it never resolves: .invalid is reserved). */
const REMOTE = 'http://genesys-emulator.invalid:8080';

describe(`cleartext hosts (n8n ${engineVersion()}.x engine)`, () => {
	it('refuses an http:// API Base URL that is not loopback before anything is sent', async () => {
		const { result } = await runProbe(emu.url, [ORG], { credentials: credentialsFor(REMOTE, CLIENT_SECRET, emu.url) });
		expect(result.status).toBe('error');
		expect(result.errorMessage).toMatch(/API Base URL "http:\/\/genesys-emulator.invalid:8080" uses http/);
		expect(result.errorMessage).toMatch(/unencrypted/);
		expect(emu.requests).toHaveLength(0);
	});

	it('refuses an http:// Login Base URL that is not loopback: the secret is never sent', async () => {
		const outcome = await testCredential(CREDENTIAL, credentialsFor(emu.url, CLIENT_SECRET, REMOTE), { packages: [PROBE] });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/Login Base URL .* uses http/);
		expect(emu.requests).toHaveLength(0);
	});

	it('accepts http:// on loopback (the emulator)', async () => {
		const { items } = await runProbe(emu.url, [ORG]);
		expect(items[0].ok).toBe(true);
		const named = emu.url.replace('127.0.0.1', 'localhost');
		const outcome = await testCredential(CREDENTIAL, credentialsFor(named), { packages: [PROBE] });
		expect(outcome.status).toBe('OK');
	});
});
