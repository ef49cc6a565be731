/**
 * Pure measurements: what the emulator ended up holding and what it was asked, turned into the numbers of
 * the report. Time is compressed by `factor`, so per-minute rates are given per *Genesys minute*
 * (real minutes x factor): comparable with Genesys's 300 requests/min, and ratios are the same either way.
 */
import type { EmuUser, RecordedRequest } from '../test/emulator';

export interface RateLimitShape {
	/** Requests per window, per token. */
	limit: number;
	/** Window in real ms (60 000 / factor). */
	windowMs: number;
	/** Latency added to every answer, real ms. */
	latencyMs: number;
	factor: number;
	/** Tokens in the client's pool (1 when absent): the client may send limit x tokens per window. */
	tokens?: number;
	/** An org-wide cap across every token, per window, that the client is not told (none when absent). */
	orgLimit?: number;
}

/** Requests per window the server lets through for this client: its tokens' budgets, within the org cap. */
export function effectiveLimit(shape: RateLimitShape): number {
	return Math.min(shape.limit * (shape.tokens ?? 1), shape.orgLimit ?? Number.POSITIVE_INFINITY);
}

export interface ApiTraffic {
	/** /api/v2 requests sent (every answer, 429s and faults included; token calls excluded). */
	requests: number;
	/** Answered by the route itself (not refused by the limiter or a fault). */
	accepted: number;
	r429: number;
	/** 409 answers: re-sends of something already there (e.g. a create of an existing email). */
	conflicts: number;
	byStatus: Record<string, number>;
	/** Requests per path family (`POST /api/v2/users`, `POST /api/v2/users/search`, ...). */
	byRoute: Record<string, number>;
	tokenRequests: number;
}

export interface UserOutcome {
	expected: number;
	/** Expected emails held by exactly one live (not deleted) user. */
	created: number;
	lost: number;
	/** Users beyond one per expected email, plus users created for emails nobody asked for. */
	duplicates: number;
}

export interface RateMetrics {
	wallMs: number;
	genesysMinutes: number;
	usersPerMin: number;
	requestsPerMin: number;
	callsPerUser: number;
	/** limit / calls per user, per Genesys minute. */
	ceilingUsersPerMin: number;
	ratioToCeiling: number;
	/** Shortest time the rolling window allows for the essential requests (see windowBoundMs). */
	windowBoundMs: number;
	/** windowBoundMs / wall time; null when the essential requests fit in one window (no bound to speak of). */
	ratioToWindowBound: number | null;
}

/** Collapses ids in a path so requests group by endpoint. */
export function routeOf(request: Pick<RecordedRequest, 'method' | 'path'>): string {
	const path = request.path
		.replace(/\/users\/(?!search\b|externalid\b)[^/]+/, '/users/{id}')
		.replace(/\/subjects\/[^/]+/, '/subjects/{id}')
		.replace(/\/roles\/[^/]+/, '/roles/{id}')
		.replace(/\/jobs\/[^/]+/, '/jobs/{id}')
		.replace(/\/datatables\/[^/]+/, '/datatables/{id}');
	return `${request.method} ${path}`;
}

function increment(counts: Record<string, number>, key: string): void {
	counts[key] = (counts[key] ?? 0) + 1;
}

export function apiTraffic(requests: readonly RecordedRequest[]): ApiTraffic {
	const traffic: ApiTraffic = {
		requests: 0,
		accepted: 0,
		r429: 0,
		conflicts: 0,
		byStatus: {},
		byRoute: {},
		tokenRequests: 0,
	};
	for (const request of requests) {
		if (request.path === '/oauth/token') {
			traffic.tokenRequests++;
			continue;
		}
		if (!request.path.startsWith('/api/v2/')) continue;
		traffic.requests++;
		increment(traffic.byStatus, String(request.status));
		increment(traffic.byRoute, routeOf(request));
		if (request.status === 429) traffic.r429++;
		if (request.status === 409) traffic.conflicts++;
		if (request.fault === undefined) traffic.accepted++;
	}
	return traffic;
}

/** Compares the emulator's users with the emails the contender was asked to create. */
export function userOutcome(users: Iterable<EmuUser>, expectedEmails: ReadonlySet<string>): UserOutcome {
	const live = new Map<string, number>();
	let strangers = 0;
	for (const user of users) {
		if (user.state === 'deleted') continue;
		const email = user.email.toLowerCase();
		if (!expectedEmails.has(email)) {
			strangers++;
			continue;
		}
		live.set(email, (live.get(email) ?? 0) + 1);
	}
	let extra = 0;
	for (const count of live.values()) extra += count - 1;
	return {
		expected: expectedEmails.size,
		created: live.size,
		lost: expectedEmails.size - live.size,
		duplicates: extra + strangers,
	};
}

