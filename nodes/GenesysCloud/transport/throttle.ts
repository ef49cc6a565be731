/**
 * Pacing shared by every request of one credential in this process (every execution and node using it):
 * - a rolling window per token ("lane"): at most `limit` request starts in ANY interval of `windowMs` (exact,
 *   no burst credit); a pool of `lanes` tokens has one such window per token, and each start goes to the token
 *   with room;
 * - a concurrency cap: never more than `maxConcurrency` requests in flight, whatever the pool size;
 * - pauses: after a 429, no request starts on that token before Retry-After has passed; with one token that is
 *   every request. When several tokens of a pool are refused within one window the limit is a shared one
 *   (org-wide, per route): every token pauses, and the pool's own cap is lowered, then raised again step by step
 *   (`AdaptiveCap`).
 * Waiters are served first come, first served.
 */
import { onAbort } from '../abort';
import { sleep as n8nSleep } from '../sleep';

export interface ThrottleSettings {
	/** Request starts allowed per window. */
	limit: number;
	windowMs: number;
	maxConcurrency: number;
	/** Added to the window, for clock granularity (requests are already counted until they complete). */
	marginMs?: number;
	/** Tokens in the pool, each with its own window of `limit` starts (default 1). */
	lanes?: number;
}

export interface Clock {
	now: () => number;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: n8nSleep };

export interface ThrottleSnapshot {
	inFlight: number;
	queued: number;
	/** Across the pool. */
	startsInWindow: number;
	/** Until when every token is paused. */
	pausedUntil: number;
}

export interface LaneSnapshot {
	lane: number;
	startsInWindow: number;
	pausedUntil: number;
	/** Starts granted on this token since the throttle was created. */
	starts: number;
	/** 429s reported on this token. */
	refusals: number;
}

export interface PoolSnapshot {
	lanes: LaneSnapshot[];
	/** Starts allowed per window across the pool (the adaptive cap; lanes x limit when never lowered). */
	cap: number;
	/** Times a limit shared by several tokens was detected and the cap lowered. */
	decreases: number;
	increases: number;
}

/** What a 429 on one token was taken for. */
export type RefusalScope = 'token' | 'shared';

/** A slot taken by `acquire`. */
export interface Permit {
	/** The token (0 = the credential's own) this request must go out with. */
	lane: number;
	/** Frees the concurrency slot; calling it twice is harmless. */
	release: () => void;
	/**
	 * Moves this request's start to now. For a request that actually left later than its slot was granted
	 * (it waited for a token first): the window must count it when the server saw it, not before.
	 * `release` does the same at completion.
	 */
	restamp: () => void;
}

interface Stamp {
	t: number;
}

interface Waiter {
	resolve: (permit: Permit) => void;
	reject: (reason: unknown) => void;
	done: boolean;
	/** Stops listening to the waiter's signal. */
	unsubscribe?: () => void;
}

/** Most tokens in a pool (Genesys's Terraform provider allows 1 to 20 as well). */
export const MAX_LANES = 20;

/**
 * 0.1% of the window, at least 5 ms, at most 60 ms. Requests are counted until their response arrives (see
 * `release`), which already keeps the window exact at the server; the margin only absorbs clock granularity.
 */
export function defaultMarginMs(windowMs: number): number {
	return Math.min(60, Math.max(5, Math.ceil(windowMs * 0.001)));
}

function checkSettings(settings: ThrottleSettings): Required<ThrottleSettings> {
	const { limit, windowMs, maxConcurrency } = settings;
	if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
	if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
	if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
		throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
	}
	const marginMs = settings.marginMs ?? defaultMarginMs(windowMs);
	if (!(marginMs >= 0)) throw new RangeError(`marginMs must be >= 0, got ${marginMs}`);
	const lanes = settings.lanes ?? 1;
	if (!Number.isInteger(lanes) || lanes < 1 || lanes > MAX_LANES) {
		throw new RangeError(`lanes must be an integer from 1 to ${MAX_LANES}, got ${lanes}`);
	}
	return { limit, windowMs, maxConcurrency, marginMs, lanes };
}

/** Start times, oldest first; only the last `keep` are kept (older ones can no longer decide anything). */
class StartWindow {
	readonly stamps: Stamp[] = [];

	insert(stamp: Stamp, keep: number): void {
		let index = this.stamps.length;
		while (index > 0 && this.stamps[index - 1].t > stamp.t) index--;
		this.stamps.splice(index, 0, stamp);
		if (this.stamps.length > keep) this.stamps.splice(0, this.stamps.length - keep);
	}

