/**
 * Outbound contact lists: how many contacts each holds, and the import status a CSV upload leaves behind.
 *
 * The upload itself goes to `https://apps.<domain>/uploads/v2/contactlist`, outside /api/v2, so tests start
 * imports with `emu.outbound.importContacts`. What a client then sees follows terraform's
 * resource_genesyscloud_outbound_contact_list.go (createOrUpdate's import wait):
 * - a tracked import answers `state: IN_PROGRESS` with a rising `percentComplete`, then no `state` and
 *   `percentComplete: 100` (success) or `state: FAILED` with a `failureReason`;
 * - a small upload is applied at once and "the Import Status doesn't get updated", so the status keeps its
 *   previous answer and only the contact count (POST .../contacts/search, `contactsCount`) shows the import.
 */
import type { Catalog } from './catalog';
import type { ContactImportOptions, OutboundControl } from './types';

/** models.json ImportStatus. `state` is absent once an import succeeded (and before any import). */
export interface ImportStatusBody {
	state?: 'IN_PROGRESS' | 'FAILED';
	totalRecords: number;
	completedRecords: number;
	percentComplete: number;
	failureReason?: string;
}

interface RunningImport {
	rows: number;
	startedAt: number;
	durationMs: number;
	failureReason?: string;
}

interface ListState {
	contacts: number;
	/** What the status endpoint answers when no tracked import is running. */
	lastStatus: ImportStatusBody;
	running?: RunningImport;
}

const DEFAULT_IMPORT_MS = 2000;

function neverImported(): ImportStatusBody {
	return { totalRecords: 0, completedRecords: 0, percentComplete: 0 };
}

export class OutboundStore implements OutboundControl {
	private readonly lists = new Map<string, ListState>();

	constructor(
		private readonly catalog: Catalog,
		private readonly smallImportRows: number,
		private readonly now: () => number,
	) {}

	importContacts(contactListId: string, rows: number, options: ContactImportOptions = {}): void {
		if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
		const list = this.list(contactListId);
		if (list === undefined) throw new RangeError(`unknown contact list: ${contactListId}`);
		this.settle(list);
		if (list.running !== undefined) throw new RangeError(`an import into ${contactListId} is still running`);
		const tracked = options.statusUpdates ?? rows > this.smallImportRows;
		if (!tracked) {
			if (options.failureReason !== undefined) throw new RangeError('a failing import needs statusUpdates');
			list.contacts += rows;
			return;
		}
		const durationMs = options.durationMs ?? DEFAULT_IMPORT_MS;
		if (!(durationMs >= 0)) throw new RangeError(`durationMs must be >= 0, got ${durationMs}`);
		list.running = { rows, startedAt: this.now(), durationMs, failureReason: options.failureReason };
	}

	contactCount(contactListId: string): number {
		const list = this.list(contactListId);
		if (list === undefined) throw new RangeError(`unknown contact list: ${contactListId}`);
		this.settle(list);
		return list.contacts;
	}

	/** GET .../importstatus; undefined for an unknown list. */
	importStatus(contactListId: string): ImportStatusBody | undefined {
		const list = this.list(contactListId);
		if (list === undefined) return undefined;
		this.settle(list);
		const running = list.running;
		if (running === undefined) return { ...list.lastStatus };
		const share = running.durationMs === 0 ? 1 : (this.now() - running.startedAt) / running.durationMs;
		return {
			state: 'IN_PROGRESS',
			totalRecords: running.rows,
			completedRecords: Math.floor(running.rows * share),
			percentComplete: Math.floor(100 * share),
		};
	}

	reset(): void {
		this.lists.clear();
	}

	private list(contactListId: string): ListState | undefined {
		if (!this.catalog.contactLists.has(contactListId)) return undefined;
		let list = this.lists.get(contactListId);
		if (list === undefined) {
			list = { contacts: 0, lastStatus: neverImported() };
			this.lists.set(contactListId, list);
		}
		return list;
	}

	/** Finishes a tracked import whose time has come (emulator clock). */
	private settle(list: ListState): void {
		const running = list.running;
		if (running === undefined || this.now() - running.startedAt < running.durationMs) return;
		list.running = undefined;
		if (running.failureReason !== undefined) {
			list.lastStatus = {
				state: 'FAILED',
				totalRecords: running.rows,
				completedRecords: 0,
				percentComplete: 0,
				failureReason: running.failureReason,
			};
			return;
		}
		list.contacts += running.rows;
		list.lastStatus = { totalRecords: running.rows, completedRecords: running.rows, percentComplete: 100 };
	}
}
