/**
 * The node's parameters. Preset parameters (ids, variants) are generated from jobKinds.ts, so a job kind is
 * added in one place.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	optionsParameter,
	rateLimitWindowParameter,
	REQUESTS_PER_MINUTE,
	requestsPerMinuteOption,
	tokenPoolSizeOption,
} from '../GenesysCloud/parameters';
import { EXPECTED_CONTACT_COUNT_LABEL } from './contactCount';
import type { IdParam, JobKind } from './jobKinds';
import { CUSTOM_JOB_TYPE, JOB_KINDS, USERS_SEARCHABLE_JOB_TYPE } from './jobKinds';
import { DEFAULT_BACKOFF } from './poll';

/** Defaults, in the units the parameters use (seconds); the backoff's own defaults are in poll.ts. */
export const DEFAULTS = {
	pollInterval: DEFAULT_BACKOFF.pollIntervalMs / 1000,
	maxInterval: DEFAULT_BACKOFF.maxIntervalMs / 1000,
	timeout: 1800,
	notFoundGracePeriod: 30,
	maxResults: 10_000,
	concurrency: 50,
	requestsPerMinute: REQUESTS_PER_MINUTE.default,
} as const;

const { pollInterval, maxInterval, timeout, notFoundGracePeriod, maxResults, concurrency } = DEFAULTS;

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

const jobTypeOptions: INodePropertyOptions[] = [
	...JOB_KINDS.map((kind) => ({ name: kind.name, value: kind.value, description: kind.description })),
	{
		name: 'Custom',
		value: CUSTOM_JOB_TYPE,
		description: 'Any job with a GET status endpoint: give its path, status field and values',
	},
	{
		name: 'Users Searchable',
		value: USERS_SEARCHABLE_JOB_TYPE,
		description: 'New users found by POST /api/v2/users/search (it indexes new users late)',
	},
].sort(byName);

/** The node's subtitle: the chosen job type's name, e.g. "Analytics Conversation Details", not its value. */
export const jobTypeSubtitle = `={{ ${JSON.stringify(
	Object.fromEntries(jobTypeOptions.map((option) => [option.value, option.name])),
)}[$parameter["jobType"]] ?? $parameter["jobType"] }}`;

function variantParameter(kind: JobKind): INodeProperties[] {
	if (!kind.variants) return [];
	const { param, displayName, description, options } = kind.variants;
	const firstVariant = options[0].value;
	return [
		{
			displayName,
			name: param,
			type: 'options',
			options: options.map((variant) => ({ name: variant.name, value: variant.value })).sort(byName),
			default: firstVariant,
			description,
			displayOptions: { show: { jobType: [kind.value] } },
		},
	];
}

function idParameter(kind: JobKind, id: IdParam, variantValues?: string[]): INodeProperties {
	const show: NonNullable<INodeProperties['displayOptions']>['show'] = { jobType: [kind.value] };
	if (variantValues && kind.variants) show[kind.variants.param] = variantValues;
	const expression = id.default;
	return {
		displayName: id.displayName,
		name: id.name,
		type: 'string',
		required: true,
		default: expression,
		description: id.description,
		displayOptions: { show },
	};
}

/** The kind's own ids, then each id only some variants need, shown for those variants. */
function idParameters(kind: JobKind): INodeProperties[] {
	const own = kind.ids.map((id) => idParameter(kind, id));
	const byVariant = new Map<string, { id: IdParam; variants: string[] }>();
	for (const variant of kind.variants?.options ?? []) {
		for (const id of variant.ids ?? []) {
			const entry = byVariant.get(id.name) ?? { id, variants: [] };
			entry.variants.push(variant.value);
			byVariant.set(id.name, entry);
		}
	}
	return [...own, ...[...byVariant.values()].map(({ id, variants }) => idParameter(kind, id, variants))];
}