	remove(stamp: Stamp): void {
		const index = this.stamps.indexOf(stamp);
		if (index >= 0) this.stamps.splice(index, 1);
	}

	/** When the next start is allowed with at most `limit` starts per `spanMs` (0: now). */
	nextSlot(limit: number, spanMs: number): number {
		if (this.stamps.length < limit) return 0;
		return this.stamps[this.stamps.length - limit].t + spanMs;
	}

	countAfter(horizon: number): number {
		let count = 0;
		for (let i = this.stamps.length - 1; i >= 0 && this.stamps[i].t > horizon; i--) count++;
		return count;
	}
}

interface Lane {
	window: StartWindow;
	pausedUntil: number;
	starts: number;
	refusals: number;
}

function newLane(): Lane {
	return { window: new StartWindow(), pausedUntil: 0, starts: 0, refusals: 0 };
}

/**
 * How a pool adapts to a limit it is not told (org-wide, per route, or a per-token limit lower than configured):
 * 429s on SHARED_LIMIT_TOKENS different tokens within one window mean the tokens share a limit. The pool's cap
 * (starts per window across all tokens, at first tokens x limit) then drops to DECREASE_FACTOR x the requests
 * Genesys accepted in the last window (at most once per window), and every window in which the cap held requests
 * back without any 429 it rises by INCREASE_STEP x the cap set by the last decrease (a constant step, sized to the
 * limit found), back up to tokens x limit.
 */
export const ADAPTIVE = {
	SHARED_LIMIT_TOKENS: 2,
	DECREASE_FACTOR: 0.95,
	INCREASE_STEP: 0.05,
	/** The cap never drops below this fraction of one token's limit. */
	MIN_CAP_FRACTION: 0.1,
} as const;

class AdaptiveCap {
	cap: number;
	lowered = false;
	decreases = 0;
	increases = 0;
	/** The cap held a waiter back since the last change. */
	bound = false;
	lastChangeAt = Number.NEGATIVE_INFINITY;
	lastDecreaseAt = Number.NEGATIVE_INFINITY;
	/** Additive step, fixed at each decrease. */
	step = 1;
	readonly refusals: Array<{ lane: number; at: number }> = [];

	constructor(private full: number) {
		this.cap = full;
	}

	resize(full: number): void {
		this.full = full;
		this.cap = this.lowered ? Math.min(this.cap, full) : full;
	}

	/** Records a 429 on `lane`; true when it makes the limit a shared one. */
	refused(lane: number, now: number, windowMs: number): boolean {
		this.forget(now, windowMs);
		this.refusals.push({ lane, at: now });
		return new Set(this.refusals.map((r) => r.lane)).size >= ADAPTIVE.SHARED_LIMIT_TOKENS;
	}

	/** Lowers the cap below what Genesys accepted in the last window (once per window). */
	decrease(now: number, windowMs: number, startsInWindow: number, limit: number): void {
		if (now - this.lastDecreaseAt < windowMs) return;
		this.forget(now, windowMs);
		const accepted = Math.max(0, startsInWindow - this.refusals.length);
		const floor = Math.max(1, Math.ceil(limit * ADAPTIVE.MIN_CAP_FRACTION));
		this.cap = Math.max(floor, Math.floor(Math.min(this.cap, accepted) * ADAPTIVE.DECREASE_FACTOR));
		this.step = Math.max(1, Math.ceil(this.cap * ADAPTIVE.INCREASE_STEP));
		this.lowered = true;
		this.decreases++;
		this.lastDecreaseAt = now;
		this.lastChangeAt = now;
		this.bound = false;
	}

	/** One step up after a whole window in which the cap was the bottleneck and nobody was refused. */
	maybeIncrease(now: number, windowMs: number): void {
		if (!this.lowered || this.cap >= this.full || !this.bound || now - this.lastChangeAt < windowMs) return;
		if (this.refusals.some((r) => r.at > this.lastChangeAt)) return;
		this.cap = Math.min(this.full, this.cap + this.step);
		if (this.cap >= this.full) this.lowered = false;
		this.increases++;
		this.lastChangeAt = now;
		this.bound = false;
	}

	private forget(now: number, windowMs: number): void {
		while (this.refusals.length > 0 && this.refusals[0].at <= now - windowMs) this.refusals.shift();
	}
}

