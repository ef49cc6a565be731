/**
 * The clock around a contender's measured work, and the gate before it: the parent prepares the
 * emulator (e.g. starts a scripted job's clock) only once the child has loaded everything.
 */

export interface ContenderRun {
	/** Epoch ms when the measured work started and ended. */
	startedAt: number;
	endedAt: number;
	detail: Record<string, unknown>;
}

type Gate = () => Promise<void>;

let gate: Gate = async () => undefined;

/** Called by the child process: awaited right before the clock starts. */
export function setMeasureGate(next: Gate): void {
	gate = next;
}

export async function measured(work: () => Promise<Record<string, unknown>>): Promise<ContenderRun> {
	await gate();
	const startedAt = Date.now();
	const detail = await work();
	return { startedAt, endedAt: Date.now(), detail };
}
