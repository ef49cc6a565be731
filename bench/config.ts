/**
 * What `npm run bench` runs: every scenario, its emulator configuration and its contenders.
 * Numbers here are Genesys's (docs/GENESYS.md, "Rate limits": 300 requests/min per token, ~150 ms answers) divided by a time
 * factor; every result is read back as a ratio or per Genesys minute, so the factor cancels out.
 */
import type { Emulator } from '../test/emulator';
import type { RateLimitShape } from './metrics';
import type { ClientCredentials, Task } from './types';

export const GENESYS_LIMIT = 300;
export const GENESYS_WINDOW_MS = 60_000;
export const GENESYS_LATENCY_MS = 150;
/** Beyond it the scaled latency (15 ms at 10) nears this machine's own cost per request. */
export const MAX_FACTOR = 10;
/** Raised limit of the latency-bound scenario (issue 6). */
export const RAISED_LIMIT = 3_000;
/** The Bulk Create Users node accepts at most this many requests per minute (settings.ts). */
export const NODE_MAX_REQUESTS_PER_MINUTE = 3_000;
/**
 * The nodes' hidden `rateLimitWindowSeconds` (60 for users): the window their Requests per Minute counts in.
 * Compressed runs give the node Genesys's own budget (300) over the emulator's window (60 s / F), so it paces
 * itself exactly as it would against Genesys in real time.
 */
export function nodeWindowSeconds(factor: number): number {
	return GENESYS_WINDOW_MS / 1000 / factor;
}
/** Bulk Create Users defaults (settings.ts): what a user gets without touching Options. */
export const NODE_DEFAULT_CONCURRENCY = 5;
/** Wait for Job defaults (description.ts DEFAULTS), in seconds. */
export const WAIT_DEFAULTS = { pollInterval: 2, maxInterval: 30, timeout: 1_800 } as const;
/** Chunk size of the SDK loop: a typical hand-written choice. */
export const SDK_CHUNK_SIZE = 10;
/** HTTP Request node setup of issue 6: 1 item per 1000 ms, 3 tries 1000 ms apart (before scaling). */
export const HTTP_BATCH_INTERVAL_MS = 1_000;
export const HTTP_MAX_TRIES = 3;
export const HTTP_WAIT_BETWEEN_TRIES_MS = 1_000;
export const JOB_DURATION_MS = 10 * 60_000;
/** Status requests target for a 10-minute job (issue 6). */
export const JOB_STATUS_TARGET = 40;

/** `realtime`: contender 1 without time compression (full runs, or --real-time; minutes long). */
export type Group = 'rate' | 'latency' | 'csv' | 'job' | 'realtime' | 'pool';

/** Pool rows (issue 14): 5 tokens of 300/min each; the second also under an org-wide cap the client is not told. */
export const POOL_TOKENS = 5;
export const POOL_ORG_LIMIT = 600;
/**
 * Pool rows run at a lower time factor: 1,500 requests per Genesys minute at F = 10 would be 250 requests per real
 * second through n8n's engine on 2 shared cores, and the machine, not the pool, would set the pace.
 */
export const POOL_FACTOR = 5;
/**
 * Concurrency of the pool rows: 1,500 requests/min at 150 ms need at least 4 in flight on average, and the
 * node's own time per request counts F times more when compressed; 15 keeps the tokens' budgets the bound.
 */
export const POOL_CONCURRENCY = 15;

export interface RunSpec {
	id: string;
	group: Group;
	/** 1 = this package, 2 = HTTP Request node, 3 = JS SDK (issue 6 numbering); 0 = bare reference. */
	contender: 0 | 1 | 2 | 3;
	label: string;
	shape: RateLimitShape;
	/** Users the contender is asked to create (rate and latency groups). */
	users?: number;
	/** Essential Genesys calls per user: 1 (create) or 4 (create, external id, role, invite). */
	callsPerUser?: number;
	/** Most requests the contender keeps in flight, when it has such a setting (for the window bound). */
	concurrency?: number;
	/** Extra facts for the report (concurrency, chunk size, ...). */
	settings: Record<string, number | string | boolean>;
	task(url: string, client: ClientCredentials): Task;
	/** Parent-side preparation of the emulator (scripted jobs). */
	prepare?(emu: Emulator): void;
}

