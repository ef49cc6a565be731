/**
 * The custom job type: any GET status path, a nested status field, the caller's success and failure values,
 * and paths the transport refuses.
 */
import type { Emulator } from '../emulator';
import { CLIENT, getsOf, runWait, startWaitEmulator } from './wait-support';

let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator();
});

afterAll(async () => {
	await emu.close();
});

const KNOWLEDGE = '/api/v2/knowledge/knowledgebases/kb-1/import/jobs';

const custom = {
	jobType: 'custom',
	statusPath: `=${KNOWLEDGE}/{{ $json.importId }}`,
	statusField: 'result.job.phase',
	successValues: 'Completed, PartialCompleted',
	failureValues: 'Failed,Aborted',
};

describe('custom job type', () => {
	it('follows a nested status field to success and failure, with the path built from each item', async () => {
		emu.jobs.script(`${KNOWLEDGE}/imp-ok`, {
			polls: [
				{ body: { result: { job: { phase: 'ValidationInProgress' } } } },
				{ body: { result: { job: {} } } },
				{ body: { result: { job: { phase: 'partialcompleted' } }, counts: { ok: 9 } } },
			],
		});
		emu.jobs.script(`${KNOWLEDGE}/imp-bad`, {
			polls: [{ body: { result: { job: { phase: 'Started' } } } }, { body: { result: { job: { phase: 'Aborted' } } } }],
		});
		const { completed, failed } = await runWait(emu, custom, [{ json: { importId: 'imp-ok' } }, { json: { importId: 'imp-bad' } }]);

		expect(completed).toHaveLength(1);
		expect(completed[0].json).toMatchObject({
			jobType: 'custom',
			jobId: `${KNOWLEDGE}/imp-ok`,
			status: 'partialcompleted',
			done: true,
			succeeded: true,
			attempts: 3,
			job: { result: { job: { phase: 'partialcompleted' } }, counts: { ok: 9 } },
		});
		expect(failed[0].json).toMatchObject({ status: 'Aborted', done: true, succeeded: false, attempts: 2 });
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(emu.jobs.pollCount(`${KNOWLEDGE}/imp-ok`)).toBe(3);
	});

	it('without failure values a job only succeeds or times out', async () => {
		emu.jobs.script(`${KNOWLEDGE}/imp-stuck`, { polls: [{ body: { result: { job: { phase: 'Failed' } } } }] });
		const { failed } = await runWait(emu, { ...custom, failureValues: '', timeout: 0.3 }, [{ json: { importId: 'imp-stuck' } }]);
		expect(failed[0].json).toMatchObject({ status: 'timedOut', lastStatus: 'Failed', done: false });
	});

	it.each([
		['an absolute URL', 'https://evil.example/api/v2/steal', /absolute URLs are not allowed/],
		['a protocol-relative URL', '//evil.example/api/v2/steal', /protocol-relative URLs are not allowed/],
		['a path outside /api/v2', '/oauth/token', /must start with \/api\/v2\//],
		['a dot segment', '/api/v2/users/../../oauth/token', /dot segments/],
	])('refuses %s with a clear error, before any request', async (_label, statusPath, reason) => {
		const before = emu.requests.length;
		const { result } = await runWait(emu, { ...custom, statusPath }, [{ json: {} }]);
		expect(result.status).toBe('error');
		expect(result.errorMessage).toMatch(/^Refused to send a request to/);
		expect(result.errorMessage).toMatch(reason);
		const error = result.error as { description?: string; context?: { itemIndex?: number } };
		expect(error.description).toMatch(/relative Genesys Cloud API paths/);
		// Nothing was sent anywhere: no token request, no status request.
		expect(emu.requests.length).toBe(before);
		expect(JSON.stringify(result.error)).not.toContain(CLIENT.clientSecret);
	});

	it('under "continue on fail" a refused path fails only its own item', async () => {
		emu.jobs.script(`${KNOWLEDGE}/imp-fine`, { polls: [{ body: { result: { job: { phase: 'Completed' } } } }] });
		const { result, completed, failed } = await runWait(
			emu,
			{ ...custom, statusPath: '={{ $json.path }}' },
			[{ json: { path: 'http://169.254.169.254/latest/meta-data' } }, { json: { path: `${KNOWLEDGE}/imp-fine` } }],
			{ node: { continueOnFail: true } },
		);
		expect(result.status).toBe('success');
		expect(completed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(failed[0].pairedItem).toEqual({ item: 0 });
		expect(failed[0].json).toMatchObject({ status: 'error', succeeded: false });
		expect((failed[0].json.error as { message: string }).message).toMatch(/absolute URLs are not allowed/);
		expect(getsOf(emu, `${KNOWLEDGE}/imp-fine`)).toHaveLength(1);
	});

	it('names the missing setting when success values are empty', async () => {
		const { result } = await runWait(emu, { ...custom, successValues: ' , ' }, [{ json: { importId: 'x' } }]);
		expect(result.status).toBe('error');
		expect(result.errorMessage).toBe('Success Values is empty for item 0');
	});
});
