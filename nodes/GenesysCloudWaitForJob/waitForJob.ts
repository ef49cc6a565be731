/**
 * The wait itself: sleep on the backoff schedule, ask, judge, until a verdict or the deadline. Time and
 * randomness are injected, and every sleep listens to the execution's abort signal so Stop ends it at once.
 */
import { settle } from '../GenesysCloud/settle';
import type { Clock } from '../GenesysCloud/transport';
import type { StatusRule } from './jobKinds';
import type { BackoffSettings, PollObservation, WaitResult } from './poll';
import { judgePoll, nextDelay } from './poll';

/** The shared clock (its sleep rejects once `signal` aborts), plus the randomness of the backoff's jitter. */
export interface WaitClock extends Clock {
	random(): number;
}

export interface WaitSettings {
	backoff: BackoffSettings;
	timeoutMs: number;
	notFoundGraceMs: number;
}

export interface ScheduleRun {
	attempts: number;
	elapsedMs: number;
}

/**
 * Calls `attempt` after each wait of the backoff schedule until it returns true. The last wait is cut short
 * so one attempt lands right at the deadline; `attempt` learns that no time is left and must then stop.
 */
export async function runSchedule(
	attempt: (deadlineReached: boolean) => Promise<boolean>,
	settings: Pick<WaitSettings, 'backoff' | 'timeoutMs'>,
	clock: WaitClock,
	signal?: AbortSignal,
): Promise<ScheduleRun> {
	const started = clock.now();
	const deadline = started + Math.max(0, settings.timeoutMs);
	let attempts = 0;
	for (;;) {
		const left = Math.max(0, deadline - clock.now());
		await clock.sleep(Math.min(nextDelay(attempts, settings.backoff, clock.random()), left), signal);
		attempts++;
		if (await attempt(clock.now() >= deadline)) return { attempts, elapsedMs: clock.now() - started };
	}
}

export interface WaitOutcome extends ScheduleRun {
	result: WaitResult | 'error';
	/** Last status seen (null before any). */
	status: string | null;
	/** Last job body seen. */
	job: unknown;
	/** What a status request threw, when result is `error` (the last 404 for `notFound`). */
	error?: unknown;
}

/**
 * Polls one job until it succeeds, fails, is not found after the grace period, or the timeout passes.
 * A 404 (per `isNotFound`) is judged by the grace period; any other error ends the wait as `error`,
 * except a cancellation, which propagates. `error` carries the last 404 for `notFound`.
 */
export async function waitForJob(
	fetchStatus: () => Promise<unknown>,
	isNotFound: (error: unknown) => boolean,
	rule: StatusRule,
	settings: WaitSettings,
	clock: WaitClock,
	signal?: AbortSignal,
): Promise<WaitOutcome> {
	const started = clock.now();
	let result: WaitOutcome['result'] = 'timedOut';
	let status: string | null = null;
	let job: unknown;
	let error: unknown;
	let notFoundError: unknown;

	const observe = async (): Promise<PollObservation | undefined> => {
		const answer = await settle(fetchStatus);
		if (answer.ok) return { found: true, body: answer.value };
		if (signal?.aborted) throw answer.error;
		// A 404 becomes the item's error only if the grace period runs out.
		if (isNotFound(answer.error)) {
			notFoundError = answer.error;
			return { found: false };
		}
		error = answer.error;
		return undefined;
	};

	const run = await runSchedule(
		async (deadlineReached) => {
			const observation = await observe();
			if (!observation) {
				result = 'error';
				return true;
			}
			if (observation.found) job = observation.body;
			const verdict = judgePoll(observation, rule, {
				elapsedMs: clock.now() - started,
				notFoundGraceMs: settings.notFoundGraceMs,
				deadlineReached,
			});
			status = verdict.status ?? status;
			if (!verdict.done) return false;
			result = verdict.result;
			if (result === 'notFound') error = notFoundError;
			return true;
		},
		settings,
		clock,
		signal,
	);
	return { ...run, result, status, job, ...(error === undefined ? {} : { error }) };
}