/**
 * A rolling window of `limit` per `windowMs` lets N requests finish no sooner than floor((N-1)/limit)
 * windows after the first one starts, plus the time the last window's r requests need at the client's
 * concurrency: ceil(r / concurrency) answers in a row, each at least one latency (one latency when the
 * concurrency is not known). A short run can beat limit/min on average (its first window is a burst), so this
 * bound is the fair yardstick beside the plain ceiling. No client at that concurrency can beat it; what is left
 * between it and the wall time is the client's own time (and this machine's).
 */
export function windowBoundMs(essentialRequests: number, shape: RateLimitShape, concurrency?: number): number {
	if (essentialRequests <= 0) return 0;
	const limit = effectiveLimit(shape);
	const fullWindows = Math.floor((essentialRequests - 1) / limit);
	const lastWindow = essentialRequests - fullWindows * limit;
	const answersInARow = concurrency === undefined ? 1 : Math.ceil(lastWindow / concurrency);
	return fullWindows * shape.windowMs + answersInARow * shape.latencyMs;
}

/**
 * Only meaningful when the calls need more than one window (below that the bound is one latency, which
 * no client with finite concurrency reaches) and every user was created (else 0: the speed was not earned).
 */
function windowBoundRatio(
	bound: number,
	wallMs: number,
	essentialRequests: number,
	allCreated: boolean,
	shape: RateLimitShape,
): number | null {
	if (essentialRequests <= effectiveLimit(shape) || wallMs <= 0) return null;
	return allCreated ? bound / wallMs : 0;
}

export function rateMetrics(
	createdUsers: number,
	requests: number,
	callsPerUser: number,
	expectedUsers: number,
	wallMs: number,
	shape: RateLimitShape,
	concurrency?: number,
): RateMetrics {
	const genesysMinutes = (wallMs * shape.factor) / 60_000;
	const usersPerMin = genesysMinutes > 0 ? createdUsers / genesysMinutes : 0;
	const ceilingUsersPerMin = effectiveLimit(shape) / callsPerUser;
	const bound = windowBoundMs(expectedUsers * callsPerUser, shape, concurrency);
	return {
		wallMs,
		genesysMinutes,
		usersPerMin,
		requestsPerMin: genesysMinutes > 0 ? requests / genesysMinutes : 0,
		callsPerUser,
		ceilingUsersPerMin,
		ratioToCeiling: usersPerMin / ceilingUsersPerMin,
		windowBoundMs: bound,
		ratioToWindowBound: windowBoundRatio(bound, wallMs, expectedUsers * callsPerUser, createdUsers === expectedUsers, shape),
	};
}

/** Follow-ups that landed for the expected users (full scenario). */
export interface FollowUpOutcome {
	withExternalId: number;
	withRole: number;
	invited: number;
	/** Invite emails Genesys sent to these users (more than `invited` means someone got two). */
	invitesSent: number;
	/** Created users with every follow-up done. */
	complete: number;
}

export function followUpOutcome(
	users: Iterable<EmuUser>,
	expectedEmails: ReadonlySet<string>,
	externalIds: ReadonlyMap<string, ReadonlyArray<{ authorityName: string; externalKey: string }>>,
	grants: ReadonlyMap<string, ReadonlyArray<{ roleId: string; divisionId: string }>>,
	invites: readonly string[],
	roleId: string,
): FollowUpOutcome {
	const invited = new Set(invites);
	const outcome: FollowUpOutcome = { withExternalId: 0, withRole: 0, invited: 0, invitesSent: 0, complete: 0 };
	const ours = new Set<string>();
	for (const user of users) {
		if (user.state === 'deleted' || !expectedEmails.has(user.email.toLowerCase())) continue;
		ours.add(user.id);
		const hasExternalId = (externalIds.get(user.id) ?? []).length > 0;
		const hasRole = (grants.get(user.id) ?? []).some((grant) => grant.roleId === roleId);
		const isInvited = invited.has(user.id);
		if (hasExternalId) outcome.withExternalId++;
		if (hasRole) outcome.withRole++;
		if (isInvited) outcome.invited++;
		if (hasExternalId && hasRole && isInvited) outcome.complete++;
	}
	outcome.invitesSent = invites.filter((id) => ours.has(id)).length;
	return outcome;
}
