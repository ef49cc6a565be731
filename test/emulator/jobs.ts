/**
 * Async jobs (docs/GENESYS.md, "Asynchronous jobs"). Two sources of answers:
 * - scripts: any status path can be scripted by poll count or by elapsed time, and any results path served as
 *   pages, so a test can drive every job family of jobs.tsv without the emulator modelling each one;
 * - real analytics user/conversation details jobs created by POST, following a default timeline.
 */
import type { EmulatorCore } from './core';
import { fail, notFound, ok, badRequest, type RouteResult } from './errors';
import type { JobScript, JobScripts, JobStep } from './types';

/** Details jobs of users or conversations, or an aggregates job of one family (`aggregates:flows`). */
export type AnalyticsKind = 'users' | 'conversations' | `aggregates:${string}`;

export interface AnalyticsJob {
	id: string;
	kind: AnalyticsKind;
	createdAt: number;
	completeAfterMs: number;
	cancelledAt?: number;
	records: Array<Record<string, unknown>>;
}

/** A usage simple search (POST /api/v2/usage/simplesearch). */
export interface UsageSearch {
	id: string;
	createdAt: number;
	completeAfterMs: number;
	rows: Array<Record<string, unknown>>;
}

interface ScriptEntry {
	script: JobScript;
	startedAt: number;
}

const STATUS_CODES: Record<number, string> = {
	400: 'bad.request',
	401: 'bad.credentials',
	403: 'not.authorized',
	404: 'not.found',
	409: 'general.conflict',
	429: 'too.many.requests.retry.after',
	500: 'internal.server.error',
	502: 'bad.gateway',
	503: 'service.unavailable',
	504: 'request.timeout',
};

function stepResult(step: JobStep): RouteResult {
	const status = step.httpStatus ?? 200;
	if (step.body === undefined) {
		if (status >= 400) return fail(status, STATUS_CODES[status] ?? 'error', `The requested operation failed with status ${status}`);
		return status === 204 ? { status } : ok({}, status);
	}
	return { status, body: step.body, applied: false };
}

function checkStep(step: JobStep, where: string): void {
	const status = step.httpStatus ?? 200;
	if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`${where}: httpStatus must be an HTTP status`);
}

function encodeCursor(scope: string, index: number): string {
	return Buffer.from(`${scope}#${index}`).toString('base64url');
}

function decodeCursor(scope: string, cursor: string): number | undefined {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	const hash = text.lastIndexOf('#');
	if (hash < 0 || text.slice(0, hash) !== scope) return undefined;
	const index = Number(text.slice(hash + 1));
	return Number.isInteger(index) && index >= 0 ? index : undefined;
}

export class JobStore implements JobScripts {
	readonly analytics = new Map<string, AnalyticsJob>();
	readonly usageSearches = new Map<string, UsageSearch>();
	private readonly scripts = new Map<string, ScriptEntry>();
	private readonly pageSets = new Map<string, Array<Record<string, unknown>>>();
	private readonly counts = new Map<string, number>();

	constructor(private readonly core: EmulatorCore) {}

	script(path: string, script: JobScript): void {
		if (!path.startsWith('/')) throw new RangeError(`script path must be an absolute path: ${path}`);
		const polls = script.polls ?? [];
		const timeline = script.timeline ?? [];
		if (polls.length === 0 && timeline.length === 0) throw new RangeError('a job script needs polls or timeline steps');
		polls.forEach((step, i) => checkStep(step, `polls[${i}]`));
		timeline.forEach((step, i) => checkStep(step, `timeline[${i}]`));
		const sorted = [...timeline].sort((a, b) => a.atMs - b.atMs);
		this.scripts.set(path, { script: { polls, timeline: sorted }, startedAt: this.core.now() });
		this.counts.set(path, 0);
	}

	pages(path: string, pages: Array<Record<string, unknown>>): void {
		if (!path.startsWith('/')) throw new RangeError(`pages path must be an absolute path: ${path}`);
		if (pages.length === 0) throw new RangeError('pages needs at least one page');
		this.pageSets.set(path, pages);
		this.counts.set(path, 0);
	}

	pollCount(path: string): number {
		return this.counts.get(path) ?? 0;
	}

	isScripted(path: string): boolean {
		return this.scripts.has(path) || this.pageSets.has(path);
	}

	/** The scripted answer of a GET, or undefined when nothing is scripted at `path`. */
	answer(path: string, query: Record<string, string>): RouteResult | undefined {
		const pages = this.pageSets.get(path);
		const entry = this.scripts.get(path);
		if (pages === undefined && entry === undefined) return undefined;
		const n = this.pollCount(path);
		this.counts.set(path, n + 1);
		if (pages !== undefined) return this.page(path, pages, query);
		return stepResult(this.pickStep(entry as ScriptEntry, n));
	}

	reset(): void {
		this.analytics.clear();
		this.usageSearches.clear();
		this.scripts.clear();
		this.pageSets.clear();
		this.counts.clear();
	}

	private pickStep(entry: ScriptEntry, n: number): JobStep {
		const timeline = entry.script.timeline ?? [];
		if (timeline.length > 0) {
			const elapsed = this.core.now() - entry.startedAt;
			const reached = timeline.filter((step) => step.atMs <= elapsed);
			return reached.length > 0 ? reached[reached.length - 1] : { httpStatus: 404 };
		}
		const polls = entry.script.polls ?? [];
		return polls[Math.min(n, polls.length - 1)];
	}

	private page(path: string, pages: Array<Record<string, unknown>>, query: Record<string, string>): RouteResult {
		if (query.pageNumber !== undefined) {
			const pageNumber = Number(query.pageNumber);
			if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pages.length) {
				return notFound(`Page ${query.pageNumber} does not exist`);
			}
			return ok({ ...pages[pageNumber - 1], pageNumber, pageCount: pages.length, total: pages.length });
		}
		const index = query.cursor === undefined ? 0 : decodeCursor(path, query.cursor);
		if (index === undefined || index >= pages.length) return badRequest(`Invalid cursor`, [{ errorCode: 'invalid.value', fieldName: 'cursor' }]);
		const body: Record<string, unknown> = { ...pages[index] };
		delete body.cursor;
		if (index < pages.length - 1) body.cursor = encodeCursor(path, index + 1);
		return ok(body);
	}
}

export { encodeCursor, decodeCursor };
