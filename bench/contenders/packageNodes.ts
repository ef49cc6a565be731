/**
 * This package's nodes, run through n8n's execution engine by the project's in-process harness:
 * Bulk Create Users (contender 1 and the CSV dry run) and Wait for Job.
 */
import { engineVersions, manualTriggerWorkflow, runWorkflow } from '../../test/harness';
import type { CredentialInput, OutputItem, RunResult, StartItem } from '../../test/harness';
import { BENCH_EXTERNAL_AUTHORITY, benchCsv, benchUsers, createFields } from '../users';
import type { BulkNodeTask, ClientCredentials, CsvDryRunTask, WaitForJobTask } from '../types';
import type { ContenderRun } from './measure';
import { measured } from './measure';

const PACKAGE = 'n8n-nodes-genesys-cloud';
export const BULK_TYPE = `${PACKAGE}.genesysCloudBulkCreateUsers`;
export const WAIT_TYPE = `${PACKAGE}.genesysCloudWaitForJob`;
const CREDENTIAL_TYPE = 'genesysCloudOAuth2Api';
const NODE_NAME = 'Genesys';

function credentials(url: string, client: ClientCredentials): Record<string, CredentialInput> {
	return {
		[CREDENTIAL_TYPE]: {
			id: '1',
			name: 'Genesys (benchmark emulator)',
			data: { region: 'custom', apiBaseUrl: url, loginBaseUrl: url, ...client },
		},
	};
}

function packagesOf(packageDir: string | undefined): string[] | undefined {
	return packageDir === undefined ? undefined : [packageDir];
}

/** Loads the package once (the harness caches it), so the measured run excludes module loading. */
async function warmUp(packageDir: string | undefined): Promise<void> {
	const result = await runWorkflow({ workflow: manualTriggerWorkflow([]), packages: packagesOf(packageDir) });
	if (result.status !== 'success') throw new Error(`warm-up run failed: ${result.errorMessage ?? result.status}`);
}

interface NodeRun {
	url: string;
	client: ClientCredentials;
	type: string;
	parameters: Record<string, unknown>;
	startItems: StartItem[];
	packageDir?: string;
}

async function runOne(run: NodeRun): Promise<RunResult> {
	return await runWorkflow({
		workflow: manualTriggerWorkflow([{ name: NODE_NAME, type: run.type, parameters: run.parameters }]),
		credentials: credentials(run.url, run.client),
		startItems: run.startItems,
		packages: packagesOf(run.packageDir),
	});
}

function outputsOf(result: RunResult): OutputItem[][] {
	if (!result.ranNodes.includes(NODE_NAME)) return [];
	return [0, 1].map((index) => {
		try {
			return result.output(NODE_NAME, index);
		} catch {
			return [];
		}
	});
}

/** Per-row statuses on both outputs, and the summary item when there is one. */
function bulkDetail(result: RunResult): Record<string, unknown> {
	const byStatus: Record<string, number> = {};
	let summary: unknown;
	const outputs = outputsOf(result);
	for (const items of outputs) {
		for (const { json } of items) {
			if ('summary' in json) {
				summary = json.summary;
				continue;
			}
			const status = typeof json.status === 'string' ? json.status : 'unknown';
			byStatus[status] = (byStatus[status] ?? 0) + 1;
		}
	}
	return {
		engine: engineVersions(),
		executionStatus: result.status,
		errorMessage: result.errorMessage,
		successItems: outputs[0]?.length ?? 0,
		failureItems: outputs[1]?.length ?? 0,
		byStatus,
		summary,
		firstFailure: outputs[1]?.[0]?.json,
	};
}

export async function runBulkNode(task: BulkNodeTask): Promise<ContenderRun> {
	await warmUp(task.packageDir);
	const users = benchUsers(task.users);
	const startItems: StartItem[] = users.map((user) => ({
		json: task.full ? { ...createFields(user), externalKey: user.externalKey, roles: user.roles } : { ...createFields(user) },
	}));
	const options: Record<string, unknown> = {
		concurrency: task.concurrency,
		requestsPerMinute: task.requestsPerMinute,
		includeSummary: true,
	};
	if (task.full) Object.assign(options, { externalIdAuthority: BENCH_EXTERNAL_AUTHORITY, sendInvite: true });
	if (task.tokenPoolSize !== undefined) options.tokenPoolSize = task.tokenPoolSize;
	const parameters = {
		inputSource: 'items',
		fields: { mappingMode: 'autoMapInputData', value: null },
		onExisting: 'skip',
		restoreDeleted: false,
		dryRun: false,
		options,
		rateLimitWindowSeconds: task.rateLimitWindowSeconds,
	};
	return await measured(async () => bulkDetail(await runOne({ ...task, type: BULK_TYPE, parameters, startItems })));
}

export async function runCsvDryRun(task: CsvDryRunTask): Promise<ContenderRun> {
	await warmUp(task.packageDir);
	// Built before the clock starts: in n8n the file would already be in the item when the node runs.
	const data = Buffer.from(benchCsv(task.rows), 'utf8').toString('base64');
	const startItems: StartItem[] = [{ json: {}, binary: { data: { data, mimeType: 'text/csv', fileName: 'users.csv' } } }];
	const parameters = {
		inputSource: 'csv',
		binaryPropertyName: 'data',
		fields: { mappingMode: 'autoMapInputData', value: null },
		onExisting: 'skip',
		restoreDeleted: false,
		dryRun: true,
		options: { concurrency: task.concurrency, requestsPerMinute: task.requestsPerMinute, includeSummary: true },
		rateLimitWindowSeconds: task.rateLimitWindowSeconds,
	};
	return await measured(async () => bulkDetail(await runOne({ ...task, type: BULK_TYPE, parameters, startItems })));
}

export async function runWaitForJob(task: WaitForJobTask): Promise<ContenderRun> {
	await warmUp(task.packageDir);
	const parameters = {
		jobType: 'datatableImport',
		pollInterval: task.pollIntervalSec,
		maxInterval: task.maxIntervalSec,
		timeout: task.timeoutSec,
		options: { requestsPerMinute: task.requestsPerMinute },
		rateLimitWindowSeconds: task.rateLimitWindowSeconds,
	};
	const startItems: StartItem[] = [{ json: { id: task.jobId, datatableId: task.datatableId } }];
	return await measured(async () => {
		const result = await runOne({ ...task, type: WAIT_TYPE, parameters, startItems });
		const [completed = [], failed = []] = outputsOf(result);
		return {
			engine: engineVersions(),
			executionStatus: result.status,
			errorMessage: result.errorMessage,
			completed: completed.map((item) => item.json),
			failed: failed.map((item) => item.json),
		};
	});
}
