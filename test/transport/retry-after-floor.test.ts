/**
 * Retry-After of 0, negative or a past date against the emulator: every wait is at least 1 s and grows, and
 * the request ends within its deadline after a bounded number of attempts. Time is virtual (an injected clock
 * whose sleep advances it), so nothing here depends on the speed of the machine.
 */
import type { Emulator } from '../emulator';
import type { GenesysApiError } from '../../nodes/GenesysCloud/transport';
import { caught, emulatorPerFile, makeClient } from './helpers';

let emu: Emulator;
emulatorPerFile({ rateLimit: false }, (started) => {
	emu = started;
});

function virtualClock(): { now: () => number; sleep: (ms: number) => Promise<void>; waits: number[] } {
	let time = Date.parse('2026-01-01T00:00:00Z');
	const waits: number[] = [];
	return {
		now: () => time,
		sleep: async (ms: number) => {
			waits.push(ms);
			time += ms;
		},
		waits,
	};
}

describe.each(['0', '-3', 'Wed, 21 Oct 2015 07:28:00 GMT'])('Retry-After: %s', (header) => {
	it('waits >= 1 s between attempts and gives up at the deadline, never in a burst', async () => {
		emu.setFaults({ rate429: 1, retryAfterHeader: header });
		const clock = virtualClock();
		const deadlineMs = 120_000;
		const { client, logs } = makeClient(emu, {
			clock,
			random: () => 0.5,
			retry: { deadlineMs, maxAttempts: 100, minRetryAfterMs: 1_000, maxDelayMs: 30_000 },
		});
		const startedAt = clock.now();
		const error = (await caught(client.request({ method: 'POST', path: '/api/v2/users', body: { name: 'A', email: 'a@example.com' } }))) as GenesysApiError;
		expect(error).toMatchObject({ status: 429, kind: 'deadline' });
		const sent = emu.requests.filter((r) => r.path === '/api/v2/users');
		expect(sent).toHaveLength(error.attempts as number);
		// Every planned wait honours the floor, and they grow: far fewer attempts than 100 in two minutes.
		const planned = logs.map((l) => /retry \d+ in (\d+) ms/.exec(l.line)?.[1]).filter((d): d is string => d !== undefined).map(Number);
		expect(planned).toHaveLength(sent.length - 1);
		for (const delay of planned) expect(delay).toBeGreaterThanOrEqual(1_000);
		expect(planned).toEqual([...planned].sort((a, b) => a - b));
		expect(sent.length).toBeLessThan(15);
		// No more than one attempt per virtual second, and the whole thing within the deadline.
		expect(clock.now() - startedAt).toBeGreaterThanOrEqual((sent.length - 1) * 1_000);
		expect(clock.now() - startedAt).toBeLessThanOrEqual(deadlineMs);
	});
});
