/**
 * Turns run records into bench/results/*.json and *.md: one table per scenario and the targets of issue 6.
 */
import os from 'node:os';

import { JOB_STATUS_TARGET } from './config';
import type { RunRecord } from './scenario';

export interface BenchMeta {
	startedAt: string;
	durationMs: number;
	quick: boolean;
	factor: number;
	jobFactor: number;
	node: string;
	cpus: number;
	cpuModel: string;
	totalMemoryGb: number;
	packageDir: string;
	argv: string[];
	/** 1-minute load average when the run started and ended: other work on the machine skews latency. */
	loadAverage: { start: number; end: number };
}

export interface TargetCheck {
	target: string;
	measured: string;
	met: boolean | null;
}

export interface BenchResults {
	meta: BenchMeta;
	runs: RunRecord[];
	targets: TargetCheck[];
	/** Users/min of contender 1 (create only) over contender 2, at the same size. */
	speedups: Array<{ users: number; packageUsersPerMin: number; httpNodeUsersPerMin: number; ratio: number }>;
}

export function machineMeta(): Pick<BenchMeta, 'node' | 'cpus' | 'cpuModel' | 'totalMemoryGb'> {
	const cpus = os.cpus();
	return {
		node: process.version,
		cpus: cpus.length,
		cpuModel: cpus[0]?.model ?? 'unknown',
		totalMemoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
	};
}

const RATE_RATIO_TARGET = 0.97;
const SPEEDUP_TARGET = 5;
const LATENCY_RATIO_TARGET = 0.9;
const CSV_SECONDS_TARGET = 10;
const CSV_RSS_TARGET_MB = 500;

