/**
 * Bulk Create Users -> Wait for Job (usersSearchable) as one workflow: the users created by the first node are
 * waited for until /api/v2/users/search shows them, then passed on.
 */
import type { Emulator } from '../emulator';
import { manualTriggerWorkflow, runWorkflow } from '../harness';
import { assertNoSecrets, credentialsFor, FAST, startWaitEmulator, WAIT_NODE, WAIT_TYPE } from './wait-support';

const CREATE_NODE = 'Create';
const CREATE_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers';
const LAG_MS = 1_500;
const COUNT = 12;

let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator({ faults: { searchLagMs: LAG_MS } });
});

afterAll(async () => {
	await emu.close();
});

test('users created by Bulk Create Users are waited for until searchable, then passed on', async () => {
	const input = Array.from({ length: COUNT }, (_, i) => ({
		json: { name: `Onboarded ${i}`, email: `onboarded.${i}@example.com` },
	}));
	const result = await runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: CREATE_NODE,
				type: CREATE_TYPE,
				parameters: { inputSource: 'items', onExisting: 'skip', dryRun: false, options: { concurrency: 4 } },
			},
			// Default "Users" expression: the Create output's userId.
			{ name: WAIT_NODE, type: WAIT_TYPE, parameters: { ...FAST, jobType: 'usersSearchable' } },
		]),
		credentials: credentialsFor(emu),
		startItems: input,
	});
	assertNoSecrets(emu, result);
	expect(result.status).toBe('success');

	const created = result.output(CREATE_NODE, 0);
	expect(created).toHaveLength(COUNT);
	expect(result.output(CREATE_NODE, 1)).toHaveLength(0);
	const completed = result.output(WAIT_NODE, 0);
	expect(result.output(WAIT_NODE, 1)).toHaveLength(0);
	expect(completed).toHaveLength(COUNT);

	// Each waited item carries the user its Create item made, and pairs back to it.
	completed.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		const userId = created[i].json.userId as string;
		expect(emu.state.users.get(userId)?.email).toBe(`onboarded.${i}@example.com`);
		expect(item.json).toMatchObject({ jobType: 'usersSearchable', status: 'searchable', succeeded: true });
		expect((item.json.job as Array<{ id: string }>).map((user) => user.id)).toEqual([userId]);
	});

	// The wait really spanned the search lag: searches after the last create started before it was indexed.
	const lastCreate = Math.max(...[...emu.state.users.values()].map((user) => user.createdAt));
	const waitSearches = emu.requests.filter(
		(request) => request.method === 'POST' && request.path === '/api/v2/users/search' && request.at > lastCreate,
	);
	expect(waitSearches.some((request) => request.at < lastCreate + LAG_MS)).toBe(true);
	expect(waitSearches.some((request) => request.at >= lastCreate + LAG_MS)).toBe(true);
	expect(Math.max(...completed.map((item) => item.json.attempts as number))).toBeGreaterThan(1);
	// Searched in batches: one search per round for these twelve ids, never one per user.
	const rounds = Math.max(...completed.map((item) => item.json.attempts as number));
	expect(waitSearches.length).toBeLessThanOrEqual(rounds);
});

test('with the summary on, the summary item passes Wait for Job untouched and every user is waited for', async () => {
	const input = [
		{ json: { name: 'Summary One', email: 'summary.one@example.com' } },
		{ json: { name: 'Summary Two', email: 'summary.two@example.com' } },
	];
	const result = await runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: CREATE_NODE,
				type: CREATE_TYPE,
				parameters: { inputSource: 'items', onExisting: 'skip', dryRun: false, options: { includeSummary: true } },
			},
			{ name: WAIT_NODE, type: WAIT_TYPE, parameters: { ...FAST, jobType: 'usersSearchable' } },
		]),
		credentials: credentialsFor(emu),
		startItems: input,
	});
	expect(result.status).toBe('success');
	const created = result.output(CREATE_NODE, 0);
	expect(created.map((item) => item.json.status ?? 'summary')).toEqual(['created', 'created', 'summary']);
	const completed = result.output(WAIT_NODE, 0);
	expect(result.output(WAIT_NODE, 1)).toEqual([]);
	expect(completed.slice(0, 2).map((item) => item.json)).toEqual([
		expect.objectContaining({ status: 'searchable', succeeded: true }),
		expect.objectContaining({ status: 'searchable', succeeded: true }),
	]);
	// The summary is the same item, last, paired to the summary item it came from.
	expect(completed[2].json).toEqual(created[2].json);
	expect(completed[2].json.summary).toMatchObject({ total: 2, byStatus: { created: 2 } });
	expect(completed[2].pairedItem).toEqual({ item: 2 });
});
