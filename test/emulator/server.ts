/**
 * The HTTP front: one node:http server on 127.0.0.1. Order for /api/v2 (each step can answer instead of the
 * route): latency, dropped connection, bearer token (401), daily limit / injected 429, per-token rolling
 * window (429), injected 5xx, scripted job answers, routes; then a lost response may swallow a write's answer.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { EmulatorCore } from './core';
import { badRequest, fail, tooManyRequests, type RouteResult } from './errors';
import { dailyRetryAfterSec, decideFaults, formatRetryAfter, latencyFor, scoped, type FaultDecision } from './faults';
import { adminRoutes } from './routes/admin';
import { followupRoutes } from './routes/followups';
import { jobRoutes } from './routes/jobs';
import { handleToken } from './routes/oauth';
import { outboundRoutes } from './routes/outbound';
import { searchRoutes } from './routes/search';
import { usageRoutes } from './routes/usage';
import { userRoutes } from './routes/users';
import { matchRoute, type RequestInfo, type Route } from './router';
import type { MalformedFault, RecordedRequest, TrickleFault } from './types';

/** request.bytes.max (docs/GENESYS.md, "Rate limits"). */
const MAX_BODY_BYTES = 512_000;

/** Literal paths before templates: search and externalid lookups before /users/{userId}. */
const API_ROUTES: Route[] = [
	...searchRoutes,
	...followupRoutes,
	...jobRoutes,
	...usageRoutes,
	...outboundRoutes,
	...userRoutes,
];

const STATUS_5XX_CODES: Record<number, { code: string; message: string }> = {
	502: { code: 'bad.gateway', message: 'The server received an invalid response from an upstream server' },
	503: { code: 'service.unavailable', message: 'Service Unavailable' },
	504: { code: 'request.timeout', message: 'The request timed out' },
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
		req.on('error', reject);
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The log keeps bodies for assertions, but never a password or secret in readable form. */
export function redact(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redact);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
		out[key] = /password|secret/i.test(key) ? '[redacted]' : redact(inner);
	}
	return out;
}

/** The client id of a Basic header, without checking the secret (the token route does that). */
function basicClientId(authorization: string | undefined): string | undefined {
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
	if (match === null) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? undefined : decoded.slice(0, colon);
}

interface Rendered {
	headers: Record<string, string>;
	payload?: string;
}

function render(result: RouteResult, correlationId: string): Rendered {
	const headers: Record<string, string> = { 'ININ-Correlation-Id': correlationId, ...result.headers };
	let payload: string | undefined;
	if (result.rawBody !== undefined) {
		payload = result.rawBody;
		headers['Content-Type'] = result.contentType ?? 'text/html';
	} else if (result.body !== undefined && result.status !== 204) {
		const body = result.isError ? { ...(result.body as object), contextId: correlationId } : result.body;
		payload = JSON.stringify(body);
		headers['Content-Type'] = 'application/json';
	}
	return { headers, payload };
}

function send(res: ServerResponse, result: RouteResult, correlationId: string): void {
	if (res.destroyed || res.writableEnded) return;
	const { headers, payload } = render(result, correlationId);
	res.writeHead(result.status, headers);
	res.end(payload);
}

/** Headers at once, then `bytesPerInterval` bytes every `intervalMs`: a server that never goes quiet. */
function sendTrickling(res: ServerResponse, result: RouteResult, correlationId: string, fault: TrickleFault): void {
	if (res.destroyed || res.writableEnded) return;
	const { headers, payload } = render(result, correlationId);
	const bytes = Buffer.from(`${payload ?? ''}${' '.repeat(fault.padBytes ?? 0)}`, 'utf8');
	res.writeHead(result.status, { ...headers, 'Content-Length': String(bytes.length) });
	const step = fault.bytesPerInterval ?? 1;
	let offset = 0;
	const tick = (): void => {
		if (res.destroyed || res.writableEnded) return;
		const next = Math.min(bytes.length, offset + step);
		res.write(bytes.subarray(offset, next));
		offset = next;
		if (offset >= bytes.length) res.end();
		else setTimeout(tick, fault.intervalMs).unref();
	};
	tick();
}

