/**
 * State shared by every row of one run, the state of one row while it is provisioned, and the bounds of the
 * waits the engine does on its own (the transport handles 429/5xx/network itself).
 */
import type { ExponentialBackoff } from '../../GenesysCloud/backoff';
import type { GenesysApi } from '../../GenesysCloud/genesysApi';
import type { ResultError } from '../../GenesysCloud/resultError';
import type { Clock } from '../../GenesysCloud/transport';
import type { BulkCreateSettings, UserResult, ValidRow } from '../types';
import type { HomeDivision } from './divisions';
import type { GenesysUser } from './userApi';

export interface Timing extends ExponentialBackoff {
	/**
	 * How long user-scoped 404s right after a create/restore count as "not visible yet" (docs/GENESYS.md,
	 * "Eventual consistency").
	 */
	consistencyWindowMs: number;
	/**
	 * How long a user we know exists may stay missing from /users/search. A run takes it from the Reconcile
	 * Window option (reconcileWindowSeconds) unless a test sets it.
	 */
	searchLagWindowMs: number;
	/**
	 * How long a role grant answered 404 is re-sent, for any user: a role or division created moments ago
	 * is not in the authorization cache yet (docs/GENESYS.md, "Eventual consistency"). The role itself was
	 * found before any write, so a lasting 404 is reported once this has passed.
	 */
	authCacheWindowMs: number;
	/** PATCH attempts when Genesys reports a stale `version`. */
	versionAttempts: number;
	/** POST /api/v2/users attempts while responses get lost (each re-POST is refused with 409 once applied). */
	createAttempts: number;
	/** POST /users/{id}/password attempts while Genesys answers 5xx (the transport does not retry a 500). */
	passwordAttempts: number;
	/** Minimum time between two progress lines. */
	progressIntervalMs: number;
	/** Circuit breaker (breaker.ts): failures of availability in a row that stop the run once they span the window. */
	outageFailures: number;
	/**
	 * Circuit breaker: longest a request retries an unavailable Genesys, and longest a streak of such failures
	 * may last. 1.5 rate windows (90 s) unless set: the run ends within about two minutes of an outage starting.
	 */
	outageWindowMs?: number;
}

export const DEFAULT_TIMING: Timing = {
	consistencyWindowMs: 60_000,
	searchLagWindowMs: 180_000,
	authCacheWindowMs: 60_000,
	initialDelayMs: 250,
	maxDelayMs: 4_000,
	versionAttempts: 5,
	createAttempts: 5,
	passwordAttempts: 3,
	progressIntervalMs: 5_000,
	outageFailures: 5,
};

/** The outage window scales with the rate window, so time-compressed runs compress it too. */
export const OUTAGE_WINDOWS_PER_RATE_WINDOW = 1.5;

/** Waits and retries the engine did itself (the transport counts its own). */
export interface EngineCounters {
	/** Follow-up requests re-sent after a 404 on a user this run just created or restored. */
	consistencyRetries: number;
	/** PATCHes re-sent after a stale `version`. */
	versionRetries: number;
	/** Creates whose response was lost, then confirmed by a re-POST or a search. */
	reconciledCreates: number;
}

export interface RunContext {
	api: GenesysApi;
	settings: BulkCreateSettings;
	clock: Clock;
	/** n8n's cancel signal: once aborted, no new work starts and waits end early. */
	signal?: AbortSignal;
	timing: Timing;
	/** Lower-cased email -> id of every live user this run knows: found by the lookup or written by it. */
	directory: Map<string, string>;
	/** Set once no request can succeed any more (daily limit, credentials rejected). */
	stop: { error?: ResultError };
	/** The `version` of a user as its clean create returned it: what an untouched new user holds. */
	newUserVersion?: number;
	counters: EngineCounters;
	/** Read once, before any write, when a role grant needs it (divisions.ts). */
	homeDivision?: HomeDivision;
}

export type MainOutcome = 'created' | 'updated' | 'restored' | 'existing';

/** One valid row on its way to a UserResult. */
export interface RowWork {
	row: ValidRow;
	result: UserResult;
	/** The user as Genesys last returned it. */
	user?: GenesysUser;
	/** What the main stage achieved; undefined when it failed or never ran. */
	outcome?: MainOutcome;
	/** When this run created or restored the user: user-scoped 404s are "not visible yet" for a while. */
	freshSince?: number;
	/** Failures of follow-up steps, in order; the first becomes the row's error. */
	failures: ResultError[];
}

export function newCounters(): EngineCounters {
	return { consistencyRetries: 0, versionRetries: 0, reconciledCreates: 0 };
}

export function isCancelled(ctx: Pick<RunContext, 'signal'>): boolean {
	return ctx.signal?.aborted === true;
}

/** Waits `ms`; a cancelled wait just returns early, and callers check isCancelled(). */
export async function pause(ctx: Pick<RunContext, 'clock' | 'signal'>, ms: number): Promise<void> {
	const { signal } = ctx;
	if (signal?.aborted) return;
	await ctx.clock.sleep(ms, signal).catch((error: unknown) => {
		if (!signal?.aborted) throw error;
	});
}
