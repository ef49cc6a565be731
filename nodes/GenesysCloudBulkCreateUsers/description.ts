import type { INodeProperties } from 'n8n-workflow';

import {
	optionsParameter,
	rateLimitWindowParameter,
	REQUESTS_PER_MINUTE,
	requestsPerMinuteOption,
	tokenPoolSizeOption,
} from '../GenesysCloud/parameters';
import {
	CONCURRENCY_RANGE,
	DEFAULT_NEW_USER_STATE,
	DEFAULT_ROLE_DIVISION,
	LOOKUP_CONCURRENCY,
	RECONCILE_WINDOW_SECONDS,
} from './input/settings';
import { FIELD_FORMATS } from './methods/resourceMapping';

const AUTO_MAP_NAMES =
	'Map Automatically matches field names to user fields ignoring case, spaces, _, - and ., and knows common HRIS names: email_address, work_email, full_name, first_name + last_name, job_title, dept, mobile, manager_email, employee_id and more.';

/** The HRIS names shown in the notices (input/fields.ts FIELD_ALIASES holds them all). */
const HRIS_EXAMPLES =
	'work_email, email_address, full_name, first_name + last_name, job_title, dept, mobile, manager_email, employee_id';

/**
 * Our matching rule where the user sees it: the mapper's own notice in Map Automatically mode asks for input
 * names identical to the field names, which is stricter than what the node does. One notice per input source.
 */
const AUTO_MAP_NOTICES: Record<'items' | 'csv', string> = {
	items: `Map Automatically matches input names to user fields ignoring case, spaces, _, - and ., and also knows common HRIS names (${HRIS_EXAMPLES} and more): these need no renaming or Edit Fields node. Name and email are needed for every user.`,
	csv: `CSV columns are matched to user fields ignoring case, spaces, _, - and ., and common HRIS names are known (${HRIS_EXAMPLES} and more): these need no renaming. With Define Below the values you set are defaults for empty cells. Name and email are needed for every row.`,
};

function autoMapNotice(inputSource: 'items' | 'csv'): INodeProperties {
	return {
		displayName: AUTO_MAP_NOTICES[inputSource],
		name: inputSource === 'items' ? 'autoMapNoticeItems' : 'autoMapNoticeCsv',
		type: 'notice',
		default: '',
		displayOptions: { show: { inputSource: [inputSource] } },
	};
}

function fieldsMapper(inputSource: 'items' | 'csv', hint: string): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'fields',
		type: 'resourceMapper',
		noDataExpression: true,
		description: FIELD_FORMATS,
		default: {
			mappingMode: 'autoMapInputData',
			value: null,
		},
		required: true,
		hint,
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: 'getUserFieldsWithPickers',
				mode: 'add',
				valuesLabel: 'User Fields',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		displayOptions: { show: { inputSource: [inputSource] } },
	};
}

