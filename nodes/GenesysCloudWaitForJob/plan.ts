/**
 * Planning: every item's parameters are read and checked before any request, so a configuration error
 * stops the run (or, under "continue on fail", fails its item) before the credential is even used.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkApiPath, GenesysRequestRefused } from '../GenesysCloud/transport';
import type { ContactCountPlan } from './contactCount';
import { setUpContactCount } from './contactCount';
import type { ResolvedJobKind, ResultsSpec, StatusRule } from './jobKinds';
import { CUSTOM_JOB_TYPE, findJobKind, renderPath, resolveJobKind } from './jobKinds';
import type { WaitItemJson } from './outputs';
import { configErrorJson } from './outputs';
import { parseValueList } from './poll';
import type { SearchableItem } from './usersSearchable';
import { userRefsOf } from './usersSearchable';

/** Everything needed to wait on one item's job. */
export interface JobPlan {
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
export interface ItemResult {
	itemIndex: number;
	json: WaitItemJson;
}

export interface Planned<T> {
	plans: T[];
	/** Items whose configuration failed, under "continue on fail". */
	failed: ItemResult[];
}

/**
 * Plans every item with `planOne`, except those `skip` names. A configuration error is thrown, or under
 * "continue on fail" becomes the item's Failed output.
 */
export function planItems<T>(
	context: IExecuteFunctions,
	jobType: string,
	count: number,
	planOne: (itemIndex: number) => T | NodeOperationError,
	skip: ReadonlySet<number> = new Set(),
): Planned<T> {
	const planned: Planned<T> = { plans: [], failed: [] };
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		if (skip.has(itemIndex)) continue;
		const plan = planOne(itemIndex);
		if (!(plan instanceof NodeOperationError)) {
			planned.plans.push(plan);
			continue;
		}
		if (!context.continueOnFail()) throw plan;
		planned.failed.push(failedConfigItem(jobType, itemIndex, plan));
	}
	return planned;
}

export function failedConfigItem(
	jobType: string,
	itemIndex: number,
	error: NodeOperationError,
	jobId: string | null = null,
): ItemResult {
	return { itemIndex, json: configErrorJson(jobType, jobId, error.message) };
}

/** A configuration error of one item: thrown, or under "continue on fail" put on the Failed output. */
function configError(context: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** The plan of one item, or the configuration error that prevents it. */
export function planJob(context: IExecuteFunctions, jobType: string, itemIndex: number): JobPlan | NodeOperationError {
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

/** The users one item waits for ("Users Searchable"). */
export function planUsers(context: IExecuteFunctions, itemIndex: number): SearchableItem | NodeOperationError {
	const refs = userRefsOf(context.getNodeParameter('users', itemIndex, ''));
	if (refs.length > 0) return { itemIndex, refs };
	return configError(
		context,
		itemIndex,
		`No user id or email for item ${itemIndex}`,
		'Set "Users" to the ids or emails to wait for, e.g. {{ $json.userId }} after Genesys Cloud Bulk Create Users.',
	);
}
