/**
 * Everything one emulator instance holds, shared by the server and the routes: options, state, catalog,
 * faults, limiter, tokens, jobs, request log and stats.
 */
import { Catalog } from './catalog';
import { DEFAULT_FAULTS, mergeFaults } from './faults';
import { JobStore } from './jobs';
import { OutboundStore } from './outbound';
import { createStreams, type RandomStreams } from './random';
import { RateLimiter } from './rateLimit';
import type { RouteRateLimit } from './rateLimit';
import { StateStore } from './state';
import { TokenStore } from './tokens';
import type { EmulatorOptions, EmulatorStats, EmuUser, Faults, RecordedRequest, SeedUser } from './types';

export interface ResolvedOptions {
	seed: number;
	port: number;
	clients: Array<{ clientId: string; clientSecret: string }>;
	tokenLifetimeSec: number;
	rateLimit: { limit: number; windowMs: number } | false;
	orgRateLimit: { limit: number; windowMs: number } | false;
	routeRateLimits: RouteRateLimit[];
	tokenRateLimit: { limit: number; windowMs: number } | false;
	fractionalRetryAfter: boolean;
	faults: Partial<Faults>;
	users: SeedUser[];
	job: { completeAfterMs: number; resultCount: number; pageSize: number };
	usage: { completeAfterMs: number; rowCount: number; pageSize: number };
	smallImportRows: number;
	/** Infinity when unlimited. */
	searchMaxValues: number;
	now: () => number;
}

export const DEFAULT_CLIENT = { clientId: 'test-client-id', clientSecret: 'test-client-secret' } as const;

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
	return {
		seed: options.seed ?? 1,
		port: options.port ?? 0,
		clients: options.clients ?? [{ ...DEFAULT_CLIENT }],
		tokenLifetimeSec: options.tokenLifetimeSec ?? 86_400,
		rateLimit: options.rateLimit ?? { limit: 300, windowMs: 60_000 },
		orgRateLimit: options.orgRateLimit ?? false,
		routeRateLimits: options.routeRateLimits ?? [],
		tokenRateLimit: options.tokenRateLimit ?? false,
		fractionalRetryAfter: options.fractionalRetryAfter ?? false,
		faults: options.faults ?? {},
		users: options.users ?? [],
		job: {
			completeAfterMs: options.job?.completeAfterMs ?? 3000,
			resultCount: options.job?.resultCount ?? 25,
			pageSize: options.job?.pageSize ?? 10,
		},
		usage: {
			completeAfterMs: options.usage?.completeAfterMs ?? 3000,
			rowCount: options.usage?.rowCount ?? 250,
			pageSize: options.usage?.pageSize ?? 100,
		},
		smallImportRows: options.smallImportRows ?? 100,
		searchMaxValues: searchMaxValuesOf(options.searchMaxValues),
		now: options.now ?? Date.now,
	};
}

function searchMaxValuesOf(value: number | undefined): number {
	if (value === undefined) return Number.POSITIVE_INFINITY;
	if (!Number.isInteger(value) || value < 1) throw new RangeError(`searchMaxValues must be a positive integer, got ${value}`);
	return value;
}

function emptyStats(): EmulatorStats {
	return {
		inFlight: 0,
		maxInFlight: 0,
		total: 0,
		byStatus: {},
		injected: { r429: 0, r5xx: 0, drop: 0, lost: 0 },
		rateLimited: 0,
		rateLimitedBy: { token: 0, org: 0, route: 0, tokenEndpoint: 0 },
		tokensIssued: 0,
	};
}

export class EmulatorCore {
	readonly options: ResolvedOptions;
	readonly catalog: Catalog;
	readonly state = new StateStore();
	readonly tokens = new TokenStore();
	readonly limiter: RateLimiter;
	/** Across every token: the org-wide cap (key 'org'). */
	readonly orgLimiter: RateLimiter;
	/** One per route cap, keyed 'route'. */
	readonly routeLimiters: Array<{ route: RouteRateLimit; pattern: RegExp; limiter: RateLimiter }>;
	/** Token requests per OAuth client id. */
	readonly tokenLimiter: RateLimiter;
	readonly jobs: JobStore;
	readonly outbound: OutboundStore;
	readonly requests: RecordedRequest[] = [];
	readonly stats: EmulatorStats = emptyStats();
	readonly random: RandomStreams;
	faults: Faults;
	private seq = 0;

	constructor(options: EmulatorOptions = {}) {
		this.options = resolveOptions(options);
		this.catalog = new Catalog(options);
		this.limiter = new RateLimiter(this.options.rateLimit);
		this.orgLimiter = new RateLimiter(this.options.orgRateLimit);
		this.routeLimiters = this.options.routeRateLimits.map((route) => ({
			route,
			pattern: new RegExp(route.pathFilter),
			limiter: new RateLimiter({ limit: route.limit, windowMs: route.windowMs }),
		}));
		this.tokenLimiter = new RateLimiter(this.options.tokenRateLimit);
		this.random = createStreams(this.options.seed);
		this.faults = mergeFaults(DEFAULT_FAULTS, this.options.faults);
		this.jobs = new JobStore(this);
		this.outbound = new OutboundStore(this.catalog, this.options.smallImportRows, () => this.now());
		this.seedUsers(this.options.users);
	}

	now(): number {
		return this.options.now();
	}

	nextSeq(): number {
		return ++this.seq;
	}

	setFaults(patch: Partial<Faults>): void {
		this.faults = mergeFaults(this.faults, patch);
	}

	clearFaults(): void {
		this.faults = { ...DEFAULT_FAULTS };
	}

	/** Back to the state right after start: seed users again, same id sequence; issued tokens stay valid. */
	reset(): void {
		this.state.clear();
		this.requests.length = 0;
		const fresh = emptyStats();
		fresh.inFlight = this.stats.inFlight;
		Object.assign(this.stats, fresh);
		this.jobs.reset();
		this.catalog.reset();
		this.outbound.reset();
		this.limiter.clear();
		this.orgLimiter.clear();
		for (const { limiter } of this.routeLimiters) limiter.clear();
		this.tokenLimiter.clear();
		Object.assign(this.random, createStreams(this.options.seed));
		this.faults = mergeFaults(DEFAULT_FAULTS, this.options.faults);
		this.seq = 0;
		this.seedUsers(this.options.users);
	}

	/** Pre-existing users: visible everywhere at once (no consistency delay, already indexed). */
	seedUsers(users: SeedUser[]): EmuUser[] {
		const now = this.now();
		return users.map((seed) => {
			if (this.state.userByEmail(seed.email) !== undefined) throw new Error(`seed user email already exists: ${seed.email}`);
			const divisionId = seed.divisionId ?? this.catalog.homeDivisionId;
			if (!this.catalog.divisions.has(divisionId)) throw new Error(`seed user division is unknown: ${divisionId}`);
			const user: EmuUser = {
				id: seed.id ?? this.random.userIds.uuid(),
				name: seed.name,
				email: seed.email,
				state: seed.state ?? 'active',
				version: 1,
				title: seed.title,
				department: seed.department,
				divisionId,
				createdAt: now,
				updatedAt: now,
			};
			if (this.state.users.has(user.id)) throw new Error(`seed user id already exists: ${user.id}`);
			this.state.addUser(user, now, 0, 0);
			return user;
		});
	}
}
