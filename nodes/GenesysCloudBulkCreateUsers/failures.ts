/**
 * Classifies what went wrong and shapes it for an output item. Genesys errors are read only through the
 * fields the transport puts on GenesysApiError; response bodies are never parsed here.
 */
import { isGenesysError } from '../GenesysCloud/transport';
import type { ResultError } from './types';

/** Status and code of a Genesys error, when it is one. */
export interface ErrorFacts {
	status?: number;
	code?: string;
	/** The transport's classification: 'dailyLimit', 'token', 'deadline', 'network' or 'response'. */
	kind?: string;
	message: string;
	maybeApplied: boolean;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `send` and hands back its value or its error, so callers branch on failures without try/catch. */
export async function settle<T>(send: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await send() };
	} catch (error) {
		return { ok: false, error };
	}
}

export function errorFacts(error: unknown): ErrorFacts {
	if (isGenesysError(error, {})) {
		return {
			status: error.status,
			code: error.code,
			kind: error.kind,
			message: redact(error.message),
			maybeApplied: error.maybeApplied === true,
		};
	}
	return { message: redact(messageOf(error)), maybeApplied: false };
}

/** An email (or other unique value) already held by a user, possibly a soft-deleted one. */
export function isConflict(facts: ErrorFacts): boolean {
	return facts.status === 409 || facts.code === 'general.conflict';
}

/** Genesys answers a stale `version` with a 409, or a 400 saying so (API.md 3.2). */
export function isVersionMismatch(facts: ErrorFacts): boolean {
	if (facts.status === 409) return true;
	return facts.status === 400 && /does not match the current version/i.test(facts.message);
}

export function isNotFound(facts: ErrorFacts): boolean {
	return facts.status === 404;
}

/**
 * Errors after which no other request can succeed either: a 429 the transport gave up on (a daily limit,
 * Retry-After over 180 s) or credentials that no longer authenticate.
 */
export function isRunStopper(facts: ErrorFacts): boolean {
	if (facts.kind === 'dailyLimit' || facts.kind === 'token') return true;
	return facts.status === 429 || facts.status === 401;
}

/** Credentials or permissions refused: when it happens before any write, the node fails as a whole. */
export function isAccessFailure(facts: ErrorFacts): boolean {
	return facts.kind === 'token' || facts.status === 401 || facts.status === 403;
}

/** The `error` of an output item, from any thrown value; never carries tokens or secrets. */
export function toResultError(error: unknown, field?: string): ResultError {
	const result: ResultError = { message: redact(messageOf(error)) };
	if (isGenesysError(error, {})) {
		if (error.code) result.code = error.code;
		if (typeof error.status === 'number' && error.status > 0) result.httpStatus = error.status;
		if (error.contextId) result.correlationId = error.contextId;
	}
	if (field) result.field = field;
	return result;
}

export function messageOf(error: unknown): string {
	if (error instanceof Error && error.message) return error.message;
	if (typeof error === 'string' && error) return error;
	return 'Unknown error';
}

/** Defence in depth: strips anything shaped like an Authorization value from a message. */
export function redact(message: string): string {
	return message
		.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
		.replace(/(access_token|client_secret|clientSecret)("?\s*[:=]\s*"?)[^\s",}&]+/gi, '$1$2[redacted]');
}
