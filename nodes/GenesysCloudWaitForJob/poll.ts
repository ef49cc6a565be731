/**
 * Pure polling rules: when to ask again, and what one answer means. No I/O, no n8n, no clock.
 */
import type { StatusRule } from './jobKinds';

export interface BackoffSettings {
	/** The first wait, and the base of the exponential backoff. */
	pollIntervalMs: number;
	/** No wait is longer than this. */
	maxIntervalMs: number;
	/** Growth of the nominal wait per poll. */
	factor: number;
	/** Each wait is the nominal one times a random factor in [1 - jitter, 1 + jitter] (capped at the max). */
	jitter: number;
}

/**
 * 2 s, 3 s, 4.5 s ... up to 30 s: a job done after a few seconds is seen within about one interval, and a
 * 10-minute job costs at most 30 status requests (fewest with the shortest jitter; see pollBound).
 */
export const DEFAULT_BACKOFF: BackoffSettings = {
	pollIntervalMs: 2_000,
	maxIntervalMs: 30_000,
	factor: 1.5,
	jitter: 0.2,
};

/** The wait before poll number `attempt` (0-based). `random` is a number in [0, 1). */
export function nextDelay(attempt: number, settings: BackoffSettings, random: number): number {
	const max = Math.max(settings.maxIntervalMs, settings.pollIntervalMs);
	const nominal = Math.min(max, settings.pollIntervalMs * Math.pow(settings.factor, Math.max(0, attempt)));
	const spread = 1 + settings.jitter * (2 * clamp(random, 0, 1) - 1);
	return Math.min(max, Math.max(0, nominal * spread));
}

/**
 * The most status requests a job that finishes `durationMs` after the wait starts can cost: the polls of the
 * shortest schedule (every jitter at its low end) up to and including the first one at or after the finish.
 * Request latency only lengthens the real schedule, so the real count never exceeds this.
 */
export function pollBound(durationMs: number, settings: BackoffSettings): number {
	let elapsed = 0;
	let polls = 0;
	do {
		elapsed += nextDelay(polls, settings, 0);
		polls++;
	} while (elapsed < durationMs && polls < 1_000_000);
	return polls;
}

export type JobState = 'running' | 'succeeded' | 'failed';

export interface StatusReading {
	state: JobState;
	/** The status value as Genesys sent it, `complete` for a done job that reports none, or null. */
	status: string | null;
}

/** Status label of a job whose success is the absence of a status (outbound imports). */
export const COMPLETE_WITHOUT_STATUS = 'complete';

/** Reads a dot path (`a.b.0.c`); undefined when any step is missing. */
export function readField(body: unknown, path: string): unknown {
	let value: unknown = body;
	for (const key of path.split('.').filter((part) => part !== '')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Success and failure values compare case-insensitively; anything else, or no value, is still running. */
export function classifyStatus(body: unknown, rule: StatusRule): StatusReading {
	const status = statusText(readField(body, rule.field));
	if (status === null) return readAbsentStatus(body, rule);
	if (includesIgnoreCase(rule.success, status)) return { state: 'succeeded', status };
	if (includesIgnoreCase(rule.failure, status)) return { state: 'failed', status };
	return { state: 'running', status };
}

function readAbsentStatus(body: unknown, rule: StatusRule): StatusReading {
	const done = rule.absentMeansDone;
	if (done && (Number(readField(body, done.progressField)) >= done.completeAt || countReached(body, done.count))) {
		return { state: 'succeeded', status: COMPLETE_WITHOUT_STATUS };
	}
	return { state: 'running', status: null };
}

/** Exactly the expected count, as terraform compares it: more means the list held other contacts too. */
function countReached(body: unknown, count: { field: string; expected: number } | undefined): boolean {
	if (count === undefined) return false;
	const value = readField(body, count.field);
	return typeof value === 'number' && value === count.expected;
}

/** An import status that says neither running, failed nor done: the case the contact count settles. */
export function isSilentStatus(body: unknown, rule: StatusRule): boolean {
	const done = rule.absentMeansDone;
	if (done === undefined || statusText(readField(body, rule.field)) !== null) return false;
	return !(Number(readField(body, done.progressField)) >= done.completeAt);
}

function statusText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return null;
}

function includesIgnoreCase(values: readonly string[], value: string): boolean {
	const wanted = value.toLowerCase();
	return values.some((candidate) => candidate.toLowerCase() === wanted);
}

/** `a, b,,c ` -> ['a', 'b', 'c'] (the custom job type's value lists). */
export function parseValueList(text: string): string[] {
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** What one status request returned: a body, or a 404. Other errors never reach the verdict. */
export type PollObservation = { found: true; body: unknown } | { found: false };

export interface PollContext {
	/** Since the wait started. */
	elapsedMs: number;
	/** A 404 this early means "not visible yet", later it means the job does not exist. */
	notFoundGraceMs: number;
	/** No time is left for another poll. */
	deadlineReached: boolean;
}

export type WaitResult = 'succeeded' | 'failed' | 'timedOut' | 'notFound';

export type PollVerdict =
	| { done: false; status: string | null }
	| { done: true; result: WaitResult; status: string | null };

/** Status shown while a job answers 404 within the grace period. */
export const NOT_VISIBLE_STATUS = 'notFound';

/** The outcome of one poll: keep waiting, or stop with a result. */
export function judgePoll(observation: PollObservation, rule: StatusRule, context: PollContext): PollVerdict {
	if (!observation.found) {
		if (context.elapsedMs > context.notFoundGraceMs) {
			return { done: true, result: 'notFound', status: NOT_VISIBLE_STATUS };
		}
		return keepWaiting(NOT_VISIBLE_STATUS, context);
	}
	const reading = classifyStatus(observation.body, rule);
	if (reading.state !== 'running') return { done: true, result: reading.state, status: reading.status };
	return keepWaiting(reading.status, context);
}

function keepWaiting(status: string | null, context: PollContext): PollVerdict {
	return context.deadlineReached ? { done: true, result: 'timedOut', status } : { done: false, status };
}

function clamp(value: number, min: number, max: number): number {
	if (!Number.isFinite(value)) return min;
	return Math.min(max, Math.max(min, value));
}
