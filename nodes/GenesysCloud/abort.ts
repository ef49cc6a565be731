/**
 * Listening to a long-lived abort signal without piling listeners onto it. n8n's execution cancel signal is
 * shared by every request, wait and sleep of a run, and Node warns (MaxListenersExceededWarning) once more
 * than ten listeners sit on one signal. Here all subscribers of a signal share one listener, which is
 * removed again when the last of them leaves.
 */

type AbortCallback = (reason: unknown) => void;

const subscribers = new WeakMap<AbortSignal, Set<AbortCallback>>();

function fanOut(event: Event): void {
	const signal = event.target as AbortSignal;
	const callbacks = subscribers.get(signal);
	if (!callbacks) return;
	subscribers.delete(signal);
	for (const callback of [...callbacks]) callback(signal.reason);
}

/**
 * Calls `callback` with the abort reason once `signal` aborts (at once when it already has).
 * Returns the unsubscribe; calling it more than once is harmless.
 */
export function onAbort(signal: AbortSignal, callback: AbortCallback): () => void {
	if (signal.aborted) {
		callback(signal.reason);
		return () => undefined;
	}
	let callbacks = subscribers.get(signal);
	if (!callbacks) {
		callbacks = new Set();
		subscribers.set(signal, callbacks);
		signal.addEventListener('abort', fanOut, { once: true });
	}
	const registered = callbacks;
	registered.add(callback);
	return () => {
		if (!registered.delete(callback) || registered.size > 0) return;
		if (subscribers.get(signal) !== registered) return;
		subscribers.delete(signal);
		signal.removeEventListener('abort', fanOut);
	};
}

/** A signal of its own, aborted by `abort()` or when any parent aborts. */
export interface LinkedAbort {
	readonly signal: AbortSignal;
	abort(reason?: unknown): void;
	/** Unhooks it from the parents; call it once the work it guards has settled. */
	dispose(): void;
}

/**
 * A child signal for one piece of work. Whatever listens to the child (a timer, a queued request, an HTTP
 * call) stays off the parents, which each carry at most one shared listener (see onAbort).
 */
export function linkAbort(...parents: Array<AbortSignal | undefined>): LinkedAbort {
	const controller = new AbortController();
	const unsubscribes: Array<() => void> = [];
	const dispose = (): void => {
		for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
	};
	const abort = (reason?: unknown): void => {
		dispose();
		controller.abort(reason);
	};
	for (const parent of new Set(parents)) {
		if (controller.signal.aborted) break;
		if (parent) unsubscribes.push(onAbort(parent, abort));
	}
	return { signal: controller.signal, abort, dispose };
}
