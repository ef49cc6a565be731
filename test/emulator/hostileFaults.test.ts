/**
 * Knobs for a hostile or broken network path: redirects, trickling and stalled answers, malformed 200s and
 * gateway errors after a committed write. Checked with node:http directly, so nothing follows a redirect or
 * gives up early on the client side.
 */
import http from 'node:http';

import { DEFAULT_CLIENT } from './core';
import { startEmulator, startTrap, type Emulator, type TrapServer } from './index';
import { basicAuth, TestClient } from './testClient';

const ORG = '/api/v2/organizations/me';

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** Data events of the body, to see it arrive piecemeal. */
	chunks: number;
	/** Ms from the headers to the end of the body. */
	bodyMs: number;
}

function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
			const headersAt = Date.now();
			const parts: Buffer[] = [];
			res.on('data', (chunk: Buffer) => parts.push(chunk));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body: Buffer.concat(parts).toString('utf8'),
					chunks: parts.length,
					bodyMs: Date.now() - headersAt,
				}),
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

/** What arrives within `ms`: the headers (if any) and the body bytes so far. The socket is then dropped. */
function firstMs(url: string, headers: Record<string, string>, ms: number): Promise<{ status?: number; bytes: number; ended: boolean }> {
	return new Promise((resolve) => {
		let status: number | undefined;
		let bytes = 0;
		let ended = false;
		const req = http.request(url, { headers }, (res) => {
			status = res.statusCode;
			res.on('data', (chunk: Buffer) => (bytes += chunk.length));
			res.on('end', () => (ended = true));
			res.on('error', () => undefined);
		});
		req.on('error', () => undefined);
		req.end();
		setTimeout(() => {
			req.destroy();
			resolve({ status, bytes, ended });
		}, ms);
	});
}

