/**
 * Turns run records into bench/results/*.json and *.md: the targets of issue 6, then one table per scenario.
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
	/** Later partial runs merged into this file (`--merge`): when, which runs, and the load then. */
	updates?: Array<{
		startedAt: string;
		durationMs: number;
		argv: string[];
		loadAverage: { start: number; end: number };
		runs: string[];
	}>;
}

export interface TargetCheck {
	target: string;
	measured: string;
	/** null: the run was too small to judge (quick runs). */
	met: boolean | null;
}

export interface Speedup {
	users: number;
	packageUsersPerMin: number;
	httpNodeUsersPerMin: number;
	ratio: number;
}

export interface BenchResults {
	meta: BenchMeta;
	runs: RunRecord[];
	targets: TargetCheck[];
	/** Users/min of contender 1 (create only) over contender 2, at the same size. */
	speedups: Speedup[];
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
/** Of the bare fetch pool's ratio, measured in the same run: what n8n and the node cost on this machine. */
const LATENCY_REFERENCE_TARGET = 0.95;
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
	return value === null ? 'n/a' : fixed(value, 3);
}

function megabytes(value: number): string {
	return `${fixed(value)} MB`;
}

function row(cells: string[]): string {
	return `| ${cells.join(' | ')} |`;
}

function table(header: string[], align: string[], rows: string[][]): string[] {
	return [row(header), row(align), ...rows.map(row)];
}

