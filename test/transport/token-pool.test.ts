/**
 * The token pool through the transport against the emulator: tokens minted by the credential's own token
 * request, requests spread over them within each token's window, a 401 renewing only its token, a 429 pausing
 * only its token, a limit shared by the tokens slowing the pool, token requests paced, and no token anywhere a
 * user or a log could see it. Assertions are counts from the emulator's log and the client's stats, never speed.
 */
import { GenesysClient } from '../../nodes/GenesysCloud/transport';
import type { Emulator } from '../emulator';
import {
	apiRequests,
	caught,
	CLIENT_ID,
	CLIENT_SECRET,
	deepDump,
	densest,
	leakedForms,
	makeClient,
	secretForms,
	startTransportEmulator,
	tokenRequests,
} from './helpers';

const ORG = { method: 'GET', path: '/api/v2/organizations/me' } as const;

const emulators: Emulator[] = [];
afterAll(async () => {
	await Promise.all(emulators.map(async (emu) => await emu.close()));
});

async function emulator(options: Parameters<typeof startTransportEmulator>[0]): Promise<Emulator> {
	const emu = await startTransportEmulator(options);
	emulators.push(emu);
	return emu;
}

function byToken(emu: Emulator): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const r of apiRequests(emu)) counts[r.tokenId ?? '-'] = (counts[r.tokenId ?? '-'] ?? 0) + 1;
	return counts;
}

async function all(client: GenesysClient, n: number): Promise<void> {
	await Promise.all(Array.from({ length: n }, async () => await client.request(ORG)));
}

