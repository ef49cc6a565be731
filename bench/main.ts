/**
 * `npm run bench` (after `npm run build`): runs every scenario of config.ts one after the other and writes
 * bench/results/latest.{json,md} (other runs: see outputBase).
 *
 * Flags: --quick (small smoke run), --only=<id part>[,...] (subset), --factor=N (rate-bound time factor,
 * 1..10), --job-factor=N, --package-dir=DIR (another build of this package), --profile (CPU profiles of
 * each child in bench/results/profiles.tmp/), --request-log (each run's request timeline in
 * bench/results/requests.tmp/), --real-time (adds contender 1 rate-bound without time
 * compression: about 3.5 more minutes), --render=FILE.json (no run: rewrite FILE.md from FILE.json),
 * --merge=FILE.json (with --only: the runs measured now replace those of the same id in FILE.json, or are added;
 * the file's meta records the update, with its own load average; FILE.md is rewritten).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { benchPlan, MAX_FACTOR } from './config';
import type { BenchOptions } from './config';
import { machineMeta, renderMarkdown, speedups, targetChecks } from './report';
import type { BenchResults } from './report';
import { BENCH_CLIENT, runScenario } from './scenario';
import type { RunRecord } from './scenario';

const RESULTS_DIR = path.join(__dirname, 'results');

/**
 * Only a full run writes bench/results/latest.*; smoke, partial runs and profiles go to `*.tmp` folders
 * there, which git ignores (bench/results/*.tmp), so they are never mistaken for the published numbers.
 */
function outputBase(options: BenchOptions): string {
	if (!options.quick && options.only.length === 0) return path.join(RESULTS_DIR, 'latest');
	const name = options.quick ? 'quick' : 'partial';
	return path.join(RESULTS_DIR, `${name}.tmp`, name);
}
const DEFAULT_FACTOR = 10;
const DEFAULT_JOB_FACTOR = 40;
/** A quick run waits for the 10-minute job in 3 s. */
const QUICK_JOB_FACTOR = 200;

function flagValue(argv: string[], name: string): string | undefined {
	const prefix = `--${name}=`;
	return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined) return fallback;
	const number = Number(value);
	if (!(number > 0)) throw new Error(`--${name} must be a positive number, got ${value}`);
	return number;
}

export function parseOptions(argv: string[]): BenchOptions {
	const known = ['--quick', '--profile', '--request-log', '--real-time', '--render=', '--merge=', '--only=', '--factor=', '--job-factor=', '--package-dir='];
	const unknown = argv.filter((arg) => !known.some((flag) => arg === flag || (flag.endsWith('=') && arg.startsWith(flag))));
	if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')}`);
	const factor = positiveNumber(flagValue(argv, 'factor'), DEFAULT_FACTOR, 'factor');
	if (factor < 1 || factor > MAX_FACTOR) throw new Error(`--factor must be from 1 to ${MAX_FACTOR}, got ${factor}`);
	const packageDir = flagValue(argv, 'package-dir');
	const quick = argv.includes('--quick');
	return {
		quick,
		factor,
		jobFactor: positiveNumber(flagValue(argv, 'job-factor'), quick ? QUICK_JOB_FACTOR : DEFAULT_JOB_FACTOR, 'job-factor'),
		packageDir: packageDir === undefined ? undefined : path.resolve(packageDir),
		only: (flagValue(argv, 'only') ?? '').split(',').filter((part) => part !== ''),
		profile: argv.includes('--profile'),
		requestLog: argv.includes('--request-log'),
		realTime: argv.includes('--real-time'),
	};
}

const REPOSITORY = path.resolve(__dirname, '..');

/**
 * Copies the build under test (dist/ + package.json) to build/bench-package/, so a rebuild by someone else
 * in this checkout (rimraf dist) cannot pull the package away mid-run. Undefined when there is no build.
 */
function snapshotBuild(): string | undefined {
	const dist = path.join(REPOSITORY, 'dist');
	if (!existsSync(dist)) return undefined;
	const target = path.join(REPOSITORY, 'build', 'bench-package');
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	cpSync(dist, path.join(target, 'dist'), { recursive: true });
	copyFileSync(path.join(REPOSITORY, 'package.json'), path.join(target, 'package.json'));
	return target;
}

function progress(text: string): void {
	process.stdout.write(`${text}\n`);
}

function summaryLine(record: RunRecord): string {
	const parts = [
		`${(record.wallMs / 1000).toFixed(1)} s`,
		`${record.peakRssMb} MB`,
		`${record.traffic.requests} requests`,
		`${record.traffic.r429} x 429`,
	];
	if (record.outcome) parts.push(`created ${record.outcome.created}/${record.outcome.expected}`);
	if (record.rate) {
		const bound = record.rate.ratioToWindowBound;
		parts.push(`ratio ${record.rate.ratioToCeiling.toFixed(3)} / ${bound === null ? 'n/a' : bound.toFixed(3)}`);
	}
	if (record.latency) parts.push(`latency ratio ${record.latency.ratio.toFixed(3)}`);
	if (record.job) parts.push(`${record.job.statusRequests} status requests`);
	if (record.csv) parts.push(`planned ${record.csv.planned}`);
	if (!record.ok) parts.push(`FAILED: ${record.error ?? ''}`);
	return parts.join(', ');
}