export function speedups(runs: RunRecord[]): Speedup[] {
	const result: Speedup[] = [];
	for (const http of runs.filter((run) => run.id.startsWith('rate.httpNode.create.'))) {
		const pkg = runs.find((run) => run.id.startsWith('rate.package.create.') && run.users === http.users);
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

function rateTarget(run: RunRecord): TargetCheck | undefined {
	const { rate, outcome } = run;
	if (!rate || !outcome) return undefined;
	const value = strictRatio(run);
	const when = run.group === 'realtime' ? ' (real time)' : '';
	const work = run.id.includes('.full.') ? 'create + follow-ups' : 'create';
	const fitsOneWindow = rate.ratioToWindowBound === null;
	return {
		target: `Rate-bound${when} ${work}, ${fixed(run.users)} users: >= ${RATE_RATIO_TARGET} of the ceiling, 0 lost, 0 duplicates`,
		measured:
			`${ratio(value)} (ceiling ${ratio(rate.ratioToCeiling)}, window bound ${ratio(rate.ratioToWindowBound)}), ` +
			`lost ${outcome.lost}, duplicates ${outcome.duplicates}${fitsOneWindow ? '; all calls fit in one window' : ''}`,
		met: fitsOneWindow
			? null
			: run.ok && value >= RATE_RATIO_TARGET && outcome.lost === 0 && outcome.duplicates === 0,
	};
}

function speedupTarget(speedup: Speedup): TargetCheck {
	return {
		target: `Rate-bound, ${fixed(speedup.users)} users: >= ${SPEEDUP_TARGET}x contender 2 (users/min)`,
		measured: `${fixed(speedup.ratio, 2)}x (${fixed(speedup.packageUsersPerMin, 1)} vs ${fixed(speedup.httpNodeUsersPerMin, 1)} users/min)`,
		met: speedup.ratio >= SPEEDUP_TARGET,
	};
}

function latencyTarget(run: RunRecord, reference: RunRecord | undefined): TargetCheck | undefined {
	const { latency } = run;
	if (!latency) return undefined;
	const beside = reference?.latency ? `; bare fetch reference ${ratio(reference.latency.ratio)}` : '';
	return {
		target: `Latency-bound: >= ${LATENCY_RATIO_TARGET} of concurrency / latency`,
		measured: `${ratio(latency.ratio)} (${fixed(latency.requestsPerMin)} of ${fixed(latency.idealRequestsPerMin)} requests/min${beside})`,
		met: run.ok && (run.outcome?.lost ?? 0) === 0 && latency.ratio >= LATENCY_RATIO_TARGET,
	};
}

/** The node's latency-bound pace against the bare fetch pool's, both measured in the same run. */
function toReference(run: RunRecord, reference: RunRecord | undefined): number | undefined {
	if (!run.latency || !reference?.latency || reference.latency.ratio <= 0) return undefined;
	return run.latency.ratio / reference.latency.ratio;
}

function latencyReferenceTarget(run: RunRecord, reference: RunRecord | undefined): TargetCheck | undefined {
	const value = toReference(run, reference);
	if (value === undefined || !run.latency || !reference?.latency) return undefined;
	return {
		target: `Latency-bound: >= ${LATENCY_REFERENCE_TARGET} of the bare fetch reference`,
		measured: `${ratio(value)} (${ratio(run.latency.ratio)} against ${ratio(reference.latency.ratio)})`,
		met: run.ok && (run.outcome?.lost ?? 0) === 0 && value >= LATENCY_REFERENCE_TARGET,
	};
}

function csvTarget(run: RunRecord): TargetCheck | undefined {
	const { csv } = run;
	if (!csv) return undefined;
	const fastEnough = run.wallMs < CSV_SECONDS_TARGET * 1000;
	return {
		target: `${fixed(csv.rows)}-row CSV dry run: < ${CSV_SECONDS_TARGET} s, < ${CSV_RSS_TARGET_MB} MB peak RSS`,
		measured: `${seconds(run.wallMs)}, ${megabytes(run.peakRssMb)} (${seconds(csv.localMs)} before the first request)`,
		met: run.ok && csv.planned === csv.rows && fastEnough && run.peakRssMb < CSV_RSS_TARGET_MB,
	};
}

function jobTarget(run: RunRecord): TargetCheck | undefined {
	const { job } = run;
	if (!job) return undefined;
	return {
		target: `Wait for Job, ${job.jobMinutes}-minute job: <= ${JOB_STATUS_TARGET} status requests`,
		measured: `${job.statusRequests} (status ${String(job.status)})`,
		met: run.ok && job.succeeded === true && job.statusRequests <= JOB_STATUS_TARGET,
	};
}

/** Pool rows (issue 14): requests/min against the tokens' budgets (no cap) or the org cap the client is not told. */
const POOL_NO_CAP_TARGET = 0.95;
const POOL_ORG_CAP_TARGET = 0.9;
const POOL_ORG_429_SHARE = 0.02;

/** Requests per Genesys minute the server lets through: tokens x limit, within the org cap. */
function poolBudgetPerMin(run: RunRecord): number {
	const { limit, tokens = 1, orgLimit } = run.emulator;
	return Math.min(limit * tokens, orgLimit ?? Number.POSITIVE_INFINITY);
}

function poolTarget(run: RunRecord): TargetCheck | undefined {
	const { rate, outcome } = run;
	if (run.group !== 'pool' || !rate || !outcome) return undefined;
	const budget = poolBudgetPerMin(run);
	// The stricter of the two, as for one token: a run's last, partial window flatters the plain budget ratio.
	const value = Math.min(rate.requestsPerMin / budget, rate.ratioToWindowBound ?? Number.POSITIVE_INFINITY);
	const share = run.traffic.requests > 0 ? run.traffic.r429 / run.traffic.requests : 0;
	const capped = run.emulator.orgLimit !== undefined;
	const goal = capped ? POOL_ORG_CAP_TARGET : POOL_NO_CAP_TARGET;
	const limits = capped
		? `org-wide cap ${fixed(run.emulator.orgLimit)}/min the client is not told`
		: `${run.emulator.tokens ?? 1} x ${fixed(run.emulator.limit)}/min, no org cap`;
	const rule429 = capped ? `429s on < ${POOL_ORG_429_SHARE * 100}% of requests` : '0 x 429';
	const ok429 = capped ? share < POOL_ORG_429_SHARE : run.traffic.r429 === 0;
	return {
		target: `Pool of ${run.emulator.tokens ?? 1} tokens, ${limits}, ${fixed(run.users)} users create only: >= ${goal} x ${fixed(budget)} requests/min, 0 lost, 0 duplicates, ${rule429}`,
		measured:
			`${ratio(value)} (${fixed(rate.requestsPerMin)} requests/min, ${ratio(rate.requestsPerMin / budget)} of the budget, ` +
			`window bound ${ratio(rate.ratioToWindowBound)}), lost ${outcome.lost}, duplicates ${outcome.duplicates}, ` +
			`429s ${run.traffic.r429} (${fixed(share * 100, 2)}% of ${fixed(run.traffic.requests)})`,
		met: run.ok && value >= goal && outcome.lost === 0 && outcome.duplicates === 0 && ok429,
	};
}

function defined<T>(value: T | undefined): value is T {
	return value !== undefined;
}

export function targetChecks(runs: RunRecord[]): TargetCheck[] {
	const packageRuns = runs.filter((run) => run.contender === 1);
	const reference = runs.find((run) => run.latency && run.contender === 0);
	return [
		...packageRuns.filter((run) => run.group === 'rate' || run.group === 'realtime').map(rateTarget),
		...packageRuns.map(poolTarget),
		...speedups(runs).map(speedupTarget),
		...packageRuns.map((run) => latencyTarget(run, reference)),
		...packageRuns.map((run) => latencyReferenceTarget(run, reference)),
		...packageRuns.map(csvTarget),
		...packageRuns.map(jobTarget),
	].filter(defined);
}

function contenderName(run: RunRecord): string {
	const name = run.contender === 0 ? run.label : `${run.contender}. ${run.label}`;
	return run.ok ? name : `${name} (failed: ${run.error ?? 'unknown'})`;
}

function shapeLine(run: RunRecord): string {
	const shape = run.emulator;
	const org = shape.orgLimit === undefined ? '' : `, org-wide cap ${fixed(shape.orgLimit)} per window across tokens`;
	return (
		`limit ${fixed(shape.limit)} per ${fixed(shape.windowMs)} ms window per token${org}, ` +
		`latency ${fixed(shape.latencyMs, 1)} ms (time factor ${shape.factor})`
	);
}

/** Pool rows beside the pool-of-1 10,000-user row, requests/min against what the server lets through. */
function poolSection(runs: RunRecord[]): string[] {
	const poolRuns = runs.filter((run) => run.group === 'pool');
	if (poolRuns.length === 0) return [];
	const single = runs.find((run) => run.group === 'rate' && run.contender === 1 && run.users === poolRuns[0].users && !run.id.includes('.full.'));
	const rows = [...(single ? [single] : []), ...poolRuns];
	return [
		'## Token pool: Genesys limit per token, 150 ms latency',
		'',
		...poolRuns.map((run) => `Emulator for \`${run.id}\`: ${shapeLine(run)}.`),
		'Budget = what the server lets the client send per Genesys minute: tokens x 300, or the org-wide cap when there is one.',
		'Window bound: as for one token, with the budget per window as the limit and the pool\'s concurrency.',
		'',
		...table(
			[
				'Contender',
				'Tokens',
				'Concurrency',
				'Users',
				'Requests/min',
				'Budget/min',
				'Ratio to budget',
				'Ratio to window bound',
				'Users lost',
				'Duplicates',
				'429s',
				'429 share',
				'Wall time',
				'Peak RSS',
			],
			['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
			rows.map((run) => {
				const budget = poolBudgetPerMin(run);
				const requestsPerMin = run.rate?.requestsPerMin ?? 0;
				return [
					contenderName(run),
					fixed(run.emulator.tokens ?? 1),
					fixed(Number(run.settings.concurrency)),
					fixed(run.users),
					fixed(requestsPerMin, 1),
					fixed(budget),
					ratio(requestsPerMin / budget),
					ratio(run.rate?.ratioToWindowBound),
					fixed(run.outcome?.lost),
					fixed(run.outcome?.duplicates),
					fixed(run.traffic.r429),
					`${fixed(run.traffic.requests > 0 ? (100 * run.traffic.r429) / run.traffic.requests : 0, 2)}%`,
					seconds(run.wallMs),
					megabytes(run.peakRssMb),
				];
			}),
		),
		'',
		...poolRuns.map((run) => {
			const perToken = run.detail.requestsByToken as Record<string, { requests: number; r429: number }> | undefined;
			const tokens = perToken
				? Object.entries(perToken)
						.map(([token, use]) => `${token} ${use.requests}${use.r429 > 0 ? ` (${use.r429} x 429)` : ''}`)
						.join(', ')
				: 'n/a';
			return `- \`${run.id}\`: answers ${statusList(run)}; requests per token: ${tokens}; settings \`${JSON.stringify(run.settings)}\`.`;
		}),
		'',
	];
}

function rateTable(runs: RunRecord[]): string[] {
	return table(
		['Contender', 'Users', 'Users/min', 'Requests/min', 'Ratio to ceiling', 'Ratio to window bound', 'Users lost', 'Duplicates', '429s', 'Wall time', 'Peak RSS'],
		['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
		runs.map((run) => [
			contenderName(run),
			fixed(run.users),
			fixed(run.rate?.usersPerMin, 1),
			fixed(run.rate?.requestsPerMin, 1),
			ratio(run.rate?.ratioToCeiling),
			ratio(run.rate?.ratioToWindowBound),
			fixed(run.outcome?.lost),
			fixed(run.outcome?.duplicates),
			fixed(run.traffic.r429),
			seconds(run.wallMs),
			megabytes(run.peakRssMb),
		]),
	);
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

function rateNotes(results: BenchResults, runs: RunRecord[]): string[] {
	const notes = results.speedups.map(
		(speedup) =>
			`- ${fixed(speedup.users)} users: this package ${fixed(speedup.packageUsersPerMin, 1)} users/min, ` +
			`HTTP Request node ${fixed(speedup.httpNodeUsersPerMin, 1)}: **${fixed(speedup.ratio, 2)}x**.`,
	);
	notes.push(...steadySpeedupNotes(runs));
	for (const run of runs.filter((candidate) => (candidate.outcome?.lost ?? 0) > 0)) {
		notes.push(
			`- ${contenderName(run)}, ${fixed(run.users)} users: ${fixed(run.outcome!.lost)} users lost ` +
				`(${fixed(run.traffic.r429)} requests answered 429); its speed is that of giving up.`,
		);
	}
	for (const run of runs.filter((candidate) => candidate.followUps)) {
		const follow = run.followUps!;
		notes.push(
			`- ${fixed(run.users)} users with follow-ups: ${follow.complete} complete (external id ${follow.withExternalId}, ` +
				`role ${follow.withRole}, invited ${follow.invited}, invite emails sent ${follow.invitesSent}).`,
		);
	}
	for (const run of runs) {
		notes.push(`- \`${run.id}\`: answers ${statusList(run)}; requests ${routeList(run)}; settings \`${JSON.stringify(run.settings)}\`.`);
	}
	return notes;
}

/**
 * The HTTP Request node's pace is fixed by Batching, whatever the size; set against this package's largest
 * run, where the first window's burst hardly counts, the comparison is the steady-state one.
 */
function steadySpeedupNotes(runs: RunRecord[]): string[] {
	const http = runs.find((run) => run.id.startsWith('rate.httpNode.create.') && run.rate);
	const largest = runs
		.filter((run) => run.id.startsWith('rate.package.create.') && run.rate && run.users !== undefined)
		.sort((a, b) => (b.users ?? 0) - (a.users ?? 0))[0];
	if (!http?.rate || !largest?.rate || (largest.users ?? 0) <= (http.users ?? 0) || http.rate.usersPerMin <= 0) return [];
	const ratioValue = largest.rate.usersPerMin / http.rate.usersPerMin;
	return [
		`- Steady state: this package at ${fixed(largest.users)} users (${fixed(largest.rate.usersPerMin, 1)} users/min) is ` +
			`${fixed(ratioValue, 2)}x the HTTP Request node's pace (${fixed(http.rate.usersPerMin, 1)} users/min, the same at any size).`,
	];
}

function rateSection(results: BenchResults): string[] {
	const runs = results.runs.filter((run) => run.group === 'rate');
	if (runs.length === 0) return [];
	return [
		'## Rate-bound: Genesys limit (300 requests/min per token), 150 ms latency',
		'',
		`Emulator: ${shapeLine(runs[0])}. Per-minute figures are per Genesys minute (real minutes x ${runs[0].emulator.factor}).`,
		'Ceiling = limit / calls per user (300 users/min create only, 75 with external id + role + invite).',
		'Window bound = the least time the rolling window allows for those calls at the contender\'s concurrency c: ' +
			'floor((N - 1) / limit) windows, then the last window\'s r calls, ceil(r / c) answers in a row of one latency each.',
		'',
		...rateTable(runs),
		'',
		...rateNotes(results, runs),
		'',
	];
}

function latencySection(runs: RunRecord[]): string[] {
	const latencyRuns = runs.filter((run) => run.latency);
	if (latencyRuns.length === 0) return [];
	const reference = latencyRuns.find((run) => run.contender === 0);
	return [
		'## Latency-bound: limit raised to 3,000/min, real time',
		'',
		`Emulator: ${shapeLine(latencyRuns[0])}. Requests/min count every request (token excluded), lookups included.`,
		"The bare fetch pool shows what this machine allows at that moment (shared cores): its gap to 1.0 is not the node's.",
		'',
		...table(
			[
				'Contender',
				'Users',
				'Concurrency',
				'Latency',
				'Ideal (concurrency / latency)',
				'Achieved',
				'Ratio',
				'Ratio to reference',
				'Users lost',
				'429s',
				'Wall time',
				'Peak RSS',
			],
			['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
			latencyRuns.map((run) => {
				const latency = run.latency!;
				return [
					contenderName(run),
					fixed(run.users),
					String(latency.concurrency),
					`${fixed(latency.latencyMs)} ms`,
					`${fixed(latency.idealRequestsPerMin)} /min`,
					`${fixed(latency.requestsPerMin)} /min`,
					ratio(latency.ratio),
					ratio(toReference(run, reference)),
					fixed(run.outcome?.lost),
					fixed(run.traffic.r429),
					seconds(run.wallMs),
					megabytes(run.peakRssMb),
				];
			}),
		),
		'',
		'What the node pays beyond the bare pool: one search latency before the first create (the lookup that makes ' +
			're-runs safe); n8n\'s HTTP helper, which builds new agents for every request in 1.x and 2.x alike, so no ' +
			'connection is ever reused (a TCP handshake per request here, TCP and TLS against Genesys; `keepAlive` in ' +
			'its agent options would keep sockets nobody picks up again); and the engine and node per request.',
		'',
	];
}

function realTimeSection(runs: RunRecord[]): string[] {
	const realRuns = runs.filter((run) => run.group === 'realtime');
	if (realRuns.length === 0) return [];
	return [
		'## Rate-bound in real time (no compression)',
		'',
		`Emulator: ${shapeLine(realRuns[0])}. The node paces itself with its own 60 s window, as against Genesys.`,
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
		...table(
			['Rows', 'Planned', 'Wall time', 'Before the first request', 'Lookups', 'Search requests', '429s', 'Writes', 'Peak RSS'],
			['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
			[
				[
					run.ok ? fixed(csv.rows) : `${fixed(csv.rows)} (failed: ${run.error ?? 'unknown'})`,
					fixed(csv.planned),
					seconds(run.wallMs),
					seconds(csv.localMs),
					seconds(csv.lookupMs),
					fixed(csv.searchRequests),
					fixed(run.traffic.r429),
					fixed(csv.writes),
					megabytes(run.peakRssMb),
				],
			],
		),
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
		`Emulator: ${shapeLine(run)}. Node defaults divided by the same factor: \`${JSON.stringify(run.settings)}\`.`,
		'',
		...table(
			['Job length', 'Status requests', 'Refused (429)', 'Waited', 'Final status', 'Wall time', 'Peak RSS'],
			['---:', '---:', '---:', '---:', '---', '---:', '---:'],
			[
				[
					run.ok ? `${job.jobMinutes} min` : `${job.jobMinutes} min (failed: ${run.error ?? 'unknown'})`,
					fixed(job.statusRequests),
					fixed(job.refusedStatusRequests),
					`${fixed(job.waitedMinutes, 2)} min`,
					String(job.status),
					seconds(run.wallMs),
					megabytes(run.peakRssMb),
				],
			],
		),
		'',
	];
}

function targetMark(met: boolean | null): string {
	if (met === null) return 'too small to judge';
	return met ? 'met' : '**missed**';
}

function targetSection(targets: TargetCheck[], runs: RunRecord[]): string[] {
	return [
		'## Targets (issues 6 and 14)',
		'',
		...table(
			['Target', 'Measured', ''],
			['---', '---', '---'],
			targets.map((check) => [check.target, check.measured, targetMark(check.met)]),
		),
		'',
		...compressionNote(runs),
	];
}

/**
 * Compressed and real-time create runs of the same size side by side: compression divides latency and
 * window by F, but not the machine's own time per request, which no bound can allow for.
 */
function compressionNote(runs: RunRecord[]): string[] {
	const real = runs.find((run) => run.group === 'realtime' && run.rate);
	const compressed = runs.find((run) => run.group === 'rate' && run.contender === 1 && run.users === real?.users && !run.id.includes('.full.'));
	if (!real?.rate || !compressed?.rate) return [];
	return [
		`${fixed(real.users)} users create only: window-bound ratio ${ratio(compressed.rate.ratioToWindowBound)} with time ` +
			`compressed ${compressed.emulator.factor}x, ${ratio(real.rate.ratioToWindowBound)} in real time. What separates a run ` +
			"from its bound is this machine's own time per request through n8n (a new connection per request, the engine, " +
			'the node): a fixed cost that compression does not divide, so it weighs F times more against a compressed ' +
			'window. Against Genesys the real-time figure applies.',
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

function headerLines(meta: BenchMeta, runs: RunRecord[]): string[] {
	const load = `load average ${fixed(meta.loadAverage.start, 1)} at the start and ${fixed(meta.loadAverage.end, 1)} at the end`;
	return [
		`# Benchmark results${meta.quick ? ' (quick smoke run)' : ''}`,
		'',
		`Run ${meta.startedAt}, ${seconds(meta.durationMs)} in all. Node ${meta.node}, ${meta.cpus} CPU (${meta.cpuModel}), ` +
			`${meta.totalMemoryGb} GB, ${load}. Command: \`${meta.argv.join(' ')}\`.`,
		'Each contender ran in its own child process (peak RSS is its own, n8n engine included) against a fresh emulator; ' +
			`wall time excludes loading modules.${engineLine(runs)}`,
		...(meta.updates ?? []).map(
			(update) =>
				`Updated ${update.startedAt} (\`${update.argv.join(' ')}\`, ${seconds(update.durationMs)}, load average ` +
				`${fixed(update.loadAverage.start, 1)} at the start and ${fixed(update.loadAverage.end, 1)} at the end): ` +
				`${update.runs.map((id) => `\`${id}\``).join(', ')} measured again or added; the other runs are from the run above.`,
		),
		'',
	];
}

export function renderMarkdown(results: BenchResults): string {
	const { meta, runs } = results;
	return [
		...headerLines(meta, runs),
		...targetSection(results.targets, runs),
		...rateSection(results),
		...poolSection(runs),
		...latencySection(runs),
		...realTimeSection(runs),
		...csvSection(runs),
		...jobSection(runs),
		'Method and caveats: bench/README.md. Raw numbers: the .json file beside this one.',
		'',
	].join('\n');
}
