/**
 * Stops every wait of a run at once: when n8n cancels the execution, or when one item turns out to be
 * misconfigured. Each wait gets its own child signal, so dozens of concurrent sleeps do not pile listeners
 * onto one signal (Node warns beyond ten); the parent carries a single listener.
 */
export class StopSwitch {
	private readonly children = new Set<AbortController>();
	private reason: unknown;
	private stopped = false;

	constructor(parent?: AbortSignal) {
		if (parent?.aborted) this.stop(parent.reason);
		else parent?.addEventListener('abort', () => this.stop(parent.reason), { once: true });
	}

	get isStopped(): boolean {
		return this.stopped;
	}

	stop(reason: unknown): void {
		if (this.stopped) return;
		this.stopped = true;
		this.reason = reason;
		for (const child of this.children) child.abort(reason);
	}

	/** Runs `work` with a signal that aborts when the switch is stopped. */
	async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const child = new AbortController();
		if (this.stopped) child.abort(this.reason);
		this.children.add(child);
		try {
			return await work(child.signal);
		} finally {
			this.children.delete(child);
		}
	}
}
