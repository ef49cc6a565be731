/**
 * Transport hardening seen through the Bulk Create Users node in n8n's engine (2.x and N8N_ENGINE=1):
 * a redirected create reaches no second host, a malformed search page never reads as "nobody exists", and a
 * token endpoint answering 200 without a token is one clear credential error.
 */
import { engineVersion } from '../harness';
import { startTrap } from '../emulator';
import type { Emulator, TrapServer } from '../emulator';
import { closeBulkEmulators, createRequests, items, params, runBulk, startBulkEmulator } from './bulk-helpers';

let emu: Emulator;
let trap: TrapServer;

beforeAll(async () => {
	trap = await startTrap();
});
afterAll(async () => {
	await trap.close();
	await closeBulkEmulators();
});
beforeEach(async () => {
	trap.received.length = 0;
	emu = await startBulkEmulator();
});

const USERS = [
	{ name: 'Ann Harden', email: 'ann.harden@example.com', password: 'Initial-Pa55word!' },
	{ name: 'Bob Harden', email: 'bob.harden@example.com', password: 'Initial-Pa55word!' },
];

describe(`Bulk Create Users over a hostile path (n8n ${engineVersion()}.x engine)`, () => {
	it.each([307, 308, 302] as const)('a %i on the create reaches no second host; the rows fail naming the redirect', async (status) => {
		emu.setFaults({ redirect: { status, location: `${trap.url}/api/v2/users`, pathFilter: '^/api/v2/users$' } });
		const run = await runBulk(emu, params(), items(USERS));
		expect(run.result.status).toBe('success');
		expect(trap.received).toEqual([]);
		expect(emu.state.users.size).toBe(0);
		expect(run.failure).toHaveLength(2);
		for (const row of run.failure) {
			expect(row.status).toBe('failed');
			expect(JSON.stringify(row.error)).toContain(`HTTP ${status}`);
			expect(JSON.stringify(row.error)).toContain(trap.host);
		}
		// Each create was sent once: a redirect is not retried.
		expect(createRequests(emu)).toHaveLength(2);
	});

	it.each(['notJson', 'missingFields'] as const)('a search page that is %s fails the rows instead of creating them', async (kind) => {
		emu.setFaults({ malformed: { kind, pathFilter: '^/api/v2/users/search$' } });
		const run = await runBulk(emu, params(), items(USERS));
		expect(run.result.status).toBe('success');
		expect(createRequests(emu)).toHaveLength(0);
		expect(run.success).toEqual([]);
		expect(run.failure).toHaveLength(2);
		for (const row of run.failure) {
			expect(row.status).toBe('failed');
			expect(JSON.stringify(row.error)).toMatch(/unexpected body/);
		}
	});

	it('a token answer without access_token is one clear credential error, asked once', async () => {
		emu.setFaults({ malformed: { kind: 'missingFields', pathFilter: '^/oauth/token$' } });
		const run = await runBulk(emu, params(), items(USERS));
		const text = run.result.visibleText();
		expect(text).not.toMatch(/decideRetry/);
		expect(text).toMatch(/login server answered HTTP 200 without an access token/);
		expect(emu.requests.filter((r) => r.path.startsWith('/api/v2/'))).toHaveLength(0);
		expect(emu.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
		expect(emu.state.users.size).toBe(0);
	});
});
