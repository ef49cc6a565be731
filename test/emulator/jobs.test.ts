import { manualClock, startEmulator, type Emulator } from './index';
import { emulatorPerFile } from './perFile';
import { TestClient } from './testClient';

const IMPORT_JOB = '/api/v2/flows/datatables/dt-1/import/jobs/j-1';

describe('emulator: scripted jobs', () => {
	let emu: Emulator;
	let client: TestClient;

	// Emulator time stands still until a test moves it: job timelines advance when the test says so.
	const clock = manualClock();
	emulatorPerFile({ now: clock.now }, (started, api) => {
		emu = started;
		client = api;
	});

	test('by poll: the n-th GET gets polls[min(n, last)], 404 steps included', async () => {
		emu.jobs.script(IMPORT_JOB, {
			polls: [
				{ httpStatus: 404 },
				{ body: { id: 'j-1', status: 'WaitingForUpload' } },
				{ body: { id: 'j-1', status: 'Processing' } },
				{ body: { id: 'j-1', status: 'Succeeded', countRecordsUpdated: 10 } },
			],
		});
		const answers = [];
		for (let i = 0; i < 6; i++) answers.push(await client.get(IMPORT_JOB));
		expect(answers.map((a) => a.status)).toEqual([404, 200, 200, 200, 200, 200]);
		expect(answers[0].body).toMatchObject({ code: 'not.found', status: 404, contextId: answers[0].headers.get('inin-correlation-id') });
		expect(answers.slice(1).map((a) => a.body.status)).toEqual(['WaitingForUpload', 'Processing', 'Succeeded', 'Succeeded', 'Succeeded']);
		expect(answers[5].body.countRecordsUpdated).toBe(10);
		expect(emu.jobs.pollCount(IMPORT_JOB)).toBe(6);
	});

	test('by time: the last step whose atMs has passed; 404 before the first', async () => {
		const path = '/api/v2/gdpr/requests/r-1';
		emu.jobs.script(path, {
			timeline: [
				{ atMs: 200, body: { status: 'INITIATED' } },
				{ atMs: 450, body: { status: 'COMPLETED' } },
			],
		});
		expect((await client.get(path)).status).toBe(404);
		clock.advance(199);
		expect((await client.get(path)).status).toBe(404);
		clock.advance(1);
		expect((await client.get(path)).body.status).toBe('INITIATED');
		clock.advance(250);
		expect((await client.get(path)).body.status).toBe('COMPLETED');
		expect(emu.jobs.pollCount(path)).toBe(4);
	});

	test('scripted paths still go through auth and faults; refused polls are not counted', async () => {
		emu.jobs.script(IMPORT_JOB, { polls: [{ body: { status: 'Succeeded' } }] });
		expect((await client.call('GET', IMPORT_JOB, undefined, { token: null })).status).toBe(401);
		emu.setFaults({ rate429: 1 });
		expect((await client.get(IMPORT_JOB)).status).toBe(429);
		emu.clearFaults();
		expect((await client.get(IMPORT_JOB)).status).toBe(200);
		expect(emu.jobs.pollCount(IMPORT_JOB)).toBe(1);
	});

	test('an error step without a body gets a Genesys ErrorBody; a custom body is sent as is', async () => {
		emu.jobs.script('/api/v2/x/jobs/1', { polls: [{ httpStatus: 503 }, { httpStatus: 400, body: { message: 'custom', code: 'bad.request' } }] });
		const first = await client.get('/api/v2/x/jobs/1');
		expect(first.status).toBe(503);
		expect(first.body).toMatchObject({ code: 'service.unavailable', status: 503 });
		const second = await client.get('/api/v2/x/jobs/1');
		expect(second.status).toBe(400);
		expect(second.body).toEqual({ message: 'custom', code: 'bad.request' });
	});

	test('an unscripted path is 404; a bad script is refused', async () => {
		expect((await client.get('/api/v2/flows/jobs/unknown')).status).toBe(404);
		expect(emu.jobs.pollCount('/api/v2/flows/jobs/unknown')).toBe(0);
		expect(() => emu.jobs.script('/api/v2/x', {})).toThrow();
		expect(() => emu.jobs.script('relative/path', { polls: [{}] })).toThrow();
	});

	test('cursor pages: each page carries the cursor of the next, the last none', async () => {
		const path = '/api/v2/analytics/conversations/details/jobs/j-9/results';
		emu.jobs.pages(path, [{ conversations: [{ id: 1 }, { id: 2 }] }, { conversations: [{ id: 3 }] }, { conversations: [{ id: 4 }] }]);
		const ids: number[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const res = await client.get(cursor === undefined ? path : `${path}?cursor=${encodeURIComponent(cursor)}`);
			expect(res.status).toBe(200);
			ids.push(...res.body.conversations.map((c: { id: number }) => c.id));
			cursor = res.body.cursor;
			pages++;
		} while (cursor !== undefined && pages < 10);
		expect(ids).toEqual([1, 2, 3, 4]);
		expect(pages).toBe(3);
		expect((await client.get(`${path}?cursor=bogus`)).status).toBe(400);
	});

	test('pageNumber pages: pages[N-1] plus pageNumber and pageCount; beyond is 404', async () => {
		const path = '/api/v2/usage/query/e-1/results';
		emu.jobs.pages(path, [{ results: ['a'] }, { results: ['b'] }]);
		const second = await client.get(`${path}?pageNumber=2`);
		expect(second.body).toEqual({ results: ['b'], pageNumber: 2, pageCount: 2, total: 2 });
		expect((await client.get(`${path}?pageNumber=3`)).status).toBe(404);
	});
});

