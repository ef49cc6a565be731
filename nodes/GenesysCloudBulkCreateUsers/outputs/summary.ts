/**
 * The optional summary item: counts per status and what the run cost in requests and time.
 */
import type { EngineCounters } from '../engine/context';
import type { UserResult, UserStatus } from '../types';

/** The transport's counters (GenesysClient.stats()). */
export interface RequestStats {
	requests: number;
	retries: number;
	throttled: number;
	serverErrors?: number;
	networkErrors?: number;
	tokenRefreshes?: number;
}

export interface RunSummary {
	total: number;
	byStatus: Partial<Record<UserStatus, number>>;
	/** HTTP requests sent to Genesys, retries included. */
	requests: number;
	/** Requests the transport re-sent (429, 5xx, network, 401). */
	retries: number;
	/** 429 answers received. */
	throttled: number;
	durationMs: number;
	/** Waits and retries of the provisioning itself (consistency 404s, stale versions, lost creates). */
	engine: EngineCounters;
	dryRun: boolean;
}

export function buildSummary(
	results: readonly UserResult[],
	stats: RequestStats,
	counters: EngineCounters,
	durationMs: number,
	dryRun: boolean,
): RunSummary {
	const byStatus: Partial<Record<UserStatus, number>> = {};
	for (const result of results) byStatus[result.status] = (byStatus[result.status] ?? 0) + 1;
	return {
		total: results.length,
		byStatus,
		requests: stats.requests,
		retries: stats.retries,
		throttled: stats.throttled,
		durationMs: Math.max(0, Math.round(durationMs)),
		engine: { ...counters },
		dryRun,
	};
}
