'use strict';
/**
 * The example workflows the end-to-end run imports, how each is pointed at the emulator, and what the
 * emulator must hold afterwards. The same sample data serves the demo.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CREDENTIAL = { id: 'genesysE2eCred01', name: 'Genesys Cloud (emulator)' };

/** Users the sample org already has: a manager the new hires report to, and two people already onboarded. */
const SEED_USERS = [
	{ name: 'Grace Hopper', email: 'grace.hopper@example.com', state: 'active', title: 'Support Manager' },
	{ name: 'Alan Turing', email: 'alan.turing@example.com', state: 'active', title: 'Agent' },
	{ name: 'Katherine Johnson', email: 'katherine.johnson@example.com', state: 'active', title: 'Agent' },
];

function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
}

/** Gives the workflow an id, points credentials, files and URLs at this run. */
function prepareExample(example, { work, apiBaseUrl }) {
	const workflow = readExample(example.file);
	workflow.id = example.id;
	workflow.active = false;
	for (const node of workflow.nodes) {
		if (node.credentials?.genesysCloudOAuth2Api) node.credentials.genesysCloudOAuth2Api = { ...CREDENTIAL };
		if (node.type === 'n8n-nodes-base.readWriteFile') {
			const csv = path.join(work, 'new-hires.csv');
			fs.copyFileSync(path.join(ROOT, 'examples', 'data', 'new-hires.csv'), csv);
			node.parameters.fileSelector = csv;
		}
		if (node.type === 'n8n-nodes-base.httpRequest') {
			node.parameters.url = node.parameters.url.replace(/^https:\/\/api\.mypurecloud\.com/, apiBaseUrl);
		}
	}
	return workflow;
}

function nodeOutput(run, nodeName, outputIndex = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return [];
	return (runs[0].data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

/** A row on Bulk Create Users' error output is an n8n error item: the row's facts are under `error`. */
function errorRow(json) {
	return { ...json.error, error: json.error };
}

function countBy(items, key) {
	const counts = {};
	for (const item of items) counts[item[key]] = (counts[item[key]] ?? 0) + 1;
	return counts;
}

function expect(failures, condition, message) {
	if (!condition) failures.push(message);
}

const EXAMPLES = [
	{
		id: 'genesysE2eCsv01',
		name: 'CSV -> Bulk Create Users -> Wait for Job (usersSearchable) -> summary',
		file: '01-csv-bulk-create-wait-searchable.json',
		check({ run, before, after }) {
			const failures = [];
			expect(failures, !run.data.resultData.error, `execution error: ${JSON.stringify(run.data.resultData.error)}`);
			const success = nodeOutput(run, 'Bulk Create Users', 0);
			const failure = nodeOutput(run, 'Bulk Create Users', 1).map(errorRow);
			const statuses = countBy([...success, ...failure], 'status');
			expect(failures, statuses.created === 42, `expected 42 created, got ${JSON.stringify(statuses)}`);
			expect(failures, statuses.existing === 2, `expected 2 existing, got ${JSON.stringify(statuses)}`);
			expect(failures, statuses.invalid === 4, `expected 4 invalid, got ${JSON.stringify(statuses)}`);
			const added = after.users.length - before.users.length;
			expect(failures, added === 42, `emulator gained ${added} users, expected 42`);
			const emails = after.users.map((user) => user.email.toLowerCase());
			expect(failures, new Set(emails).size === emails.length, 'emulator holds duplicate emails');
			const waited = nodeOutput(run, 'Wait Until Searchable', 0);
			expect(failures, waited.length === 44 && waited.every((item) => item.succeeded === true), `Wait for Job completed ${waited.length} of 44`);
			expect(failures, nodeOutput(run, 'Summary', 0).length > 0, 'Summary produced nothing');
			return failures;
		},
	},
	{
		id: 'genesysE2eHris01',
		name: 'HRIS payload -> Bulk Create Users (mapped fields, external id, roles, invite) -> failures branch',
		file: '02-hris-webhook-bulk-create.json',
		check({ run, after }) {
			const failures = [];
			expect(failures, !run.data.resultData.error, `execution error: ${JSON.stringify(run.data.resultData.error)}`);
			const provisioned = nodeOutput(run, 'Provisioned', 0).filter((item) => item.status);
			const routed = nodeOutput(run, 'Notify HR of Failures', 0).map(errorRow);
			const statuses = countBy(provisioned, 'status');
			expect(failures, statuses.created === 2 && statuses.updated === 1, `expected 2 created + 1 updated, got ${JSON.stringify(statuses)}`);
			expect(failures, routed.length === 1 && routed[0].status === 'invalid', `expected 1 invalid on the failure branch, got ${JSON.stringify(routed)}`);
			const amelia = after.users.find((user) => user.email === 'amelia.earhart@example.com');
			expect(failures, amelia !== undefined, 'amelia.earhart was not created');
			if (amelia) {
				const ids = after.externalIds[amelia.id] ?? [];
				expect(failures, ids.some((id) => id.authorityName === 'HRIS' && id.externalKey === 'W-20931'), 'external id missing');
				const grants = after.grants[amelia.id] ?? [];
				expect(failures, grants.some((grant) => grant.roleId === '0201e000-0000-4000-8000-000000000002'), 'role grant missing');
				expect(failures, after.invites.includes(amelia.id), 'invite not sent');
				const grace = after.users.find((user) => user.email === 'grace.hopper@example.com');
				expect(failures, amelia.managerId === grace?.id, 'manager not set');
			}
			return failures;
		},
	},
	{
		id: 'genesysE2eJob01',
		name: 'HTTP Request through the credential -> Wait for Job (analytics user details) with results',
		file: '03-analytics-user-details-job.json',
		check({ run }) {
			const failures = [];
			expect(failures, !run.data.resultData.error, `execution error: ${JSON.stringify(run.data.resultData.error)}`);
			const completed = nodeOutput(run, 'Wait for User Details Job', 0);
			expect(failures, completed.length === 1 && completed[0].succeeded === true, `job not completed: ${JSON.stringify(completed).slice(0, 500)}`);
			expect(failures, Array.isArray(completed[0]?.results) && completed[0].results.length > 0, 'no results gathered');
			return failures;
		},
	},
];

module.exports = { EXAMPLES, SEED_USERS, CREDENTIAL, prepareExample, nodeOutput, countBy, errorRow };
