/**
 * Time as the engine sees it: injected so tests compress it, and cancellable through n8n's abort signal.
 */

export interface Clock {
	now(): number;
	/** Resolves after `ms`, or earlier once the execution is cancelled. */
	sleep(ms: number): Promise<void>;
	cancelled(): boolean;
}

/** Bounds of the waits the engine does on its own (the transport handles 429/5xx/network itself). */
export interface Timing {
	/** How long user-scoped 404s right after a create/restore count as "not visible yet" (API.md 5). */
	consistencyWindowMs: number;
	/** How long a user we know exists may stay missing from /users/search. */
	searchLagWindowMs: number;
	/** First wait of a backoff; doubles up to maxDelayMs. */
	initialDelayMs: number;
	maxDelayMs: number;
	/** PATCH attempts when Genesys reports a stale `version`. */
	versionAttempts: number;
	/** POST /api/v2/users attempts while responses get lost (each re-POST is refused with 409 once applied). */
	createAttempts: number;
	/** Minimum time between two progress lines. */
	progressIntervalMs: number;
}

export const DEFAULT_TIMING: Timing = {
	consistencyWindowMs: 60_000,
	searchLagWindowMs: 30_000,
	initialDelayMs: 250,
	maxDelayMs: 4_000,
	versionAttempts: 5,
	createAttempts: 5,
	progressIntervalMs: 5_000,
};

/** Exponential backoff: initial, 2x, 4x ... capped at max. `attempt` starts at 0. */
export function backoffDelay(attempt: number, timing: Pick<Timing, 'initialDelayMs' | 'maxDelayMs'>): number {
	const factor = 2 ** Math.min(attempt, 30);
	return Math.min(timing.maxDelayMs, timing.initialDelayMs * factor);
}

/**
 * Next wait inside a window that closes at `deadline`, or undefined when no wait fits. The last wait is
 * shortened so the final attempt happens right at the deadline rather than not at all.
 */
export function nextWait(
	attempt: number,
	now: number,
	deadline: number,
	timing: Pick<Timing, 'initialDelayMs' | 'maxDelayMs'>,
): number | undefined {
	const remaining = deadline - now;
	if (remaining <= 0) return undefined;
	return Math.min(backoffDelay(attempt, timing), remaining);
}
