/**
 * What a route answers, and Genesys ErrorBody construction (docs/GENESYS.md, "Errors"). The server fills `contextId` with the
 * request's correlation id, so header and body always agree (docs/GENESYS.md, "Errors").
 */

export interface ErrorDetail {
	errorCode?: string;
	fieldName?: string;
	entityId?: string;
	entityName?: string;
}

export interface ErrorBody {
	message: string;
	code: string;
	status: number;
	contextId: string;
	details: ErrorDetail[];
	errors: ErrorBody[];
	entityId?: string;
	entityName?: string;
	limit?: { key: string; namespace: string; value: number };
}

export interface RouteResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** True when the route changed state; set by writes that succeeded. */
	applied?: boolean;
	/** Sent as is instead of JSON (malformed-answer faults). */
	rawBody?: string;
	contentType?: string;
	/** Body is an ErrorBody whose contextId the server must fill. */
	isError?: boolean;
}

export function ok(body: unknown, status = 200): RouteResult {
	return { status, body, applied: false };
}

export function applied(body: unknown, status = 200): RouteResult {
	return { status, body, applied: true };
}

export function noContent(): RouteResult {
	return { status: 204, applied: true };
}

export function fail(
	status: number,
	code: string,
	message: string,
	extra: Partial<Omit<ErrorBody, 'status' | 'code' | 'message'>> = {},
): RouteResult {
	const body: ErrorBody = { message, code, status, contextId: '', details: [], errors: [], ...extra };
	return { status, body, isError: true, applied: false };
}

export const MALFORMED = 'The request could not be understood by the server due to malformed syntax.';

export function badRequest(message: string = MALFORMED, details: ErrorDetail[] = []): RouteResult {
	return fail(400, 'bad.request', message, { details });
}

export function notFound(message = 'The requested operation failed with status 404', entityId?: string): RouteResult {
	return fail(404, 'not.found', message, entityId === undefined ? {} : { entityId });
}

export function conflict(message: string, entityId?: string): RouteResult {
	return fail(409, 'general.conflict', message, entityId === undefined ? {} : { entityId });
}

/** The normalised 429 body (docs/GENESYS.md, "Rate limits"); `retryAfter` is the header value as sent. */
export function tooManyRequests(retryAfter: string): RouteResult {
	const result = fail(
		429,
		'too.many.requests.retry.after',
		`Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
	);
	result.headers = { 'Retry-After': retryAfter };
	return result;
}
