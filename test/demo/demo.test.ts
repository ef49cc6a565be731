/**
 * `tsx test/demo/run.ts` (what `npm run demo` runs after building) as a user runs it: a child process,
 * against its embedded emulator on both engines, and in "real org" mode against an emulator this test
 * starts (GENESYS_REGION=custom), dry run then --apply. Its table must agree with itself, with the summary
 * and with what the emulator holds.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { TS_NODE_ARGS } from '../support/tsNode';
import { SEED_USERS } from '../examples/exampleSupport';

const RUN = path.join(__dirname, 'run.ts');
const ORG_CLIENT = { clientId: 'demo-test-client', clientSecret: 'demo-test-secret-7d3e1f90c4b2' };

interface DemoRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runDemo(args: string[], extraEnv: Record<string, string> = {}): Promise<DemoRun> {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
	for (const name of ['JEST_WORKER_ID', 'NODE_ENV', 'N8N_ENGINE']) delete env[name];
	for (const name of Object.keys(env)) if (name.startsWith('GENESYS_') && !(name in extraEnv)) delete env[name];
	return new Promise((resolve) => {
		execFile(process.execPath, [...TS_NODE_ARGS, RUN, ...args], { env, timeout: 240_000 }, (error, stdout, stderr) => {
			const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
			resolve({ code, stdout, stderr });
		});
	});
}

interface TableRow {
	row: number;
	email: string;
	status: string;
}

/** The per-row table: lines starting with a row number (continuation lines of a wrapped reason do not). */
function tableRows(stdout: string): TableRow[] {
	const rows: TableRow[] = [];
	for (const line of stdout.split('\n')) {
		const match = /^ *(\d+) {2}(.{32}) {2}(\S+)/.exec(line);
		if (match) rows.push({ row: Number(match[1]), email: match[2].trim(), status: match[3] });
	}
	return rows;
}

function tally(rows: TableRow[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
	return counts;
}

/** "Summary: 48 rows: 42 created, 2 existing, 4 invalid" -> { created: 42, ... } */
function summaryCounts(stdout: string): Record<string, number> {
	const line = /^Summary: \d+ rows?: (.*)$/m.exec(stdout)?.[1] ?? '';
	const counts: Record<string, number> = {};
	for (const part of line.split(', ')) {
		const [count, status] = part.split(' ');
		counts[status] = Number(count);
	}
	return counts;
}

function expectReadable(stdout: string): void {
	const longest = Math.max(...stdout.split('\n').map((line) => line.length));
	expect(longest).toBeLessThanOrEqual(100);
}

describe('npm run demo', () => {
	test('against the embedded emulator, on n8n 2.x and 1.x: a row per CSV record, and the emulator agrees', async () => {
		const runs = await Promise.all([runDemo([]), runDemo(['--engine', '1'])]);
		for (const [index, run] of runs.entries()) {
			const engine = index === 0 ? 2 : 1;
			expect(run.stderr).toBe('');
			expect(run.code).toBe(0);
			expect(run.stdout).toMatch(new RegExp(`engine +n8n ${engine}\\.x in-process: n8n-core ${engine}\\.`));
			expectReadable(run.stdout);
			const rows = tableRows(run.stdout);
			const declared = Number(/input .*, (\d+) rows/.exec(run.stdout)?.[1]);
			expect(rows).toHaveLength(declared);
			expect(new Set(rows.map((row) => row.row)).size).toBe(rows.length);
			const counts = tally(rows);
			expect(summaryCounts(run.stdout)).toEqual(counts);
			// Every email the org already had is reported existing, and only those.
			const seeded = new Set(SEED_USERS.map((user) => user.email));
			expect(rows.filter((row) => row.status === 'existing').every((row) => seeded.has(row.email))).toBe(true);
			const total = SEED_USERS.length + (counts.created ?? 0);
			expect(run.stdout).toContain(`emulator: ${total} users (${counts.created ?? 0} new), 0 duplicate emails`);
			const received = /(\d+) API requests received \((\d+) sent\)/.exec(run.stdout);
			expect(received?.[1]).toBe(received?.[2]);
			expect(run.stdout).toMatch(/Wait Until Searchable +(\d+) of \1 users searchable/);
		}
	});

	describe('against a "real" org (an emulator reached as GENESYS_REGION=custom)', () => {
		let emu: Emulator;
		let orgEnv: Record<string, string>;
		beforeAll(async () => {
			emu = await startEmulator({ seed: 11, clients: [ORG_CLIENT], users: [...SEED_USERS] });
			orgEnv = {
				GENESYS_REGION: 'custom',
				GENESYS_API_BASE_URL: emu.url,
				GENESYS_LOGIN_BASE_URL: emu.url,
				GENESYS_CLIENT_ID: ORG_CLIENT.clientId,
				GENESYS_CLIENT_SECRET: ORG_CLIENT.clientSecret,
			};
		});
		afterAll(async () => await emu.close());

		test('dry run by default: says so loudly, writes nothing; --apply then creates the planned users', async () => {
			const wrongSecret = 'not-the-secret-0b5e2d71';
			const [dry, wrong] = await Promise.all([
				runDemo([], orgEnv),
				runDemo([], { ...orgEnv, GENESYS_CLIENT_SECRET: wrongSecret }),
			]);
			// A wrong secret stops at the credential test, without printing it.
			expect(wrong.code).toBe(1);
			expect(wrong.stdout).toMatch(/credential test failed/);
			expect(wrong.stdout + wrong.stderr).not.toContain(wrongSecret);

			expect(dry.code).toBe(0);
			expect(dry.stdout).toMatch(/^!! +DRY RUN against the Genesys Cloud org/m);
			expect(dry.stdout).toContain('org: dry run, nothing was written');
			expectReadable(dry.stdout);
			expect(emu.requests.filter((request) => request.applied && request.path.startsWith('/api/v2/'))).toEqual([]);
			expect(emu.state.users.size).toBe(SEED_USERS.length);
			const planned = tableRows(dry.stdout).filter((row) => row.status === 'planned');
			expect(planned.length).toBeGreaterThan(0);

			const applied = await runDemo(['--apply'], orgEnv);
			expect(applied.code).toBe(0);
			expect(applied.stdout).toMatch(/^!! +APPLY: this creates REAL users/m);
			const rows = tableRows(applied.stdout);
			const created = rows.filter((row) => row.status === 'created').map((row) => row.email);
			const existing = rows.filter((row) => row.status === 'existing').map((row) => row.email);
			// What the dry run planned is exactly what the real run created or found.
			expect([...created, ...existing].sort()).toEqual(planned.map((row) => row.email).sort());
			expect(emu.state.users.size).toBe(SEED_USERS.length + created.length);
			for (const email of created) expect(emu.state.userByEmail(email)).toBeDefined();

			for (const run of [dry, applied]) {
				expect(run.stdout + run.stderr).not.toContain(ORG_CLIENT.clientSecret);
			}
		});
	});

	test('usage: --help, a bad engine, half of the org variables', async () => {
		const [help, badEngine, half] = await Promise.all([
			runDemo(['--help']),
			runDemo(['--engine', '3']),
			runDemo([], { GENESYS_REGION: 'mypurecloud.com' }),
		]);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('GENESYS_CLIENT_SECRET');
		expect(badEngine.code).toBe(2);
		expect(badEngine.stdout).toContain('--engine takes 1 or 2');
		expect(half.code).toBe(2);
		expect(half.stdout).toContain('set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET too');
	});
});
