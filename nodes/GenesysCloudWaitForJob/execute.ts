/**
 * Reads the parameters of every item first (configuration errors stop the run before any request), then
 * waits on the items concurrently and sorts them onto the Completed and Failed outputs.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { linkAbort } from '../GenesysCloud/abort';
import { runPool } from '../GenesysCloud/pool';
import { settle } from '../GenesysCloud/settle';
import { sleep } from '../GenesysCloud/sleep';
import { checkApiPath, GenesysClient, GenesysRequestRefused, isGenesysError } from '../GenesysCloud/transport';
import type { ContactCountPlan } from './contactCount';
import { countingStatus, setUpContactCount } from './contactCount';
import { DEFAULTS } from './description';
import type { ResolvedJobKind, ResultsSpec, StatusRule } from './jobKinds';
import {
	CUSTOM_JOB_TYPE,
	findJobKind,
	renderPath,
	resolveJobKind,
	USERS_SEARCHABLE_JOB_TYPE,
} from './jobKinds';
import type { WaitItemJson } from './outputs';
import { asDataObject, configErrorJson, jobItemJson, usersItemJson, withResults } from './outputs';
import type { BackoffSettings } from './poll';
import { DEFAULT_BACKOFF, parseValueList } from './poll';
import { gatherResults } from './results';
import type { SearchableItem } from './usersSearchable';
import { userRefsOf, waitUntilSearchable } from './usersSearchable';
import type { WaitClock, WaitSettings } from './waitForJob';
import { waitForJob } from './waitForJob';

type Client = Pick<GenesysClient, 'request'>;
type Connect = () => Promise<Client>;

interface NodeSettings extends WaitSettings {
	maxResults: number;
	concurrency: number;
	requestsPerMinute: number;
	/** Window of requestsPerMinute: 60 s, shorter only to compress time in tests and benchmarks. */
	rateLimitWindowMs: number;
}

/** Everything needed to wait on one item's job. */
interface JobPlan {
	itemIndex: number;
	jobType: string;
	jobId: string | null;
	statusPath: string;
	query?: Readonly<Record<string, string>>;
	rule: StatusRule;
	results?: { spec: ResultsSpec; ids: Record<string, string> };
	contactCount?: ContactCountPlan;
}

/** An item's place in the output, once known. */
interface ItemResult {
	itemIndex: number;
	json: WaitItemJson;
}

const SYSTEM_CLOCK: WaitClock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(ms, signal),
	random: () => Math.random(),
};

export async function executeWaitForJob(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	const jobType = this.getNodeParameter('jobType', 0) as string;
	const settings = readSettings(this);
	// Parameters are checked item by item before the credential is touched.
	const connect = async (): Promise<Client> =>
		await GenesysClient.forContext(this, {
			rateLimit: { limit: settings.requestsPerMinute, windowMs: settings.rateLimitWindowMs },
		});
	const results =
		jobType === USERS_SEARCHABLE_JOB_TYPE
			? await waitForUsers(this, connect, settings, items.length)
			: await waitForJobs(this, connect, jobType, settings, items.length);
	return splitOutputs(results);
}

function seconds(context: IExecuteFunctions, name: string, fallback: number): number {
	const value = Number(context.getNodeParameter(name, 0, fallback));
	return Number.isFinite(value) && value >= 0 ? value * 1000 : fallback * 1000;
}

/** The hidden window; anything but a positive number falls back to Genesys's minute. */
function rateLimitWindowMs(context: IExecuteFunctions): number {
	const fallback = DEFAULTS.rateLimitWindowSeconds;
	const value = Number(context.getNodeParameter('rateLimitWindowSeconds', 0, fallback));
	return (Number.isFinite(value) && value > 0 ? value : fallback) * 1000;
}

function readSettings(context: IExecuteFunctions): NodeSettings {
	const options = context.getNodeParameter('options', 0, {}) as {
		concurrency?: number;
		notFoundGracePeriod?: number;
		requestsPerMinute?: number;
	};
	const backoff: BackoffSettings = {
		...DEFAULT_BACKOFF,
		pollIntervalMs: seconds(context, 'pollInterval', DEFAULTS.pollInterval),
		maxIntervalMs: seconds(context, 'maxInterval', DEFAULTS.maxInterval),
	};
	return {
		backoff,
		timeoutMs: seconds(context, 'timeout', DEFAULTS.timeout),
		notFoundGraceMs: 1000 * Math.max(0, options.notFoundGracePeriod ?? DEFAULTS.notFoundGracePeriod),
		maxResults: Number(context.getNodeParameter('maxResults', 0, DEFAULTS.maxResults)),
		concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULTS.concurrency)),
		requestsPerMinute: Math.max(1, Math.floor(options.requestsPerMinute ?? DEFAULTS.requestsPerMinute)),
		rateLimitWindowMs: rateLimitWindowMs(context),
	};
}

