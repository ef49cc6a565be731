/**
 * Every preset (and every variant of it) against the emulator's scripted jobs: one job that succeeds and one
 * that fails, each on the right output, with the ids read by the preset's default expressions.
 */
import type { Emulator } from '../emulator';
import type { JobKind, ResolvedJobKind } from '../../nodes/GenesysCloudWaitForJob/jobKinds';
import { JOB_KINDS, renderPath, resolveJobKind } from '../../nodes/GenesysCloudWaitForJob/jobKinds';
import { COMPLETE_WITHOUT_STATUS } from '../../nodes/GenesysCloudWaitForJob/poll';
import { getsOf, runWait, startWaitEmulator } from './wait-support';

interface PresetCase {
	label: string;
	kind: JobKind;
	variant?: string;
	resolved: ResolvedJobKind;
}

const cases: PresetCase[] = JOB_KINDS.flatMap((kind) =>
	(kind.variants?.options.map((option) => option.value) ?? [undefined]).map((variant) => ({
		label: variant === undefined ? kind.value : `${kind.value} / ${variant}`,
		kind,
		variant,
		resolved: resolveJobKind(kind, variant),
	})),
);

/** The fields the default id expressions read, all carrying the same job id. */
function itemFor(jobId: string): Record<string, unknown> {
	return {
		jobId,
		id: jobId,
		executionId: jobId,
		contactListId: jobId,
		datatableId: 'dt-7',
		assistantId: 'as-3',
		queueId: 'q-9',
		clientId: 'client-5',
	};
}

function pathFor(kind: ResolvedJobKind, jobId: string): string {
	const rendered = renderPath(kind.statusPath, { ...(itemFor(jobId) as Record<string, string>), [kind.ids[0].name]: jobId });
	if (!rendered.ok) throw new Error(`cannot render ${kind.statusPath}`);
	return rendered.path;
}

type Body = Record<string, unknown>;

function bodies(kind: ResolvedJobKind): { running: Body; success: Body; failure: Body; successStatus: string } {
	const { field, success, failure, running, absentMeansDone } = kind.status;
	if (absentMeansDone) {
		return {
			running: { [field]: running[0], [absentMeansDone.progressField]: 40, totalRecords: 10 },
			success: { [absentMeansDone.progressField]: absentMeansDone.completeAt, totalRecords: 10, completedRecords: 10 },
			failure: { [field]: failure[0], failureReason: 'bad file', [absentMeansDone.progressField]: 60 },
			successStatus: COMPLETE_WITHOUT_STATUS,
		};
	}
	return {
		running: { [field]: running[0] },
		success: { [field]: success[0], id: 'x' },
		failure: { [field]: failure[0], errorMessage: 'it broke' },
		successStatus: success[0],
	};
}

let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator();
});

afterAll(async () => {
	await emu.close();
});

describe('every preset reaches Completed and Failed', () => {
	it.each(cases.map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, { kind, variant, resolved }) => {
		const okId = `ok-${kind.value}-${variant ?? 'main'}`;
		const badId = `bad-${kind.value}-${variant ?? 'main'}`;
		const okPath = pathFor(resolved, okId);
		const badPath = pathFor(resolved, badId);
		const { running, success, failure, successStatus } = bodies(resolved);
		emu.jobs.script(okPath, { polls: [{ body: running }, { body: running }, { body: success }] });
		emu.jobs.script(badPath, { polls: [{ body: running }, { body: failure }] });

		const parameters: Record<string, unknown> = { jobType: kind.value };
		if (kind.variants && variant !== undefined) parameters[kind.variants.param] = variant;
		const { result, completed, failed } = await runWait(emu, parameters, [{ json: itemFor(okId) }, { json: itemFor(badId) }]);

		expect(result.status).toBe('success');
		expect(completed).toHaveLength(1);
		expect(failed).toHaveLength(1);
		expect(completed[0].pairedItem).toEqual({ item: 0 });
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(completed[0].json).toMatchObject({
			jobType: kind.value,
			jobId: okId,
			status: successStatus,
			done: true,
			succeeded: true,
			attempts: emu.jobs.pollCount(okPath),
			job: success,
		});
		expect(emu.jobs.pollCount(okPath)).toBe(3);
		expect(failed[0].json).toMatchObject({
			jobType: kind.value,
			jobId: badId,
			status: failure[resolved.status.field],
			done: true,
			succeeded: false,
			attempts: 2,
			job: failure,
		});
		expect(emu.jobs.pollCount(badPath)).toBe(2);
		expect(typeof completed[0].json.elapsedMs).toBe('number');
		// Only the status path was asked, with the preset's own query.
		for (const request of emu.requests.filter((r) => r.path === okPath)) {
			expect(request.method).toBe('GET');
			expect(request.query).toEqual(resolved.query ?? {});
		}
	});
});

describe('preset specifics', () => {
	it('recording jobs can wait until READY instead of FULFILLED', async () => {
		const path = '/api/v2/recording/jobs/rec-ready';
		emu.jobs.script(path, { polls: [{ body: { state: 'PENDING' } }, { body: { state: 'READY', totalConversations: 4 } }] });
		const ready = await runWait(emu, { jobType: 'recordingJob', recordingStage: 'ready' }, [{ json: { id: 'rec-ready' } }]);
		expect(ready.completed.map((item) => item.json.status)).toEqual(['READY']);

		const finished = '/api/v2/recording/jobs/rec-finished';
		emu.jobs.script(finished, {
			polls: [{ body: { state: 'READY' } }, { body: { state: 'PROCESSING' } }, { body: { state: 'FULFILLED' } }],
		});
		const run = await runWait(emu, { jobType: 'recordingJob' }, [{ json: { id: 'rec-finished' } }]);
		expect(run.completed[0].json).toMatchObject({ status: 'FULFILLED', attempts: 3 });
	});

	it('an unknown status value counts as still running', async () => {
		const path = '/api/v2/gdpr/requests/gdpr-new-value';
		emu.jobs.script(path, {
			polls: [{ body: { status: 'SOMETHING_NEW' } }, { body: { status: 'ARCHIVING' } }, { body: { status: 'COMPLETED' } }],
		});
		const { completed } = await runWait(emu, { jobType: 'gdprRequest' }, [{ json: { id: 'gdpr-new-value' } }]);
		expect(completed[0].json).toMatchObject({ status: 'COMPLETED', attempts: 3 });
		expect(getsOf(emu, path).map((request) => request.status)).toEqual([200, 200, 200]);
	});

	it('an empty id is a configuration error naming the parameter and the item', async () => {
		const { result } = await runWait(emu, { jobType: 'datatableExport' }, [
			{ json: { id: 'exp-1', datatableId: 'dt-1' } },
			{ json: { id: 'exp-2' } },
		]);
		expect(result.status).toBe('error');
		expect(result.errorMessage).toMatch(/Data Table ID is empty for item 1/);
		expect(emu.requests.some((request) => request.path.includes('/export/jobs/exp-1'))).toBe(false);
	});
});
