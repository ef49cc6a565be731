/**
 * The Genesys job families the node knows, as data (docs/GENESYS.md, "Asynchronous jobs"). Each status vocabulary is copied
 * from the SDK models; a value in none of the lists counts as still running, because Genesys adds values.
 */

/** An id the status path needs, read per input item (an expression by default). */
export interface IdParam {
	/** Placeholder in the path templates, and the node parameter's name. */
	name: string;
	displayName: string;
	/** Expression that reads the id from the input item. */
	default: string;
	description: string;
}

export interface StatusRule {
	/** Dot path of the status value in the job body. */
	field: string;
	success: readonly string[];
	failure: readonly string[];
	/** The documented in-progress values (informative: unknown values count as running too). */
	running: readonly string[];
	/**
	 * Outbound imports report no status once done: success is "no status and `progressField` reached
	 * `completeAt`" (terraform's genesyscloud_outbound_contact_list import wait). A small upload may never
	 * update that status; then `count` (set per item) also means done: `count.field` of the body, added by
	 * the node after counting, equals the expected number (terraform compares the list's contacts with the
	 * CSV's rows the same way).
	 */
	absentMeansDone?: { progressField: string; completeAt: number; count?: { field: string; expected: number } };
}

/** Counting a contact list's contacts when its import status says nothing (see StatusRule.absentMeansDone). */
export interface ContactCountFallback {
	/** POST path template answering `contactsCount` (OutboundApi postOutboundContactlistContactsSearch). */
	path: string;
	/** Node parameter with the number of contacts the list holds once the import is done. */
	param: string;
	/** Field the count is put in, on the status body the node judges. */
	field: string;
}

/**
 * Where finished results live. `cursor`: GET `path`, then `?cursor=` while the page carries one; `pageSize`
 * only where the endpoint takes one. `after`: the first page is the finished job body, the next ones are
 * GET `path?after=` with the body's `afterField`, `pageSize` each. `nextUri`: the items start in the finished
 * job body and `nextUri` names the next page. `none`: the items are only in the finished job body.
 * `serverCap`: the most items Genesys ever serves; reaching it means the job probably had more.
 */
export type ResultsSpec =
	| { paging: 'cursor'; path: string; itemsField: string; pageSize?: number }
	| { paging: 'after'; path: string; itemsField: string; afterField: string; pageSize: number; serverCap?: number }
	| { paging: 'nextUri'; itemsField: string }
	| { paging: 'none'; itemsField: string };

export interface JobVariant {
	value: string;
	name: string;
	statusPath: string;
	/** Ids this variant needs besides the kind's own. */
	ids?: readonly IdParam[];
	status?: Partial<StatusRule>;
	results?: ResultsSpec;
}

export interface JobKind {
	value: string;
	name: string;
	description: string;
	/** Path template; variants override it. */
	statusPath?: string;
	query?: Readonly<Record<string, string>>;
	status: StatusRule;
	/** The first id is the job's own id (the output's `jobId`). */
	ids: readonly IdParam[];
	results?: ResultsSpec;
	/** Sub-kinds picked with one more parameter; the first is the default. */
	variants?: { param: string; displayName: string; description: string; options: readonly JobVariant[] };
	contactCount?: ContactCountFallback;
}

/** A kind with its variant applied: everything the wait needs. */
export interface ResolvedJobKind {
	value: string;
	statusPath: string;
	query?: Readonly<Record<string, string>>;
	status: StatusRule;
	ids: readonly IdParam[];
	results?: ResultsSpec;
	contactCount?: ContactCountFallback;
}

const ASYNC_QUERY_STATUS: StatusRule = {
	field: 'state',
	success: ['FULFILLED'],
	failure: ['FAILED', 'CANCELLED', 'EXPIRED'],
	running: ['QUEUED', 'PENDING'],
};

const ARCHITECT_JOB_STATUS: StatusRule = {
	field: 'status',
	success: ['Success'],
	failure: ['Failure'],
	running: ['Registered', 'Started'],
};

