/**
 * Analytics user / conversation details jobs (docs/GENESYS.md, "Asynchronous jobs"): POST creates, GET polls `state`
 * (QUEUED -> PENDING -> FULFILLED along `job.completeAfterMs`), results are paged by `cursor`,
 * DELETE cancels. Scripted answers (JobStore.script) of the same paths win over these.
 */
import type { EmulatorCore } from '../core';
import { applied, badRequest, noContent, notFound, ok, type RouteResult } from '../errors';
import { decodeCursor, encodeCursor, type AnalyticsJob, type AnalyticsKind } from '../jobs';
import type { Random } from '../random';
import { route, type RequestInfo, type Route } from '../router';
import { AsyncDetailsQuerySchema, parseBody } from '../validation';

type AnalyticsState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'CANCELLED';

const RESULT_KEYS: Record<AnalyticsKind, string> = { users: 'userDetails', conversations: 'conversations' };
const RESULTS_MAX_PAGE_SIZE = 1000;

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function record(kind: AnalyticsKind, random: Random, at: number, i: number): Record<string, unknown> {
	const start = iso(at - (i + 1) * 60_000);
	const end = iso(at - i * 60_000);
	if (kind === 'users') {
		return { userId: random.uuid(), primaryPresence: [{ startTime: start, endTime: end, systemPresence: 'AVAILABLE' }] };
	}
	return {
		conversationId: random.uuid(),
		conversationStart: start,
		conversationEnd: end,
		originatingDirection: 'inbound',
		participants: [{ participantId: random.uuid(), purpose: 'customer' }],
	};
}

function jobState(job: AnalyticsJob, now: number): AnalyticsState {
	if (job.cancelledAt !== undefined) return 'CANCELLED';
	const elapsed = now - job.createdAt;
	if (elapsed >= job.completeAfterMs) return 'FULFILLED';
	return elapsed * 2 >= job.completeAfterMs ? 'PENDING' : 'QUEUED';
}

function findJob(core: EmulatorCore, kind: AnalyticsKind, jobId: string): AnalyticsJob | undefined {
	const job = core.jobs.analytics.get(jobId);
	return job?.kind === kind ? job : undefined;
}

function createJob(kind: AnalyticsKind) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const parsed = parseBody(AsyncDetailsQuerySchema, req.body);
		if (parsed.error) return parsed.error;
		const now = core.now();
		const random = core.random.jobs;
		const id = random.uuid();
		const { completeAfterMs, resultCount } = core.options.job;
		const records = Array.from({ length: resultCount }, (_, i) => record(kind, random, now, i));
		core.jobs.analytics.set(id, { id, kind, createdAt: now, completeAfterMs, records });
		return applied({ jobId: id }, 202);
	};
}

function getStatus(kind: AnalyticsKind) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const job = findJob(core, kind, req.params.jobId);
		if (job === undefined) return notFound(`Job ${req.params.jobId} not found`, req.params.jobId);
		const state = jobState(job, core.now());
		const body: Record<string, unknown> = {
			state,
			submissionDate: iso(job.createdAt),
			expirationDate: iso(job.createdAt + 2 * 86_400_000),
		};
		if (state === 'FULFILLED') body.completionDate = iso(job.createdAt + job.completeAfterMs);
		return ok(body);
	};
}

function getResults(kind: AnalyticsKind) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const job = findJob(core, kind, req.params.jobId);
		if (job === undefined) return notFound(`Job ${req.params.jobId} not found`, req.params.jobId);
		const state = jobState(job, core.now());
		if (state !== 'FULFILLED') return badRequest(`Job ${job.id} has no results (state ${state})`);
		const pageSize = req.query.pageSize === undefined ? core.options.job.pageSize : Number(req.query.pageSize);
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > RESULTS_MAX_PAGE_SIZE) {
			return badRequest('Invalid pageSize', [{ errorCode: 'invalid.value', fieldName: 'pageSize' }]);
		}
		const offset = req.query.cursor === undefined ? 0 : decodeCursor(job.id, req.query.cursor);
		if (offset === undefined || offset >= Math.max(1, job.records.length)) {
			return badRequest('Invalid cursor', [{ errorCode: 'invalid.value', fieldName: 'cursor' }]);
		}
		const body: Record<string, unknown> = {
			[RESULT_KEYS[kind]]: job.records.slice(offset, offset + pageSize),
			dataAvailabilityDate: iso(core.now()),
		};
		if (offset + pageSize < job.records.length) body.cursor = encodeCursor(job.id, offset + pageSize);
		return ok(body);
	};
}

function cancelJob(kind: AnalyticsKind) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const job = findJob(core, kind, req.params.jobId);
		if (job === undefined) return notFound(`Job ${req.params.jobId} not found`, req.params.jobId);
		if (jobState(job, core.now()) !== 'FULFILLED') job.cancelledAt = core.now();
		return noContent();
	};
}

function analyticsRoutes(kind: AnalyticsKind): Route[] {
	const base = `/api/v2/analytics/${kind}/details/jobs`;
	return [
		route('POST', base, createJob(kind)),
		route('GET', `${base}/availability`, (core) => ok({ dataAvailabilityDate: iso(core.now()) })),
		route('GET', `${base}/{jobId}`, getStatus(kind)),
		route('DELETE', `${base}/{jobId}`, cancelJob(kind)),
		route('GET', `${base}/{jobId}/results`, getResults(kind)),
	];
}

export const jobRoutes: Route[] = [...analyticsRoutes('users'), ...analyticsRoutes('conversations')];