export class Throttle {
	private settings: Required<ThrottleSettings>;
	private readonly clock: Clock;
	private lanes: Lane[] = [];
	/** Every start of the pool (the same stamps as the lanes'), for the adaptive cap. */
	private readonly pool = new StartWindow();
	private readonly adaptive: AdaptiveCap;
	private readonly queue: Waiter[] = [];
	private inFlight = 0;
	/** Every token paused until then (a 429 with one token, or a shared limit). */
	private pausedUntil = 0;
	private pumping = false;
	private pumpSleep?: AbortController;
	private lastActivity: number;

	constructor(
		settings: ThrottleSettings,
		clock: Partial<Clock> = {},
		private readonly signal?: AbortSignal,
	) {
		this.settings = checkSettings(settings);
		this.clock = { ...SYSTEM_CLOCK, ...clock };
		this.lastActivity = this.clock.now();
		this.resizeLanes(this.settings.lanes);
		this.adaptive = new AdaptiveCap(this.fullCap());
	}

	get currentSettings(): Readonly<Required<ThrottleSettings>> {
		return this.settings;
	}

	/** Waits for a slot (window, concurrency and pause all allowing), then counts the start. */
	async acquire(signal?: AbortSignal): Promise<Permit> {
		signal?.throwIfAborted();
		this.lastActivity = this.clock.now();
		if (this.queue.length === 0 && this.waitMs() === 0) return this.start();
		return await new Promise<Permit>((resolve, reject) => {
			const waiter: Waiter = { resolve, reject, done: false };
			if (signal) waiter.unsubscribe = onAbort(signal, (reason) => this.abandon(waiter, reason));
			this.queue.push(waiter);
			void this.pump();
		});
	}

	/** No request starts before `time` (epoch ms), on any token. Only ever extends an existing pause. */
	pauseUntil(time: number): void {
		if (time > this.pausedUntil) this.pausedUntil = time;
		this.lastActivity = this.clock.now();
	}

	/** Only `lane` waits until `time` (its token could not be had: the login host's limit is not the API's). */
	pauseLane(lane: number, time: number): RefusalScope {
		if (this.lanes.length === 1) {
			this.pauseUntil(time);
			return 'token';
		}
		const target = this.lanes[lane] ?? this.lanes[0];
		if (time > target.pausedUntil) target.pausedUntil = time;
		this.lastActivity = this.clock.now();
		return 'token';
	}

	/**
	 * A 429 on `lane`: that token waits until `time`. With one token that is everyone; in a pool, 429s on
	 * several tokens within a window pause them all and lower the pool's cap.
	 */
	refused(lane: number, time: number): RefusalScope {
		const now = this.clock.now();
		if (this.lanes.length === 1) {
			this.lanes[0].refusals++;
			this.pauseUntil(time);
			return 'token';
		}
		const target = this.lanes[lane] ?? this.lanes[0];
		target.refusals++;
		if (time > target.pausedUntil) target.pausedUntil = time;
		this.lastActivity = now;
		const { windowMs, marginMs, limit } = this.settings;
		if (!this.adaptive.refused(lane, now, windowMs)) return 'token';
		this.pauseUntil(time);
		// Requests still in flight may be refused too: count them out of what Genesys accepted.
		const started = this.pool.countAfter(now - windowMs - marginMs) - this.inFlight;
		this.adaptive.decrease(now, windowMs, started, limit);
		return 'shared';
	}

	/** Ms until some token may start (windows, cap and pauses), whatever is in flight. */
	readyInMs(): number {
		const { earliest, capSlot } = this.earliestStart();
		return Math.max(0, Math.max(earliest, capSlot) - this.clock.now());
	}

	/**
	 * When the first token's window and the pauses allow a start (`earliest`), and when the pool-wide cap does
	 * (`capSlot`; -Infinity for a single token, which has no pool cap).
	 */
	private earliestStart(): { earliest: number; capSlot: number } {
		let laneReady = Number.POSITIVE_INFINITY;
		for (const lane of this.lanes) laneReady = Math.min(laneReady, this.laneReadyAt(lane));
		const earliest = Math.max(this.pausedUntil, laneReady);
		if (this.lanes.length === 1) return { earliest, capSlot: Number.NEGATIVE_INFINITY };
		const { windowMs, marginMs } = this.settings;
		return { earliest, capSlot: this.pool.nextSlot(this.adaptive.cap, windowMs + marginMs) };
	}