/** Page size asked of analytics details results (aggregates results take none). */
const ANALYTICS_PAGE_SIZE = 1000;

/**
 * UsageApi getUsageSimplesearchExecutionIdResults: `after` cursor, "Maximum page size of 1000", and "Number
 * of records to be returned is limited to 20,000 results".
 */
const USAGE_SEARCH_PAGE_SIZE = 1000;
const USAGE_SEARCH_MAX_ROWS = 20_000;

function jobIdParam(displayName: string, from = '$json.jobId || $json.id'): IdParam {
	return {
		name: 'jobId',
		displayName,
		default: `={{ ${from} }}`,
		description: `${displayName} returned when the job was created`,
	};
}

function idParam(name: string, displayName: string): IdParam {
	return {
		name,
		displayName,
		default: `={{ $json.${name} }}`,
		description: `${displayName} the job belongs to`,
	};
}

/** Usage queries can be scoped to one OAuth client. */
const OAUTH_CLIENT_ID = idParam('clientId', 'OAuth Client ID');

/** The 18 analytics families with an async aggregates job (jobs.tsv). */
export const AGGREGATES_FAMILIES: ReadonlyArray<{ value: string; name: string }> = [
	{ value: 'actions', name: 'Actions' },
	{ value: 'agentcopilots', name: 'Agent Copilots' },
	{ value: 'agentutilizations', name: 'Agent Utilizations' },
	{ value: 'bots', name: 'Bots' },
	{ value: 'casemanagement', name: 'Case Management' },
	{ value: 'conversations', name: 'Conversations' },
	{ value: 'copilots', name: 'Copilots' },
	{ value: 'evaluations', name: 'Evaluations' },
	{ value: 'flowexecutions', name: 'Flow Executions' },
	{ value: 'flows', name: 'Flows' },
	{ value: 'journeys', name: 'Journeys' },
	{ value: 'knowledge', name: 'Knowledge' },
	{ value: 'resolutions', name: 'Resolutions' },
	{ value: 'summaries', name: 'Summaries' },
	{ value: 'surveys', name: 'Surveys' },
	{ value: 'taskmanagement', name: 'Task Management' },
	{ value: 'transcripts', name: 'Transcripts' },
	{ value: 'users', name: 'Users' },
];

function aggregatesVariant(family: { value: string; name: string }): JobVariant {
	const base = `/api/v2/analytics/${family.value}/aggregates/jobs/{jobId}`;
	return {
		value: family.value,
		name: family.name,
		statusPath: base,
		// getAnalytics{Family}AggregatesJobResults takes only `cursor`: no page size is sent.
		results: { paging: 'cursor', path: `${base}/results`, itemsField: 'results' },
	};
}

