import type { INodeProperties } from 'n8n-workflow';

import {
	optionsParameter,
	rateLimitWindowParameter,
	REQUESTS_PER_MINUTE,
	requestsPerMinuteOption,
	tokenPoolSizeOption,
} from '../GenesysCloud/parameters';
import { CONCURRENCY_RANGE, DEFAULT_ROLE_DIVISION, LOOKUP_CONCURRENCY } from './input/settings';

const AUTO_MAP_NAMES =
	'Map Automatically matches field names to user fields ignoring case, spaces, _, - and ., and knows common HRIS names: email_address, work_email, full_name, first_name + last_name, job_title, dept, mobile, manager_email, employee_id and more.';

function fieldsMapper(inputSource: 'items' | 'csv', hint: string): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'fields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: {
			mappingMode: 'autoMapInputData',
			value: null,
		},
		required: true,
		hint,
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: 'getUserFields',
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
			placeholder: 'e.g. * or a division ID',
			description:
				'Division for role grants written without one (roleId rather than roleId:divisionId). * grants the role in all divisions.',
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
			displayName: 'Send Invite Email',
			name: 'sendInvite',
			type: 'boolean',
			default: false,
			description: 'Whether to send each new user the Genesys Cloud activation email',
		},
		tokenPoolSizeOption(),
	]),
	rateLimitWindowParameter,
];