/** Headers and half the body, then silence: the socket stays open until the client gives up. */
function sendHalf(res: ServerResponse, result: RouteResult, correlationId: string): void {
	if (res.destroyed || res.writableEnded) return;
	const { headers, payload } = render(result, correlationId);
	const bytes = Buffer.from(payload ?? '{}', 'utf8');
	res.writeHead(result.status, { ...headers, 'Content-Length': String(bytes.length) });
	res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** A 200 that is not what the endpoint returns: an HTML page, or JSON without the fields a client needs. */
function malformedAnswer(kind: MalformedFault['kind'], path: string): RouteResult {
	if (kind === 'notJson') {
		return { status: 200, rawBody: '<html><body><h1>Service page</h1><p>Please try again later.</p></body></html>' };
	}
	const body = path === '/oauth/token' ? { token_type: 'bearer', expires_in: 86_400 } : { pageSize: 100, pageNumber: 1 };
	return { status: 200, body };
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: RouteResult };

function parseJsonBody(raw: string, contentType: string | undefined): ParsedBody {
	if (raw.length === 0) return { ok: true, value: undefined };
	if (!/json/i.test(contentType ?? '')) {
		return { ok: false, error: fail(415, 'unsupported.media.type', `Unsupported media type: ${contentType ?? '(none)'}`) };
	}
	try {
		return { ok: true, value: JSON.parse(raw) };
	} catch {
		return { ok: false, error: badRequest('The request body is not valid JSON') };
	}
}

export class EmulatorServer {
	private readonly server: http.Server;

	/** Requests each gatewayAfterRoute knob has hit (a new knob, set by setFaults, starts at 0). */
	private readonly gatewayHits = new WeakMap<object, number>();
	/** Rival creates already done. */
	private readonly rivalsDone = new WeakSet<object>();

	constructor(private readonly core: EmulatorCore) {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				send(res, fail(500, 'internal.server.error', `Emulator error: ${String(error)}`), 'emulator-error');
			});
		});
		this.server.keepAliveTimeout = 5_000;
	}

	async listen(port: number): Promise<string> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => resolve());
		});
		const address = this.server.address() as AddressInfo;
		return `http://127.0.0.1:${address.port}`;
	}

	async close(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closed;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const query = Object.fromEntries(url.searchParams.entries());
		if (path.startsWith('/__emulator/')) return this.handleAdmin(req, res, method, path, query);

		const isApi = path.startsWith('/api/v2/');
		if (isApi) this.enter(res);
		const record: RecordedRequest = {
			seq: this.core.nextSeq(),
			at: this.core.now(),
			method,
			path,
			query,
			body: undefined,
			status: 0,
			applied: false,
			correlationId: this.core.random.correlation.uuid(),
		};
		this.core.requests.push(record);
		this.core.stats.total += 1;

		let raw: string;
		try {
			raw = await readBody(req);
		} catch (error) {
			if (!(error instanceof BodyTooLarge)) throw error;
			return this.finish(res, record, fail(413, 'request.entity.too.large', `Request body over ${MAX_BODY_BYTES} bytes`));
		}

		// Faults that replace any handling: the host answers a redirect, or never answers at all.
		const redirect = scoped(this.core.faults.redirect, path);
		if (redirect) {
			record.fault = 'redirect';
			return this.finish(res, record, { status: redirect.status, headers: { Location: redirect.location } });
		}
		if (scoped(this.core.faults.stall, path)?.phase === 'headers') {
			record.fault = 'stall';
			return;
		}

		if (path === '/oauth/token') {
			const form = new URLSearchParams(raw);
			record.body = redact(Object.fromEntries(form.entries()));
			const tokenLimited = this.tokenEndpointLimited(req.headers.authorization);
			if (tokenLimited) {
				record.fault = 'tokenRateLimit';
				return this.finish(res, record, tokenLimited);
			}
			const { result, tokenId } = handleToken(this.core, method, req.headers.authorization, form);
			record.tokenId = tokenId;
			record.applied = result.applied === true;
			return this.finish(res, record, result);
		}
		if (!isApi) return this.finish(res, record, fail(404, 'not.found', `No such resource: ${method} ${path}`));
		return this.handleApi(req, res, record, raw);
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: string): Promise<void> {
		const core = this.core;
		const decision = decideFaults(core.faults, record.method, record.path, core.random.faults);
		const latency = latencyFor(core.faults, core.random.latency);
		if (latency > 0) await sleep(latency);

		if (decision.before === 'drop') {
			record.fault = 'drop';
			core.stats.injected.drop += 1;
			return this.destroy(res, record);
		}
		const auth = core.tokens.check(req.headers.authorization, core.now());
		if (!auth.ok) {
			record.tokenId = auth.tokenId;
			const result =
				auth.reason === 'missing'
					? fail(401, 'authentication.required', 'No authentication bearer token specified in authorization header.')
					: fail(401, 'bad.credentials', 'Invalid login credentials.');
			return this.finish(res, record, result);
		}
		record.tokenId = auth.tokenId;

		const tokenHit = core.faults.tokenFilter === undefined || new RegExp(core.faults.tokenFilter).test(auth.tokenId);
		const injected = tokenHit ? this.injectedBeforeRoute(decision, record) : undefined;
		if (injected) return this.finish(res, record, injected);

		const limited = this.rateLimited(record, auth.tokenId);
		if (limited) return this.finish(res, record, limited);
		if (decision.before === 'r5xx' && tokenHit) {
			const status = decision.status5xx ?? 503;
			record.fault = 'r5xx';
			core.stats.injected.r5xx += 1;
			return this.finish(res, record, fail(status, STATUS_5XX_CODES[status].code, STATUS_5XX_CODES[status].message));
		}

		const parsed = parseJsonBody(raw, req.headers['content-type']);
		if (!parsed.ok) return this.finish(res, record, parsed.error);
		record.body = redact(parsed.value);
		const info: RequestInfo = {
			method: record.method,
			path: record.path,
			query: record.query,
			body: parsed.value,
			params: {},
			tokenId: auth.tokenId,
			clientId: auth.clientId,
		};
		this.rivalCreate(info);
		const result = this.route(info);
		record.applied = result.applied === true;
		const gateway = this.gatewayAfterRoute(record.path);
		if (gateway !== undefined) {
			record.fault = 'gatewayAfterRoute';
			record.intendedStatus = result.status;
			if (gateway === 'reset') return this.destroy(res, record);
			const { code, message } = STATUS_5XX_CODES[gateway];
			return this.finish(res, record, fail(gateway, code, message));
		}
		const gatewayError = scoped(core.faults.appliedThen5xx, record.path);
		if (gatewayError && record.applied) {
			record.fault = 'appliedThen5xx';
			record.intendedStatus = result.status;
			const { code, message } = STATUS_5XX_CODES[gatewayError.status];
			return this.finish(res, record, fail(gatewayError.status, code, message));
		}
		if (decision.loseResponse && record.applied) {
			record.fault = 'lost';
			record.intendedStatus = result.status;
			core.stats.injected.lost += 1;
			return this.destroy(res, record);
		}
		return this.finish(res, record, result);
	}

	/** The gatewayAfterRoute outcome for this request, counting its `times`. */
	private gatewayAfterRoute(path: string): 502 | 503 | 504 | 'reset' | undefined {
		const knob = scoped(this.core.faults.gatewayAfterRoute, path);
		if (!knob) return undefined;
		const hits = this.gatewayHits.get(knob) ?? 0;
		if (knob.times !== undefined && hits >= knob.times) return undefined;
		this.gatewayHits.set(knob, hits + 1);
		return knob.outcome;
	}

	/** A rival's create of the same email lands first (once per entry). */
	private rivalCreate(info: RequestInfo): void {
		const rivals = this.core.faults.rivalCreates;
		if (!rivals || info.method !== 'POST' || info.path !== '/api/v2/users') return;
		const email = (info.body as { email?: unknown } | undefined)?.email;
		if (typeof email !== 'string') return;
		const rival = rivals.find((entry) => entry.email.toLowerCase() === email.toLowerCase() && !this.rivalsDone.has(entry));
		if (!rival || this.core.state.userByEmail(rival.email) !== undefined) return;
		this.rivalsDone.add(rival);
		const { version, ...seed } = rival;
		const [user] = this.core.seedUsers([seed]);
		if (version !== undefined) user.version = version;
	}

	/**
	 * The rolling windows: per token, then org-wide, then per route. A request is counted in all of them only
	 * when every one accepts it; the 429 carries the longest wait of those that refused.
	 */
	private rateLimited(record: RecordedRequest, tokenId: string): RouteResult | undefined {
		const core = this.core;
		const now = core.now();
		const routes = core.routeLimiters.filter(
			({ route, pattern }) => (route.method === undefined || route.method === record.method) && pattern.test(record.path),
		);
		const checks: Array<{ kind: 'token' | 'org' | 'route'; fault: string; verdict: ReturnType<typeof core.limiter.peek>; add: () => void }> = [
			{ kind: 'token', fault: 'rateLimit', verdict: core.limiter.peek(tokenId, now), add: () => core.limiter.add(tokenId, now) },
			{ kind: 'org', fault: 'orgRateLimit', verdict: core.orgLimiter.peek('org', now), add: () => core.orgLimiter.add('org', now) },
			...routes.map(({ limiter }) => ({
				kind: 'route' as const,
				fault: 'routeRateLimit',
				verdict: limiter.peek('route', now),
				add: () => limiter.add('route', now),
			})),
		];
		const refused = checks.filter((check) => !check.verdict.accepted);
		if (refused.length === 0) {
			for (const check of checks) check.add();
			return undefined;
		}
		const waitMs = Math.max(...refused.map((check) => (check.verdict.accepted ? 0 : check.verdict.retryAfterMs)));
		record.fault = refused[0].fault;
		core.stats.rateLimited += 1;
		core.stats.rateLimitedBy[refused[0].kind] += 1;
		return tooManyRequests(formatRetryAfter(waitMs / 1000, core.options.fractionalRetryAfter));
	}

	/** Daily limit and random 429s: answered before the rolling window, and not counted in it. */
	private injectedBeforeRoute(decision: FaultDecision, record: RecordedRequest): RouteResult | undefined {
		const core = this.core;
		if (decision.before === 'daily') {
			record.fault = 'daily';
			core.stats.injected.r429 += 1;
			return tooManyRequests(String(dailyRetryAfterSec(core.now())));
		}
		if (decision.before === 'r429') {
			record.fault = 'r429';
			core.stats.injected.r429 += 1;
			return tooManyRequests(
				core.faults.retryAfterHeader ?? formatRetryAfter(core.faults.retryAfterSec, core.options.fractionalRetryAfter),
			);
		}
		return undefined;
	}

	/** The login host's own limit: token requests per OAuth client (rolling window, accepted ones only). */
	private tokenEndpointLimited(authorization: string | undefined): RouteResult | undefined {
		const core = this.core;
		const clientId = basicClientId(authorization);
		if (clientId === undefined) return undefined;
		const verdict = core.tokenLimiter.check(clientId, core.now());
		if (verdict.accepted) return undefined;
		core.stats.rateLimitedBy.tokenEndpoint += 1;
		const retryAfter = formatRetryAfter(verdict.retryAfterMs / 1000, core.options.fractionalRetryAfter);
		const description = 'Too many token requests for this client';
		return {
			status: 429,
			headers: { 'Retry-After': retryAfter },
			body: { error: 'too_many_requests', description, error_description: description },
		};
	}

	private route(info: RequestInfo): RouteResult {
		if (info.method === 'GET') {
			const scripted = this.core.jobs.answer(info.path, info.query);
			if (scripted !== undefined) return scripted;
		}
		const match = matchRoute(API_ROUTES, info.method, info.path);
		if (match.kind === 'wrongMethod') return fail(405, 'method.not.allowed', `${info.method} is not allowed on ${info.path}`);
		if (match.kind === 'none') return fail(404, 'not.found', `No such resource: ${info.method} ${info.path}`);
		return match.route.handler(this.core, { ...info, params: match.params });
	}

	private async handleAdmin(
		req: IncomingMessage,
		res: ServerResponse,
		method: string,
		path: string,
		query: Record<string, string>,
	): Promise<void> {
		if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
			return send(res, fail(403, 'not.authorized', 'The admin API is loopback only'), 'admin');
		}
		const raw = await readBody(req);
		let body: unknown;
		try {
			body = raw.length === 0 ? undefined : JSON.parse(raw);
		} catch {
			return send(res, badRequest('The request body is not valid JSON'), 'admin');
		}
		const match = matchRoute(adminRoutes, method, path);
		if (match.kind !== 'found') return send(res, fail(404, 'not.found', `No admin resource ${method} ${path}`), 'admin');
		send(res, match.route.handler(this.core, { method, path, query, body, params: match.params }), 'admin');
	}

	private enter(res: ServerResponse): void {
		const stats = this.core.stats;
		stats.inFlight += 1;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		res.once('close', () => (stats.inFlight -= 1));
	}

	private finish(res: ServerResponse, record: RecordedRequest, routed: RouteResult): void {
		const faults = this.core.faults;
		let result = routed;
		const malformed = scoped(faults.malformed, record.path);
		if (malformed && routed.status >= 200 && routed.status < 300) {
			record.fault = 'malformed';
			record.intendedStatus = routed.status;
			result = malformedAnswer(malformed.kind, record.path);
		}
		record.status = result.status;
		record.answeredAt = this.core.now();
		this.count(result.status);
		if (scoped(faults.stall, record.path)?.phase === 'body') {
			record.fault = 'stall';
			return sendHalf(res, result, record.correlationId);
		}
		const trickle = scoped(faults.trickle, record.path);
		if (trickle) {
			record.fault ??= 'trickle';
			return sendTrickling(res, result, record.correlationId, trickle);
		}
		send(res, result, record.correlationId);
	}

	/** The client sees a reset socket and no response at all. */
	private destroy(res: ServerResponse, record: RecordedRequest): void {
		record.status = 0;
		record.answeredAt = this.core.now();
		this.count(0);
		res.socket?.destroy();
		res.destroy();
	}

	private count(status: number): void {
		const byStatus = this.core.stats.byStatus;
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}
}