/** Kinds whose status may never move for a small job, and the count that settles it (contactCount.ts). */
function contactCountParameter(kind: JobKind): INodeProperties[] {
	if (!kind.contactCount) return [];
	return [
		{
			displayName: EXPECTED_CONTACT_COUNT_LABEL,
			name: kind.contactCount.param,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Contacts the list holds once the import is done (the CSV\'s rows when the list was empty). Genesys may never update the import status of a small upload; then the node counts the list\'s contacts and calls the import complete when they match. 0 waits for the import status only.',
			displayOptions: { show: { jobType: [kind.value] } },
		},
	];
}

const kindsWithResults = JOB_KINDS.filter(
	(kind) => kind.results !== undefined || kind.variants?.options.some((variant) => variant.results !== undefined),
).map((kind) => kind.value);

const customParameters: INodeProperties[] = [
	{
		displayName: 'Status Path',
		name: 'statusPath',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. /api/v2/knowledge/knowledgebases/{{ $json.kb }}/import/jobs/{{ $json.job }}',
		description:
			'Relative Genesys Cloud API path answered by a GET with the job status. Absolute URLs are refused: the token only goes to the credential\'s API host.',
		displayOptions: { show: { jobType: [CUSTOM_JOB_TYPE] } },
	},
	{
		displayName: 'Status Field',
		name: 'statusField',
		type: 'string',
		required: true,
		default: 'status',
		placeholder: 'e.g. status or job.state',
		description: 'Dot path of the status value in the response',
		displayOptions: { show: { jobType: [CUSTOM_JOB_TYPE] } },
	},
	{
		displayName: 'Success Values',
		name: 'successValues',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Completed, Succeeded',
		description: 'Comma-separated status values that mean the job succeeded (case-insensitive)',
		displayOptions: { show: { jobType: [CUSTOM_JOB_TYPE] } },
	},
	{
		displayName: 'Failure Values',
		name: 'failureValues',
		type: 'string',
		default: '',
		placeholder: 'e.g. Failed, Cancelled',
		description:
			'Comma-separated status values that mean the job failed (case-insensitive). Any other value counts as still running.',
		displayOptions: { show: { jobType: [CUSTOM_JOB_TYPE] } },
	},
];

const usersParameter: INodeProperties = {
	displayName: 'Users',
	name: 'users',
	type: 'string',
	required: true,
	default: '={{ $json.userId || $json.email }}',
	description:
		'User IDs or emails to wait for (comma-separated, or an array). The default reads the output of Genesys Cloud Bulk Create Users.',
	displayOptions: { show: { jobType: [USERS_SEARCHABLE_JOB_TYPE] } },
};

const timingParameters: INodeProperties[] = [
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: pollInterval,
		description: 'Wait before the first status check; later waits grow by half each time',
	},
	{
		displayName: 'Max Interval (Seconds)',
		name: 'maxInterval',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: maxInterval,
		description: 'Longest wait between two status checks',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: timeout,
		description: 'Give up after this long; the item then goes to the Failed output with status timedOut',
	},
];

const resultParameters: INodeProperties[] = [
	{
		displayName: 'Fetch Results',
		name: 'fetchResults',
		type: 'boolean',
		default: false,
		description: 'Whether to read every page of the finished job\'s results into the output item',
		displayOptions: { show: { jobType: kindsWithResults } },
	},
	{
		displayName: 'Max Results',
		name: 'maxResults',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: maxResults,
		description:
			'Stop reading result pages once this many items were read; the item then says resultsTruncated. A usage simple search never serves more than 20,000 rows.',
		displayOptions: { show: { jobType: kindsWithResults, fetchResults: [true] } },
	},
];

const options: INodeProperties = optionsParameter([
	{
		displayName: 'Concurrent Waits',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: concurrency,
		description: 'How many input items are waited on at the same time',
	},
	{
		displayName: 'Not Found Grace Period (Seconds)',
		name: 'notFoundGracePeriod',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: notFoundGracePeriod,
		description:
			'A new job can answer 404 for a moment: within this time a 404 means "not visible yet", later it fails the item',
	},
	requestsPerMinuteOption(
		'Cap on the status requests this node sends with the credential (Genesys allows 300 per token)',
	),
	tokenPoolSizeOption(),
]);

export const properties: INodeProperties[] = [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		noDataExpression: true,
		options: jobTypeOptions,
		default: 'analyticsConversationDetails',
		description: 'Which kind of Genesys Cloud job to wait for',
	},
	...JOB_KINDS.flatMap((kind) => [...variantParameter(kind), ...idParameters(kind), ...contactCountParameter(kind)]),
	...customParameters,
	usersParameter,
	...timingParameters,
	...resultParameters,
	options,
	rateLimitWindowParameter,
];
