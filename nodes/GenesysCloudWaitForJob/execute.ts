/**
 * Execution: settings and every item's plan first (configuration errors stop the run before any request),
 * then the waits, concurrently under one stop signal, sorted onto the Completed and Failed outputs.
 * Bulk Create Users' summary item is not a job: it passes through untouched onto Completed.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { linkAbort } from '../GenesysCloud/abort';
import type { GenesysApi } from '../GenesysCloud/genesysApi';
import { rateLimitOf, tokenPoolSizeOf } from '../GenesysCloud/parameters';
import { runPool } from '../GenesysCloud/pool';
import { isRunSummaryJson } from '../GenesysCloud/runSummary';
import { settle } from '../GenesysCloud/settle';
import { GenesysClient, isGenesysError, SYSTEM_CLOCK } from '../GenesysCloud/transport';
import { USERS_SEARCHABLE_JOB_TYPE } from './jobKinds';
import { countingStatus } from './contactCount';
import type { WaitItemJson } from './outputs';
import { asDataObject, jobItemJson, usersItemJson, withResults } from './outputs';
import type { ItemResult, JobPlan } from './plan';
import { failedConfigItem, planItems, planJob, planUsers } from './plan';
import { gatherResults } from './results';
import type { NodeSettings } from './settings';
import { readSettings } from './settings';
import { waitUntilSearchable } from './usersSearchable';
import type { WaitClock } from './waitForJob';
import { waitForJob } from './waitForJob';

type Connect = () => Promise<GenesysApi>;

const SYSTEM_WAIT_CLOCK: WaitClock = { ...SYSTEM_CLOCK, random: () => Math.random() };

export async function executeWaitForJob(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	const summaries = new Set(items.flatMap((item, i) => (isRunSummaryJson(item.json) ? [i] : [])));
	const passed = [...summaries].map((itemIndex) => ({ itemIndex, item: { json: items[itemIndex].json, pairedItem: { item: itemIndex } } }));
	if (summaries.size === items.length) return [passed.map(({ item }) => item), []];
	const jobType = this.getNodeParameter('jobType', 0) as string;
	const settings = readSettings(this);
	// Parameters are checked item by item before the credential is touched.
	const connect = async (): Promise<GenesysApi> =>
		await GenesysClient.forContext(this, {
			rateLimit: rateLimitOf(settings.requestsPerMinute, settings.rateLimitWindowSeconds),
			tokenPoolSize: tokenPoolSizeOf(this),
		});
	const results =
		jobType === USERS_SEARCHABLE_JOB_TYPE
			? await waitForUsers(this, connect, settings, items.length, summaries)
			: await waitForJobs(this, connect, jobType, settings, items.length, summaries);
	return splitOutputs(results, passed);
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
	skip: ReadonlySet<number>,
): Promise<ItemResult[]> {
	const { plans, failed: results } = planItems(
		context,
		jobType,
		count,
		(itemIndex) => planJob(context, jobType, itemIndex),
		skip,
	);
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

async function waitForPlan(client: GenesysApi, plan: JobPlan, settings: NodeSettings, signal: AbortSignal): Promise<WaitItemJson> {
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
		SYSTEM_WAIT_CLOCK,
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
	skip: ReadonlySet<number>,
): Promise<ItemResult[]> {
	const { plans: items, failed: results } = planItems(
		context,
		USERS_SEARCHABLE_JOB_TYPE,
		count,
		(itemIndex) => planUsers(context, itemIndex),
		skip,
	);
	if (items.length === 0) return results;
	const client = await connect();
	const outcomes = await waitUntilSearchable(
		items,
		client,
		settings,
		SYSTEM_WAIT_CLOCK,
		settings.concurrency,
		context.getExecutionCancelSignal(),
	);
	for (const outcome of outcomes) results.push({ itemIndex: outcome.itemIndex, json: usersItemJson(outcome) });
	return results;
}

/** Completed first, Failed second; each in input order, paired with its input item. */
function splitOutputs(
	results: ItemResult[],
	passed: ReadonlyArray<{ itemIndex: number; item: INodeExecutionData }>,
): INodeExecutionData[][] {
	const completed: Array<{ itemIndex: number; item: INodeExecutionData }> = [...passed];
	const failed: INodeExecutionData[] = [];
	for (const { itemIndex, json } of [...results].sort((a, b) => a.itemIndex - b.itemIndex)) {
		const item = { json: asDataObject(json), pairedItem: { item: itemIndex } };
		if (json.succeeded) completed.push({ itemIndex, item });
		else failed.push(item);
	}
	return [completed.sort((a, b) => a.itemIndex - b.itemIndex).map(({ item }) => item), failed];
}
