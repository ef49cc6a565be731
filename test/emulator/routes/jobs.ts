/**
 * Analytics user / conversation details jobs and the aggregates jobs of every family (docs/GENESYS.md, "Asynchronous jobs"): POST creates,
 * GET polls `state` (QUEUED -> PENDING -> FULFILLED along `job.completeAfterMs`), results are paged by
 * `cursor`, DELETE cancels. Details results also take `pageSize`; aggregates results take only `cursor`
 * (SDK AnalyticsApi getAnalytics{Family}AggregatesJobResults: `opts.cursor`, no page size), so any other query
 * parameter is a 400, as the emulator treats fields a model does not define. Scripted answers
 * (JobStore.script) of the same paths win over these.
 */
import type { EmulatorCore } from '../core';
import { applied, badRequest, noContent, notFound, ok, type RouteResult } from '../errors';
import { decodeCursor, encodeCursor, type AnalyticsJob, type AnalyticsKind } from '../jobs';
import type { Random } from '../random';
import { route, type RequestInfo, type Route } from '../router';
import { AsyncAggregatesQuerySchema, AsyncDetailsQuerySchema, parseBody } from '../validation';

type AnalyticsState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'CANCELLED';

const DETAILS_RESULT_KEYS: Record<string, string> = { users: 'userDetails', conversations: 'conversations' };
const RESULTS_MAX_PAGE_SIZE = 1000;

/** The families with `POST /api/v2/analytics/{family}/aggregates/jobs` (jobs.tsv). */
export const AGGREGATES_FAMILIES = [
	'actions',
	'agentcopilots',
	'agentutilizations',
	'bots',
	'casemanagement',
	'conversations',
	'copilots',
	'evaluations',
	'flowexecutions',
	'flows',
	'journeys',
	'knowledge',
	'resolutions',
	'summaries',
	'surveys',
	'taskmanagement',
	'transcripts',
	'users',
] as const;

function isAggregates(kind: AnalyticsKind): kind is `aggregates:${string}` {
	return kind.startsWith('aggregates:');
}

function resultKey(kind: AnalyticsKind): string {
	return isAggregates(kind) ? 'results' : DETAILS_RESULT_KEYS[kind];
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function record(kind: AnalyticsKind, random: Random, at: number, i: number): Record<string, unknown> {
	const start = iso(at - (i + 1) * 60_000);
	const end = iso(at - i * 60_000);
	if (isAggregates(kind)) {
		return {
			group: { mediaType: 'voice', queueId: random.uuid() },
			data: [{ interval: `${start}/${end}`, metrics: [{ metric: 'nOffered', stats: { count: 1 + (i % 7) } }] }],
		};
	}
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

/** The aggregates family of the path, or undefined when Genesys has no such family. */
function aggregatesKind(req: RequestInfo): AnalyticsKind | undefined {
	const family = req.params.family;
	return (AGGREGATES_FAMILIES as readonly string[]).includes(family) ? `aggregates:${family}` : undefined;
}

type KindOf = (req: RequestInfo) => AnalyticsKind | undefined;

function noSuchFamily(req: RequestInfo): RouteResult {
	return notFound(`No such resource: ${req.method} ${req.path}`);
}

function createJob(kindOf: KindOf) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const kind = kindOf(req);
		if (kind === undefined) return noSuchFamily(req);
		const parsed = parseBody(isAggregates(kind) ? AsyncAggregatesQuerySchema : AsyncDetailsQuerySchema, req.body);
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

function getStatus(kindOf: KindOf) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const kind = kindOf(req);
		if (kind === undefined) return noSuchFamily(req);
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

/** Query parameters an aggregates results page does not define. */
function undefinedParameter(query: Record<string, string>): RouteResult | undefined {
	const extra = Object.keys(query).find((key) => key !== 'cursor');
	if (extra === undefined) return undefined;
	return badRequest(`Unknown query parameter '${extra}': aggregates results take only a cursor`, [
		{ errorCode: 'invalid.value', fieldName: extra },
	]);
}

function getResults(kindOf: KindOf) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const kind = kindOf(req);
		if (kind === undefined) return noSuchFamily(req);
		const job = findJob(core, kind, req.params.jobId);
		if (job === undefined) return notFound(`Job ${req.params.jobId} not found`, req.params.jobId);
		const refused = isAggregates(kind) ? undefinedParameter(req.query) : undefined;
		if (refused) return refused;
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
			[resultKey(kind)]: job.records.slice(offset, offset + pageSize),
			dataAvailabilityDate: iso(core.now()),
		};
		if (offset + pageSize < job.records.length) body.cursor = encodeCursor(job.id, offset + pageSize);
		return ok(body);
	};
}

function cancelJob(kindOf: KindOf) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const kind = kindOf(req);
		if (kind === undefined) return noSuchFamily(req);
		const job = findJob(core, kind, req.params.jobId);
		if (job === undefined) return notFound(`Job ${req.params.jobId} not found`, req.params.jobId);
		if (jobState(job, core.now()) !== 'FULFILLED') job.cancelledAt = core.now();
		return noContent();
	};
}

function detailsRoutes(kind: 'users' | 'conversations'): Route[] {
	const base = `/api/v2/analytics/${kind}/details/jobs`;
	const kindOf: KindOf = () => kind;
	return [
		route('POST', base, createJob(kindOf)),
		route('GET', `${base}/availability`, (core) => ok({ dataAvailabilityDate: iso(core.now()) })),
		route('GET', `${base}/{jobId}`, getStatus(kindOf)),
		route('DELETE', `${base}/{jobId}`, cancelJob(kindOf)),
		route('GET', `${base}/{jobId}/results`, getResults(kindOf)),
	];
}

function aggregatesRoutes(): Route[] {
	const base = '/api/v2/analytics/{family}/aggregates/jobs';
	return [
		route('POST', base, createJob(aggregatesKind)),
		route('GET', `${base}/{jobId}`, getStatus(aggregatesKind)),
		route('DELETE', `${base}/{jobId}`, cancelJob(aggregatesKind)),
		route('GET', `${base}/{jobId}/results`, getResults(aggregatesKind)),
	];
}

export const jobRoutes: Route[] = [...detailsRoutes('users'), ...detailsRoutes('conversations'), ...aggregatesRoutes()];
