/**
 * The hidden `rateLimitWindowSeconds` parameter of both nodes: the window "Requests per Minute" counts in.
 * Users keep Genesys's 60 s; tests and benchmarks shorten it with the emulator's window, so time is
 * compressed and the node still paces itself (no 429) instead of being paced by the server's 429s.
 */
import { apiRequests } from '../emulator';
import type { Emulator } from '../emulator';
import { closeBulkEmulators, emails, items, params, runBulk, startBulkEmulator } from './bulk-helpers';
import { runWait, startWaitEmulator } from './wait-support';

const WINDOW = { limit: 4, windowMs: 1000 };

let waitEmulator: Emulator | undefined;

afterEach(async () => {
	await closeBulkEmulators();
	await waitEmulator?.close();
	waitEmulator = undefined;
});

describe('Bulk Create Users', () => {
	const users = emails(10, 'window');
	const input = items(users.map((email, i) => ({ name: `Window ${i}`, email })));

	test('with the window set to the server\'s, the node paces itself: no 429, spread over the windows needed', async () => {
		const emu = await startBulkEmulator({ rateLimit: WINDOW, faults: { latencyMs: 5 } });
		const run = await runBulk(
			emu,
			params({ rateLimitWindowSeconds: WINDOW.windowMs / 1000 }, { requestsPerMinute: WINDOW.limit }),
			input,
		);
		expect(run.result.status).toBe('success');
		expect(run.rows.map((row) => row.status)).toEqual(users.map(() => 'created'));
		expect(emu.state.users.size).toBe(10);
		expect(emu.stats.rateLimited).toBe(0);
		// 1 search + 10 creates at 4 per window: the last one starts two full windows after the first.
		const times = apiRequests(emu).map((req) => req.at);
		expect(times).toHaveLength(11);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2 * WINDOW.windowMs);
	});

	test('left at 60 s with the budget scaled to a minute instead, the server paces the node with 429s', async () => {
		const emu = await startBulkEmulator({ rateLimit: WINDOW, faults: { latencyMs: 5 } });
		const perMinute = WINDOW.limit * (60_000 / WINDOW.windowMs);
		const run = await runBulk(emu, params({}, { requestsPerMinute: perMinute }), input);
		expect(run.result.status).toBe('success');
		expect(emu.state.users.size).toBe(10);
		expect(emu.stats.rateLimited).toBeGreaterThan(0);
	});
});

describe('Wait for Job', () => {
	const PATH = '/api/v2/flows/datatables/dt-window/import/jobs/job-window';
	const parameters = (requestsPerMinute: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		jobType: 'datatableImport',
		options: { requestsPerMinute },
		...extra,
	});
	const start = async (windowMs = 500): Promise<Emulator> => {
		const emu = await startWaitEmulator({ rateLimit: { limit: 2, windowMs } });
		emu.jobs.script(PATH, {
			timeline: [
				{ atMs: 0, body: { id: 'job-window', status: 'Processing' } },
				{ atMs: 1200, body: { id: 'job-window', status: 'Succeeded' } },
			],
		});
		return emu;
	};
	const item = [{ json: { id: 'job-window', datatableId: 'dt-window' } }];

	test('polls no faster than the window allows, without a 429', async () => {
		waitEmulator = await start();
		const run = await runWait(waitEmulator, parameters(2, { rateLimitWindowSeconds: 0.5 }), item);
		expect(run.completed.map((entry) => entry.json.status)).toEqual(['Succeeded']);
		expect(waitEmulator.stats.rateLimited).toBe(0);
		// Polls every 20-80 ms would want ~20 requests in 1.2 s; the window allows 2 per 0.5 s.
		expect(waitEmulator.jobs.pollCount(PATH)).toBeLessThanOrEqual(8);
	});

	test('left at 60 s with the budget scaled to a minute instead, the server answers 429', async () => {
		// A 3 s server window: the node's polls 20-80 ms apart meet the 429 as long as two of them are
		// answered within 3 s, which leaves a busy machine a wide margin.
		const windowMs = 3_000;
		waitEmulator = await start(windowMs);
		const run = await runWait(waitEmulator, parameters(2 * (60_000 / windowMs)), item);
		expect(run.completed.map((entry) => entry.json.status)).toEqual(['Succeeded']);
		expect(waitEmulator.stats.rateLimited).toBeGreaterThan(0);
	});
});