/** A configuration error of one item: thrown, or under "continue on fail" put on the Failed output. */
function configError(context: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

function failedConfigItem(jobType: string, itemIndex: number, error: NodeOperationError, jobId: string | null = null): ItemResult {
	return { itemIndex, json: configErrorJson(jobType, jobId, error.message) };
}

/** The plan of one item, or the configuration error that prevents it. */
function planJob(context: IExecuteFunctions, jobType: string, itemIndex: number): JobPlan | NodeOperationError {
	if (jobType === CUSTOM_JOB_TYPE) return planCustomJob(context, itemIndex);
	const kind = findJobKind(jobType);
	if (!kind) return configError(context, itemIndex, `Unknown job type "${jobType}"`, 'Pick a job type from the list.');
	const variant = kind.variants ? (context.getNodeParameter(kind.variants.param, itemIndex) as string) : undefined;
	const resolved = resolveJobKind(kind, variant);
	const ids = readIds(context, resolved, itemIndex);
	const rendered = renderPath(resolved.statusPath, ids);
	if (!rendered.ok) {
		const label = resolved.ids.find((id) => id.name === rendered.idName)?.displayName ?? rendered.idName;
		const problem = rendered.value === '' ? 'is empty' : `"${rendered.value}" is not a valid id`;
		return configError(
			context,
			itemIndex,
			`${label} ${problem} for item ${itemIndex}`,
			`Set "${label}" to the id returned when the job was created, e.g. an expression such as {{ $json.id }}.`,
		);
	}
	const counting = setUpContactCount(resolved, ids, (name) => context.getNodeParameter(name, itemIndex, 0));
	if (!counting.ok) {
		return configError(
			context,
			itemIndex,
			`${counting.label} "${counting.value}" is not a whole number for item ${itemIndex}`,
			'Give the number of contacts the list holds once the import is done, or 0 to wait for the import status only.',
		);
	}
	const wantsResults = context.getNodeParameter('fetchResults', itemIndex, false) as boolean;
	return {
		itemIndex,
		jobType,
		jobId: ids[resolved.ids[0].name] ?? null,
		statusPath: rendered.path,
		query: resolved.query,
		rule: counting.rule,
		results: wantsResults && resolved.results ? { spec: resolved.results, ids } : undefined,
		contactCount: counting.count,
	};
}

function readIds(context: IExecuteFunctions, kind: ResolvedJobKind, itemIndex: number): Record<string, string> {
	const ids: Record<string, string> = {};
	for (const id of kind.ids) {
		const value = context.getNodeParameter(id.name, itemIndex, '') as unknown;
		ids[id.name] = value === undefined || value === null ? '' : String(value).trim();
	}
	return ids;
}

function planCustomJob(context: IExecuteFunctions, itemIndex: number): JobPlan | NodeOperationError {
	const statusPath = String(context.getNodeParameter('statusPath', itemIndex, '')).trim();
	const field = String(context.getNodeParameter('statusField', itemIndex, '')).trim();
	const success = parseValueList(String(context.getNodeParameter('successValues', itemIndex, '')));
	const failure = parseValueList(String(context.getNodeParameter('failureValues', itemIndex, '')));
	const missing = [
		{ name: 'Status Path', empty: statusPath === '' },
		{ name: 'Status Field', empty: field === '' },
		{ name: 'Success Values', empty: success.length === 0 },
	].find((setting) => setting.empty)?.name;
	if (missing) {
		return configError(
			context,
			itemIndex,
			`${missing} is empty for item ${itemIndex}`,
			'A custom job needs a relative /api/v2/... status path, the status field and at least one success value.',
		);
	}
	// The transport's own rule, checked before any wait so a bad path fails at once.
	const check = checkApiPath(statusPath);
	if (!check.ok) return new GenesysRequestRefused(context.getNode(), statusPath, check.reason, itemIndex);
	return {
		itemIndex,
		jobType: CUSTOM_JOB_TYPE,
		jobId: statusPath,
		statusPath,
		rule: { field, success, failure, running: [] },
	};
}

function isRefusal(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { isGenesysRequestRefused?: unknown }).isGenesysRequestRefused === true
	);
}

