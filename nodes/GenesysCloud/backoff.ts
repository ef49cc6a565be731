/**
 * Exponential backoff, the one formula behind every wait that grows per attempt: the transport's retries
 * (with jitter on top, transport/retry.ts) and the Bulk Create Users engine's waits for a new user to
 * become visible (bounded by a deadline).
 */

export interface ExponentialBackoff {
	/** The first wait; doubles per attempt. */
	initialDelayMs: number;
	/** No wait is longer than this. */
	maxDelayMs: number;
}

/** initial, 2x, 4x ... capped at max. `attempt` starts at 0. */
export function exponentialDelay(attempt: number, backoff: ExponentialBackoff): number {
	const factor = 2 ** Math.min(Math.max(attempt, 0), 30);
	return Math.min(backoff.maxDelayMs, backoff.initialDelayMs * factor);
}

/**
 * Next wait inside a window that closes at `deadline`, or undefined when no wait fits. The last wait is
 * shortened so the final attempt happens right at the deadline rather than not at all.
 */
export function nextWait(
	attempt: number,
	now: number,
	deadline: number,
	backoff: ExponentialBackoff,
): number | undefined {
	const remaining = deadline - now;
	if (remaining <= 0) return undefined;
	return Math.min(exponentialDelay(attempt, backoff), remaining);
}