export const bulkCreateUsersProperties: INodeProperties[] = [
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'CSV File',
				value: 'csv',
				description: 'One user per row of a CSV file held in a binary field of each input item',
			},
			{
				name: 'Input Items',
				value: 'items',
				description: 'One user per input item',
			},
		],
		default: 'items',
		description: 'Where the users to create come from',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the CSV file',
		description:
			'The CSV needs a header row. Comma, semicolon and tab delimiters are detected; UTF-8 with or without BOM; quoted values may hold commas and line breaks. Each row keeps its spreadsheet row number for errors.',
		displayOptions: { show: { inputSource: ['csv'] } },
	},
	autoMapNotice('items'),
	autoMapNotice('csv'),
	fieldsMapper(
		'items',
		`${AUTO_MAP_NAMES} Define Below sets each field with a value or an expression per item. Name and email are needed for every user.`,
	),
	fieldsMapper(
		'csv',
		`${AUTO_MAP_NAMES} With Define Below, the CSV columns are still mapped automatically and the values below are defaults, used for every row of that file whose column is empty.`,
	),
	{
		displayName: 'If User Exists',
		name: 'onExisting',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Report the row as failed and change nothing',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Leave the user as it is and return it with status "existing"',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Update the existing user with the mapped fields (status "updated")',
			},
		],
		default: 'skip',
		description: 'What to do when a user with the same email already exists in Genesys Cloud',
	},
	{
		displayName: 'Restore Deleted Users',
		name: 'restoreDeleted',
		type: 'boolean',
		default: false,
		description:
			"Whether to restore a deleted user who still holds the email (Genesys keeps deleted users' emails). When off, such rows fail with the reason.",
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only validate, map and look up existing users, reporting what a real run would do (status "planned") without writing anything',
	},
	optionsParameter([
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: {
				minValue: CONCURRENCY_RANGE.min,
				maxValue: CONCURRENCY_RANGE.max,
				numberPrecision: 0,
			},
			default: 5,
			description: `How many users are provisioned at the same time (1 to 20). Existing users are looked up with at least ${LOOKUP_CONCURRENCY} searches at a time.`,
		},
		{
			displayName: 'Default Role Division',
			name: 'roleDivisionId',
			type: 'string',
			default: DEFAULT_ROLE_DIVISION,
			placeholder: "e.g. a division ID, or * for all divisions",
			description:
				"Division for role grants written without one (roleId rather than roleId:divisionId). Empty: the user's own division (the row's Division ID, else the org's home division). * grants the role in every division, current and future: use it only on purpose.",
		},
		{
			displayName: 'Reconcile Window (Seconds)',
			name: 'reconcileWindowSeconds',
			type: 'number',
			typeOptions: {
				minValue: RECONCILE_WINDOW_SECONDS.min,
				maxValue: RECONCILE_WINDOW_SECONDS.max,
				numberPrecision: 0,
			},
			default: 180,
			description:
				'When Genesys Cloud refuses a create because the email is taken but search does not show that user yet, how long to keep searching before the row fails. Search can lag minutes behind writes.',
		},
		{
			displayName: 'Default Country Calling Code',
			name: 'defaultCountryCode',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1 or 44',
			description:
				'Country calling code for phone numbers written without one (a leading trunk 0 is dropped: 020 7946 0958 with 44 becomes +442079460958). Empty: every number must start with + or 00. Phones are sent in E.164; an extension (x12, ext. 12) goes to its own field.',
		},
		{
			displayName: 'External ID Authority',
			name: 'externalIdAuthority',
			type: 'string',
			default: '',
			placeholder: 'e.g. Workday',
			description:
				"Name of the system of record. When set, each user's External Key is registered with Genesys under this authority (both are case-sensitive).",
		},
		{
			displayName: 'Include Summary Item',
			name: 'includeSummary',
			type: 'boolean',
			default: false,
			description:
				'Whether to add a final item with counts per status, requests, retries, rate-limit waits and duration',
		},
		requestsPerMinuteOption(
			"Most requests sent to Genesys Cloud per minute. Genesys allows 300 per token by default; raise it only if your org's limit is higher.",
			{ maxValue: REQUESTS_PER_MINUTE.max, numberPrecision: 0 },
		),
		{
			displayName: 'New User State',
			name: 'newUserState',
			type: 'options',
			options: [
				{
					name: 'Active',
					value: 'active',
					description: 'New users can be routed and sign in once they have a password or accept the invitation',
				},
				{
					name: 'Inactive',
					value: 'inactive',
					description: 'New users are created inactive and get no invitation (it would activate them)',
				},
			],
			default: DEFAULT_NEW_USER_STATE,
			description:
				"State of a new user whose row has no State. Genesys Cloud makes a user created without a state inactive, so the node always sends one.",
		},
		{
			displayName: 'Resend Invite to Updated Users',
			name: 'resendInvite',
			type: 'boolean',
			default: false,
			description:
				'Whether to send the activation email again (force) to existing users a row updates, even if an earlier one is still outstanding. Off: updated users get no invitation, so a rerun sends no emails.',
		},
		{
			displayName: 'Send Invite Email',
			name: 'sendInvite',
			type: 'boolean',
			default: false,
			description:
				'Whether to send each new user the Genesys Cloud activation email. Restored users get a fresh one (force), even if an old invitation is outstanding.',
		},
		tokenPoolSizeOption(),
	]),
	rateLimitWindowParameter,
];
