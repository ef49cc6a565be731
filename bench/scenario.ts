/**
 * One benchmark run: a fresh emulator configured for the scenario (in this, the parent process), the
 * contender in its own child process, then the emulator's state and request log turned into metrics.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { startEmulator } from '../test/emulator';
import type { Emulator } from '../test/emulator';
import { JOB_DURATION_MS, JOB_STATUS_PATH } from './config';
import type { RunSpec } from './config';
import { redact } from './redact';
import { apiTraffic, followUpOutcome, rateMetrics, userOutcome } from './metrics';
import type { ApiTraffic, FollowUpOutcome, RateLimitShape, RateMetrics, UserOutcome } from './metrics';
import type { ChildMessage, ChildReport, ClientCredentials, ParentMessage } from './types';
import { BENCH_ROLE_ID, benchEmails } from './users';
import { TS_NODE_ARGS } from '../test/support/tsNode';

/** The benchmark's OAuth client on the emulator (not a real secret; still never printed). */
export const BENCH_CLIENT: ClientCredentials = {
	clientId: 'bench-client',
	clientSecret: 'bench-secret-5d1c9a7e03f4',
};

/** A child that takes longer than this is stopped and reported as failed. */
const CHILD_TIMEOUT_MS = 30 * 60_000;

export interface LatencyMetrics {
	concurrency: number;
	latencyMs: number;
	/** concurrency / latency, per minute. */
	idealRequestsPerMin: number;
	requestsPerMin: number;
	ratio: number;
}

export interface JobMetrics {
	jobMinutes: number;
	statusRequests: number;
	/** Answers on the status path that were not the job's status (429s). */
	refusedStatusRequests: number;
	/** Wall time in Genesys minutes (real minutes x factor). */
	waitedMinutes: number;
	status?: unknown;
	succeeded?: unknown;
}

export interface CsvMetrics {
	rows: number;
	planned: number;
	searchRequests: number;
	/** Time before the first request: reading, parsing, validating and mapping the file. */
	localMs: number;
	/** First request to the end of the run: the lookups. */
	lookupMs: number;
	writes: number;
}

export interface RunRecord {
	id: string;
	group: RunSpec['group'];
	contender: RunSpec['contender'];
	label: string;
	users?: number;
	settings: RunSpec['settings'];
	emulator: RateLimitShape;
	ok: boolean;
	error?: string;
	wallMs: number;
	setupMs: number;
	peakRssMb: number;
	traffic: ApiTraffic;
	outcome?: UserOutcome;
	rate?: RateMetrics;
	followUps?: FollowUpOutcome;
	latency?: LatencyMetrics;
	job?: JobMetrics;
	csv?: CsvMetrics;
	detail: Record<string, unknown>;
}

export interface ScenarioOptions {
	/** Extra node flags for the child (e.g. --cpu-prof). */
	execArgv: string[];
	/** A folder to write each run's request timeline to (`<run id>.json`), for finding where time goes. */
	requestLogDir?: string;
}

/**
 * Every request the emulator saw, in ms from the start of the measured work: arrival, answer, method, path,
 * status and the opaque token id (never the token, a body or a header).
 */
function writeRequestLog(dir: string, spec: RunSpec, emu: Emulator, report: ChildReport): void {
	const at = (time: number | undefined): number | null => (time === undefined ? null : time - report.startedAt);
	const requests = emu.requests.map((r) => ({
		at: at(r.at),
		answeredAt: at(r.answeredAt),
		method: r.method,
		path: r.path,
		status: r.status,
		token: r.tokenId ?? null,
	}));
	const log = { id: spec.id, wallMs: report.endedAt - report.startedAt, requests };
	writeFileSync(path.join(dir, `${spec.id}.json`), `${JSON.stringify(log)}\n`);
}

/** Forks the child, hands it the task, opens the gate when it is ready, and waits for its report. */
function runChild(spec: RunSpec, emu: Emulator, options: ScenarioOptions): Promise<ChildReport> {
	return new Promise<ChildReport>((resolve) => {
		const child = fork(path.join(__dirname, 'child.ts'), [], {
			execArgv: [...TS_NODE_ARGS, ...options.execArgv],
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
		});
		let stderr = '';
		let settled = false;
		const finish = (report: ChildReport): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(report);
		};
		const failed = (error: string): ChildReport => {
			const now = Date.now();
			return { ok: false, error, startedAt: now, endedAt: now, setupMs: 0, peakRssMb: 0, detail: {} };
		};
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			finish(failed(`stopped after ${CHILD_TIMEOUT_MS / 60_000} minutes`));
		}, CHILD_TIMEOUT_MS);
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
		});
		child.on('message', (message: ChildMessage) => {
			if (message.type === 'ready') {
				spec.prepare?.(emu);
				child.send({ type: 'go' } satisfies ParentMessage);
			} else if (message.type === 'report') {
				finish(message.report);
			}
		});
		child.on('exit', (code, signal) => {
			finish(failed(redact(`child exited (${signal ?? code}) without a report. ${stderr.trim()}`, [BENCH_CLIENT.clientSecret])));
		});
		child.send({ type: 'task', task: spec.task(emu.url, BENCH_CLIENT) } satisfies ParentMessage);
	});
}

