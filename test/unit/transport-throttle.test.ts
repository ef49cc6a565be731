import { defaultMarginMs, Throttle, throttleKey, ThrottleRegistry } from '../../nodes/GenesysCloud/transport/throttle';
import type { Permit } from '../../nodes/GenesysCloud/transport/throttle';
import { FakeClock } from './fakeClock';

interface Probe {
	startedAt?: number;
	permit?: Permit;
	error?: unknown;
}

function acquireInto(throttle: Throttle, clock: FakeClock, probe: Probe, signal?: AbortSignal): void {
	throttle.acquire(signal).then(
		(permit) => {
			probe.startedAt = clock.now();
			probe.permit = permit;
		},
		(error: unknown) => (probe.error = error),
	);
}

function probes(n: number): Probe[] {
	return Array.from({ length: n }, () => ({}));
}

/** Largest number of starts inside any half-open interval [t, t + windowMs). */
function densest(starts: number[], windowMs: number): number {
	const sorted = [...starts].sort((a, b) => a - b);
	let best = 0;
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
		best = Math.max(best, j - i);
	}
	return best;
}

describe('Throttle rolling window', () => {
	it('lets at most `limit` requests start in any window, and no later than needed', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 3, windowMs: 1000, maxConcurrency: 100, marginMs: 0 }, clock);
		const all = probes(10);
		for (const p of all) acquireInto(throttle, clock, p);
		await clock.advance(0);
		for (let step = 0; step < 40; step++) {
			for (const p of all) p.permit?.release();
			await clock.advance(100);
		}
		const starts = all.map((p) => p.startedAt as number);
		expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000]);
		expect(densest(starts, 1000)).toBe(3);
	});

	it('counts a request until its response: the next one waits a full window after the completion', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 1, windowMs: 1000, maxConcurrency: 100, marginMs: 0 }, clock);
		const [first, second] = probes(2);
		acquireInto(throttle, clock, first);
		acquireInto(throttle, clock, second);
		await clock.advance(300);
		// The server saw the first request at some point before its response came back at 300 ms.
		first.permit?.release();
		await clock.advance(999);
		expect(second.startedAt).toBeUndefined();
		await clock.advance(1);
		expect(second.startedAt).toBe(1300);
	});

	it('does not bank unused capacity into a burst (no token-bucket credit)', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 2, windowMs: 1000, maxConcurrency: 100, marginMs: 0 }, clock);
		const first = probes(2);
		for (const p of first) acquireInto(throttle, clock, p);
		await clock.advance(900);
		// 900 ms later, a burst of 4: the window still holds the first two starts
		const burst = probes(4);
		for (const p of burst) acquireInto(throttle, clock, p);
		await clock.advance(0);
		expect(burst.filter((p) => p.startedAt !== undefined)).toHaveLength(0);
		await clock.advance(3000);
		const starts = [...first, ...burst].map((p) => p.startedAt as number);
		expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000]);
		expect(densest(starts, 1000)).toBe(2);
	});

	it('adds the margin to the window', async () => {
		expect(defaultMarginMs(60_000)).toBe(60);
		expect(defaultMarginMs(3_600_000)).toBe(60);
		expect(defaultMarginMs(6_000)).toBe(6);
		expect(defaultMarginMs(1000)).toBe(5);
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 1, windowMs: 1000, maxConcurrency: 5, marginMs: 50 }, clock);
		const all = probes(3);
		for (const p of all) acquireInto(throttle, clock, p);
		await clock.advance(5000);
		expect(all.map((p) => p.startedAt)).toEqual([0, 1050, 2100]);
	});
});

