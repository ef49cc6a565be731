/**
 * The run's circuit breaker: when Genesys Cloud is unavailable (5xx, network failures, retries running out of
 * time) across requests, the run stops early instead of trying every remaining row. Without it, 1,000 rows
 * in a total outage would each wait out their retries: hours.
 *
 * Every request of the run goes through `guardedApi`, which
 *   * caps each request's retry deadline at the outage window, so no request waits on an unavailable Genesys
 *     longer than that;
 *   * reports each outcome: an answer (2xx, or a 4xx that says something about the request) ends a streak of
 *     failures; a failure of availability adds to it;
 *   * once the breaker is open, refuses to send anything.
 * The breaker opens on a request that ran out of its whole window (it retried an unavailable Genesys that
 * long), or on `failures` in a row across rows, with no answer in between, over at least the window. Opening aborts the run's signal, so requests in
 * flight end at once and no row starts; those rows are reported "not started".
 * So a run ends within about one outage window (plus one request's timeout) of an outage starting, whatever
 * the number of rows. Time is the run's injected clock.
 */
import { linkAbort } from '../../GenesysCloud/abort';
import type { GenesysApi } from '../../GenesysCloud/genesysApi';
import type { ResultError } from '../../GenesysCloud/resultError';
import { toResultError } from '../../GenesysCloud/resultError';
import { settle } from '../../GenesysCloud/settle';
import { isOutageFailure, type RequestOptions } from '../../GenesysCloud/transport';
import { errorFacts, type ErrorFacts } from './userApi';

export const UNAVAILABLE_CODE = 'genesys.unavailable';

export interface BreakerSettings {
	/** Failures of availability in a row, with no answer in between, that open the breaker once they span the window. */
	failures: number;
	/** Longest a request retries an unavailable Genesys, and longest a streak of failures may last. */
	windowMs: number;
}

/**
 * Genesys could not answer: a 5xx given up on, no answer at all (the transport's isOutageFailure), or retries
 * out of time on anything but a 429. Throttling, 4xx and bad credentials are not outages.
 */
export function isUnavailable(error: unknown): boolean {
	if (isOutageFailure(error)) return true;
	const facts: ErrorFacts = errorFacts(error);
	return facts.kind === 'deadline' && facts.status !== 429;
}

export class OutageBreaker {
	private streak = 0;
	private streakSince: number | undefined;
	private opened: ResultError | undefined;

	constructor(
		private readonly now: () => number,
		private readonly settings: BreakerSettings,
		private readonly onOpen: (reason: ResultError) => void,
	) {}

	get isOpen(): boolean {
		return this.opened !== undefined;
	}

	/** Genesys answered. */
	answered(): void {
		this.streak = 0;
		this.streakSince = undefined;
	}

	/** A request failed; counts when the failure is one of availability. */
	failed(error: unknown): void {
		if (this.opened || !isUnavailable(error)) return;
		const facts = errorFacts(error);
		const now = this.now();
		this.streak++;
		this.streakSince ??= now;
		// A flaky network interleaves answers with failures and never gets here; an outage does, within a window.
		const lasting = this.streak >= this.settings.failures && now - this.streakSince >= this.settings.windowMs;
		if (facts.kind === 'deadline' || lasting) this.open(error);
	}

	private open(cause: unknown): void {
		const last = toResultError(cause);
		this.opened = {
			...last,
			maybeApplied: undefined,
			field: undefined,
			message: `Genesys Cloud unavailable: ${this.streak} request(s) in a row failed (last: ${last.message})`,
			code: UNAVAILABLE_CODE,
		};
		this.onOpen(this.opened);
	}
}

/** A failure of a request the breaker refused to send: nothing was sent. */
export class BreakerOpenError extends Error {
	constructor() {
		super('Not sent: Genesys Cloud is unavailable and the run stopped early');
		this.name = 'BreakerOpenError';
	}
}

/**
 * `api` with the breaker in front (see the file comment). `signal` is the run's, aborted when the breaker
 * opens; it is handed to every request so requests in flight end then.
 */
export function guardedApi(api: GenesysApi, breaker: OutageBreaker, signal: AbortSignal, windowMs: number): GenesysApi {
	return {
		async request<T>(options: RequestOptions): Promise<T> {
			if (breaker.isOpen) throw new BreakerOpenError();
			const deadlineMs = Math.min(options.deadlineMs ?? windowMs, windowMs);
			const link = linkAbort(options.signal, signal);
			const sent = await settle(() => api.request<T>({ ...options, deadlineMs, signal: link.signal }));
			link.dispose();
			if (sent.ok) {
				breaker.answered();
				return sent.value;
			}
			const status = errorFacts(sent.error).status;
			if (status !== undefined && status > 0 && status < 500) breaker.answered();
			else breaker.failed(sent.error);
			throw sent.error;
		},
	} as GenesysApi;
}
