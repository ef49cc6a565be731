/**
 * Progress lines in n8n's log for long runs: counts only, never emails, ids or credentials.
 */
import type { UserStatus } from '../types';

export interface ProgressLog {
	info(message: string): void;
}

export class Progress {
	private readonly counts = new Map<UserStatus, number>();
	private done = 0;
	private lastLogAt: number;

	constructor(
		private readonly total: number,
		private readonly now: () => number,
		private readonly intervalMs: number,
		private readonly log: ProgressLog,
	) {
		this.lastLogAt = now();
	}

	/** Counts a finished row; logs when the interval has passed since the last line. */
	rowDone(status: UserStatus): void {
		this.done++;
		this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
		const now = this.now();
		if (now - this.lastLogAt >= this.intervalMs && this.done < this.total) {
			this.lastLogAt = now;
			this.log.info(this.line());
		}
	}

	/** Logs the final counts when the run was long enough to have logged progress at all. */
	finish(startedAt: number): void {
		if (this.now() - startedAt >= this.intervalMs) this.log.info(this.line());
	}

	line(): string {
		const counts = [...this.counts.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([status, count]) => `${status} ${count}`)
			.join(', ');
		return `Genesys Cloud Bulk Create Users: ${this.done}/${this.total} rows done${counts ? ` (${counts})` : ''}`;
	}
}
