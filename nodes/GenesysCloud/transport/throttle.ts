/**
 * Pacing shared by every request of one credential in this process (every execution and node using it):
 * - a rolling window: at most `limit` request starts in ANY interval of `windowMs` (exact, no burst credit);
 * - a concurrency cap: never more than `maxConcurrency` requests in flight;
 * - a shared pause: after a 429, no request starts before Retry-After has passed.
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
}

export interface Clock {
	now: () => number;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: n8nSleep };

export interface ThrottleSnapshot {
	inFlight: number;
	queued: number;
	startsInWindow: number;
	pausedUntil: number;
}

/** A slot taken by `acquire`. */
export interface Permit {
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
	return { limit, windowMs, maxConcurrency, marginMs };
}

export class Throttle {
	private settings: Required<ThrottleSettings>;
	private readonly clock: Clock;
	/** Start times, oldest first; only the last `limit` matter. */
	private readonly starts: Stamp[] = [];
	private readonly queue: Waiter[] = [];
	private inFlight = 0;
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

	/** No request starts before `time` (epoch ms). Only ever extends an existing pause. */
	pauseUntil(time: number): void {
		if (time > this.pausedUntil) this.pausedUntil = time;
		this.lastActivity = this.clock.now();
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
		};
	}

	snapshot(): ThrottleSnapshot {
		const now = this.clock.now();
		const horizon = now - this.settings.windowMs - this.settings.marginMs;
		return {
			inFlight: this.inFlight,
			queued: this.queue.length,
			startsInWindow: this.starts.filter((stamp) => stamp.t > horizon).length,
			pausedUntil: this.pausedUntil,
		};
	}

	/** Nothing in flight and nobody waiting (a pause or recent starts may still apply). */
	isQuiet(): boolean {
		return this.inFlight === 0 && this.queue.length === 0;
	}

	/**
	 * Takes these settings as they are, looser or stricter. For a quiet throttle only (nobody else is using it
	 * right now); the recent starts and any pause still count under the new settings.
	 */
	reconfigure(settings: ThrottleSettings): void {
		this.settings = checkSettings(settings);
	}

	/** Nothing running, waiting or paused, and unused for `idleMs`. */
	isIdle(now: number, idleMs: number): boolean {
		return (
			this.inFlight === 0 && this.queue.length === 0 && this.pausedUntil <= now && now - this.lastActivity >= idleMs
		);
	}

	/** Ms until a start is allowed by window and pause; Infinity while the concurrency cap is reached. */
	private waitMs(): number {
		if (this.inFlight >= this.settings.maxConcurrency) return Number.POSITIVE_INFINITY;
		const now = this.clock.now();
		let earliest = this.pausedUntil;
		const { limit, windowMs, marginMs } = this.settings;
		if (this.starts.length >= limit) {
			earliest = Math.max(earliest, this.starts[this.starts.length - limit].t + windowMs + marginMs);
		}
		return Math.max(0, earliest - now);
	}

	private start(): Permit {
		const now = this.clock.now();
		let stamp: Stamp = { t: now };
		this.insert(stamp);
		this.inFlight++;
		this.lastActivity = now;
		let released = false;
		const moveTo = (t: number): void => {
			if (t <= stamp.t) return;
			const index = this.starts.indexOf(stamp);
			if (index >= 0) this.starts.splice(index, 1);
			stamp = { t };
			this.insert(stamp);
		};
		return {
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

	/** Keeps `starts` sorted; restamped entries can land after later ones. */
	private insert(stamp: Stamp): void {
		let index = this.starts.length;
		while (index > 0 && this.starts[index - 1].t > stamp.t) index--;
		this.starts.splice(index, 0, stamp);
		// Keep memory bounded: older starts can no longer decide anything.
		const keep = this.settings.limit * 2 + 64;
		if (this.starts.length > keep) this.starts.splice(0, this.starts.length - keep);
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