export interface BenchOptions {
	quick: boolean;
	/** Time factor of the rate-bound scenarios. */
	factor: number;
	/** Time factor of the Wait for Job scenario. */
	jobFactor: number;
	/** Package folder for this package's nodes (default: the repository's dist/). */
	packageDir?: string;
	/** Run only the specs whose id contains one of these strings (or is one of them exactly, when one names a run). */
	only: string[];
	/** Write V8 CPU profiles of each child to bench/results/profiles.tmp. */
	profile: boolean;
	/** Write each run's request timeline to bench/results/requests.tmp. */
	requestLog: boolean;
	/** Add the real-time (uncompressed) rate-bound run of contender 1. */
	realTime: boolean;
}

interface Sizes {
	rate: number[];
	/** Sizes the HTTP Request node runs at (its pace is fixed by Batching, not by size). */
	httpNode: number[];
	full: number[];
	latency: number;
	csvRows: number;
	realTime: number;
	/** Users of the pool rows. */
	pool: number;
}

const FULL_SIZES: Sizes = {
	rate: [1_000, 10_000],
	httpNode: [1_000],
	full: [1_000],
	latency: 1_000,
	csvRows: 100_000,
	realTime: 1_000,
	pool: 10_000,
};
const QUICK_SIZES: Sizes = { rate: [200], httpNode: [60], full: [100], latency: 150, csvRows: 5_000, realTime: 400, pool: 1_000 };

export function shapeOf(limit: number, factor: number): RateLimitShape {
	return { limit, windowMs: GENESYS_WINDOW_MS / factor, latencyMs: GENESYS_LATENCY_MS / factor, factor };
}

/** Contender 1 at the Genesys limit, time compressed by `factor` (the node's rate window scaled alike). */
function bulkRateSpec(options: BenchOptions, group: 'rate' | 'realtime', factor: number, users: number, full: boolean): RunSpec {
	const shape = shapeOf(GENESYS_LIMIT, factor);
	const rpm = GENESYS_LIMIT;
	const windowSeconds = nodeWindowSeconds(factor);
	return {
		id: `${group}.package.${full ? 'full' : 'create'}.${users}`,
		group,
		contender: 1,
		label: full ? 'Bulk Create Users: create + external id + role + invite' : 'Bulk Create Users: create only',
		shape,
		users,
		callsPerUser: full ? 4 : 1,
		concurrency: NODE_DEFAULT_CONCURRENCY,
		settings: { concurrency: NODE_DEFAULT_CONCURRENCY, requestsPerMinute: rpm, rateLimitWindowSeconds: windowSeconds },
		task: (url, client) => ({
			kind: 'bulkNode',
			url,
			client,
			factor,
			users,
			full,
			concurrency: NODE_DEFAULT_CONCURRENCY,
			requestsPerMinute: rpm,
			rateLimitWindowSeconds: windowSeconds,
			packageDir: options.packageDir,
		}),
	};
}

function rateSpecs(options: BenchOptions, sizes: Sizes): RunSpec[] {
	const factor = options.factor;
	const shape = shapeOf(GENESYS_LIMIT, factor);
	const specs: RunSpec[] = [];
	for (const users of sizes.rate) specs.push(bulkRateSpec(options, 'rate', factor, users, false));
	for (const users of sizes.full) specs.push(bulkRateSpec(options, 'rate', factor, users, true));
	for (const users of sizes.httpNode) {
		const batchIntervalMs = HTTP_BATCH_INTERVAL_MS / factor;
		const waitBetweenTriesMs = HTTP_WAIT_BETWEEN_TRIES_MS / factor;
		specs.push({
			id: `rate.httpNode.create.${users}`,
			group: 'rate',
			contender: 2,
			label: 'n8n HTTP Request node: Batching + Retry On Fail',
			shape,
			users,
			callsPerUser: 1,
			concurrency: 1,
			settings: { batchSize: 1, batchIntervalMs, maxTries: HTTP_MAX_TRIES, waitBetweenTriesMs },
			task: (url, client) => ({
				kind: 'httpRequestNode',
				url,
				client,
				factor,
				users,
				batchIntervalMs,
				maxTries: HTTP_MAX_TRIES,
				waitBetweenTriesMs,
			}),
		});
	}
	for (const users of sizes.rate) {
		specs.push({
			id: `rate.sdk.create.${users}`,
			group: 'rate',
			contender: 3,
			label: 'Genesys JS SDK: Promise.all over chunks, no retry',
			shape,
			users,
			callsPerUser: 1,
			concurrency: SDK_CHUNK_SIZE,
			settings: { chunkSize: SDK_CHUNK_SIZE },
			task: (url, client) => ({ kind: 'sdkLoop', url, client, factor, users, chunkSize: SDK_CHUNK_SIZE }),
		});
	}
	return specs;
}

