/**
 * Cancellable sleep on top of n8n-workflow's own timer helpers (lint forbids bare timers in node code).
 * n8n-workflow 2.x exports `sleep(ms, signal)`; 1.x exports a plain `sleep(ms)` plus `sleepWithAbort(ms, signal)`.
 */
import * as n8nWorkflow from 'n8n-workflow';

type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

interface SleepExports {
	sleep: SleepFn;
	sleepWithAbort?: SleepFn;
}

const helpers = n8nWorkflow as unknown as SleepExports;

/** 1.x is recognised by what it exports, not by a version string. */
const legacySleepWithAbort: SleepFn | undefined =
	typeof helpers.sleepWithAbort === 'function' ? helpers.sleepWithAbort : undefined;

/** Resolves after `ms`; rejects promptly (with n8n's cancellation error or the abort reason) once `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	const duration = Math.max(0, Number.isFinite(ms) ? ms : 0);
	if (!signal) {
		await helpers.sleep(duration);
		return;
	}
	if (!legacySleepWithAbort) {
		await helpers.sleep(duration, signal);
		return;
	}
	await sleepWithLegacyAbort(legacySleepWithAbort, duration, signal);
}

/**
 * 1.x never removes its abort listener once the timer fires, so many sleeps on the execution's long-lived
 * signal would pile listeners onto it. A short-lived child signal takes them instead.
 */
async function sleepWithLegacyAbort(fn: SleepFn, ms: number, signal: AbortSignal): Promise<void> {
	const child = new AbortController();
	const forward = (): void => child.abort(signal.reason);
	if (signal.aborted) {
		child.abort(signal.reason);
	} else {
		signal.addEventListener('abort', forward, { once: true });
	}
	try {
		await fn(ms, child.signal);
	} finally {
		signal.removeEventListener('abort', forward);
	}
}

/** True when n8n-workflow 1.x helpers are in use (for tests and diagnostics). */
export function usesLegacySleep(): boolean {
	return legacySleepWithAbort !== undefined;
}