describe('token pool against the emulator', () => {
	it('mints one token per pool slot and keeps each within its own window: no 429', async () => {
		const emu = await emulator({ rateLimit: { limit: 4, windowMs: 500 }, fractionalRetryAfter: true });
		const { client } = makeClient(emu, { tokenPoolSize: 3, rateLimit: { limit: 4, windowMs: 500 } });
		await all(client, 24);
		expect(emu.stats.tokensIssued).toBe(3);
		const counts = byToken(emu);
		expect(Object.keys(counts).sort()).toEqual(['tok-1', 'tok-2', 'tok-3']);
		expect(Object.values(counts)).toEqual([8, 8, 8]);
		for (const tokenId of Object.keys(counts)) {
			const times = apiRequests(emu)
				.filter((r) => r.tokenId === tokenId)
				.map((r) => r.at);
			expect(densest(times, 500)).toBeLessThanOrEqual(4);
		}
		expect(emu.stats.byStatus[429]).toBeUndefined();
		const stats = client.stats();
		expect(stats.tokens.map((t) => t.requests)).toEqual([8, 8, 8]);
		expect(stats.tokens.map((t) => t.tokenRefreshes)).toEqual([1, 1, 1]);
		expect(stats).toMatchObject({ requests: 24, throttled: 0, tokenRefreshes: 3, sharedLimits: 0 });
	});

	it('a pool of one is the credential token alone: one token request, one token', async () => {
		const emu = await emulator({});
		const { client } = makeClient(emu, { tokenPoolSize: 1 });
		await all(client, 6);
		expect(emu.stats.tokensIssued).toBe(1);
		expect(client.stats().tokens).toEqual([{ token: 1, requests: 6, throttled: 0, tokenRefreshes: 1 }]);
	});

	it('a 401 renews only the refused token; the others keep going', async () => {
		const emu = await emulator({});
		const { client } = makeClient(emu, { tokenPoolSize: 3 });
		await all(client, 6);
		expect(emu.stats.tokensIssued).toBe(3);
		emu.expireToken('tok-2');
		for (let i = 0; i < 9; i++) await client.request(ORG);
		expect(emu.stats.tokensIssued).toBe(4);
		const refused = apiRequests(emu).filter((r) => r.status === 401);
		expect(refused.map((r) => r.tokenId)).toEqual(['tok-2']);
		const after = apiRequests(emu).slice(apiRequests(emu).indexOf(refused[0]) + 1);
		expect(new Set(after.map((r) => r.tokenId))).toEqual(new Set(['tok-1', 'tok-3', 'tok-4']));
		expect(client.stats().tokens.map((t) => t.tokenRefreshes).sort()).toEqual([1, 1, 2]);
	});

	it('every token revoked at once: each is renewed once, and no request fails for landing on another revoked one', async () => {
		const emu = await emulator({});
		const { client } = makeClient(emu, { tokenPoolSize: 3 });
		await all(client, 6);
		expect(emu.stats.tokensIssued).toBe(3);
		emu.expireAllTokens();
		// One after the other: a request refused on one token is resent on the token with the most room,
		// another one, revoked too.
		const failures: unknown[] = [];
		for (let i = 0; i < 6; i++) failures.push(await client.request(ORG).then(() => undefined, (error: unknown) => error));
		expect(failures.filter((failure) => failure !== undefined)).toEqual([]);
		// One renewal per token, whichever requests met the 401s.
		expect(emu.stats.tokensIssued).toBe(6);
		expect(client.stats().tokens.map((t) => t.tokenRefreshes)).toEqual([2, 2, 2]);
	});

	it('a 429 on one token pauses only that token: the others serve the rest, no shared slowdown', async () => {
		// Retry-After of 60 s on tok-2 only: the run never waits for it, the other tokens take the requests.
		const emu = await emulator({ rateLimit: false, faults: { rate429: 1, tokenFilter: '^tok-2$', retryAfterSec: 60 } });
		const { client } = makeClient(emu, { tokenPoolSize: 3 });
		for (let i = 0; i < 12; i++) await client.request(ORG);
		const log = apiRequests(emu);
		const refused = log.filter((r) => r.status === 429);
		expect(refused.map((r) => r.tokenId)).toEqual(['tok-2']);
		expect(log.slice(log.indexOf(refused[0]) + 1).some((r) => r.tokenId === 'tok-2')).toBe(false);
		expect(client.stats()).toMatchObject({ throttled: 1, sharedLimits: 0 });
		expect(client.throttle.poolSnapshot()).toMatchObject({ decreases: 0 });
	});

	it('429s on several tokens within a window are a shared limit: the pool pauses, then stays under what was accepted', async () => {
		// Each token may send 100 per second, the org only 10: the client is not told.
		const emu = await emulator({
			rateLimit: { limit: 100, windowMs: 1_000 },
			orgRateLimit: { limit: 10, windowMs: 1_000 },
			fractionalRetryAfter: true,
		});
		const maxConcurrency = 4;
		const { client } = makeClient(emu, { tokenPoolSize: 3, rateLimit: { limit: 100, windowMs: 1_000 }, maxConcurrency });
		await all(client, 30);
		const log = apiRequests(emu);
		expect(log.filter((r) => r.status === 200)).toHaveLength(30);
		const stats = client.stats();
		expect(stats.sharedLimits).toBeGreaterThanOrEqual(1);
		expect(client.throttle.poolSnapshot().decreases).toBeGreaterThanOrEqual(1);
		// Only the first burst is refused (at most the requests in flight when the limit showed, twice over);
		// after the decrease the pool stays under the org's 10 per second.
		expect(stats.throttled).toBeLessThanOrEqual(2 * maxConcurrency);
		const lastRefusal = log.filter((r) => r.status === 429).at(-1)?.seq ?? 0;
		const accepted = log.filter((r) => r.status === 200 && r.seq > lastRefusal).map((r) => r.at);
		expect(densest(accepted, 1_000)).toBeLessThanOrEqual(10);
	});

	it('paces token requests: one at a time, none before the login host’s Retry-After', async () => {
		const emu = await emulator({ tokenRateLimit: { limit: 2, windowMs: 400 }, fractionalRetryAfter: true });
		const { client } = makeClient(emu, { tokenPoolSize: 4 });
		await all(client, 16);
		expect(apiRequests(emu).filter((r) => r.status === 200)).toHaveLength(16);
		const tokens = tokenRequests(emu);
		expect(tokens.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
		for (let i = 1; i < tokens.length; i++) {
			// Never two token requests at once...
			expect(tokens[i].at).toBeGreaterThanOrEqual(tokens[i - 1].answeredAt ?? Number.POSITIVE_INFINITY);
		}
		for (let i = 0; i < tokens.length - 1; i++) {
			if (tokens[i].status !== 429) continue;
			// ...and none before the Retry-After of a 429 has passed (a lower bound: a slow machine only adds).
			expect(tokens[i + 1].at - (tokens[i].answeredAt as number)).toBeGreaterThanOrEqual(1_000 - 5);
		}
		expect(tokens.length).toBeLessThanOrEqual(8);
	});

	it('never lends pool tokens to a credential with another secret', async () => {
		const emu = await emulator({});
		const good = makeClient(emu, { tokenPoolSize: 2 });
		await all(good.client, 4);
		expect(emu.stats.tokensIssued).toBe(2);
		const impostor = makeClient(emu, { tokenPoolSize: 2, clientSecret: 'not-the-secret', retry: { deadlineMs: 500 } });
		const failures = await Promise.all(Array.from({ length: 4 }, async () => await caught(impostor.client.request(ORG))));
		expect(failures.every((error) => (error as { kind?: string }).kind === 'token')).toBe(true);
		const afterGood = apiRequests(emu).slice(4);
		expect(afterGood).toEqual([]);
	});

	it('no pool token or secret in errors, logs or stats, whatever fails', async () => {
		const emu = await emulator({ rateLimit: { limit: 3, windowMs: 300 }, fractionalRetryAfter: true });
		const { client, logs } = makeClient(emu, { tokenPoolSize: 3, rateLimit: { limit: 3, windowMs: 300 } });
		await all(client, 9);
		emu.expireAllTokens();
		emu.setFaults({ rate5xx: 1, pathFilter: '^/api/v2/users$' });
		const errors: unknown[] = [];
		errors.push(
			...(await Promise.all(
				Array.from({ length: 3 }, async () =>
					caught(client.request({ method: 'POST', path: '/api/v2/users', body: { name: 'A', email: 'a@example.com' } })),
				),
			)),
		);
		emu.setFaults({ rate5xx: 0, rate429: 1, pathFilter: undefined, retryAfterSec: 3_600 });
		errors.push(await caught(client.request(ORG)));
		expect(emu.issuedTokens().length).toBeGreaterThanOrEqual(4);
		const text = [deepDump(errors), logs.map((l) => l.line).join('\n'), JSON.stringify(client.stats())].join('\n');
		expect(leakedForms(text, secretForms(CLIENT_ID, CLIENT_SECRET, emu.issuedTokens()))).toEqual([]);
	});
});
