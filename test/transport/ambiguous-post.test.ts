/**
 * A 5xx on a create proves nothing (a gateway can answer after the backend committed), so the transport never
 * re-sends it by itself: it fails with maybeApplied and the caller reconciles. A 429 is answered before any
 * work, so it is waited out and re-sent. Through n8n's engine (2.x and N8N_ENGINE=1).
 */
import { engineVersion } from '../harness';
import type { Emulator } from '../emulator';
import { apiRequests, emulatorPerFile } from './helpers';
import { runProbe } from './probe';

let emu: Emulator;
emulatorPerFile({ rateLimit: false, fractionalRetryAfter: true }, (started) => {
	emu = started;
});

const create = (email: string) => ({ json: { method: 'POST', path: '/api/v2/users', body: { name: 'Ann Ambiguous', email } } });
const posts = () => apiRequests(emu).filter((r) => r.method === 'POST' && r.path === '/api/v2/users');

describe(`ambiguous creates (n8n ${engineVersion()}.x engine)`, () => {
	it.each([502, 503, 504] as const)('HTTP %i after the write was applied: one POST, maybeApplied, the user exists', async (status) => {
		emu.setFaults({ appliedThen5xx: { status, pathFilter: '^/api/v2/users$' } });
		const { items } = await runProbe(emu.url, [create(`ann.${status}@example.com`)]);
		expect(items[0]).toMatchObject({ ok: false, status, kind: 'response', maybeApplied: true });
		expect(items[0].description).toMatch(/may have been applied/);
		expect(posts()).toHaveLength(1);
		expect(emu.state.userByEmail(`ann.${status}@example.com`)).toBeDefined();
	});

	it('HTTP 503 before any work is not re-sent either: nothing tells the two apart', async () => {
		emu.setFaults({ rate5xx: 1, pathFilter: '^/api/v2/users$' });
		const { items } = await runProbe(emu.url, [create('ann.gateway@example.com')]);
		expect(items[0]).toMatchObject({ ok: false, kind: 'response', maybeApplied: true });
		expect(posts()).toHaveLength(1);
	});

	it('a 503 on a GET is still retried (reading twice changes nothing)', async () => {
		emu.setFaults({ rate5xx: 0.5, pathFilter: '^/api/v2/organizations/me$' });
		const { items, stats } = await runProbe(emu.url, Array.from({ length: 6 }, () => ({ json: { method: 'GET', path: '/api/v2/organizations/me' } })));
		expect(items.every((item) => item.ok)).toBe(true);
		expect(stats.serverErrors).toBeGreaterThan(0);
		expect(stats.retries).toBe(stats.serverErrors);
	});

	it('a 429 on a create is waited out and re-sent: Genesys did not apply it', async () => {
		emu.setFaults({ rate429: 0.6, retryAfterSec: 0.02, pathFilter: '^/api/v2/users$' });
		const { items } = await runProbe(emu.url, Array.from({ length: 5 }, (_, i) => create(`ann.429.${i}@example.com`)));
		expect(items.every((item) => item.ok)).toBe(true);
		const statuses = posts().map((r) => r.status);
		expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
		expect(statuses.filter((s) => s === 200)).toHaveLength(5);
		expect(emu.state.users.size).toBe(5);
	});
});
