/**
 * Genesys failures as n8n errors. Every error here is built from a clean object (status, Genesys ErrorBody
 * fields, method, path): never from an HTTP error or response, which carry request headers (the token).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { z } from 'zod';

/** `ErrorBody` (docs/GENESYS.md, "Errors"), read leniently: every field optional, unknown fields ignored. */
const errorDetailSchema = z.object({
	errorCode: z.string().optional(),
	fieldName: z.string().optional(),
	entityId: z.string().optional(),
	entityName: z.string().optional(),
});

const errorBodySchema = z.object({
	message: z.string().optional(),
	code: z.string().optional(),
	status: z.number().optional(),
	contextId: z.string().optional(),
	entityId: z.string().optional(),
	entityName: z.string().optional(),
	messageWithParams: z.string().optional(),
	details: z.array(errorDetailSchema.catch({})).optional().catch(undefined),
	limit: z
		.object({ key: z.string().optional(), namespace: z.string().optional(), value: z.number().optional() })
		.optional()
		.catch(undefined),
});

export type GenesysErrorDetail = z.infer<typeof errorDetailSchema>;
export type GenesysErrorBody = z.infer<typeof errorBodySchema>;

/** How the request failed, for callers that branch on more than the status. */
export type GenesysFailureKind =
	/** Genesys answered with an error status. */
	| 'response'
	/** No usable answer: connection refused, reset, timed out. */
	| 'network'
	/** 429 with a Retry-After beyond the policy's limit. */
	| 'dailyLimit'
	/** Retries ran out of time or attempts. */
	| 'deadline'
	/** The OAuth token could not be obtained. */
	| 'token'
	/** The API host answered a redirect, which is never followed. */
	| 'redirect';

export interface GenesysErrorInit {
	/** HTTP status; 0 when no response was received. */
	status: number;
	/** Genesys `code` (e.g. `general.conflict`), an OAuth `error`, or a network code such as `ECONNRESET`. */
	code?: string;
	message: string;
	/** Correlation id: ErrorBody `contextId` or the `ININ-Correlation-Id` header. */
	contextId?: string;
	method: string;
	path: string;
	kind?: GenesysFailureKind;
	/** The request may have been applied although no success was seen: reconcile before re-sending. */
	maybeApplied?: boolean;
	details?: GenesysErrorDetail[];
	entityId?: string;
	retryAfterSec?: number;
	attempts?: number;
	/** What the user can do about it; appended to the description. */
	hint?: string;
	itemIndex?: number;
}

/** Strips anything shaped like a credential from text that came from outside. */
export function redactSecrets(text: string): string {
	return text
		.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
		.replace(/(access_token|client_secret|clientSecret|accessToken)("?\s*[:=]\s*"?)[^\s",}&]+/gi, '$1$2[redacted]');
}

export class GenesysApiError extends NodeApiError {
	/** Brand that survives duplicated module copies, where `instanceof` would not. */
	readonly isGenesysApiError = true;
	readonly status: number;
	readonly code?: string;
	readonly contextId?: string;
	readonly method: string;
	readonly path: string;
	readonly kind: GenesysFailureKind;
	readonly maybeApplied: boolean;
	readonly details: GenesysErrorDetail[];
	readonly entityId?: string;
	readonly retryAfterSec?: number;
	readonly attempts?: number;

	constructor(node: INode, init: GenesysErrorInit) {
		const message = redactSecrets(init.message);
		const description = describe(init);
		const clean: JsonObject = { message, status: init.status };
		if (init.code) clean.code = init.code;
		if (init.contextId) clean.contextId = init.contextId;
		super(node, clean, {
			message,
			description,
			httpCode: init.status > 0 ? String(init.status) : undefined,
			itemIndex: init.itemIndex,
		});
		// NodeApiError rewrites messages that mention common network codes; keep ours exact.
		this.message = message;
		this.description = description;
		// Without a status NodeApiError would take `code` (e.g. ECONNRESET) as the HTTP code.
		this.httpCode = init.status > 0 ? String(init.status) : null;
		// n8n's engine and telemetry recognise API errors by this name (workflow-execute rethrowNodeError).
		this.name = 'NodeApiError';
		this.status = init.status;
		this.code = init.code;
		this.contextId = init.contextId;
		this.method = init.method;
		this.path = init.path;
		this.kind = init.kind ?? (init.status > 0 ? 'response' : 'network');
		this.maybeApplied = init.maybeApplied === true;
		this.details = init.details ?? [];
		this.entityId = init.entityId;
		this.retryAfterSec = init.retryAfterSec;
		this.attempts = init.attempts;
	}
}

function describe(init: GenesysErrorInit): string {
	const parts: string[] = [];
	const answer = init.status > 0 ? `HTTP ${init.status}` : 'no response';
	const code = init.code ? ` (${init.code})` : '';
	parts.push(`${init.method} ${init.path} failed: ${answer}${code}.`);
	if (init.contextId) parts.push(`Correlation id: ${init.contextId}.`);
	if (init.attempts !== undefined && init.attempts > 1) parts.push(`Attempts: ${init.attempts}.`);
	const fields = (init.details ?? []).map((d) => d.fieldName).filter((f): f is string => !!f);
	if (fields.length > 0) parts.push(`Fields: ${fields.join(', ')}.`);
	if (init.maybeApplied) {
		parts.push('The request may have been applied by Genesys Cloud; check before sending it again.');
	}
	if (init.hint) parts.push(init.hint);
	return redactSecrets(parts.join(' '));
}

/** Reads a Genesys ErrorBody out of whatever the server returned (object, JSON text, HTML, nothing). */
export function parseErrorBody(body: unknown): GenesysErrorBody {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value) as unknown;
		} catch {
			return {};
		}
	}
	const parsed = errorBodySchema.safeParse(value);
	return parsed.success ? parsed.data : {};
}