export const JOB_KINDS: readonly JobKind[] = [
	{
		value: 'analyticsUserDetails',
		name: 'Analytics User Details Job',
		description: 'POST /api/v2/analytics/users/details/jobs',
		statusPath: '/api/v2/analytics/users/details/jobs/{jobId}',
		status: ASYNC_QUERY_STATUS,
		ids: [jobIdParam('Job ID', '$json.jobId')],
		results: {
			paging: 'cursor',
			path: '/api/v2/analytics/users/details/jobs/{jobId}/results',
			itemsField: 'userDetails',
			pageSize: ANALYTICS_PAGE_SIZE,
		},
	},
	{
		value: 'analyticsConversationDetails',
		name: 'Analytics Conversation Details Job',
		description: 'POST /api/v2/analytics/conversations/details/jobs',
		statusPath: '/api/v2/analytics/conversations/details/jobs/{jobId}',
		status: ASYNC_QUERY_STATUS,
		ids: [jobIdParam('Job ID', '$json.jobId')],
		results: {
			paging: 'cursor',
			path: '/api/v2/analytics/conversations/details/jobs/{jobId}/results',
			itemsField: 'conversations',
			pageSize: ANALYTICS_PAGE_SIZE,
		},
	},
	{
		value: 'analyticsAggregates',
		name: 'Analytics Aggregates Job',
		description: 'POST /api/v2/analytics/{family}/aggregates/jobs',
		status: ASYNC_QUERY_STATUS,
		ids: [jobIdParam('Job ID', '$json.jobId')],
		variants: {
			param: 'aggregatesFamily',
			displayName: 'Aggregates Family',
			description: 'Which analytics aggregates endpoint created the job',
			options: [
				// Conversations first: the default, and the family most jobs come from.
				aggregatesVariant({ value: 'conversations', name: 'Conversations' }),
				...AGGREGATES_FAMILIES.filter((family) => family.value !== 'conversations').map(aggregatesVariant),
			],
		},
	},
	{
		value: 'datatableImport',
		name: 'Architect Data Table Import Job',
		description: 'POST /api/v2/flows/datatables/{datatableId}/import/csv/jobs, then the CSV upload',
		statusPath: '/api/v2/flows/datatables/{datatableId}/import/jobs/{jobId}',
		status: {
			field: 'status',
			success: ['Succeeded'],
			failure: ['Failed'],
			running: ['WaitingForUpload', 'Processing'],
		},
		ids: [jobIdParam('Import Job ID', '$json.id'), idParam('datatableId', 'Data Table ID')],
	},
	{
		value: 'datatableExport',
		name: 'Architect Data Table Export Job',
		description: 'POST /api/v2/flows/datatables/{datatableId}/export/jobs',
		statusPath: '/api/v2/flows/datatables/{datatableId}/export/jobs/{jobId}',
		status: { field: 'status', success: ['Succeeded'], failure: ['Failed'], running: ['Processing'] },
		ids: [jobIdParam('Export Job ID', '$json.id'), idParam('datatableId', 'Data Table ID')],
	},
	{
		value: 'architectFlowJob',
		name: 'Architect Flow Job',
		description: 'POST /api/v2/flows/jobs (publish, create or update from a file)',
		statusPath: '/api/v2/flows/jobs/{jobId}',
		// Without expand the job carries no messages, and they are what explains a Failure.
		query: { expand: 'messages' },
		status: ARCHITECT_JOB_STATUS,
		ids: [jobIdParam('Job ID', '$json.id')],
	},
	{
		value: 'architectFlowExport',
		name: 'Architect Flow Export Job',
		description: 'POST /api/v2/flows/export/jobs',
		statusPath: '/api/v2/flows/export/jobs/{jobId}',
		status: ARCHITECT_JOB_STATUS,
		ids: [jobIdParam('Job ID', '$json.id')],
	},
	{
		value: 'architectFlowValidate',
		name: 'Architect Flow Validate Job',
		description: 'POST /api/v2/flows/validate/jobs',
		statusPath: '/api/v2/flows/validate/jobs/{jobId}',
		status: ARCHITECT_JOB_STATUS,
		ids: [jobIdParam('Job ID', '$json.id')],
	},
	{
		value: 'externalContactsImport',
		name: 'External Contacts Import Job',
		description: 'POST /api/v2/externalcontacts/import/jobs or .../import/csv/jobs',
		statusPath: '/api/v2/externalcontacts/import/jobs/{jobId}',
		status: {
			field: 'status',
			success: ['Completed'],
			failure: ['Failed', 'Cancelled'],
			running: ['Created', 'Running'],
		},
		// The CSV variant answers { job: { id } }.
		ids: [jobIdParam('Job ID', '$json.id || ($json.job && $json.job.id)')],
	},
	{
		value: 'assistantQueueUsers',
		name: 'Assistant Queue Users Job',
		description: 'POST /api/v2/assistants/{assistantId}/queues/{queueId}/users/jobs',
		statusPath: '/api/v2/assistants/{assistantId}/queues/{queueId}/users/jobs/{jobId}',
		status: { field: 'status', success: ['Succeeded'], failure: ['Failed'], running: ['InProgress'] },
		ids: [jobIdParam('Job ID', '$json.id'), idParam('assistantId', 'Assistant ID'), idParam('queueId', 'Queue ID')],
	},
	{
		value: 'outboundContactListImport',
		name: 'Outbound Contact List Import',
		description: 'CSV upload to a contact list (uploads/v2/contactlist)',
		statusPath: '/api/v2/outbound/contactlists/{contactListId}/importstatus',
		status: {
			field: 'state',
			success: [],
			failure: ['FAILED'],
			running: ['IN_PROGRESS'],
			absentMeansDone: { progressField: 'percentComplete', completeAt: 100 },
		},
		ids: [
			{
				name: 'contactListId',
				displayName: 'Contact List ID',
				default: '={{ $json.contactListId || $json.id }}',
				description: 'Contact list the CSV was uploaded to',
			},
		],
		contactCount: {
			path: '/api/v2/outbound/contactlists/{contactListId}/contacts/search',
			param: 'expectedContactCount',
			field: 'contactsCount',
		},
	},
	{
		value: 'usageQuery',
		name: 'API Usage Query (Legacy)',
		description: 'POST /api/v2/usage/query, /api/v2/oauth/clients/{clientId}/usage/query or /api/v2/usage/simplesearch',
		status: { field: 'queryStatus', success: ['Complete'], failure: ['Failed'], running: ['Running'] },
		ids: [jobIdParam('Execution ID', '$json.executionId')],
		// The rows come with the final status.
		results: { paging: 'none', itemsField: 'results' },
		variants: {
			param: 'usageQueryScope',
			displayName: 'Query Scope',
			description: 'Which usage endpoint started the query',
			options: [
				{ value: 'organization', name: 'Organization', statusPath: '/api/v2/usage/query/{jobId}/results' },
				{
					value: 'oauthClient',
					name: 'OAuth Client',
					statusPath: '/api/v2/oauth/clients/{clientId}/usage/query/results/{jobId}',
					ids: [OAUTH_CLIENT_ID],
				},
				{
					value: 'simpleSearch',
					name: 'Simple Search',
					statusPath: '/api/v2/usage/simplesearch/{jobId}/results',
					// The final status carries the first page; `cursors.after` chains the rest.
					results: {
						paging: 'after',
						path: '/api/v2/usage/simplesearch/{jobId}/results',
						itemsField: 'results',
						afterField: 'cursors.after',
						pageSize: USAGE_SEARCH_PAGE_SIZE,
						serverCap: USAGE_SEARCH_MAX_ROWS,
					},
				},
			],
		},
	},
	{
		value: 'usageAggregates',
		name: 'API Usage Aggregates Job',
		description: 'POST /api/v2/usage/aggregates/query/jobs or /api/v2/usage/client/{clientId}/aggregates/query/jobs',
		status: {
			field: 'queryStatus',
			success: ['Succeeded'],
			failure: ['Failed', 'Cancelled'],
			running: ['Queued', 'Running'],
		},
		ids: [jobIdParam('Job ID', '$json.id')],
		results: { paging: 'nextUri', itemsField: 'entities' },
		variants: {
			param: 'usageAggregatesScope',
			displayName: 'Query Scope',
			description: 'Which usage endpoint started the job',
			options: [
				{ value: 'organization', name: 'Organization', statusPath: '/api/v2/usage/aggregates/query/jobs/{jobId}' },
				{
					value: 'client',
					name: 'OAuth Client',
					statusPath: '/api/v2/usage/client/{clientId}/aggregates/query/jobs/{jobId}',
					ids: [OAUTH_CLIENT_ID],
				},
			],
		},
	},
	{
		value: 'gdprRequest',
		name: 'GDPR Request',
		description: 'POST /api/v2/gdpr/requests',
		statusPath: '/api/v2/gdpr/requests/{jobId}',
		status: {
			field: 'status',
			success: ['COMPLETED'],
			failure: ['ERROR'],
			running: ['INITIATED', 'SEARCHING', 'UPDATING', 'DELETING', 'FINALIZING'],
		},
		ids: [jobIdParam('Request ID', '$json.id')],
	},
	{
		value: 'taskManagementBulkJob',
		name: 'Task Management Bulk Job',
		description: 'POST /api/v2/taskmanagement/workitems/bulk/add/jobs or .../bulk/terminate/jobs',
		status: {
			field: 'state',
			success: ['Succeeded'],
			failure: ['Failed', 'Cancelled', 'Terminated'],
			running: ['Idle', 'Queued', 'Running'],
		},
		ids: [jobIdParam('Bulk Job ID', '$json.id')],
		variants: {
			param: 'taskBulkOperation',
			displayName: 'Bulk Operation',
			description: 'Which bulk operation the job runs',
			options: [
				{ value: 'add', name: 'Add Work Items', statusPath: '/api/v2/taskmanagement/workitems/bulk/add/jobs/{jobId}' },
				{
					value: 'terminate',
					name: 'Terminate Work Items',
					statusPath: '/api/v2/taskmanagement/workitems/bulk/terminate/jobs/{jobId}',
				},
			],
		},
	},
	{
		value: 'recordingJob',
		name: 'Recording Bulk Job',
		description: 'POST /api/v2/recording/jobs',
		status: {
			field: 'state',
			success: ['FULFILLED'],
			failure: ['FAILED', 'CANCELLED'],
			running: ['PENDING', 'READY', 'PROCESSING'],
		},
		ids: [jobIdParam('Job ID', '$json.id')],
		variants: {
			param: 'recordingStage',
			displayName: 'Wait Until',
			description:
				'A recording job stops at READY until it is started (PUT state PROCESSING); wait for that point or for the end',
			options: [
				{ value: 'fulfilled', name: 'Finished (FULFILLED)', statusPath: '/api/v2/recording/jobs/{jobId}' },
				{
					value: 'ready',
					name: 'Ready to Start (READY)',
					statusPath: '/api/v2/recording/jobs/{jobId}',
					// A job already started or finished is past READY too.
					status: { success: ['READY', 'PROCESSING', 'FULFILLED'], running: ['PENDING'] },
				},
			],
		},
	},
];