describe('Throttle restamp', () => {
	it('counts a request that left late (after a token fetch) when it left', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 2, windowMs: 1000, maxConcurrency: 10, marginMs: 0 }, clock);
		const [a, b, c, d] = probes(4);
		acquireInto(throttle, clock, a);
		acquireInto(throttle, clock, b);
		await clock.advance(200);
		a.permit?.restamp();
		acquireInto(throttle, clock, c);
		acquireInto(throttle, clock, d);
		await clock.advance(3000);
		// b (0) and a (restamped to 200) fill the first window; c waits for b's slot, d for a's
		expect([a.startedAt, b.startedAt, c.startedAt, d.startedAt]).toEqual([0, 0, 1000, 1200]);
	});
});

describe('Throttle concurrency cap', () => {
	it('never has more than maxConcurrency in flight, and serves waiters in order', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 1000, windowMs: 1000, maxConcurrency: 2, marginMs: 0 }, clock);
		const all = probes(5);
		for (const p of all) acquireInto(throttle, clock, p);
		await clock.advance(0);
		expect(all.map((p) => p.startedAt !== undefined)).toEqual([true, true, false, false, false]);
		expect(throttle.snapshot()).toMatchObject({ inFlight: 2, queued: 3 });

		all[1].permit?.release();
		all[1].permit?.release(); // a second release of the same slot must not free another one
		await clock.advance(0);
		expect(all.map((p) => p.startedAt !== undefined)).toEqual([true, true, true, false, false]);
		expect(throttle.snapshot().inFlight).toBe(2);

		all[0].permit?.release();
		all[2].permit?.release();
		await clock.advance(0);
		expect(all.every((p) => p.startedAt !== undefined)).toBe(true);
		expect(throttle.snapshot()).toMatchObject({ inFlight: 2, queued: 0 });
	});
});

describe('Throttle pause (429)', () => {
	it('starts nothing before the pause ends, and a later pause extends it', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 100, windowMs: 1000, maxConcurrency: 10, marginMs: 0 }, clock);
		throttle.pauseUntil(500);
		const all = probes(3);
		for (const p of all) acquireInto(throttle, clock, p);
		await clock.advance(300);
		throttle.pauseUntil(800);
		throttle.pauseUntil(400); // shorter pauses never shorten the current one
		await clock.advance(499);
		expect(all.some((p) => p.startedAt !== undefined)).toBe(false);
		await clock.advance(1);
		expect(all.map((p) => p.startedAt)).toEqual([800, 800, 800]);
	});
});

describe('Throttle cancellation', () => {
	it('rejects a waiter whose signal aborts, and keeps serving the others', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 1, windowMs: 1000, maxConcurrency: 5, marginMs: 0 }, clock);
		const controller = new AbortController();
		const [first, cancelled, last] = probes(3);
		acquireInto(throttle, clock, first);
		acquireInto(throttle, clock, cancelled, controller.signal);
		acquireInto(throttle, clock, last);
		await clock.advance(10);
		controller.abort(new Error('stopped'));
		await clock.advance(0);
		expect((cancelled.error as Error).message).toBe('stopped');
		await clock.advance(2000);
		expect(cancelled.startedAt).toBeUndefined();
		expect(last.startedAt).toBe(1000);
	});

	it('stops its pause timer once nobody waits any more', async () => {
		const clock = new FakeClock();
		const throttle = new Throttle({ limit: 10, windowMs: 1000, maxConcurrency: 5, marginMs: 0 }, clock);
		throttle.pauseUntil(60_000);
		const controller = new AbortController();
		const waiter: Probe = {};
		acquireInto(throttle, clock, waiter, controller.signal);
		await clock.advance(0);
		expect(clock.pendingTimers).toBe(1);
		controller.abort(new Error('stopped'));
		await clock.advance(0);
		expect(clock.pendingTimers).toBe(0);
		expect(throttle.snapshot().queued).toBe(0);
	});

	it('rejects at once when the signal is already aborted', async () => {
		const throttle = new Throttle({ limit: 1, windowMs: 1000, maxConcurrency: 1 });
		const controller = new AbortController();
		controller.abort(new Error('gone'));
		await expect(throttle.acquire(controller.signal)).rejects.toThrow('gone');
	});
});