/** Real time: the node's requestsPerMinute tops out at 3,000, exactly the raised limit. */
function latencySpecs(options: BenchOptions, sizes: Sizes): RunSpec[] {
	const shape = shapeOf(RAISED_LIMIT, 1);
	const users = sizes.latency;
	const reference: RunSpec = {
		id: `latency.reference.create.${users}`,
		group: 'latency',
		contender: 0,
		label: 'Reference: bare fetch pool, same concurrency (no n8n)',
		shape,
		users,
		callsPerUser: 1,
		settings: { concurrency: NODE_DEFAULT_CONCURRENCY },
		task: (url, client) => ({ kind: 'bareHttp', url, client, factor: 1, users, concurrency: NODE_DEFAULT_CONCURRENCY }),
	};
	const node: RunSpec = {
		id: `latency.package.create.${users}`,
		group: 'latency',
		contender: 1,
		label: 'Bulk Create Users, latency-bound (limit 3,000/min)',
		shape,
		users,
		callsPerUser: 1,
		settings: { concurrency: NODE_DEFAULT_CONCURRENCY, requestsPerMinute: NODE_MAX_REQUESTS_PER_MINUTE },
		task: (url, client) => ({
			kind: 'bulkNode',
			url,
			client,
			factor: 1,
			users,
			full: false,
			concurrency: NODE_DEFAULT_CONCURRENCY,
			requestsPerMinute: NODE_MAX_REQUESTS_PER_MINUTE,
			rateLimitWindowSeconds: nodeWindowSeconds(1),
			packageDir: options.packageDir,
		}),
	};
	return [node, reference];
}

/** Real time, Genesys's own limit and latency: what a user would wait for. */
function csvSpec(options: BenchOptions, sizes: Sizes): RunSpec {
	const rows = sizes.csvRows;
	return {
		id: `csv.package.dryRun.${rows}`,
		group: 'csv',
		contender: 1,
		label: `Bulk Create Users: ${rows.toLocaleString('en-US')}-row CSV dry run`,
		shape: shapeOf(GENESYS_LIMIT, 1),
		settings: { rows, concurrency: NODE_DEFAULT_CONCURRENCY, requestsPerMinute: GENESYS_LIMIT },
		task: (url, client) => ({
			kind: 'csvDryRun',
			url,
			client,
			factor: 1,
			rows,
			concurrency: NODE_DEFAULT_CONCURRENCY,
			requestsPerMinute: GENESYS_LIMIT,
			rateLimitWindowSeconds: nodeWindowSeconds(1),
			packageDir: options.packageDir,
		}),
	};
}

export const JOB_DATATABLE_ID = 'bench-datatable';
export const JOB_ID = 'bench-import-job';
export const JOB_STATUS_PATH = `/api/v2/flows/datatables/${JOB_DATATABLE_ID}/import/jobs/${JOB_ID}`;

