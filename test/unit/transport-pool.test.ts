/**
 * The throttle of a token pool, on virtual time: one window per token, requests to the token with room, a 429
 * pausing only its token unless several tokens are refused within a window, and the pool's adaptive cap
 * (multiplicative decrease below what Genesys accepted, additive increase while it holds requests back).
 * Also the token request pacer. No assertion depends on machine speed: time is the test's own.
 */
import { ADAPTIVE, Throttle } from '../../nodes/GenesysCloud/transport/throttle';
import type { Permit } from '../../nodes/GenesysCloud/transport/throttle';
import { TokenRequestPacer } from '../../nodes/GenesysCloud/transport/token';
import { FakeClock } from './fakeClock';

interface Probe {
	at?: number;
	permit?: Permit;
}

function acquireAll(throttle: Throttle, clock: FakeClock, n: number, release = true): Probe[] {
	return Array.from({ length: n }, () => {
		const probe: Probe = {};
		void throttle.acquire().then((permit) => {
			probe.at = clock.now();
			probe.permit = permit;
			if (release) permit.release();
		});
		return probe;
	});
}

function lanesOf(probes: Probe[]): number[] {
	return probes.filter((p) => p.permit).map((p) => p.permit?.lane as number);
}

function countBy(values: number[]): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

const WINDOW = 1_000;

function poolThrottle(clock: FakeClock, lanes: number, limit = 10, maxConcurrency = 100): Throttle {
	return new Throttle({ limit, windowMs: WINDOW, maxConcurrency, marginMs: 0, lanes }, clock);
}

describe('token pool throttle', () => {
	it('gives each token its own window and sends each start to the token with the most room', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 3, 4);
		const probes = acquireAll(throttle, clock, 14);
		await clock.advance(0);
		// 3 tokens x 4 = 12 at once, spread evenly; the rest waits for the windows to roll.
		expect(countBy(lanesOf(probes))).toEqual({ 0: 4, 1: 4, 2: 4 });
		await clock.advance(WINDOW);
		expect(lanesOf(probes)).toHaveLength(14);
		expect(probes.slice(12).every((p) => p.at === WINDOW)).toBe(true);
		expect(throttle.poolSnapshot().lanes.map((l) => l.starts)).toEqual([5, 5, 4]);
	});

	it('a 429 on one token pauses only that token; the others keep serving', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 3);
		expect(throttle.refused(1, 5_000)).toBe('token');
		const probes = acquireAll(throttle, clock, 20);
		await clock.advance(0);
		expect(countBy(lanesOf(probes))).toEqual({ 0: 10, 2: 10 });
		expect(throttle.poolSnapshot()).toMatchObject({ cap: 30, decreases: 0 });
		await clock.advance(WINDOW);
		expect(lanesOf(probes)).toHaveLength(20);
	});

	it('with one token a 429 pauses every request, and nothing adapts (as before pools existed)', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 1);
		expect(throttle.refused(0, 500)).toBe('token');
		expect(throttle.refused(0, 600)).toBe('token');
		const probes = acquireAll(throttle, clock, 2);
		await clock.advance(499);
		expect(lanesOf(probes)).toEqual([]);
		await clock.advance(101);
		expect(lanesOf(probes)).toEqual([0, 0]);
		expect(throttle.poolSnapshot()).toMatchObject({ cap: 10, decreases: 0 });
	});

	it('429s on two tokens within a window are a shared limit: every token pauses and the cap drops below what was accepted', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 3, 10);
		const first = acquireAll(throttle, clock, 20);
		await clock.advance(0);
		expect(lanesOf(first)).toHaveLength(20);
		await clock.advance(100);
		// Genesys accepted 18 of the 20 and refused two, on two different tokens.
		expect(throttle.refused(0, clock.now() + 300)).toBe('token');
		expect(throttle.refused(2, clock.now() + 400)).toBe('shared');
		const { cap, decreases } = throttle.poolSnapshot();
		expect(decreases).toBe(1);
		expect(cap).toBe(Math.floor(18 * ADAPTIVE.DECREASE_FACTOR));
		// Every token waits for the Retry-After, including the one never refused.
		const waiting = acquireAll(throttle, clock, 1);
		await clock.advance(399);
		expect(lanesOf(waiting)).toEqual([]);
		// A third refusal in the same window does not lower the cap again.
		expect(throttle.refused(1, clock.now() + 10)).toBe('shared');
		expect(throttle.poolSnapshot().decreases).toBe(1);
	});

	it('after a decrease the pool keeps to the cap across all tokens, then probes back up one step per window', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 5, 10);
		const burst = acquireAll(throttle, clock, 20);
		await clock.advance(0);
		expect(lanesOf(burst)).toHaveLength(20);
		throttle.refused(0, 0);
		throttle.refused(1, 0);
		const cap = throttle.poolSnapshot().cap;
		expect(cap).toBe(Math.floor(18 * ADAPTIVE.DECREASE_FACTOR)); // 16
		// Plenty of demand: per window the pool starts no more than the cap, though the tokens allow 50.
		const demand = acquireAll(throttle, clock, 200);
		const perWindow: number[] = [];
		let seen = 0;
		for (let w = 1; w <= 6; w++) {
			await clock.advance(WINDOW);
			const started = lanesOf(demand).length;
			perWindow.push(started - seen);
			seen = started;
		}
		const step = Math.ceil(cap * ADAPTIVE.INCREASE_STEP);
		// Each window the cap was the bottleneck with no 429: one additive step up per window.
		expect(perWindow[0]).toBeLessThanOrEqual(cap + step);
		for (let i = 1; i < perWindow.length; i++) expect(perWindow[i]).toBeLessThanOrEqual(perWindow[i - 1] + step);
		expect(perWindow[perWindow.length - 1]).toBeGreaterThan(cap);
		expect(throttle.poolSnapshot().increases).toBeGreaterThanOrEqual(4);
		// Never above what the tokens allow.
		expect(Math.max(...perWindow)).toBeLessThanOrEqual(50);
	});

	it('never lowers the cap below a tenth of one token’s limit', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 2, 100);
		// Refused at once, nothing accepted yet (another integration used the org budget).
		throttle.refused(0, 0);
		throttle.refused(1, 0);
		expect(throttle.poolSnapshot().cap).toBe(10);
	});

	it('the concurrency cap holds across the whole pool', async () => {
		const clock = new FakeClock();
		const throttle = poolThrottle(clock, 4, 100, 3);
		const held = acquireAll(throttle, clock, 10, false);
		await clock.advance(0);
		expect(lanesOf(held)).toHaveLength(3);
		held[0].permit?.release();
		await clock.advance(0);
		expect(lanesOf(held)).toHaveLength(4);
	});
});

