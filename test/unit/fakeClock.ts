/**
 * Virtual time for the transport's unit tests: sleeps resolve only when the test advances the clock past them,
 * so no assertion depends on how fast the machine is.
 */
/** Virtual time: sleeps resolve only when the test advances the clock past them. */
export class FakeClock {
	time = 0;
	private timers: Array<{ at: number; resolve: () => void }> = [];

	now = (): number => this.time;

	sleep = async (ms: number, signal?: AbortSignal): Promise<void> =>
		await new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const timer = { at: this.time + ms, resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((t) => t !== timer);
					reject(signal.reason);
				},
				{ once: true },
			);
		});

	get pendingTimers(): number {
		return this.timers.length;
	}

	async advance(ms: number): Promise<void> {
		const target = this.time + ms;
		for (;;) {
			await flush();
			const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.time = Math.max(this.time, due.at);
			this.timers = this.timers.filter((t) => t !== due);
			due.resolve();
		}
		this.time = target;
		await flush();
	}
}

async function flush(): Promise<void> {
	for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

