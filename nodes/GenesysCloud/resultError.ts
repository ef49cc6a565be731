/**
 * The `error` of an output item, in every node: built from any thrown value, with the Genesys fields the
 * transport puts on GenesysApiError (code, HTTP status, correlation id). Response bodies are never read here.
 */
import { isGenesysError, redactSecrets } from './transport';

/** One problem of an input value. */
export interface FieldError {
	/** Genesys or input field name, e.g. `email`, `state`, `roles[1]`. */
	field: string;
	message: string;
}

export interface ResultError {
	message: string;
	/** Genesys's error code. */
	code?: string;
	httpStatus?: number;
	/** ININ-Correlation-Id / contextId, for Genesys support. */
	correlationId?: string;
	/** The input field the error is about. */
	field?: string;
	/** Every field error of an invalid input row. */
	fields?: FieldError[];
	/** A write whose outcome is unknown: Genesys may have applied it (a lost answer, a stop while it was sent). */
	maybeApplied?: boolean;
}

/** A write cut short without an answer (the execution was stopped while it was sent): it may have been applied. */
export class OutcomeUnknownError extends Error {
	readonly maybeApplied = true;

	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'OutcomeUnknownError';
	}
}

/** Never carries tokens or secrets: the message is redacted again, as defence in depth. */
export function toResultError(error: unknown, field?: string): ResultError {
	const result: ResultError = { message: redactSecrets(messageOf(error)) };
	if (isGenesysError(error, {})) {
		if (error.code) result.code = error.code;
		if (typeof error.status === 'number' && error.status > 0) result.httpStatus = error.status;
		if (error.contextId) result.correlationId = error.contextId;
		if (error.maybeApplied === true) result.maybeApplied = true;
	}
	if (error instanceof OutcomeUnknownError) {
		result.code = error.code;
		result.maybeApplied = true;
	}
	if (field) result.field = field;
	return result;
}

export function messageOf(error: unknown): string {
	if (error instanceof Error && error.message) return error.message;
	if (typeof error === 'string' && error) return error;
	return 'Unknown error';
}
