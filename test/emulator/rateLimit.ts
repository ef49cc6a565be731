/** A cap on one route (method + path pattern) across every token: Genesys's per-resource limits. */
export interface RouteRateLimit {
	/** Regex source matched against the path. */
	pathFilter: string;
	/** Only this method (any when absent). */
	method?: string;
	limit: number;
	windowMs: number;
}

/**
 * Per-token rolling-window limiter (docs/GENESYS.md, "Rate limits": 300 requests per token per minute). Only accepted requests
 * occupy a slot; a refused one does not, so a client hammering through a 429 storm is not punished further.
 */

export type LimitVerdict = { accepted: true } | { accepted: false; retryAfterMs: number };

class Window {
	private readonly times: number[] = [];
	private head = 0;

	count(now: number, windowMs: number): number {
		while (this.head < this.times.length && this.times[this.head] <= now - windowMs) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times.splice(0, this.head);
			this.head = 0;
		}
		return this.times.length - this.head;
	}

	oldest(): number | undefined {
		return this.times[this.head];
	}

	add(now: number): void {
		this.times.push(now);
	}
}

export class RateLimiter {
	private readonly windows = new Map<string, Window>();

	constructor(private readonly config: { limit: number; windowMs: number } | false) {}

	check(tokenId: string, now: number): LimitVerdict {
		const verdict = this.peek(tokenId, now);
		if (verdict.accepted) this.add(tokenId, now);
		return verdict;
	}

	/** Would a request on `key` be accepted now? Nothing is counted. */
	peek(key: string, now: number): LimitVerdict {
		if (this.config === false) return { accepted: true };
		const { limit, windowMs } = this.config;
		const window = this.windowOf(key);
		if (window.count(now, windowMs) >= limit) {
			const oldest = window.oldest();
			return { accepted: false, retryAfterMs: oldest === undefined ? windowMs : oldest + windowMs - now };
		}
		return { accepted: true };
	}

	/** Counts an accepted request on `key`. */
	add(key: string, now: number): void {
		if (this.config !== false) this.windowOf(key).add(now);
	}

	private windowOf(key: string): Window {
		let window = this.windows.get(key);
		if (!window) {
			window = new Window();
			this.windows.set(key, window);
		}
		return window;
	}

	clear(): void {
		this.windows.clear();
	}
}
