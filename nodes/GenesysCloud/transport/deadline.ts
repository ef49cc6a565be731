/**
 * Wall-clock deadlines for requests. n8n's `timeout` option is a socket inactivity timer: a server that sends
 * one byte every few seconds never trips it. A deadline aborts the request's signal after a fixed time from
 * its start, whatever arrives meanwhile (headers and body alike).
 */
import { linkAbort, onAbort } from '../abort';
import { sleep } from '../sleep';

/** The abort reason when a request's own deadline passed (as opposed to Stop). */
export class DeadlineExceeded extends Error {
	readonly isDeadlineExceeded = true;

	constructor(readonly ms: number) {
		super(`No complete answer within ${ms} ms`);
		this.name = 'DeadlineExceeded';
	}
}

export function isDeadlineExceeded(error: unknown): error is DeadlineExceeded {
	return typeof error === 'object' && error !== null && (error as { isDeadlineExceeded?: unknown }).isDeadlineExceeded === true;
}

export interface Deadline {
	/** Aborted by the parent (with its reason) or after `ms` (with a DeadlineExceeded). */
	readonly signal: AbortSignal;
	/** True once the time ran out (not when the parent aborted). */
	expired(): boolean;
	/** Stops the timer and unhooks from the parent; call it once the work has settled. */
	dispose(): void;
}

/**
 * Why a deadline's own timer is stopped once its work settled. One shared reason: `abort()` without one builds
 * a DOMException (stack trace included) for every request.
 */
const SETTLED = new Error('The request settled before its deadline');

/**
 * A child signal of `parent` that also aborts `ms` after now. Runs on n8n's timer helpers (real time: a wire
 * deadline is about the network, not about an injected test clock).
 */
export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
	const link = linkAbort(parent);
	const timer = new AbortController();
	let expired = false;
	sleep(ms, timer.signal).then(
		() => {
			if (link.signal.aborted) return;
			expired = true;
			link.abort(new DeadlineExceeded(ms));
		},
		() => undefined,
	);
	return {
		signal: link.signal,
		expired: () => expired,
		dispose: () => {
			timer.abort(SETTLED);
			link.dispose();
		},
	};
}

/** `work`, or a rejection with the signal's reason as soon as it aborts (the work itself carries on). */
export async function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return await work;
	signal.throwIfAborted();
	let unsubscribe: () => void = () => undefined;
	const aborted = new Promise<never>((_, reject) => {
		unsubscribe = onAbort(signal, (reason) => reject(reason));
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		unsubscribe();
	}
}
