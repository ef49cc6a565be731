/**
 * `npm run demo`: example 1 (CSV -> Bulk Create Users -> Wait Until Searchable -> Summary) through n8n's
 * execution engine, in this process, against the embedded Genesys Cloud emulator or a real org.
 * Entry point: test/demo/run.ts. Options: options.ts (USAGE).
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import {
	baseNodeReport,
	engineVersions,
	loadEngine,
	testCredential,
	type OutputItem,
	type RunResult,
} from '../harness';
import {
	CREDENTIAL_TYPE,
	emulatorCredential,
	exampleByFile,
	nodeNamed,
	prepareExample,
	runExample,
	SEED_USERS,
	type PreparedExample,
} from '../examples/exampleSupport';
import { parseOptions, preflight, targetFromEnv, type DemoOptions, type DemoTarget } from './options';
import { renderTable, wrap, type Column } from './table';
import { WireCounter, type NodeWireStats } from './wire';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = exampleByFile('01-');
const BULK_NODE = 'Bulk Create Users';
const WAIT_NODE = 'Wait Until Searchable';
/** Real Genesys indexes new users for search a little later; the emulator does the same here. */
const SEARCH_LAG_MS = 1000;

type Json = Record<string, unknown>;

/** Everything printed goes through here: the secret and the token are cut out whatever the text. */
class Printer {
	private readonly secrets = new Set<string>();

	constructor(private readonly stream: NodeJS.WritableStream) {}

	hide(value: unknown): void {
		if (typeof value === 'string' && value.length >= 4) this.secrets.add(value);
	}

	line(text = ''): void {
		let safe = text;
		for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
		this.stream.write(`${safe}\n`);
	}

	lines(texts: readonly string[]): void {
		for (const text of texts) this.line(text);
	}
}

