/**
 * One request budget per credential in the process: two executions of the same workflow at once (an HRIS
 * trigger firing twice) share the token, so they must share the throttle too. Against an emulator that limits
 * each token, they together stay within the limit: no 429 at all. Time is compressed with the hidden
 * rateLimitWindowSeconds parameter, set to the emulator's window.
 */
import { engineVersion, manualTriggerWorkflow, runWorkflow } from '../harness';
import type { Emulator } from '../emulator';
import { CLIENT, closeBulkEmulators, emails, items, NODE_NAME, NODE_TYPE, params, startBulkEmulator } from './bulk-helpers';

const WINDOW = { limit: 6, windowMs: 1000 };

afterAll(closeBulkEmulators);

async function issueToken(emu: Emulator): Promise<{ accessToken: string; tokenExpiresAt: number }> {
	const response = await fetch(`${emu.url}/oauth/token`, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials',
	});
	const body = (await response.json()) as { access_token: string; expires_in: number };
	return { accessToken: body.access_token, tokenExpiresAt: Date.now() + body.expires_in * 1000 };
}

test(`two executions at once stay within one token's limit (n8n ${engineVersion()}.x engine)`, async () => {
	const emu = await startBulkEmulator({ rateLimit: WINDOW, faults: { latencyMs: 5 } });
	// The token n8n would have stored from an earlier run: both executions read it from the credential.
	const token = await issueToken(emu);
	const run = (tag: string) =>
		runWorkflow({
			workflow: manualTriggerWorkflow([
				{
					name: NODE_NAME,
					type: NODE_TYPE,
					parameters: params({ rateLimitWindowSeconds: WINDOW.windowMs / 1000 }, { requestsPerMinute: WINDOW.limit }),
					credentials: { genesysCloudOAuth2Api: { id: '1', name: 'Genesys' } },
				},
			]),
			credentials: {
				genesysCloudOAuth2Api: {
					id: '1',
					data: { region: 'custom', apiBaseUrl: emu.url, loginBaseUrl: emu.url, ...CLIENT, ...token },
				},
			},
			startItems: items(emails(8, tag).map((email, i) => ({ name: `${tag} ${i}`, email }))),
		});
	const [first, second] = await Promise.all([run('first'), run('second')]);
	expect(first.status).toBe('success');
	expect(second.status).toBe('success');
	expect(emu.state.users.size).toBe(16);
	const api = emu.requests.filter((r) => r.path.startsWith('/api/v2/'));
	// One token for both, so Genesys counts them together...
	expect(new Set(api.map((r) => r.tokenId)).size).toBe(1);
	expect(emu.stats.tokensIssued).toBe(1);
	// ...and together they never went over it.
	expect(emu.stats.rateLimited).toBe(0);
	expect(api.filter((r) => r.status === 429)).toEqual([]);
});