async function waitForJobs(
	context: IExecuteFunctions,
	connect: Connect,
	jobType: string,
	settings: NodeSettings,
	count: number,
): Promise<ItemResult[]> {
	const results: ItemResult[] = [];
	const plans: JobPlan[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const plan = planJob(context, jobType, itemIndex);
		if (!(plan instanceof NodeOperationError)) {
			plans.push(plan);
			continue;
		}
		if (!context.continueOnFail()) throw plan;
		results.push(failedConfigItem(jobType, itemIndex, plan));
	}

	if (plans.length === 0) return results;
	const client = await connect();
	const cancel = context.getExecutionCancelSignal();
	// Every wait listens to one signal: n8n's cancel, or one item's fatal error stopping the others.
	const stop = linkAbort(cancel);
	let fatal: unknown;
	try {
		await runPool(
			plans,
			settings.concurrency,
			async (plan) => {
				try {
					const json = await waitForPlan(client, plan, settings, stop.signal);
					results.push({ itemIndex: plan.itemIndex, json });
				} catch (error) {
					if (stop.signal.aborted) return;
					if (isRefusal(error) && context.continueOnFail()) {
						results.push(failedConfigItem(plan.jobType, plan.itemIndex, error as NodeOperationError, plan.jobId));
						return;
					}
					// A refused path (configuration) or an unexpected error ends the run: stop the other waits.
					fatal = isRefusal(error) ? refusalError(context, plan.itemIndex, error) : error;
					stop.abort(fatal);
				}
			},
			() => !stop.signal.aborted,
		);
	} finally {
		stop.dispose();
	}
	if (fatal !== undefined) throw fatal;
	if (cancel?.aborted) throw new NodeOperationError(context.getNode(), 'The execution was cancelled while waiting');
	return results;
}

function refusalError(context: IExecuteFunctions, itemIndex: number, error: unknown): NodeOperationError {
	const { message, description } = error as { message: string; description?: string };
	return new NodeOperationError(context.getNode(), message, { itemIndex, description: description ?? undefined });
}

async function waitForPlan(client: Client, plan: JobPlan, settings: NodeSettings, signal: AbortSignal): Promise<WaitItemJson> {
	const getStatus = async (): Promise<unknown> =>
		await client.request<unknown>({ method: 'GET', path: plan.statusPath, qs: plan.query, signal, itemIndex: plan.itemIndex });
	// A search that changes nothing: safe to repeat.
	const count = async (path: string, body: Record<string, number>): Promise<unknown> =>
		await client.request<unknown>({ method: 'POST', path, body, idempotent: true, signal, itemIndex: plan.itemIndex });
	const outcome = await waitForJob(
		plan.contactCount ? countingStatus(getStatus, plan.contactCount, plan.rule, count) : getStatus,
		(error) => isGenesysError(error, { status: 404 }),
		plan.rule,
		settings,
		SYSTEM_CLOCK,
		signal,
	);
	if (outcome.result === 'error' && isRefusal(outcome.error)) throw outcome.error;
	const json = jobItemJson({ jobType: plan.jobType, jobId: plan.jobId, label: plan.statusPath }, outcome, settings.notFoundGraceMs);
	if (outcome.result !== 'succeeded' || !plan.results) return json;
	const { spec, ids } = plan.results;
	const gathered = await settle(
		async () =>
			await gatherResults(
				spec,
				ids,
				outcome.job,
				async (path, qs) => await client.request<unknown>({ method: 'GET', path, qs, signal, itemIndex: plan.itemIndex }),
				settings.maxResults,
			),
	);
	if (gathered.ok) return withResults(json, gathered.value);
	if (signal.aborted || isRefusal(gathered.error)) throw gathered.error;
	return withResults(json, { error: gathered.error });
}

async function waitForUsers(
	context: IExecuteFunctions,
	connect: Connect,
	settings: NodeSettings,
	count: number,
): Promise<ItemResult[]> {
	const results: ItemResult[] = [];
	const items: SearchableItem[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const refs = userRefsOf(context.getNodeParameter('users', itemIndex, ''));
		if (refs.length > 0) {
			items.push({ itemIndex, refs });
			continue;
		}
		const error = configError(
			context,
			itemIndex,
			`No user id or email for item ${itemIndex}`,
			'Set "Users" to the ids or emails to wait for, e.g. {{ $json.userId }} after Genesys Cloud Bulk Create Users.',
		);
		if (!context.continueOnFail()) throw error;
		results.push(failedConfigItem(USERS_SEARCHABLE_JOB_TYPE, itemIndex, error));
	}
	if (items.length === 0) return results;
	const client = await connect();
	const outcomes = await waitUntilSearchable(
		items,
		client,
		settings,
		SYSTEM_CLOCK,
		settings.concurrency,
		context.getExecutionCancelSignal(),
	);
	for (const outcome of outcomes) results.push({ itemIndex: outcome.itemIndex, json: usersItemJson(outcome) });
	return results;
}

/** Completed first, Failed second; each in input order, paired with its input item. */
function splitOutputs(results: ItemResult[]): INodeExecutionData[][] {
	const completed: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	for (const { itemIndex, json } of [...results].sort((a, b) => a.itemIndex - b.itemIndex)) {
		(json.succeeded ? completed : failed).push({ json: asDataObject(json), pairedItem: { item: itemIndex } });
	}
	return [completed, failed];
}
