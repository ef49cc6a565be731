/**
 * Shapes exchanged between the benchmark's parent process (emulator, metrics, report) and the child
 * process that runs one contender, so each contender's peak RSS is its own.
 */

export interface ClientCredentials {
	clientId: string;
	clientSecret: string;
}

interface TaskBase {
	/** Emulator base URL (login and API share it). */
	url: string;
	client: ClientCredentials;
	/** Time compression of the scenario: 1 = real time. */
	factor: number;
}

/** Contender 1: this package's Bulk Create Users node through n8n's engine. */
export interface BulkNodeTask extends TaskBase {
	kind: 'bulkNode';
	users: number;
	/** Create + external id + role + invite, instead of create only. */
	full: boolean;
	concurrency: number;
	requestsPerMinute: number;
	/** The node's hidden rate window (60 s / factor). */
	rateLimitWindowSeconds: number;
	/** Tokens in Pool (the node's default, 1, when absent). */
	tokenPoolSize?: number;
	/** Package folder to load (a package.json with an `n8n` section); default: this repository's dist/. */
	packageDir?: string;
}

/** Contender 2: n8n-nodes-base HTTP Request node with Batching and Retry On Fail. */
export interface HttpNodeTask extends TaskBase {
	kind: 'httpRequestNode';
	users: number;
	batchIntervalMs: number;
	maxTries: number;
	waitBetweenTriesMs: number;
}

/** Contender 3: the official JS SDK in a plain loop, Promise.all over chunks, no retry. */
export interface SdkTask extends TaskBase {
	kind: 'sdkLoop';
	users: number;
	chunkSize: number;
}

/** This package's Bulk Create Users node: CSV dry run. */
export interface CsvDryRunTask extends TaskBase {
	kind: 'csvDryRun';
	rows: number;
	concurrency: number;
	requestsPerMinute: number;
	rateLimitWindowSeconds: number;
	packageDir?: string;
}

/** This package's Wait for Job node on one scripted job. */
export interface WaitForJobTask extends TaskBase {
	kind: 'waitForJob';
	jobId: string;
	datatableId: string;
	pollIntervalSec: number;
	maxIntervalSec: number;
	timeoutSec: number;
	requestsPerMinute: number;
	rateLimitWindowSeconds: number;
	packageDir?: string;
}

/** Reference of the latency-bound scenario: a bare fetch pool, no n8n. */
export interface BareHttpTask extends TaskBase {
	kind: 'bareHttp';
	users: number;
	concurrency: number;
}

export type Task = BulkNodeTask | HttpNodeTask | SdkTask | CsvDryRunTask | WaitForJobTask | BareHttpTask;

/** What the child measured and saw; everything else is read from the emulator by the parent. */
export interface ChildReport {
	ok: boolean;
	/** Redacted: never a token or secret. */
	error?: string;
	/** Epoch ms around the measured work only (module loading and package loading excluded). */
	startedAt: number;
	endedAt: number;
	/** Loading n8n, the packages or the SDK before the measured work. */
	setupMs: number;
	/** Peak resident set size of the child process over its whole life (MB). */
	peakRssMb: number;
	/** Contender-specific facts (output statuses, execution status, node summary...). */
	detail: Record<string, unknown>;
}

/** Child -> parent. `ready`: loaded, about to start the clock; the parent answers `go`. */
export type ChildMessage = { type: 'ready' } | { type: 'report'; report: ChildReport };

/** Parent -> child. */
export type ParentMessage = { type: 'task'; task: Task } | { type: 'go' };