describe('Throttle settings', () => {
	it('refuses nonsense', () => {
		expect(() => new Throttle({ limit: 0, windowMs: 1000, maxConcurrency: 1 })).toThrow(RangeError);
		expect(() => new Throttle({ limit: 1, windowMs: 0, maxConcurrency: 1 })).toThrow(RangeError);
		expect(() => new Throttle({ limit: 1, windowMs: 1000, maxConcurrency: 1.5 })).toThrow(RangeError);
	});

	it('only ever tightens when shared', () => {
		const throttle = new Throttle({ limit: 300, windowMs: 60_000, maxConcurrency: 10 });
		throttle.tighten({ limit: 600, windowMs: 60_000, maxConcurrency: 20 });
		expect(throttle.currentSettings).toMatchObject({ limit: 300, windowMs: 60_000, maxConcurrency: 10 });
		// 2 per second is 120 per minute: stricter than 300 per minute
		throttle.tighten({ limit: 2, windowMs: 1000, maxConcurrency: 4 });
		expect(throttle.currentSettings).toMatchObject({ limit: 2, windowMs: 1000, maxConcurrency: 4 });
		throttle.tighten({ limit: 10, windowMs: 1000, maxConcurrency: 8 });
		expect(throttle.currentSettings).toMatchObject({ limit: 2, windowMs: 1000, maxConcurrency: 4 });
		throttle.tighten({ limit: 100, windowMs: 60_000, maxConcurrency: 8 });
		expect(throttle.currentSettings).toMatchObject({ limit: 100, windowMs: 60_000, maxConcurrency: 4 });
	});
});

describe('ThrottleRegistry', () => {
	it('shares one throttle per key and evicts idle ones lazily', async () => {
		const clock = new FakeClock();
		const registry = new ThrottleRegistry(1000, clock);
		const settings = { limit: 5, windowMs: 1000, maxConcurrency: 2 };
		const keyA = throttleKey('https://api.mypurecloud.com', 'client-a');
		const keyB = throttleKey('https://api.mypurecloud.com', 'client-b');
		const a = registry.get(keyA, settings);
		expect(registry.get(keyA, settings)).toBe(a);
		const b = registry.get(keyB, settings);
		expect(b).not.toBe(a);

		const permit = await a.acquire();
		await clock.advance(5000);
		registry.evictIdle();
		// `a` still has a request in flight, `b` was idle long enough
		expect(registry.get(keyA, settings)).toBe(a);
		expect(registry.size).toBe(1);
		permit.release();
		await clock.advance(5000);
		expect(registry.get(keyB, settings)).not.toBe(b);
		expect(registry.size).toBe(1);
	});

	it('keys by API host and client id only: every execution of a credential shares one budget', () => {
		expect(throttleKey('https://a', 'x')).not.toBe(throttleKey('https://a', 'y'));
		expect(throttleKey('https://a', 'x')).not.toBe(throttleKey('https://b', 'x'));
		expect(throttleKey('https://a', 'x')).toBe(throttleKey('https://a', 'x'));
	});

	it('a quiet throttle takes the next user settings; a busy one can only be tightened', async () => {
		const clock = new FakeClock();
		const registry = new ThrottleRegistry(60_000, clock);
		const key = throttleKey('https://a', 'x');
		const shared = registry.get(key, { limit: 10, windowMs: 1000, maxConcurrency: 4 });
		expect(registry.get(key, { limit: 50, windowMs: 1000, maxConcurrency: 8 })).toBe(shared);
		expect(shared.currentSettings).toMatchObject({ limit: 50, maxConcurrency: 8 });
		const permit = await shared.acquire();
		registry.get(key, { limit: 100, windowMs: 1000, maxConcurrency: 10 });
		expect(shared.currentSettings).toMatchObject({ limit: 50, maxConcurrency: 8 });
		registry.get(key, { limit: 5, windowMs: 1000, maxConcurrency: 2 });
		expect(shared.currentSettings).toMatchObject({ limit: 5, maxConcurrency: 2 });
		permit.release();
	});
});