describe('emulator: hostile-network knobs', () => {
	let emu: Emulator;
	let trap: TrapServer;
	let client: TestClient;

	beforeAll(async () => {
		emu = await startEmulator({ rateLimit: false });
		trap = await startTrap();
		client = await new TestClient(emu.url).login();
	});
	afterAll(async () => {
		await emu.close();
		await trap.close();
	});
	beforeEach(() => {
		emu.reset();
		trap.received.length = 0;
	});

	const auth = (): Record<string, string> => ({ Authorization: `Bearer ${client.token}` });

	test.each([301, 302, 303, 307, 308] as const)('redirect %i answers with the status and Location, handles nothing', async (status) => {
		emu.setFaults({ redirect: { status, location: `${trap.url}/stolen`, pathFilter: '^/api/v2/users$' } });
		const answer = await raw(`${emu.url}/api/v2/users`, {
			method: 'POST',
			headers: { ...auth(), 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'Ann', email: 'ann@example.com' }),
		});
		expect(answer.status).toBe(status);
		expect(answer.headers.location).toBe(`${trap.url}/stolen`);
		expect(emu.state.users.size).toBe(0);
		expect(emu.requests.at(-1)).toMatchObject({ path: '/api/v2/users', status, fault: 'redirect', applied: false });
		// Other paths are untouched; the raw client itself did not follow.
		expect((await client.get(ORG)).status).toBe(200);
		expect(trap.received).toHaveLength(0);
	});

	test('redirect on the token endpoint: no token is issued', async () => {
		emu.setFaults({ redirect: { status: 307, location: `${trap.url}/oauth/token`, pathFilter: '^/oauth/token$' } });
		const answer = await raw(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: basicAuth(DEFAULT_CLIENT.clientId, DEFAULT_CLIENT.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(answer.status).toBe(307);
		expect(emu.stats.tokensIssued).toBe(0);
	});

	test('trickle sends the headers at once and the body a few bytes per interval', async () => {
		emu.setFaults({ trickle: { intervalMs: 20, bytesPerInterval: 8, padBytes: 40 }, pathFilter: undefined });
		const answer = await raw(`${emu.url}${ORG}`, { headers: auth() });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toMatchObject({ id: expect.any(String) });
		// Well over one data event: each write is flushed on its own after a timer.
		expect(answer.chunks).toBeGreaterThan(5);
		expect(emu.requests.at(-1)).toMatchObject({ status: 200, fault: 'trickle' });
	});

	test('stall headers: nothing arrives; stall body: headers and part of the body, never the end', async () => {
		emu.setFaults({ stall: { phase: 'headers', pathFilter: `^${ORG}$` } });
		const none = await firstMs(`${emu.url}${ORG}`, auth(), 300);
		expect(none).toEqual({ status: undefined, bytes: 0, ended: false });
		expect(emu.requests.at(-1)).toMatchObject({ fault: 'stall', status: 0 });

		emu.setFaults({ stall: { phase: 'body', pathFilter: `^${ORG}$` } });
		const half = await firstMs(`${emu.url}${ORG}`, auth(), 300);
		expect(half.status).toBe(200);
		expect(half.bytes).toBeGreaterThan(0);
		expect(half.ended).toBe(false);
	});

	test('malformed 200s: an HTML page, JSON without results, a token answer without access_token', async () => {
		emu.setFaults({ malformed: { kind: 'notJson', pathFilter: '^/api/v2/users/search$' } });
		const html = await raw(`${emu.url}/api/v2/users/search`, {
			method: 'POST',
			headers: { ...auth(), 'Content-Type': 'application/json' },
			body: JSON.stringify({ query: [{ type: 'EXACT', fields: ['email'], values: ['a@example.com'] }] }),
		});
		expect(html.status).toBe(200);
		expect(html.headers['content-type']).toMatch(/text\/html/);
		expect(() => JSON.parse(html.body)).toThrow();

		emu.setFaults({ malformed: { kind: 'missingFields', pathFilter: '^/api/v2/users/search$' } });
		const search = await client.searchByEmail('a@example.com');
		expect(search.status).toBe(200);
		expect(search.body.results).toBeUndefined();
		expect(emu.requests.at(-1)).toMatchObject({ fault: 'malformed', intendedStatus: 200 });

		emu.setFaults({ malformed: { kind: 'missingFields', pathFilter: '^/oauth/token$' } });
		const token = await raw(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: basicAuth(DEFAULT_CLIENT.clientId, DEFAULT_CLIENT.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(token.status).toBe(200);
		expect(JSON.parse(token.body)).toEqual({ token_type: 'bearer', expires_in: 86400 });
		// Errors stay errors: a wrong secret is still 401.
		const refused = await raw(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: basicAuth(DEFAULT_CLIENT.clientId, 'wrong'), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(refused.status).toBe(401);
	});

	test('appliedThen5xx: the write is committed, the client sees the gateway error', async () => {
		emu.setFaults({ appliedThen5xx: { status: 503, pathFilter: '^/api/v2/users$' } });
		const res = await client.createUser({ name: 'Ann', email: 'ann@example.com' });
		expect(res.status).toBe(503);
		expect(res.body).toMatchObject({ code: 'service.unavailable' });
		expect(emu.state.userByEmail('ann@example.com')).toBeDefined();
		expect(emu.requests.at(-1)).toMatchObject({ status: 503, fault: 'appliedThen5xx', applied: true, intendedStatus: 200 });
	});

	test('retryAfterHeader is sent verbatim on injected 429s', async () => {
		for (const value of ['0', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
			emu.setFaults({ rate429: 1, retryAfterHeader: value });
			expect((await client.get(ORG)).headers.get('retry-after')).toBe(value);
		}
	});

	test('shaped knobs are checked', () => {
		expect(() => emu.setFaults({ redirect: { status: 304 as 301, location: '/x' } })).toThrow(/redirect/);
		expect(() => emu.setFaults({ trickle: { intervalMs: 0 } })).toThrow(/trickle/);
		expect(() => emu.setFaults({ stall: { phase: 'later' as 'body' } })).toThrow(/stall/);
		expect(() => emu.setFaults({ malformed: { kind: 'x' as 'notJson' } })).toThrow(/malformed/);
		expect(() => emu.setFaults({ appliedThen5xx: { status: 500 as 502 } })).toThrow(/appliedThen5xx/);
		expect(() => emu.setFaults({ redirect: { status: 307, location: '/x', pathFilter: '(' } })).toThrow();
	});
});
