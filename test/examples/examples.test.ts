/**
 * The three example workflows of examples/ run through n8n's engine (2.x, or 1.x with N8N_ENGINE=1) against
 * the Genesys emulator seeded like the end-to-end run. Each must pass the end-to-end checks of
 * test/e2e/examples.js unchanged; the tests then look closer at what the emulator ended up holding.
 * Time is compressed: Wait for Job polls every 50 ms (at most 200 ms apart). Jobs and the search index lag
 * ten minutes on an emulator clock the tests move ahead once they have seen the node wait (`advanceWhen`), so
 * what the node meets does not depend on how fast the machine runs the workflow.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { DEFAULT_IDS, shiftableClock, startEmulator, type Emulator, type RecordedRequest } from '../emulator';
import { engineVersion, type OutputItem, type RunResult } from '../harness';
import {
	emulatorCredential,
	emulatorStateJson,
	exampleByFile,
	nodeNamed,
	prepareExample,
	runExample,
	SEED_USERS,
	type EmulatorStateJson,
	type ExampleSpec,
	type PreparedExample,
} from './exampleSupport';

const CLIENT = { clientId: 'examples-client', clientSecret: 'examples-secret-5c1e90b7a2' };
const TIMING = { pollInterval: 0.05, maxInterval: 0.2 };
const LAG_MS = 10 * 60_000;
const JOB = { completeAfterMs: LAG_MS, resultCount: 23, pageSize: 10 };
const SEARCH_LAG_MS = LAG_MS;
const CSV_FILE = path.join(__dirname, '..', '..', 'examples', 'data', 'new-hires.csv');

type Json = Record<string, unknown>;

const jsonOf = (items: OutputItem[]): Json[] => items.map((item) => item.json);

function apiRequests(requests: readonly RecordedRequest[], since: number): RecordedRequest[] {
	return requests.slice(since).filter((request) => request.path.startsWith('/api/v2/'));
}

/** n8n-nodes-base 2.x types the 1.x engine cannot run (see test/harness/README.md). */
const STAND_INS_ON_V1 = ['n8n-nodes-base.readWriteFile', 'n8n-nodes-base.webhook'];

function expectNodeSources(result: RunResult): void {
	for (const [type, source] of Object.entries(result.nodeTypes)) {
		if (type.startsWith('n8n-nodes-genesys-cloud.')) expect([type, source]).toEqual([type, 'package']);
		else if (engineVersion() === 1 && STAND_INS_ON_V1.includes(type)) expect([type, source]).toEqual([type, 'stand-in']);
		else expect([type, source]).toEqual([type, 'n8n-nodes-base']);
	}
}

function expectNoSecrets(result: RunResult): void {
	const text = result.visibleText();
	expect(text).not.toContain(CLIENT.clientSecret);
	const token = result.credentialsStore.genesysCloudOAuth2Api?.accessToken;
	if (typeof token === 'string' && token !== '') expect(text).not.toContain(token);
}

/** A row of the sample CSV, by its spreadsheet row number (header = 1). */
interface HireRow {
	row: number;
	employeeId: string;
	name: string;
	email: string;
	title: string;
	department: string;
	phone: string;
	managerEmail: string;
}