function fixed(value: number | undefined, digits = 0): string {
	if (value === undefined || !Number.isFinite(value)) return 'n/a';
	return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function seconds(ms: number): string {
	return `${fixed(ms / 1000, 1)} s`;
}

function ratio(value: number | null | undefined): string {
	if (value === null) return 'n/a';
	return fixed(value, 3);
}

function findRun(runs: RunRecord[], prefix: string, users?: number): RunRecord | undefined {
	return runs.find((run) => run.id.startsWith(prefix) && (users === undefined || run.users === users));
}

export function speedups(runs: RunRecord[]): BenchResults['speedups'] {
	const result: BenchResults['speedups'] = [];
	for (const http of runs.filter((run) => run.id.startsWith('rate.httpNode.create.'))) {
		const pkg = findRun(runs, 'rate.package.create.', http.users);
		if (!pkg?.rate || !http.rate || http.users === undefined) continue;
		const httpRate = http.rate.usersPerMin;
		result.push({
			users: http.users,
			packageUsersPerMin: pkg.rate.usersPerMin,
			httpNodeUsersPerMin: httpRate,
			ratio: httpRate > 0 ? pkg.rate.usersPerMin / httpRate : Number.POSITIVE_INFINITY,
		});
	}
	return result;
}

/** The stricter of the two throughput ratios: the plain ceiling flatters short runs (first-window burst). */
function strictRatio(run: RunRecord): number {
	if (!run.rate) return 0;
	return Math.min(run.rate.ratioToCeiling, run.rate.ratioToWindowBound ?? run.rate.ratioToCeiling);
}

function rateTargets(runs: RunRecord[]): TargetCheck[] {
	return runs
		.filter((run) => (run.group === 'rate' || run.group === 'realtime') && run.contender === 1 && run.rate && run.outcome)
		.map((run) => {
			const rate = run.rate!;
			const outcome = run.outcome!;
			const value = strictRatio(run);
			return {
				target: `Rate-bound${run.group === 'realtime' ? ' (real time)' : ''} ${run.id.includes('.full.') ? 'create + follow-ups' : 'create'}, ${fixed(run.users)} users: >= ${RATE_RATIO_TARGET} of the ceiling, 0 lost, 0 duplicates`,
				measured: `${ratio(value)} (ceiling ${ratio(rate.ratioToCeiling)}, window bound ${ratio(rate.ratioToWindowBound)}), lost ${outcome.lost}, duplicates ${outcome.duplicates}`,
				met: run.ok && value >= RATE_RATIO_TARGET && outcome.lost === 0 && outcome.duplicates === 0,
			};
		});
}

export function targetChecks(runs: RunRecord[]): TargetCheck[] {
	const checks: TargetCheck[] = rateTargets(runs);
	for (const speedup of speedups(runs)) {
		checks.push({
			target: `Rate-bound, ${fixed(speedup.users)} users: >= ${SPEEDUP_TARGET}x contender 2 (users/min)`,
			measured: `${fixed(speedup.ratio, 2)}x (${fixed(speedup.packageUsersPerMin, 1)} vs ${fixed(speedup.httpNodeUsersPerMin, 1)} users/min)`,
			met: speedup.ratio >= SPEEDUP_TARGET,
		});
	}
	const reference = runs.find((candidate) => candidate.latency && candidate.contender === 0);
	for (const run of runs.filter((candidate) => candidate.latency && candidate.contender === 1)) {
		const latency = run.latency!;
		const beside = reference?.latency ? `; bare fetch reference ${ratio(reference.latency.ratio)}` : '';
		checks.push({
			target: `Latency-bound: >= ${LATENCY_RATIO_TARGET} of concurrency / latency`,
			measured: `${ratio(latency.ratio)} (${fixed(latency.requestsPerMin)} of ${fixed(latency.idealRequestsPerMin)} requests/min${beside})`,
			met: run.ok && (run.outcome?.lost ?? 0) === 0 && latency.ratio >= LATENCY_RATIO_TARGET,
		});
	}
	for (const run of runs.filter((candidate) => candidate.csv)) {
		const csv = run.csv!;
		checks.push({
			target: `${fixed(csv.rows)}-row CSV dry run: < ${CSV_SECONDS_TARGET} s, < ${CSV_RSS_TARGET_MB} MB peak RSS`,
			measured: `${seconds(run.wallMs)}, ${fixed(run.peakRssMb)} MB`,
			met: run.ok && csv.planned === csv.rows && run.wallMs < CSV_SECONDS_TARGET * 1000 && run.peakRssMb < CSV_RSS_TARGET_MB,
		});
	}
	for (const run of runs.filter((candidate) => candidate.job)) {
		const job = run.job!;
		checks.push({
			target: `Wait for Job, ${job.jobMinutes}-minute job: <= ${JOB_STATUS_TARGET} status requests`,
			measured: `${job.statusRequests} (status ${String(job.status)})`,
			met: run.ok && job.succeeded === true && job.statusRequests <= JOB_STATUS_TARGET,
		});
	}
	return checks;
}

function contenderName(run: RunRecord): string {
	return `${run.contender}. ${run.label}`;
}

function failureNote(run: RunRecord): string {
	return run.ok ? '' : ` (failed: ${run.error ?? 'unknown'})`;
}

function rateTable(runs: RunRecord[]): string[] {
	const lines = [
		'| Contender | Users | Users/min | Requests/min | Ratio to ceiling | Ratio to window bound | Users lost | Duplicates | 429s | Wall time | Peak RSS |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const run of runs) {
		const rate = run.rate;
		const outcome = run.outcome;
		lines.push(
			`| ${contenderName(run)}${failureNote(run)} | ${fixed(run.users)} | ${fixed(rate?.usersPerMin, 1)} | ${fixed(rate?.requestsPerMin, 1)} | ${ratio(rate?.ratioToCeiling)} | ${ratio(rate?.ratioToWindowBound)} | ${fixed(outcome?.lost)} | ${fixed(outcome?.duplicates)} | ${fixed(run.traffic.r429)} | ${seconds(run.wallMs)} | ${fixed(run.peakRssMb)} MB |`,
		);
	}
	return lines;
}

function followUpLines(runs: RunRecord[]): string[] {
	const lines: string[] = [];
	for (const run of runs.filter((candidate) => candidate.followUps)) {
		const follow = run.followUps!;
		lines.push(
			`- ${fixed(run.users)} users, create + external id + role + invite: ${follow.complete} complete (external id ${follow.withExternalId}, role ${follow.withRole}, invite ${follow.invited}); requests by endpoint: ${routeList(run)}.`,
		);
	}
	return lines;
}

function routeList(run: RunRecord): string {
	return Object.entries(run.traffic.byRoute)
		.sort((a, b) => b[1] - a[1])
		.map(([route, count]) => `\`${route}\` ${count}`)
		.join(', ');
}

function statusList(run: RunRecord): string {
	return Object.entries(run.traffic.byStatus)
		.map(([status, count]) => `${status === '0' ? 'no answer' : status}: ${count}`)
		.join(', ');
}

function shapeLine(run: RunRecord): string {
	const shape = run.emulator;
	return `limit ${fixed(shape.limit)} per ${fixed(shape.windowMs)} ms window, latency ${fixed(shape.latencyMs, 1)} ms (time factor ${shape.factor})`;
}

function rateSection(results: BenchResults): string[] {
	const runs = results.runs.filter((run) => run.group === 'rate');
	if (runs.length === 0) return [];
	const lines = [
		'## Rate-bound: Genesys limit (300 requests/min per token), 150 ms latency',
		'',
		`Emulator: ${shapeLine(runs[0])}. Per-minute figures are per Genesys minute (real minutes x ${runs[0].emulator.factor}).`,
		'Ceiling = limit / calls per user (300 users/min create only, 75 with external id + role + invite).',
		'Window bound = the least time the rolling window allows for those calls, floor((N - 1) / limit) windows + one latency.',
		'',
		...rateTable(runs),
		'',
	];
	for (const speedup of results.speedups) {
		lines.push(
			`- ${fixed(speedup.users)} users: this package ${fixed(speedup.packageUsersPerMin, 1)} users/min vs HTTP Request node ${fixed(speedup.httpNodeUsersPerMin, 1)}: **${fixed(speedup.ratio, 2)}x**.`,
		);
	}
	lines.push(...followUpLines(runs));
	for (const run of runs) lines.push(`- \`${run.id}\`: answers ${statusList(run)}; settings ${JSON.stringify(run.settings)}.`);
	lines.push('');
	return lines;
}

function latencySection(runs: RunRecord[]): string[] {
	const latencyRuns = runs.filter((candidate) => candidate.latency);
	if (latencyRuns.length === 0) return [];
	const lines = [
		'## Latency-bound: limit raised to 3,000/min, real time',
		'',
		`Emulator: ${shapeLine(latencyRuns[0])}. Requests/min count every request (token excluded), lookups included.`,
		'The bare fetch pool shows what this machine allows at that moment (shared cores): the gap between it and the ideal is not the node\'s.',
		'',
		'| Contender | Users | Concurrency | Latency | Ideal (concurrency / latency) | Achieved requests/min | Ratio | Users lost | 429s | Wall time | Peak RSS |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const run of latencyRuns) {
		const latency = run.latency!;
		lines.push(
			`| ${contenderName(run)}${failureNote(run)} | ${fixed(run.users)} | ${latency.concurrency} | ${fixed(latency.latencyMs)} ms | ${fixed(latency.idealRequestsPerMin)} /min | ${fixed(latency.requestsPerMin)} /min | ${ratio(latency.ratio)} | ${fixed(run.outcome?.lost)} | ${run.traffic.r429} | ${seconds(run.wallMs)} | ${fixed(run.peakRssMb)} MB |`,
		);
	}
	lines.push('');
	return lines;
}

function realTimeSection(runs: RunRecord[]): string[] {
	const realRuns = runs.filter((candidate) => candidate.group === 'realtime');
	if (realRuns.length === 0) return [];
	return [
		'## Rate-bound without time compression (--real-time)',
		'',
		`Emulator: ${shapeLine(realRuns[0])}. The node paces itself with its own 60 s window here, as against Genesys.`,
		'',
		...rateTable(realRuns),
		'',
	];
}

function csvSection(runs: RunRecord[]): string[] {
	const run = runs.find((candidate) => candidate.csv);
	if (!run?.csv) return [];
	const csv = run.csv;
	return [
		'## CSV dry run, real time',
		'',
		`Emulator: ${shapeLine(run)}.`,
		'',
		'| Rows | Planned | Wall time | Before the first request | Lookups | Search requests | 429s | Writes | Peak RSS |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		`| ${fixed(csv.rows)}${failureNote(run)} | ${fixed(csv.planned)} | ${seconds(run.wallMs)} | ${seconds(csv.localMs)} | ${seconds(csv.lookupMs)} | ${fixed(csv.searchRequests)} | ${run.traffic.r429} | ${csv.writes} | ${fixed(run.peakRssMb)} MB |`,
		'',
	];
}

function jobSection(runs: RunRecord[]): string[] {
	const run = runs.find((candidate) => candidate.job);
	if (!run?.job) return [];
	const job = run.job;
	return [
		'## Wait for Job: a 10-minute job',
		'',
		`Emulator: ${shapeLine(run)}. Node defaults scaled by the same factor: ${JSON.stringify(run.settings)}.`,
		'',
		'| Job length | Status requests | Refused (429) | Waited | Final status | Wall time | Peak RSS |',
		'|---:|---:|---:|---:|---|---:|---:|',
		`| ${job.jobMinutes} min${failureNote(run)} | ${job.statusRequests} | ${job.refusedStatusRequests} | ${fixed(job.waitedMinutes, 2)} min | ${String(job.status)} | ${seconds(run.wallMs)} | ${fixed(run.peakRssMb)} MB |`,
		'',
	];
}

function targetSection(targets: TargetCheck[]): string[] {
	const mark = (met: boolean | null): string => (met === null ? 'n/a' : met ? 'met' : '**missed**');
	return [
		'## Targets (issue 6)',
		'',
		'| Target | Measured | |',
		'|---|---|---|',
		...targets.map((check) => `| ${check.target} | ${check.measured} | ${mark(check.met)} |`),
		'',
	];
}

/** n8n versions the engine-based contenders reported. */
function engineLine(runs: RunRecord[]): string {
	const engines = new Set<string>();
	for (const run of runs) {
		const engine = run.detail.engine as { core?: string; workflow?: string } | undefined;
		if (engine?.core) engines.add(`n8n-core ${engine.core} / n8n-workflow ${engine.workflow ?? '?'}`);
	}
	return engines.size > 0 ? ` n8n engine: ${[...engines].join(', ')}.` : '';
}

export function renderMarkdown(results: BenchResults): string {
	const { meta, runs } = results;
	return [
		`# Benchmark results${meta.quick ? ' (quick smoke run)' : ''}`,
		'',
		`Run ${meta.startedAt}, ${seconds(meta.durationMs)} in all. Node ${meta.node}, ${meta.cpus} CPU (${meta.cpuModel}), ${meta.totalMemoryGb} GB, load average ${fixed(meta.loadAverage.start, 1)} at the start and ${fixed(meta.loadAverage.end, 1)} at the end. Command: \`${meta.argv.join(' ')}\`.`,
		`Each contender ran in its own child process (peak RSS is its own, n8n engine included) against a fresh emulator; wall time excludes loading modules.${engineLine(runs)}`,
		'',
		...targetSection(results.targets),
		...rateSection(results),
		...latencySection(runs),
		...realTimeSection(runs),
		...csvSection(runs),
		...jobSection(runs),
		'Method and caveats: bench/README.md. Raw numbers: the .json file beside this one.',
		'',
	].join('\n');
}
