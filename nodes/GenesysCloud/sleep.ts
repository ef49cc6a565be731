/**
 * Cancellable sleep on top of n8n-workflow's own timer helpers (lint forbids bare timers in node code).
 * n8n-workflow 2.x exports `sleep(ms, signal)`; 1.x exports a plain `sleep(ms)` plus `sleepWithAbort(ms, signal)`.
 */
import * as n8nWorkflow from 'n8n-workflow';

import { linkAbort } from './abort';

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
	// n8n's helpers listen on the signal they are given (1.x never stops listening): a child of our own
	// takes that listener, so concurrent sleeps leave at most one on a shared signal.
	const link = linkAbort(signal);
	try {
		await (legacySleepWithAbort ?? helpers.sleep)(duration, link.signal);
	} finally {
		link.dispose();
	}
}