describe('token request pacer', () => {
	it('runs the token requests of one client one at a time, and none before a 429’s Retry-After', async () => {
		const clock = new FakeClock();
		const pacer = new TokenRequestPacer(clock);
		const events: string[] = [];
		let release: () => void = () => undefined;
		const first = pacer.run('client', async () => {
			events.push(`start 1 at ${clock.now()}`);
			await new Promise<void>((resolve) => (release = resolve));
			pacer.hold('client', 2);
			events.push(`end 1 at ${clock.now()}`);
		});
		const second = pacer.run('client', async () => {
			events.push(`start 2 at ${clock.now()}`);
		});
		const other = pacer.run('other client', async () => {
			events.push(`start other at ${clock.now()}`);
		});
		await clock.advance(100);
		expect(events).toEqual(['start 1 at 0', 'start other at 0']);
		release();
		await first;
		await clock.advance(1_999);
		expect(events).toEqual(['start 1 at 0', 'start other at 0', 'end 1 at 100']);
		await clock.advance(1);
		await second;
		await other;
		expect(events).toEqual(['start 1 at 0', 'start other at 0', 'end 1 at 100', 'start 2 at 2100']);
	});

	it('a 429 without Retry-After holds for the default; one over 180 s is not held (it fails instead)', () => {
		const clock = new FakeClock();
		const pacer = new TokenRequestPacer(clock);
		pacer.hold('a', undefined);
		expect(pacer.heldUntil('a')).toBe(3_000);
		pacer.hold('b', 3_600);
		expect(pacer.heldUntil('b')).toBe(0);
	});
});