export const CUSTOM_JOB_TYPE = 'custom';
export const USERS_SEARCHABLE_JOB_TYPE = 'usersSearchable';

export function findJobKind(value: string): JobKind | undefined {
	return JOB_KINDS.find((kind) => kind.value === value);
}

/** Applies a variant (the first one when `variantValue` is not given or unknown is an error). */
export function resolveJobKind(kind: JobKind, variantValue?: string): ResolvedJobKind {
	const variant = pickVariant(kind, variantValue);
	const statusPath = variant?.statusPath ?? kind.statusPath;
	if (!statusPath) throw new Error(`Job type ${kind.value} has no status path`);
	return {
		value: kind.value,
		statusPath,
		query: kind.query,
		status: { ...kind.status, ...variant?.status },
		ids: [...kind.ids, ...(variant?.ids ?? [])],
		results: variant?.results ?? kind.results,
		contactCount: kind.contactCount,
	};
}

function pickVariant(kind: JobKind, variantValue?: string): JobVariant | undefined {
	if (!kind.variants) return undefined;
	if (variantValue === undefined) return kind.variants.options[0];
	const variant = kind.variants.options.find((option) => option.value === variantValue);
	if (!variant) throw new Error(`Unknown ${kind.variants.displayName} "${variantValue}" for ${kind.name}`);
	return variant;
}

/** Placeholders of a path template, in order. */
export function placeholders(template: string): string[] {
	return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]);
}

export type RenderedPath = { ok: true; path: string } | { ok: false; idName: string; value: string };

/**
 * Fills a template with ids, each encoded as one path segment, or names the first unusable id, so an
 * expression that found nothing in the item is reported as such rather than as a strange path.
 */
export function renderPath(template: string, ids: Readonly<Record<string, string>>): RenderedPath {
	for (const name of placeholders(template)) {
		const value = (ids[name] ?? '').trim();
		// Dot segments survive encodeURIComponent and would climb the path.
		if (value === '' || value === '.' || value === '..') return { ok: false, idName: name, value };
	}
	const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => encodeURIComponent(ids[name].trim()));
	return { ok: true, path };
}
