/**
 * Emulator time a test can move ahead: it runs with the wall clock and `advance(ms)` adds to it. Give it to
 * `startEmulator({ now: clock.now })` with a long search lag or consistency delay, and what the emulator
 * shows changes when the test says so, not when a busy machine happens to get there.
 */
export interface ShiftableClock {
	now: () => number;
	/** Moves emulator time `ms` ahead of the wall clock (cumulative). */
	advance: (ms: number) => void;
}

export function shiftableClock(): ShiftableClock {
	let shift = 0;
	return {
		now: () => Date.now() + shift,
		advance: (ms) => {
			shift += ms;
		},
	};
}

/**
 * Emulator time that stands still until the test moves it: rate-limit windows, token lifetimes, search lag,
 * consistency delays and job timelines then change exactly when the test says, whatever the machine's speed.
 */
export function manualClock(start = Date.now()): ShiftableClock {
	let now = start;
	return {
		now: () => now,
		advance: (ms) => {
			now += ms;
		},
	};
}

/**
 * Moves `clock` `ms` ahead once `condition` holds (checked every 5 ms), e.g. once the code under test has met
 * the lag it must wait through. Resolves whether the condition held within `timeoutMs` (a ceiling for a
 * condition that never comes; the clock is moved either way, so the run under test can finish).
 */
export async function advanceWhen(
	clock: ShiftableClock,
	condition: () => boolean,
	ms: number,
	timeoutMs = 120_000,
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			clock.advance(ms);
			return false;
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	clock.advance(ms);
	return true;
}
