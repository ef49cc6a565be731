/**
 * State shared by every row of one run, and the state of one row while it is being provisioned.
 */
import type { GenesysApi } from './api';
import type { Clock, Timing } from './timing';
import type { BulkCreateSettings, ResultError, UserResult, ValidRow } from './types';
import type { GenesysUser } from './users';

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
	timing: Timing;
	/** Lower-cased email -> id of every live user this run knows: found by the lookup or written by it. */
	directory: Map<string, string>;
	/** Set once no request can succeed any more (daily limit, credentials rejected). */
	stop: { error?: ResultError };
	counters: EngineCounters;
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
