/**
 * Classifies what went wrong, for the engine's decisions (conflict, stale version, stop the run). Genesys
 * errors are read only through the fields the transport puts on GenesysApiError; response bodies never.
 */
import { messageOf } from '../GenesysCloud/resultError';
import { isGenesysError, redactSecrets } from '../GenesysCloud/transport';

/** Status and code of a Genesys error, when it is one. */
export interface ErrorFacts {
	status?: number;
	code?: string;
	/** The transport's classification: 'dailyLimit', 'token', 'deadline', 'network' or 'response'. */
	kind?: string;
	message: string;
	maybeApplied: boolean;
}

export function errorFacts(error: unknown): ErrorFacts {
	if (isGenesysError(error, {})) {
		return {
			status: error.status,
			code: error.code,
			kind: error.kind,
			message: redactSecrets(error.message),
			maybeApplied: error.maybeApplied === true,
		};
	}
	return { message: redactSecrets(messageOf(error)), maybeApplied: false };
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