/** Re-renders an earlier run: targets and speedups recomputed from its runs, JSON and markdown rewritten. */
function render(file: string): void {
	const saved = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
	const results: BenchResults = { ...saved, targets: targetChecks(saved.runs), speedups: speedups(saved.runs) };
	const target = file.replace(/\.json$/, '.md');
	writeFileSync(file, `${JSON.stringify(results, null, '\t')}\n`);
	writeFileSync(target, renderMarkdown(results));
	progress(`bench: wrote ${path.relative(process.cwd(), file)} and ${path.relative(process.cwd(), target)}`);
}

/** Puts `results`' runs into an earlier full run's file (same id replaced, new ids added) and re-renders it. */
function merge(file: string, results: BenchResults): void {
	const saved = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
	const fresh = new Map(results.runs.map((run) => [run.id, run]));
	const runs = saved.runs.map((run) => fresh.get(run.id) ?? run);
	for (const run of results.runs) if (!saved.runs.some((old) => old.id === run.id)) runs.push(run);
	const update = {
		startedAt: results.meta.startedAt,
		durationMs: results.meta.durationMs,
		argv: results.meta.argv,
		loadAverage: results.meta.loadAverage,
		runs: results.runs.map((run) => run.id),
	};
	const meta = { ...saved.meta, updates: [...(saved.meta.updates ?? []), update] };
	const merged: BenchResults = { meta, runs, targets: targetChecks(runs), speedups: speedups(runs) };
	writeFileSync(file, `${JSON.stringify(merged, null, '\t')}\n`);
	writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(merged));
	progress(`bench: merged ${results.runs.length} runs into ${path.relative(process.cwd(), file)} (and .md)`);
}

export async function main(argv: string[]): Promise<void> {
	const renderFile = flagValue(argv, 'render');
	if (renderFile !== undefined) {
		render(path.resolve(renderFile));
		return;
	}
	const options = parseOptions(argv);
	if (options.packageDir === undefined) {
		options.packageDir = snapshotBuild();
		if (options.packageDir === undefined) progress('bench: no dist/ (run "npm run build"): this package\'s runs will fail');
	}
	const plan = benchPlan(options);
	const started = Date.now();
	const loadAtStart = os.loadavg()[0];
	const profileDir = path.join(RESULTS_DIR, 'profiles.tmp');
	if (options.profile) mkdirSync(profileDir, { recursive: true });
	const execArgv = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
	const requestLogDir = options.requestLog ? path.join(RESULTS_DIR, 'requests.tmp') : undefined;
	if (requestLogDir !== undefined) mkdirSync(requestLogDir, { recursive: true });
	progress(`bench: ${plan.length} runs${options.quick ? ' (quick)' : ''}, time factor ${options.factor}`);
	const runs: RunRecord[] = [];
	for (const [index, spec] of plan.entries()) {
		progress(`[${index + 1}/${plan.length}] ${spec.id} ...`);
		const record = await runScenario(spec, { execArgv, requestLogDir });
		runs.push(record);
		progress(`    ${summaryLine(record)}`);
	}
	const results: BenchResults = {
		meta: {
			startedAt: new Date(started).toISOString(),
			durationMs: Date.now() - started,
			quick: options.quick,
			factor: options.factor,
			jobFactor: options.jobFactor,
			...machineMeta(),
			packageDir: path.relative(REPOSITORY, options.packageDir ?? path.join(REPOSITORY, 'dist')),
			argv: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])],
			loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
		},
		runs,
		targets: targetChecks(runs),
		speedups: speedups(runs),
	};
	const json = `${JSON.stringify(results, null, '\t')}\n`;
	const markdown = renderMarkdown(results);
	if (`${json}${markdown}`.includes(BENCH_CLIENT.clientSecret)) {
		throw new Error('refusing to write results that contain the client secret');
	}
	const base = outputBase(options);
	mkdirSync(path.dirname(base), { recursive: true });
	writeFileSync(`${base}.json`, json);
	writeFileSync(`${base}.md`, markdown);
	const mergeFile = flagValue(argv, 'merge');
	if (mergeFile !== undefined) merge(path.resolve(mergeFile), results);
	const elapsed = ((Date.now() - started) / 1000).toFixed(0);
	progress(`bench: done in ${elapsed} s -> ${path.relative(process.cwd(), base)}.{md,json}`);
	for (const check of results.targets) {
		const mark = check.met === null ? 'n/a   ' : check.met ? 'met   ' : 'MISSED';
		progress(`  ${mark} ${check.target}: ${check.measured}`);
	}
}

// `npm run bench` (tsx bench/main.ts ...).
if (require.main === module) {
	main(process.argv.slice(2)).catch((error: unknown) => {
		process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
