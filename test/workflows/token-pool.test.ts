/**
 * Tokens in Pool through n8n's engine (run it with N8N_ENGINE=1 too): each node spreads its requests over that
 * many tokens of the credential, each kept within its own window, so a pool of 3 goes three times as fast as
 * one token without a single 429. Only the credential's own token is stored by n8n; the pool's other tokens never
 * reach the credential store, an output item, an error or a log line.
 */
import { engineVersion } from '../harness';
import type { RunResult } from '../harness';
import { apiRequests } from '../emulator';
import type { Emulator } from '../emulator';
import { closeBulkEmulators, emails, items, params, runBulk, startBulkEmulator } from './bulk-helpers';
import { runWait, startWaitEmulator } from './wait-support';

const WINDOW = { limit: 4, windowMs: 500 };

let waitEmulator: Emulator | undefined;
afterEach(async () => {
	await closeBulkEmulators();
	await waitEmulator?.close();
	waitEmulator = undefined;
});

function densest(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
		best = Math.max(best, j - i);
	}
	return best;
}

function expectEachTokenWithinWindow(emu: Emulator): void {
	const tokenIds = new Set(apiRequests(emu).map((r) => r.tokenId));
	for (const tokenId of tokenIds) {
		const times = apiRequests(emu)
			.filter((r) => r.tokenId === tokenId)
			.map((r) => r.at);
		expect(densest(times, WINDOW.windowMs)).toBeLessThanOrEqual(WINDOW.limit);
	}
}

/** Only the credential's own token is persisted, and no token is visible anywhere. */
function expectPoolTokensPrivate(emu: Emulator, result: RunResult): void {
	const stored = result.credentialsStore.genesysCloudOAuth2Api?.accessToken;
	expect(emu.issuedTokens()).toContain(stored);
	expect(result.credentialUpdates).toHaveLength(1);
	const visible = result.visibleText();
	for (const token of emu.issuedTokens()) expect(visible.includes(token)).toBe(false);
}

describe(`Tokens in Pool (n8n ${engineVersion()}.x engine)`, () => {
	test('Bulk Create Users: 3 tokens, each within its own window, no 429, every user created once', async () => {
		const emu = await startBulkEmulator({ rateLimit: WINDOW, fractionalRetryAfter: true, faults: { latencyMs: 2 } });
		const users = emails(24, 'pool');
		const run = await runBulk(
			emu,
			params(
				{ rateLimitWindowSeconds: WINDOW.windowMs / 1000 },
				{ requestsPerMinute: WINDOW.limit, tokenPoolSize: 3, concurrency: 6, includeSummary: true },
			),
			items(users.map((email, i) => ({ name: `Pool ${i}`, email }))),
		);
		expect(run.result.status).toBe('success');
		expect(run.rows.map((row) => row.status)).toEqual(users.map(() => 'created'));
		expect(emu.state.users.size).toBe(24);
		expect(emu.stats.rateLimited).toBe(0);
		expect(emu.stats.tokensIssued).toBe(3);
		const perToken = Object.values(
			apiRequests(emu).reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r.tokenId)]: (acc[String(r.tokenId)] ?? 0) + 1 }), {}),
		);
		expect(perToken).toHaveLength(3);
		// 1 search + 24 creates, spread evenly (the token with the most room gets the next request).
		expect(Math.max(...perToken) - Math.min(...perToken)).toBeLessThanOrEqual(1);
		expectEachTokenWithinWindow(emu);
		expectPoolTokensPrivate(emu, run.result);
	});

	test('Bulk Create Users: a pool token refused with 401 is renewed alone, in memory, never stored', async () => {
		const emu = await startBulkEmulator({ rateLimit: false, faults: { latencyMs: 2 } });
		const people = (tag: string) => items([1, 2, 3, 4].map((i) => ({ name: `${tag} ${i}`, email: `${tag}${i}@example.com` })));
		const first = await runBulk(emu, params({}, { tokenPoolSize: 2 }), people('first'));
		expect(first.result.status).toBe('success');
		expect(emu.stats.tokensIssued).toBe(2);
		expectPoolTokensPrivate(emu, first.result);
		// The pool's extra token lives on in this process; Genesys revokes it.
		const stored = first.result.credentialsStore.genesysCloudOAuth2Api?.accessToken;
		const poolTokenId = `tok-${emu.issuedTokens().findIndex((token) => token !== stored) + 1}`;
		emu.expireToken(poolTokenId);
		const second = await runBulk(emu, params({}, { tokenPoolSize: 2 }), people('second'));
		expect(second.rows.map((row) => row.status)).toEqual(['created', 'created', 'created', 'created']);
		const refused = apiRequests(emu).filter((r) => r.status === 401);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		expect(new Set(refused.map((r) => r.tokenId))).toEqual(new Set([poolTokenId]));
		// The second run's own token (n8n's, from its fresh credential) and one renewal of the pool token.
		expect(emu.stats.tokensIssued).toBe(4);
		expectPoolTokensPrivate(emu, second.result);
	});

	test('Wait for Job: items waited on at once share a pool of 2 tokens, within each token\'s window', async () => {
		waitEmulator = await startWaitEmulator({ rateLimit: WINDOW });
		const jobs = ['a', 'b', 'c', 'd'];
		for (const job of jobs) {
			waitEmulator.jobs.script(`/api/v2/flows/datatables/dt-${job}/import/jobs/job-${job}`, {
				timeline: [
					{ atMs: 0, body: { id: `job-${job}`, status: 'Processing' } },
					{ atMs: 600, body: { id: `job-${job}`, status: 'Succeeded' } },
				],
			});
		}
		const run = await runWait(
			waitEmulator,
			{
				jobType: 'datatableImport',
				options: { requestsPerMinute: WINDOW.limit, tokenPoolSize: 2, concurrency: 4 },
				rateLimitWindowSeconds: WINDOW.windowMs / 1000,
			},
			jobs.map((job) => ({ json: { id: `job-${job}`, datatableId: `dt-${job}` } })),
		);
		expect(run.completed.map((entry) => entry.json.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
		expect(waitEmulator.stats.rateLimited).toBe(0);
		expect(new Set(apiRequests(waitEmulator).map((r) => r.tokenId)).size).toBe(2);
		expectEachTokenWithinWindow(waitEmulator);
		expectPoolTokensPrivate(waitEmulator, run.result);
	});
});
