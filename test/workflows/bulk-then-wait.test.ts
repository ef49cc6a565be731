/**
 * Bulk Create Users -> Wait for Job (usersSearchable) as one workflow: the users created by the first node are
 * waited for until /api/v2/users/search shows them, then passed on.
 */
import { shiftableClock, type Emulator, type RecordedRequest } from '../emulator';
import { manualTriggerWorkflow, runWorkflow } from '../harness';
import { assertNoSecrets, credentialsFor, FAST, startWaitEmulator, WAIT_NODE, WAIT_TYPE } from './wait-support';

const CREATE_NODE = 'Create';
const CREATE_TYPE = 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers';
// Longer than the test runs, on an emulator clock the test moves: the created users become searchable when
// the test says so, after it has seen the Wait node search for them, however fast or slow the machine is.
const LAG_MS = 10 * 60_000;
const COUNT = 12;

const clock = shiftableClock();
let emu: Emulator;

beforeAll(async () => {
	emu = await startWaitEmulator({ now: clock.now, faults: { searchLagMs: LAG_MS } });
});

function searchesAfter(seq: number): RecordedRequest[] {
	return emu.requests.filter((request) => request.seq > seq && request.method === 'POST' && request.path === '/api/v2/users/search');
}

function lastCreateSeq(): number {
	const creates = emu.requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/users');
	return creates.length === 0 ? Number.POSITIVE_INFINITY : creates[creates.length - 1].seq;
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

afterAll(async () => {
	await emu.close();
});

test('users created by Bulk Create Users are waited for until searchable, then passed on', async () => {
	const input = Array.from({ length: COUNT }, (_, i) => ({
		json: { name: `Onboarded ${i}`, email: `onboarded.${i}@example.com` },
	}));
	const running = runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: CREATE_NODE,
				type: CREATE_TYPE,
				parameters: { inputSource: 'items', onExisting: 'skip', dryRun: false, options: { concurrency: 4 } },
			},
			// Default "Users" expression: the Create output's userId.
			{ name: WAIT_NODE, type: WAIT_TYPE, parameters: { ...FAST, timeout: 600, jobType: 'usersSearchable' } },
		]),
		credentials: credentialsFor(emu),
		startItems: input,
	});
	// Every user is created, and the Wait node has searched twice without finding them.
	await until(() => emu.state.users.size === COUNT && searchesAfter(lastCreateSeq()).length >= 2);
	const createdBy = lastCreateSeq();
	const searchedBeforeIndexed = searchesAfter(createdBy).length;
	clock.advance(LAG_MS);
	const result = await running;
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

	// The wait spanned the search lag: one search per round for these twelve ids (never one per user), and
	// rounds run one after the other, so only the last search sent before the index caught up can have found
	// them.
	const waitSearches = searchesAfter(createdBy);
	for (const item of completed) {
		expect(item.json.attempts).toBe(waitSearches.length);
		expect(item.json.attempts).toBeGreaterThanOrEqual(searchedBeforeIndexed);
	}
	expect(searchedBeforeIndexed).toBeGreaterThanOrEqual(2);
	for (const request of waitSearches) expect((request.body as { query: Array<{ values: string[] }> }).query[0].values).toHaveLength(COUNT);
});

test('with the summary on, the summary item passes Wait for Job untouched and every user is waited for', async () => {
	const input = [
		{ json: { name: 'Summary One', email: 'summary.one@example.com' } },
		{ json: { name: 'Summary Two', email: 'summary.two@example.com' } },
	];
	const running = runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: CREATE_NODE,
				type: CREATE_TYPE,
				parameters: { inputSource: 'items', onExisting: 'skip', dryRun: false, options: { includeSummary: true } },
			},
			{ name: WAIT_NODE, type: WAIT_TYPE, parameters: { ...FAST, timeout: 600, jobType: 'usersSearchable' } },
		]),
		credentials: credentialsFor(emu),
		startItems: input,
	});
	// Both users exist and the Wait node has searched for them: then the index catches up (emulator time).
	const emails = input.map((item) => item.json.email);
	const created = (): boolean =>
		emails.every((email) => [...emu.state.users.values()].some((user) => user.email === email));
	await until(() => created() && searchesAfter(lastCreateSeq()).length >= 1);
	clock.advance(LAG_MS);
	const result = await running;
	expect(result.status).toBe('success');
	const createdItems = result.output(CREATE_NODE, 0);
	expect(createdItems.map((item) => item.json.status ?? 'summary')).toEqual(['created', 'created', 'summary']);
	const completed = result.output(WAIT_NODE, 0);
	expect(result.output(WAIT_NODE, 1)).toEqual([]);
	expect(completed.slice(0, 2).map((item) => item.json)).toEqual([
		expect.objectContaining({ status: 'searchable', succeeded: true }),
		expect.objectContaining({ status: 'searchable', succeeded: true }),
	]);
	// The summary is the same item, last, paired to the summary item it came from.
	expect(completed[2].json).toEqual(createdItems[2].json);
	expect(completed[2].json.summary).toMatchObject({ total: 2, byStatus: { created: 2 } });
	expect(completed[2].pairedItem).toEqual({ item: 2 });
});