describe('emulator: analytics details jobs', () => {
	test('POST creates a job that goes QUEUED -> FULFILLED, then serves its results by cursor', async () => {
		const clock = manualClock();
		const emu = await startEmulator({ now: clock.now, job: { completeAfterMs: 400, resultCount: 7, pageSize: 3 } });
		try {
			const client = await new TestClient(emu.url).login();
			const created = await client.post('/api/v2/analytics/users/details/jobs', { interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' });
			expect(created.status).toBe(202);
			const jobId: string = created.body.jobId;
			const status = `/api/v2/analytics/users/details/jobs/${jobId}`;
			const early = await client.get(status);
			expect(['QUEUED', 'PENDING']).toContain(early.body.state);
			expect((await client.get(`${status}/results`)).status).toBe(400);
			clock.advance(400);
			const done = await client.get(status);
			expect(done.body).toMatchObject({ state: 'FULFILLED', completionDate: expect.any(String) });

			const records: unknown[] = [];
			let cursor: string | undefined;
			let pages = 0;
			do {
				const res = await client.get(`${status}/results${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
				expect(res.status).toBe(200);
				records.push(...res.body.userDetails);
				cursor = res.body.cursor;
				pages++;
			} while (cursor !== undefined && pages < 10);
			expect(pages).toBe(3);
			expect(records).toHaveLength(7);
			expect(new Set(records.map((r) => (r as { userId: string }).userId)).size).toBe(7);
		} finally {
			await emu.close();
		}
	});

	test('conversation jobs page `conversations`; DELETE cancels; unknown ids 404; interval required', async () => {
		const emu = await startEmulator({ job: { completeAfterMs: 10_000 } });
		try {
			const client = await new TestClient(emu.url).login();
			const base = '/api/v2/analytics/conversations/details/jobs';
			expect((await client.post(base, {})).status).toBe(400);
			const jobId = (await client.post(base, { interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' })).body.jobId;
			expect((await client.delete(`${base}/${jobId}`)).status).toBe(204);
			expect((await client.get(`${base}/${jobId}`)).body.state).toBe('CANCELLED');
			expect((await client.get(`${base}/nope`)).status).toBe(404);
			expect((await client.get(`/api/v2/analytics/users/details/jobs/${jobId}`)).status).toBe(404);
		} finally {
			await emu.close();
		}
	});

	test('a script on an analytics status path wins over the built-in timeline', async () => {
		const emu = await startEmulator();
		try {
			const client = await new TestClient(emu.url).login();
			const jobId = (await client.post('/api/v2/analytics/users/details/jobs', { interval: 'a/b' })).body.jobId;
			const path = `/api/v2/analytics/users/details/jobs/${jobId}`;
			emu.jobs.script(path, { polls: [{ body: { state: 'FAILED', errorMessage: 'boom' } }] });
			expect((await client.get(path)).body).toEqual({ state: 'FAILED', errorMessage: 'boom' });
		} finally {
			await emu.close();
		}
	});
});