/** A data table import that runs 10 Genesys minutes, polled with the node's default intervals (scaled). */
function jobSpec(options: BenchOptions): RunSpec {
	const factor = options.jobFactor;
	const durationMs = JOB_DURATION_MS / factor;
	const round = (seconds: number): number => Math.round((seconds / factor) * 1000) / 1000;
	const pollIntervalSec = round(WAIT_DEFAULTS.pollInterval);
	const maxIntervalSec = round(WAIT_DEFAULTS.maxInterval);
	const timeoutSec = round(WAIT_DEFAULTS.timeout);
	return {
		id: 'job.package.waitForJob.10min',
		group: 'job',
		contender: 1,
		label: 'Wait for Job: 10-minute data table import',
		shape: shapeOf(GENESYS_LIMIT, factor),
		settings: {
			jobMinutes: JOB_DURATION_MS / 60_000,
			pollIntervalSec,
			maxIntervalSec,
			timeoutSec,
			requestsPerMinute: GENESYS_LIMIT,
			rateLimitWindowSeconds: nodeWindowSeconds(factor),
		},
		task: (url, client) => ({
			kind: 'waitForJob',
			url,
			client,
			factor,
			jobId: JOB_ID,
			datatableId: JOB_DATATABLE_ID,
			pollIntervalSec,
			maxIntervalSec,
			timeoutSec,
			requestsPerMinute: GENESYS_LIMIT,
			rateLimitWindowSeconds: nodeWindowSeconds(factor),
			packageDir: options.packageDir,
		}),
		prepare: (emu) =>
			emu.jobs.script(JOB_STATUS_PATH, {
				timeline: [
					{ atMs: 0, body: { id: JOB_ID, status: 'Processing' } },
					{ atMs: durationMs, body: { id: JOB_ID, status: 'Succeeded', countRecordsUpdated: 1000 } },
				],
			}),
	};
}

/** Contender 1 with a pool of tokens, create only, time compressed by POOL_FACTOR. */
function poolSpec(options: BenchOptions, users: number, orgLimit: number | undefined): RunSpec {
	const factor = Math.min(options.factor, POOL_FACTOR);
	const shape: RateLimitShape = { ...shapeOf(GENESYS_LIMIT, factor), tokens: POOL_TOKENS, orgLimit };
	const windowSeconds = nodeWindowSeconds(factor);
	const settings = {
		concurrency: POOL_CONCURRENCY,
		requestsPerMinute: GENESYS_LIMIT,
		tokenPoolSize: POOL_TOKENS,
		rateLimitWindowSeconds: windowSeconds,
	};
	return {
		id: `pool.package.create.${users}.tokens${POOL_TOKENS}${orgLimit === undefined ? '' : `.org${orgLimit}`}`,
		group: 'pool',
		contender: 1,
		label:
			orgLimit === undefined
				? `Bulk Create Users: create only, ${POOL_TOKENS} tokens`
				: `Bulk Create Users: create only, ${POOL_TOKENS} tokens, org-wide cap ${orgLimit}/min (not told)`,
		shape,
		users,
		callsPerUser: 1,
		concurrency: POOL_CONCURRENCY,
		settings,
		task: (url, client) => ({
			kind: 'bulkNode',
			url,
			client,
			factor,
			users,
			full: false,
			concurrency: POOL_CONCURRENCY,
			requestsPerMinute: GENESYS_LIMIT,
			rateLimitWindowSeconds: windowSeconds,
			tokenPoolSize: POOL_TOKENS,
			packageDir: options.packageDir,
		}),
	};
}

function poolSpecs(options: BenchOptions, sizes: Sizes): RunSpec[] {
	return [poolSpec(options, sizes.pool, undefined), poolSpec(options, sizes.pool, POOL_ORG_LIMIT)];
}

export function benchPlan(options: BenchOptions): RunSpec[] {
	const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
	const specs = [
		...rateSpecs(options, sizes),
		...poolSpecs(options, sizes),
		...latencySpecs(options, sizes),
		csvSpec(options, sizes),
		jobSpec(options),
	];
	// Compression scales latency and window, not this machine's own time per request: the real-time run is
	// the undistorted reference, and the time the CSV dry run no longer takes pays for it.
	if (options.realTime || !options.quick) specs.push(bulkRateSpec(options, 'realtime', 1, sizes.realTime, false));
	if (options.only.length === 0) return specs;
	// A part that names a run exactly selects that run alone (`rate.package.create.1000` is not also 10000).
	const ids = new Set(specs.map((spec) => spec.id));
	const matches = (id: string, part: string): boolean => (ids.has(part) ? id === part : id.includes(part));
	return specs.filter((spec) => options.only.some((part) => matches(spec.id, part)));
}