	/** Applies stricter settings from a later user of the same shared instance (never loosens). */
	tighten(settings: ThrottleSettings): void {
		const next = checkSettings(settings);
		const current = this.settings;
		const perMsNext = next.limit / next.windowMs;
		const perMsCurrent = current.limit / current.windowMs;
		const window = perMsNext < perMsCurrent ? next : current;
		this.settings = {
			limit: window.limit,
			windowMs: window.windowMs,
			marginMs: Math.max(current.marginMs, next.marginMs),
			maxConcurrency: Math.min(current.maxConcurrency, next.maxConcurrency),
			lanes: Math.min(current.lanes, next.lanes),
		};
		this.resizeLanes(this.settings.lanes);
	}

	snapshot(): ThrottleSnapshot {
		const now = this.clock.now();
		const horizon = now - this.settings.windowMs - this.settings.marginMs;
		return {
			inFlight: this.inFlight,
			queued: this.queue.length,
			startsInWindow: this.pool.countAfter(horizon),
			pausedUntil: this.pausedUntil,
		};
	}

	/** Per-token use and the pool's adaptive cap. */
	poolSnapshot(): PoolSnapshot {
		const now = this.clock.now();
		const horizon = now - this.settings.windowMs - this.settings.marginMs;
		return {
			lanes: this.lanes.map((lane, index) => ({
				lane: index,
				startsInWindow: lane.window.countAfter(horizon),
				pausedUntil: Math.max(lane.pausedUntil, this.pausedUntil),
				starts: lane.starts,
				refusals: lane.refusals,
			})),
			cap: this.adaptive.cap,
			decreases: this.adaptive.decreases,
			increases: this.adaptive.increases,
		};
	}

	/** Nothing in flight and nobody waiting (a pause or recent starts may still apply). */
	isQuiet(): boolean {
		return this.inFlight === 0 && this.queue.length === 0;
	}

	/**
	 * Takes these settings as they are, looser or stricter. For a quiet throttle only (nobody else is using it
	 * right now); the recent starts, any pause and what the pool learned of a shared limit still count.
	 */
	reconfigure(settings: ThrottleSettings): void {
		this.settings = checkSettings(settings);
		this.resizeLanes(this.settings.lanes);
	}

	/** Nothing running, waiting or paused, and unused for `idleMs`. */
	isIdle(now: number, idleMs: number): boolean {
		const lanesPaused = this.lanes.some((lane) => lane.pausedUntil > now);
		return (
			this.inFlight === 0 &&
			this.queue.length === 0 &&
			this.pausedUntil <= now &&
			!lanesPaused &&
			now - this.lastActivity >= idleMs
		);
	}

	private fullCap(): number {
		return this.settings.limit * this.settings.lanes;
	}

	private resizeLanes(count: number): void {
		while (this.lanes.length < count) this.lanes.push(newLane());
		if (this.lanes.length > count) this.lanes = this.lanes.slice(0, count);
		this.adaptive?.resize(this.fullCap());
	}

	/** When `lane` may start next (window and pauses), epoch ms. */
	private laneReadyAt(lane: Lane): number {
		const { limit, windowMs, marginMs } = this.settings;
		return Math.max(lane.pausedUntil, lane.window.nextSlot(limit, windowMs + marginMs));
	}

	/** Ms until a start is allowed by windows, cap and pauses; Infinity while the concurrency cap is reached. */
	private waitMs(): number {
		if (this.inFlight >= this.settings.maxConcurrency) return Number.POSITIVE_INFINITY;
		const now = this.clock.now();
		// The cap may rise first (a window without a 429), so the slot below is read against the new cap.
		if (this.lanes.length > 1) this.adaptive.maybeIncrease(now, this.settings.windowMs);
		const { earliest, capSlot } = this.earliestStart();
		if (capSlot > Math.max(now, earliest)) {
			this.adaptive.bound = true;
			return capSlot - now;
		}
		return Math.max(0, earliest - now);
	}

	/** The token with the most room among those that may start now (the first one on a tie). */
	private pickLane(now: number): number {
		if (this.lanes.length === 1) return 0;
		const horizon = now - this.settings.windowMs - this.settings.marginMs;
		let best = -1;
		let bestUsed = Number.POSITIVE_INFINITY;
		this.lanes.forEach((lane, index) => {
			if (this.laneReadyAt(lane) > now) return;
			const used = lane.window.countAfter(horizon);
			if (used < bestUsed) {
				best = index;
				bestUsed = used;
			}
		});
		return best >= 0 ? best : 0;
	}

