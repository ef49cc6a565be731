/**
 * The JSON of one output item, from the outcome of a wait. Pure: the node only adds pairedItem.
 */
import type { IDataObject } from 'n8n-workflow';

import { toResultError } from '../GenesysCloud/resultError';
import type { ResultError } from '../GenesysCloud/resultError';
import { USERS_SEARCHABLE_JOB_TYPE } from './jobKinds';
import type { GatheredResults } from './results';
import type { SearchableOutcome } from './usersSearchable';
import type { WaitOutcome } from './waitForJob';

/** The output contract of the node: `{ jobType, jobId, status, done, succeeded, attempts, elapsedMs, job, results? }`. */
export interface WaitItemJson {
	jobType: string;
	jobId: string | null;
	/** The job's status value; `timedOut`, `notFound` or `error` when the wait ended without one. */
	status: string | null;
	/** The job reached a final status. */
	done: boolean;
	/** The item goes to the Completed output. */
	succeeded: boolean;
	/** Status requests (searches for usersSearchable) sent for this item. */
	attempts: number;
	elapsedMs: number;
	job: unknown;
	/** For timedOut: the last status seen. */
	lastStatus?: string | null;
	results?: unknown[];
	resultsTruncated?: boolean;
	/** usersSearchable: users not found. */
	missing?: string[];
	error?: ResultError;
}

export const TIMED_OUT = 'timedOut';
export const NOT_FOUND = 'notFound';
export const ERROR_STATUS = 'error';

/** The item's `error`, optionally with a message of our own instead of the error's. */
export function itemError(error: unknown, message?: string): ResultError {
	const result = toResultError(error);
	return message === undefined ? result : { ...result, message };
}

export interface JobIdentity {
	jobType: string;
	jobId: string | null;
	/** Shown in messages, e.g. the status path. */
	label: string;
}

/** An item whose parameters could not be used ("continue on fail"): nothing was waited for. */
export function configErrorJson(jobType: string, jobId: string | null, message: string): WaitItemJson {
	return {
		jobType,
		jobId,
		status: ERROR_STATUS,
		done: false,
		succeeded: false,
		attempts: 0,
		elapsedMs: 0,
		job: null,
		error: { message },
	};
}

export function jobItemJson(identity: JobIdentity, outcome: WaitOutcome, notFoundGraceMs: number): WaitItemJson {
	const base = {
		jobType: identity.jobType,
		jobId: identity.jobId,
		attempts: outcome.attempts,
		elapsedMs: outcome.elapsedMs,
		job: outcome.job ?? null,
	};
	switch (outcome.result) {
		case 'succeeded':
			return { ...base, status: outcome.status, done: true, succeeded: true };
		case 'failed':
			return { ...base, status: outcome.status, done: true, succeeded: false };
		case 'timedOut':
			return { ...base, status: TIMED_OUT, lastStatus: outcome.status, done: false, succeeded: false };
		case 'notFound':
			return {
				...base,
				status: NOT_FOUND,
				done: false,
				succeeded: false,
				error: itemError(
					outcome.error,
					`${identity.label} was still not found (404) after the ${notFoundGraceMs / 1000} s grace period`,
				),
			};
		case 'error':
			return {
				...base,
				status: ERROR_STATUS,
				lastStatus: outcome.status,
				done: false,
				succeeded: false,
				error: itemError(outcome.error),
			};
	}
}

/** A job that succeeded, with its results or the error that stopped reading them. */
export function withResults(json: WaitItemJson, results: GatheredResults | { error: unknown }): WaitItemJson {
	if ('error' in results) {
		const cause = itemError(results.error);
		return {
			...json,
			succeeded: false,
			error: { ...cause, message: `The job succeeded, but reading its results failed: ${cause.message}` },
		};
	}
	return { ...json, results: results.items, resultsTruncated: results.truncated };
}

export function usersItemJson(outcome: SearchableOutcome): WaitItemJson {
	const base = {
		jobType: USERS_SEARCHABLE_JOB_TYPE,
		jobId: null,
		attempts: outcome.attempts,
		elapsedMs: outcome.elapsedMs,
		job: outcome.users,
	};
	switch (outcome.result) {
		case 'succeeded':
			return { ...base, status: 'searchable', done: true, succeeded: true };
		case 'timedOut':
			return { ...base, status: TIMED_OUT, lastStatus: foundCount(outcome), done: false, succeeded: false, missing: outcome.missing };
		case 'error':
			return {
				...base,
				status: ERROR_STATUS,
				lastStatus: foundCount(outcome),
				done: false,
				succeeded: false,
				missing: outcome.missing,
				error: itemError(outcome.error),
			};
	}
}

function foundCount(outcome: SearchableOutcome): string {
	return `${outcome.users.length} of ${outcome.users.length + outcome.missing.length} found`;
}

export function asDataObject(json: WaitItemJson): IDataObject {
	return json as unknown as IDataObject;
}