function readHires(): HireRow[] {
	const records = parse(readFileSync(CSV_FILE), { columns: true, skip_empty_lines: true, info: true }) as Array<{
		record: Record<string, string>;
		info: { lines: number };
	}>;
	let row = 1;
	return records.map(({ record }) => {
		row++;
		return {
			row,
			employeeId: record['Employee ID'],
			name: [record['First Name'], record['Last Name']].filter((part) => part.trim() !== '').join(' '),
			email: record['Work Email'],
			title: record['Job Title'],
			department: record.Department,
			phone: record['Work Phone'],
			managerEmail: record['Manager Email'],
		};
	});
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * What the sample data plants, by the node's documented rules: a row without email, a malformed email, an
 * email repeated later in the file, or no name is invalid; an email the org already has is "existing".
 */
function expectedOutcome(hires: HireRow[]): Map<number, { status: string; field?: string }> {
	const seedEmails = new Set(SEED_USERS.map((user) => user.email.toLowerCase()));
	const seen = new Set<string>();
	const outcome = new Map<number, { status: string; field?: string }>();
	for (const hire of hires) {
		const email = hire.email.trim().toLowerCase();
		if (email === '' || !EMAIL.test(email) || seen.has(email)) outcome.set(hire.row, { status: 'invalid', field: 'email' });
		else if (hire.name === '') outcome.set(hire.row, { status: 'invalid', field: 'name' });
		else outcome.set(hire.row, { status: seedEmails.has(email) ? 'existing' : 'created' });
		if (EMAIL.test(email)) seen.add(email);
	}
	return outcome;
}

describe(`example workflows on n8n engine ${process.env.N8N_ENGINE === '1' ? 1 : 2}`, () => {
	let emu: Emulator;
	const folders: string[] = [];
	const clock = shiftableClock();

	/** Moves the emulator's clock past LAG_MS once `condition` holds (checked every 10 ms, for a minute at most). */
	async function advanceWhen(condition: () => boolean): Promise<void> {
		const deadline = Date.now() + 60_000;
		while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
		clock.advance(LAG_MS);
	}

	beforeAll(async () => {
		emu = await startEmulator({
			now: clock.now,
			seed: 7,
			clients: [CLIENT],
			users: [...SEED_USERS],
			fractionalRetryAfter: true,
			job: JOB,
		});
	});
	afterAll(async () => {
		await emu.close();
		for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	});
	beforeEach(() => emu.reset());

	async function runChecked(
		example: ExampleSpec,
		onNodeStart?: (name: string) => void,
	): Promise<{
		prepared: PreparedExample;
		result: RunResult;
		before: EmulatorStateJson;
		after: EmulatorStateJson;
		requests: RecordedRequest[];
	}> {
		const prepared = prepareExample(example, emu.url, { timing: TIMING });
		folders.push(prepared.work);
		const before = await emulatorStateJson(emu.url);
		const since = emu.requests.length;
		const result = await runExample(prepared, emulatorCredential(emu.url, CLIENT), { onNodeStart });
		const after = await emulatorStateJson(emu.url);
		expect(result.errorMessage).toBeUndefined();
		expect(result.status).toBe('success');
		expect(example.check({ run: result.run, before, after })).toEqual([]);
		expectNodeSources(result);
		expectNoSecrets(result);
		return { prepared, result, before, after, requests: apiRequests(emu.requests, since) };
	}

	test('1: CSV -> Bulk Create Users -> Wait Until Searchable -> Summary', async () => {
		emu.setFaults({ searchLagMs: SEARCH_LAG_MS });
		let waitFromSeq = Number.POSITIVE_INFINITY;
		const isSearch = (request: RecordedRequest): boolean => request.path === '/api/v2/users/search';
		// The index catches up once the Wait node has searched (and missed the new users) twice.
		const caughtUp = advanceWhen(() => emu.requests.filter((request) => request.seq > waitFromSeq && isSearch(request)).length >= 2);
		const { prepared, result, before, after, requests } = await runChecked(exampleByFile('01-'), (name) => {
			if (name === 'Wait Until Searchable') waitFromSeq = emu.requests.length === 0 ? 0 : emu.requests[emu.requests.length - 1].seq;
		});
		await caughtUp;
		expect(nodeNamed(prepared.workflow, 'Read new-hires CSV').parameters.fileSelector).toBe(
			path.join(prepared.work, 'new-hires.csv'),
		);

		const hires = readHires();
		const expected = expectedOutcome(hires);
		const success = jsonOf(result.output('Bulk Create Users', 0));
		// The error output holds n8n error items: the row's facts under `error`, plus the input item's fields.
		const errorItems = jsonOf(result.output('Bulk Create Users', 1));
		const failure: Json[] = errorItems.map((item) => ({ ...(item.error as Json), error: item.error }));
		const byRow = new Map([...success, ...failure].map((item) => [Number(item.row), item]));
		expect([...byRow.keys()].sort((a, b) => a - b)).toEqual(hires.map((hire) => hire.row));
		expect(jsonOf(result.output('Rows to Fix'))).toEqual(errorItems);

		const seedByEmail = new Map(before.users.map((user) => [user.email.toLowerCase(), user]));
		const grace = seedByEmail.get('grace.hopper@example.com');
		for (const hire of hires) {
			const item = byRow.get(hire.row) as Json;
			const want = expected.get(hire.row)!;
			expect([hire.row, item.status]).toEqual([hire.row, want.status]);
			if (want.status === 'invalid') {
				expect([hire.row, (item.error as Json).field]).toEqual([hire.row, want.field]);
				expect(item.userId).toBeUndefined();
				continue;
			}
			const user = after.users.find((candidate) => candidate.id === item.userId);
			expect(user?.email.toLowerCase()).toBe(hire.email.toLowerCase());
			if (want.status === 'existing') {
				// "skip": the org's user is returned as it was, untouched.
				expect(user).toEqual(seedByEmail.get(hire.email.toLowerCase()));
				continue;
			}
			expect(user).toMatchObject({ name: hire.name, title: hire.title, department: hire.department });
			expect(user?.managerId).toBe(hire.managerEmail === '' ? undefined : grace?.id);
			expect(user?.addresses).toContainEqual(expect.objectContaining({ mediaType: 'PHONE', type: 'WORK' }));
			expect(after.externalIds[user!.id]).toEqual([{ authorityName: 'HRIS', externalKey: hire.employeeId }]);
		}

		// One create per new user, none for rows that were invalid or already there.
		const creates = requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/users');
		const createdCount = [...expected.values()].filter((outcome) => outcome.status === 'created').length;
		expect(creates).toHaveLength(createdCount);
		expect(after.users).toHaveLength(before.users.length + createdCount);

		// Every waited user is the one that was created, and none was reported before the lagging index had it.
		const waited = jsonOf(result.output('Wait Until Searchable', 0));
		expect(jsonOf(result.output('Wait Until Searchable', 1))).toEqual([]);
		expect(waited.map((item) => ((item.job as Json[])[0] as Json).id)).toEqual(success.map((item) => item.userId));
		const attempts = waited.map((item) => Number(item.attempts));
		// From the emulator's log: the search that found a user came after the index had it, and users the
		// first search missed were searched again.
		const searches = requests.filter((request) => isSearch(request) && request.seq > waitFromSeq);
		let lagging = 0;
		for (const item of waited) {
			const user = emu.state.users.get(String(((item.job as Json[])[0] as Json).id))!;
			// Users the org already had were indexed before the lag was switched on.
			const preexisting = before.users.some((existing) => existing.id === user.id);
			const searchableAt = user.createdAt + (preexisting ? 0 : SEARCH_LAG_MS);
			// Visibility is decided while a search is handled, after it arrived: compare answer times.
			const times = searches
				.filter((request) => JSON.stringify(request.body).includes(user.id))
				.map((request) => request.answeredAt ?? request.at);
			expect(Math.max(...times)).toBeGreaterThanOrEqual(searchableAt);
			if (Math.min(...times) >= searchableAt) continue;
			lagging++;
			expect(Number(item.attempts)).toBeGreaterThan(1);
		}
		expect(lagging).toBeGreaterThan(0);
		expect(Math.max(...attempts)).toBeLessThanOrEqual(30);
		expect(jsonOf(result.output('Summary'))).toEqual([
			expect.objectContaining({
				status: 'searchable',
				count_status: waited.length,
				sum_attempts: attempts.reduce((sum, value) => sum + value, 0),
			}),
		]);
	});

	test('2: HRIS payload -> Bulk Create Users with mapped fields, external id, roles, invite -> failure branch', async () => {
		const { result, before, after, requests } = await runChecked(exampleByFile('02-'));
		expect(result.ranNodes).not.toContain('HRIS New Hire Webhook');

		const provisioned = jsonOf(result.output('Provisioned'));
		const rows = provisioned.filter((item) => !('summary' in item));
		const summary = provisioned.find((item) => 'summary' in item)?.summary as Json;
		const failures = jsonOf(result.output('Notify HR of Failures'));
		expect(failures).toEqual([
			expect.objectContaining({
				// n8n adds the input item's fields to an error item.
				workEmail: 'rosalind.franklin@example',
				error: expect.objectContaining({ status: 'invalid', email: 'rosalind.franklin@example', row: 3 }),
			}),
		]);
		expect(summary).toMatchObject({ total: 4, byStatus: { created: 2, updated: 1, invalid: 1 }, retries: 0, throttled: 0 });
		// The node's own count of requests is what reached Genesys (no faults, so nothing lost or repeated).
		expect(summary.requests).toBe(requests.length);

		const grace = before.users.find((user) => user.email === 'grace.hopper@example.com')!;
		const byEmail = (email: string) => after.users.find((user) => user.email === email)!;
		const ada = byEmail('ada.lovelace@example.com');
		expect(ada).toMatchObject({ name: 'Ada Lovelace', title: 'Senior Agent', department: 'Billing', managerId: grace.id });
		expect(ada.addresses).toContainEqual(expect.objectContaining({ address: '+15555550142', mediaType: 'PHONE', type: 'MOBILE' }));
		expect(after.externalIds[ada.id]).toEqual([{ authorityName: 'HRIS', externalKey: 'W-20932' }]);
		// The role has no division in the data: it is granted in Ada's own (home) division, not in `*`.
		expect(after.grants[ada.id]).toEqual([{ roleId: '0201e000-0000-4000-8000-000000000002', divisionId: DEFAULT_IDS.homeDivisionId }]);

		// Alan already existed: "update" rewrote the mapped fields on the same user instead of creating one.
		const alanBefore = before.users.find((user) => user.email === 'alan.turing@example.com')!;
		const alan = byEmail('alan.turing@example.com');
		expect(alan.id).toBe(alanBefore.id);
		expect(alanBefore.title).toBe('Agent');
		expect(alan).toMatchObject({ title: 'Quality Analyst', department: 'Support', managerId: grace.id });
		expect(after.externalIds[alan.id]).toEqual([{ authorityName: 'HRIS', externalKey: 'W-20934' }]);
		expect(rows.find((item) => item.email === 'alan.turing@example.com')).toMatchObject({ status: 'updated', userId: alan.id });

		for (const user of [byEmail('amelia.earhart@example.com'), ada]) expect(after.invites).toContain(user.id);
		expect(after.users.some((user) => user.email.startsWith('rosalind'))).toBe(false);
		const bodies = requests.map((request) => JSON.stringify(request.body ?? ''));
		expect(bodies.some((body) => body.includes('rosalind'))).toBe(false);
	});

	test('3: HTTP Request through the Genesys credential starts a job -> Wait for Job gathers its results', async () => {
		const started = Date.now();
		const isPoll = (request: RecordedRequest): boolean =>
			request.method === 'GET' && /^\/api\/v2\/analytics\/users\/details\/jobs\/[^/]+$/.test(request.path);
		// The job finishes once Wait for Job has polled it twice.
		let polledWhileRunning = 0;
		const finished = advanceWhen(() => (polledWhileRunning = emu.requests.filter(isPoll).length) >= 2);
		const { result, requests } = await runChecked(exampleByFile('03-'));
		await finished;

		const [post, ...rest] = requests;
		expect(post).toMatchObject({ method: 'POST', path: '/api/v2/analytics/users/details/jobs', status: 202 });
		const [from, to] = String((post.body as Json).interval).split('/');
		expect(Date.parse(to) - Date.parse(from)).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000 - 3600 * 1000);
		expect(Date.parse(to)).toBeLessThanOrEqual(started + 24 * 3600 * 1000);

		// The HTTP Request node signed its call with the credential's token, and Wait for Job reused it.
		expect(emu.stats.tokensIssued).toBe(1);
		expect(new Set(requests.map((request) => request.tokenId)).size).toBe(1);

		const [job] = jsonOf(result.output('Start User Details Job'));
		const [done] = jsonOf(result.output('Wait for User Details Job'));
		expect(done).toMatchObject({ jobId: job.jobId, status: 'FULFILLED', succeeded: true });
		expect(done.results).toHaveLength(JOB.resultCount);
		const polls = rest.filter((request) => request.path === `/api/v2/analytics/users/details/jobs/${String(job.jobId)}`);
		const pages = rest.filter((request) => request.path.endsWith('/results'));
		// Polled while the job ran, then once more to see it done (a poll in flight when the job finished may
		// have seen it done already), and no more.
		expect(polledWhileRunning).toBeGreaterThanOrEqual(2);
		expect(polls.length).toBeGreaterThanOrEqual(polledWhileRunning);
		expect(polls.length).toBeLessThanOrEqual(polledWhileRunning + 1);
		// Pages of the size the node asks for, read until the emulator gives no further cursor.
		const pageSize = Number(pages[0]?.query.pageSize ?? JOB.pageSize);
		expect(pages).toHaveLength(Math.ceil(JOB.resultCount / pageSize));
	});
});