	private start(): Permit {
		const now = this.clock.now();
		const laneIndex = this.pickLane(now);
		const lane = this.lanes[laneIndex];
		// Keep memory bounded: older starts can no longer decide anything.
		const laneKeep = this.settings.limit * 2 + 64;
		const poolKeep = this.fullCap() * 2 + 64;
		let stamp: Stamp = { t: now };
		const insert = (s: Stamp): void => {
			lane.window.insert(s, laneKeep);
			this.pool.insert(s, poolKeep);
		};
		insert(stamp);
		lane.starts++;
		this.inFlight++;
		this.lastActivity = now;
		let released = false;
		const moveTo = (t: number): void => {
			if (t <= stamp.t) return;
			lane.window.remove(stamp);
			this.pool.remove(stamp);
			stamp = { t };
			insert(stamp);
		};
		return {
			lane: laneIndex,
			release: () => {
				if (released) return;
				released = true;
				// The server stamped this request somewhere between its start and now; counting it as of now
				// keeps the window exact at the server whatever the client-side and network delays were.
				moveTo(this.clock.now());
				this.inFlight--;
				this.lastActivity = this.clock.now();
				void this.pump();
			},
			restamp: () => moveTo(this.clock.now()),
		};
	}

	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.dropSettledWaiters() > 0) {
				const wait = this.waitMs();
				if (wait === Number.POSITIVE_INFINITY) return; // a release will pump again
				if (wait > 0) {
					if (await this.sleepForPump(wait)) continue;
					if (this.signal?.aborted) this.rejectAll(this.signal.reason);
					return;
				}
				const waiter = this.queue.shift() as Waiter;
				this.settle(waiter);
				waiter.resolve(this.start());
			}
		} finally {
			this.pumping = false;
		}
	}

	/** Sleeps; false when the pump should stop (everyone left, or the execution was cancelled). */
	private async sleepForPump(ms: number): Promise<boolean> {
		const controller = new AbortController();
		this.pumpSleep = controller;
		const unsubscribe = this.signal ? onAbort(this.signal, () => controller.abort()) : undefined;
		try {
			if (this.signal?.aborted) return false;
			await this.clock.sleep(ms, controller.signal);
			return true;
		} catch {
			return false;
		} finally {
			unsubscribe?.();
			this.pumpSleep = undefined;
		}
	}

	private rejectAll(reason: unknown): void {
		for (const waiter of this.queue.splice(0)) {
			if (waiter.done) continue;
			this.settle(waiter);
			waiter.reject(reason);
		}
	}

	private dropSettledWaiters(): number {
		while (this.queue.length > 0 && this.queue[0].done) this.queue.shift();
		return this.queue.length;
	}

	private abandon(waiter: Waiter, reason: unknown): void {
		if (waiter.done) return;
		this.settle(waiter);
		const index = this.queue.indexOf(waiter);
		if (index >= 0) this.queue.splice(index, 1);
		waiter.reject(reason);
		// Nobody left to serve: stop a long pump sleep (e.g. a 429 pause) so no timer outlives the work.
		if (this.queue.length === 0) this.pumpSleep?.abort();
	}

	private settle(waiter: Waiter): void {
		waiter.done = true;
		waiter.unsubscribe?.();
	}
}

/**
 * One throttle per credential in the process, so every node, item and concurrent execution using it shares one
 * budget (Genesys counts requests per token, and n8n keeps one token per credential). A run that starts while
 * others are using the throttle can only tighten it; one that starts while it is quiet sets it to its own
 * settings. Entries left idle are dropped lazily on the next lookup.
 */
export class ThrottleRegistry {
	private readonly entries = new Map<string, Throttle>();

	constructor(
		private readonly idleMs = 10 * 60_000,
		private readonly clock: Partial<Clock> = {},
	) {}

	/**
	 * The shared throttle of `key`. It listens to no execution's signal: each request passes its own to
	 * `acquire`, so a stopped execution leaves the others' waits alone.
	 */
	get(key: string, settings: ThrottleSettings): Throttle {
		this.evictIdle();
		const existing = this.entries.get(key);
		if (existing) {
			if (existing.isQuiet()) existing.reconfigure(settings);
			else existing.tighten(settings);
			return existing;
		}
		const created = new Throttle(settings, this.clock);
		this.entries.set(key, created);
		return created;
	}

	get size(): number {
		return this.entries.size;
	}

	evictIdle(): void {
		const now = (this.clock.now ?? SYSTEM_CLOCK.now)();
		for (const [key, throttle] of this.entries) {
			if (throttle.isIdle(now, this.idleMs)) this.entries.delete(key);
		}
	}
}

export const throttleRegistry = new ThrottleRegistry();

/** Registry key: API host + OAuth client (never the secret). */
export function throttleKey(apiBaseUrl: string, clientId: string): string {
	return JSON.stringify([apiBaseUrl, clientId]);
}