function startScenarioEmulator(spec: RunSpec): Promise<Emulator> {
	return startEmulator({
		seed: 1,
		clients: [BENCH_CLIENT],
		rateLimit: { limit: spec.shape.limit, windowMs: spec.shape.windowMs },
		orgRateLimit: spec.shape.orgLimit === undefined ? false : { limit: spec.shape.orgLimit, windowMs: spec.shape.windowMs },
		fractionalRetryAfter: true,
		faults: { latencyMs: spec.shape.latencyMs },
	});
}

function latencyMetrics(spec: RunSpec, traffic: ApiTraffic, wallMs: number): LatencyMetrics {
	const concurrency = Number(spec.settings.concurrency);
	const latencyMs = spec.shape.latencyMs;
	const idealRequestsPerMin = (concurrency * 60_000) / latencyMs;
	const requestsPerMin = wallMs > 0 ? (traffic.requests * 60_000) / wallMs : 0;
	return { concurrency, latencyMs, idealRequestsPerMin, requestsPerMin, ratio: requestsPerMin / idealRequestsPerMin };
}

function jobMetrics(spec: RunSpec, emu: Emulator, wallMs: number, detail: Record<string, unknown>): JobMetrics {
	const onPath = emu.requests.filter((request) => request.method === 'GET' && request.path === JOB_STATUS_PATH);
	const [first] = [...((detail.completed as unknown[]) ?? []), ...((detail.failed as unknown[]) ?? [])] as Array<
		Record<string, unknown> | undefined
	>;
	return {
		jobMinutes: JOB_DURATION_MS / 60_000,
		statusRequests: onPath.length,
		refusedStatusRequests: onPath.filter((request) => request.status === 429).length,
		waitedMinutes: (wallMs * spec.shape.factor) / 60_000,
		status: first?.status,
		succeeded: first?.succeeded,
	};
}

function csvMetrics(spec: RunSpec, emu: Emulator, report: ChildReport): CsvMetrics {
	const api = emu.requests.filter((request) => request.path.startsWith('/api/v2/'));
	const firstAt = api.reduce((earliest, request) => Math.min(earliest, request.at), report.endedAt);
	const byStatus = (report.detail.byStatus ?? {}) as Record<string, number>;
	return {
		rows: Number(spec.settings.rows),
		planned: byStatus.planned ?? 0,
		searchRequests: api.filter((request) => request.path === '/api/v2/users/search').length,
		localMs: Math.max(0, firstAt - report.startedAt),
		lookupMs: Math.max(0, report.endedAt - firstAt),
		writes: api.filter((request) => request.applied).length,
	};
}

/** API requests per token, by the emulator's opaque token ids (tok-N), and the 429s among them. */
function requestsByToken(emu: Emulator): Record<string, { requests: number; r429: number }> {
	const counts: Record<string, { requests: number; r429: number }> = {};
	for (const request of emu.requests) {
		if (!request.path.startsWith('/api/v2/')) continue;
		const entry = (counts[request.tokenId ?? 'none'] ??= { requests: 0, r429: 0 });
		entry.requests++;
		if (request.status === 429) entry.r429++;
	}
	return counts;
}

function measure(spec: RunSpec, emu: Emulator, report: ChildReport): RunRecord {
	const wallMs = report.endedAt - report.startedAt;
	const traffic = apiTraffic(emu.requests);
	const record: RunRecord = {
		id: spec.id,
		group: spec.group,
		contender: spec.contender,
		label: spec.label,
		users: spec.users,
		settings: spec.settings,
		emulator: spec.shape,
		ok: report.ok,
		error: report.error,
		wallMs,
		setupMs: report.setupMs,
		peakRssMb: report.peakRssMb,
		traffic,
		detail: report.detail,
	};
	if (spec.users !== undefined && spec.callsPerUser !== undefined) {
		const expected = benchEmails(spec.users);
		const users = [...emu.state.users.values()];
		record.outcome = userOutcome(users, expected);
		record.rate = rateMetrics(
			record.outcome.created,
			traffic.requests,
			spec.callsPerUser,
			spec.users,
			wallMs,
			spec.shape,
			spec.concurrency,
		);
		if (spec.callsPerUser > 1) {
			const { externalIds, grants, invites } = emu.state;
			record.followUps = followUpOutcome(users, expected, externalIds, grants, invites, BENCH_ROLE_ID);
		}
	}
	if (spec.group === 'pool') record.detail = { ...record.detail, requestsByToken: requestsByToken(emu) };
	if (spec.group === 'latency') record.latency = latencyMetrics(spec, traffic, wallMs);
	if (spec.group === 'job') record.job = jobMetrics(spec, emu, wallMs, report.detail);
	if (spec.group === 'csv') record.csv = csvMetrics(spec, emu, report);
	return record;
}

export async function runScenario(spec: RunSpec, options: ScenarioOptions): Promise<RunRecord> {
	const emu = await startScenarioEmulator(spec);
	try {
		const report = await runChild(spec, emu, options);
		if (options.requestLogDir !== undefined) writeRequestLog(options.requestLogDir, spec, emu, report);
		return measure(spec, emu, report);
	} finally {
		await emu.close();
	}
}