/** A short, safe excerpt of a non-JSON error body (proxies answer 502s with HTML). */
export function bodyExcerpt(body: unknown): string | undefined {
	if (typeof body !== 'string') return undefined;
	const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	if (!text) return undefined;
	return redactSecrets(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}

export interface ErrorMatch {
	status?: number | number[];
	code?: string | string[];
}

/** True for a GenesysApiError, optionally with the given status(es) and/or Genesys code(s). */
export function isGenesysError(error: unknown, match: ErrorMatch = {}): error is GenesysApiError {
	if (typeof error !== 'object' || error === null) return false;
	if ((error as { isGenesysApiError?: unknown }).isGenesysApiError !== true) return false;
	const candidate = error as GenesysApiError;
	if (match.status !== undefined) {
		const statuses = Array.isArray(match.status) ? match.status : [match.status];
		if (!statuses.includes(candidate.status)) return false;
	}
	if (match.code !== undefined) {
		const codes = Array.isArray(match.code) ? match.code : [match.code];
		if (candidate.code === undefined || !codes.includes(candidate.code)) return false;
	}
	return true;
}

/**
 * True when a failure says Genesys (or the way to it) is unavailable rather than that this request was wrong:
 * a 5xx, or no answer at all (network failure or deadline, on the API or the login host). For a circuit breaker
 * that stops a run after repeated outages. Throttling (429, daily limit), 4xx, redirects, malformed answers and
 * bad credentials are not outages.
 */
export function isOutageFailure(error: unknown): boolean {
	if (!isGenesysError(error)) return false;
	if (error.status >= 500) return true;
	if (error.status !== 0) return false;
	const code = error.code ?? '';
	return /^(E[A-Z0-9_]{2,}|ERR_[A-Z0-9_]+)$/.test(code) && code !== 'ERR_CANCELED';
}

/**
 * A request the transport will not send: the path is not a relative `/api/v2/...` path, so the bearer token
 * could leave the Genesys API host.
 */
export class GenesysRequestRefused extends NodeOperationError {
	readonly isGenesysRequestRefused = true;
	readonly path: string;

	constructor(node: INode, path: string, reason: string, itemIndex?: number) {
		const shown = redactSecrets(path.length > 200 ? `${path.slice(0, 200)}…` : path);
		super(node, `Refused to send a request to "${shown}": ${reason}`, {
			description:
				'Paths must be relative Genesys Cloud API paths such as /api/v2/users/{id}. The API host comes from the credential, so the access token is only ever sent there.',
			itemIndex,
		});
		this.name = 'NodeOperationError';
		this.path = shown;
	}
}

/**
 * Where a redirect pointed, as `host[:port]` only (path and query may carry anything), resolved against the
 * URL that was requested; `(no Location)` when there is none or it is unreadable.
 */
export function redirectTarget(location: unknown, requestUrl: string): string {
	if (typeof location !== 'string' || location.trim() === '') return '(no Location)';
	try {
		const host = new URL(location.trim(), requestUrl).host;
		return host === '' ? '(no Location)' : redactSecrets(host.slice(0, 200));
	} catch {
		return '(unreadable Location)';
	}
}

/** Placeholder node for errors raised outside an n8n execution (tests, scripts). */
export const STANDALONE_NODE: INode = {
	id: 'genesys-cloud-transport',
	name: 'Genesys Cloud',
	type: 'n8n-nodes-genesys-cloud.transport',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