function lineWidth(stream: NodeJS.WritableStream): number {
	const columns = (stream as NodeJS.WriteStream).columns;
	return typeof columns === 'number' && columns > 0 ? Math.max(80, Math.min(columns, 100)) : 100;
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function plural(count: number, word: string, words = `${word}s`): string {
	return `${count} ${count === 1 ? word : words}`;
}

function relative(file: string): string {
	const rel = path.relative(process.cwd(), file);
	return rel.startsWith('..') ? file : rel;
}

function dataRows(csvFile: string): number {
	// A header, then one row per line outside quotes; only for the header line of the report.
	let rows = 0;
	let quoted = false;
	let blank = true;
	for (const char of readFileSync(csvFile, 'utf8')) {
		if (char === '"') quoted = !quoted;
		if (char === '\n' && !quoted) {
			if (!blank) rows++;
			blank = true;
		} else if (char.trim() !== '') blank = false;
	}
	return Math.max(0, rows + (blank ? 0 : 1) - 1);
}

/** What the Reason column says for one output row. */
function reasonOf(item: Json): string {
	const error = item.error as Json | undefined;
	if (typeof error?.message === 'string') return error.message.replace(/^Row \d+: /, '');
	const failedSteps = ((item.steps as Json[] | undefined) ?? []).filter((step) => step.status === 'failed');
	if (failedSteps.length > 0) return failedSteps.map((step) => `${String(step.step)}: ${String(step.detail ?? 'failed')}`).join('; ');
	switch (item.status) {
		case 'existing':
			return 'already in the org, left as it is';
		case 'updated':
			return 'already in the org, updated';
		case 'restored':
			return 'was deleted, restored';
		case 'planned':
			return `dry run: would ${String(item.action ?? 'create')}`;
		default:
			return '';
	}
}

function rowTable(items: Json[], width: number): string[] {
	const fullIds = width >= 128;
	const columns: Column[] = [
		{ header: 'Row', width: 4, align: 'right' },
		{ header: 'Email', width: 32 },
		{ header: 'Status', width: 8 },
		{ header: 'User ID', width: fullIds ? 36 : 8 },
		{ header: 'Reason', width: 0 },
	];
	const rows = items.map((item) => [
		String(item.row ?? ''),
		String(item.email ?? ''),
		String(item.status ?? ''),
		typeof item.userId === 'string' ? (fullIds ? item.userId : item.userId.slice(0, 8)) : '',
		reasonOf(item),
	]);
	return renderTable(columns, rows, width);
}

function countByStatus(items: Json[]): string {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(String(item.status), (counts.get(String(item.status)) ?? 0) + 1);
	const order = ['created', 'updated', 'restored', 'existing', 'planned', 'invalid', 'failed'];
	return [...counts.entries()]
		.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
		.map(([status, count]) => `${count} ${status}`)
		.join(', ');
}

function wireLine(stats: NodeWireStats | undefined): string {
	const s = stats ?? { requests: 0, retries: 0, throttled: 0, serverErrors: 0, networkErrors: 0 };
	const parts = [plural(s.requests, 'request'), plural(s.retries, 'retry', 'retries'), `${s.throttled} × 429`];
	if (s.serverErrors > 0) parts.push(`${s.serverErrors} × 5xx`);
	if (s.networkErrors > 0) parts.push(`${s.networkErrors} without answer`);
	return parts.join(', ');
}

interface Timings {
	started: Map<string, number>;
	took: Map<string, number>;
}

interface Outcome {
	result: RunResult;
	rows: Json[];
	wire: WireCounter;
	timings: Timings;
	totalMs: number;
}

async function runDemoWorkflow(
	prepared: PreparedExample,
	credential: Json,
	hosts: string[],
): Promise<Outcome> {
	const wire = new WireCounter(new Set(hosts));
	const timings: Timings = { started: new Map(), took: new Map() };
	wire.start();
	const began = Date.now();
	let result: RunResult;
	try {
		result = await runExample(prepared, credential, {
			onNodeStart: (name) => {
				timings.started.set(name, Date.now());
				wire.enterNode(name);
			},
			onNodeEnd: (name) => {
				timings.took.set(name, Date.now() - (timings.started.get(name) ?? Date.now()));
				wire.enterNode(undefined);
			},
		});
	} finally {
		wire.stop();
	}
	// Failed rows leave through the node's error output (the example's On Error setting) as n8n error items:
	// the row's facts under `error`.
	const failed = result.output(BULK_NODE, 1).map((item: OutputItem): Json => ({ ...(item.json.error as Json), error: item.json.error }));
	const rows = result.ranNodes.includes(BULK_NODE)
		? [...result.output(BULK_NODE, 0).map((item: OutputItem): Json => item.json), ...failed]
				.filter((json) => !('summary' in json))
				.sort((a, b) => Number(a.row) - Number(b.row))
		: [];
	return { result, rows, wire, timings, totalMs: Date.now() - began };
}

function nodeSourcesLines(result: RunResult, width: number): string[] {
	const indent = ' '.repeat(11);
	const real = Object.entries(result.nodeTypes)
		.filter(([, source]) => source === 'n8n-nodes-base')
		.map(([type]) => type.replace('n8n-nodes-base.', ''));
	const lines = wrap(`real n8n-nodes-base ${real.join(', ')}; this package's nodes from dist/`, width - indent.length).map(
		(text, index) => `${index === 0 ? '  nodes    ' : indent}${text}`,
	);
	const failed = baseNodeReport().failed;
	for (const [type, source] of Object.entries(result.nodeTypes)) {
		if (source !== 'stand-in') continue;
		// n8n's hint after the message is long and about node authors; the message says what failed.
		const reason = (failed[type] ?? 'not available').split(' Hint:')[0];
		const text = `${type.replace('n8n-nodes-base.', '')}: harness stand-in, the real node cannot run on this engine: ${reason}`;
		lines.push(...wrap(text, width - indent.length).map((part) => `${indent}${part}`));
	}
	return lines;
}

function printSummary(out: Printer, outcome: Outcome, dryRun: boolean): void {
	const { result, rows, wire, timings, totalMs } = outcome;
	const stats = wire.stats();
	out.line();
	out.line(`Summary: ${plural(rows.length, 'row')}: ${countByStatus(rows) || 'none'}`);
	const bulkTook = timings.took.get(BULK_NODE);
	out.line(`  ${BULK_NODE.padEnd(22)} ${wireLine(stats.byNode[BULK_NODE])}${bulkTook === undefined ? '' : `, ${seconds(bulkTook)}`}`);
	if (dryRun) {
		out.line(`  ${WAIT_NODE.padEnd(22)} skipped: a dry run creates nobody to wait for`);
	} else if (result.ranNodes.includes(WAIT_NODE)) {
		const done = result.output(WAIT_NODE, 0).length;
		const waited = done + result.output(WAIT_NODE, 1).length;
		const waitTook = timings.took.get(WAIT_NODE) ?? 0;
		out.line(
			`  ${WAIT_NODE.padEnd(22)} ${done} of ${waited} users searchable, ${plural(stats.byNode[WAIT_NODE]?.requests ?? 0, 'search', 'searches')}, ${seconds(waitTook)}`,
		);
	}
	out.line(`  ${'workflow'.padEnd(22)} ${result.status} in ${seconds(totalMs)} (${plural(stats.tokenRequests, 'token request')})`);
	if (result.errorMessage) out.line(`  error: ${result.errorMessage}`);
}

/** Checks what the emulator holds against what the workflow reported; returns whether they agree. */
function confirmEmulator(out: Printer, emu: Emulator, rows: Json[], wire: WireCounter): boolean {
	const users = [...emu.state.users.values()];
	const added = users.length - SEED_USERS.length;
	const emails = users.map((user) => user.email.toLowerCase());
	const duplicates = emails.length - new Set(emails).size;
	const created = rows.filter((row) => row.status === 'created');
	const missing = created.filter((row) => {
		const user = emu.state.users.get(String(row.userId));
		return user === undefined || user.email.toLowerCase() !== String(row.email).toLowerCase();
	});
	const received = emu.requests.filter((request) => request.path.startsWith('/api/v2/')).length;
	out.line(
		`emulator: ${plural(users.length, 'user')} (${added} new), ${duplicates} duplicate emails, ` +
			`${received} API requests received (${wire.stats().apiRequests} sent)`,
	);
	const agrees = added === created.length && duplicates === 0 && missing.length === 0;
	if (!agrees) {
		out.line(
			`emulator DISAGREES with the workflow: ${created.length} rows say created, ${added} users were added, ` +
				`${missing.length} created rows have no matching user`,
		);
	}
	return agrees;
}

function banner(out: Printer, target: DemoTarget, options: DemoOptions): void {
	if (target.kind !== 'org') return;
	const bar = '!'.repeat(78);
	out.line(bar);
	if (options.apply) {
		out.line(`!!  APPLY: this creates REAL users in the Genesys Cloud org at ${target.label}`);
		out.line('!!  (one per valid CSV row, with external ids and managers as the CSV says).');
	} else {
		out.line(`!!  DRY RUN against the Genesys Cloud org at ${target.label}: nothing will be written.`);
		out.line('!!  Users are only looked up. Add --apply to create them for real.');
	}
	out.line(bar);
}

async function demo(options: DemoOptions, target: DemoTarget, out: Printer): Promise<number> {
	const width = lineWidth(process.stdout);
	const dryRun = target.kind === 'org' && !options.apply;
	let emu: Emulator | undefined;
	let credential: Json;
	let hosts: string[];
	let targetLine: string;
	if (target.kind === 'emulator') {
		const client = { clientId: 'demo-client', clientSecret: randomBytes(18).toString('base64url') };
		out.hide(client.clientSecret);
		emu = await startEmulator({
			seed: 7,
			clients: [client],
			users: [...SEED_USERS],
			faults: { searchLagMs: SEARCH_LAG_MS, ...(options.faults ?? {}) },
		});
		credential = emulatorCredential(emu.url, client);
		hosts = [new URL(emu.url).hostname];
		targetLine = `embedded Genesys Cloud emulator at ${emu.url}, ${plural(SEED_USERS.length, 'user')} already in the org`;
	} else {
		out.hide(target.clientSecret);
		credential = target.credential;
		hosts = target.hosts;
		targetLine = `Genesys Cloud org at ${target.label} (${dryRun ? 'dry run' : 'APPLY'})`;
	}
	const apiBaseUrl = emu?.url ?? `https://${hosts[0]}`;
	const prepared = prepareExample(EXAMPLE, apiBaseUrl);
	try {
		const csv = options.csv ? path.resolve(options.csv) : path.join(ROOT, 'examples', 'data', 'new-hires.csv');
		copyFileSync(csv, path.join(prepared.work, 'new-hires.csv'));
		if (dryRun) {
			nodeNamed(prepared.workflow, BULK_NODE).parameters.dryRun = true;
			// n8n passes a disabled node's items on: nothing was created, so there is nothing to wait for.
			nodeNamed(prepared.workflow, WAIT_NODE).disabled = true;
		}
		const versions = engineVersions();
		out.line(`${String(prepared.workflow.name)}`);
		out.line(`  workflow ${relative(path.join(ROOT, 'examples', EXAMPLE.file))}`);
		out.line(`  engine   n8n ${options.engine}.x in-process: n8n-core ${versions.core}, n8n-workflow ${versions.workflow}`);
		out.line(`  target   ${targetLine}`);
		out.line(`  input    ${relative(csv)}, ${plural(dataRows(csv), 'row')}`);
		banner(out, target, options);
		if (target.kind === 'org') {
			const check = await testCredential(CREDENTIAL_TYPE, credential);
			out.hide(check.credentialsStore[CREDENTIAL_TYPE]?.accessToken);
			if (check.status !== 'OK') {
				out.line(`credential test failed: ${check.message}`);
				return 1;
			}
			out.line('  login    credential test OK');
		}
		out.line();
		const outcome = await runDemoWorkflow(prepared, credential, hosts);
		out.hide(outcome.result.credentialsStore[CREDENTIAL_TYPE]?.accessToken);
		out.lines(nodeSourcesLines(outcome.result, width));
		out.line();
		out.lines(rowTable(outcome.rows, width));
		printSummary(out, outcome, dryRun);
		const ran = outcome.result.status === 'success';
		if (emu) return confirmEmulator(out, emu, outcome.rows, outcome.wire) && ran ? 0 : 1;
		const label = target.kind === 'org' ? target.label : '';
		if (dryRun) out.line(`org: dry run, nothing was written to ${label}`);
		else out.line(`org: applied to ${label}: ${countByStatus(outcome.rows) || 'nothing to do'}`);
		return ran ? 0 : 1;
	} finally {
		rmSync(prepared.work, { recursive: true, force: true });
		await emu?.close();
	}
}

/** Returns the exit code: 0 success, 1 the run or the check failed, 2 bad usage. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
	const out = new Printer(process.stdout);
	const early = preflight(argv, env);
	if (early) {
		out.line(early.text);
		return early.code;
	}
	const options = parseOptions(argv, env);
	const target = targetFromEnv(env);
	// Before anything loads n8n: the engine decides which n8n-core / n8n-workflow every module gets.
	loadEngine(options.engine);
	try {
		return await demo(options, target, out);
	} catch (error) {
		out.line(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	}
}
