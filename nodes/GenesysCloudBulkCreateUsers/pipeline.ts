/**
 * The provisioning run, after the input is read:
 * in-input duplicates -> batched lookup by email -> reference checks -> rows through a concurrency pool
 * (main stage + first follow-ups) -> second follow-up phase -> one result per row, in input order.
 * Nothing is written before every lookup and check is done; a dry run stops short of writing.
 */
import { runPool } from '../GenesysCloud/pool';
import { toResultError } from '../GenesysCloud/resultError';
import type { GenesysApi } from './api';
import type { EngineCounters, RowWork, RunContext } from './context';
import { newCounters } from './context';
import { errorFacts, isRunStopper } from './failures';
import { isAccessError, lookupUsersByEmail } from './lookup';
import type { LookupResult } from './lookup';
import { invalidResult } from './outputs';
import { planRow } from './plan';
import type { ProgressLog } from './progress';
import { Progress } from './progress';
import { finalizeRow, finishRow, newWork, notStartedResult, pendingSecondPhase, provisionRow } from './provision';
import { checkReferences, managerErrors, referenceErrors, rowReferences } from './references';
import { LOOKUP_CONCURRENCY } from './settings';
import type { Clock, Timing } from './timing';
import { DEFAULT_TIMING } from './timing';
import type { BulkCreateSettings, FieldError, InputRow, InvalidRow, UserResult, ValidRow } from './types';
import type { GenesysUser } from './users';
import { emailKey, isDeleted, isEmail } from './users';

export interface PipelineOptions {
	api: GenesysApi;
	settings: BulkCreateSettings;
	clock: Clock;
	log: ProgressLog;
	timing?: Partial<Timing>;
}

/** A valid row and its position in the input. */
interface PendingRow {
	row: ValidRow;
	i: number;
}

export interface RunOutcome {
	/** `results[i]` is the outcome of `rows[i]`. */
	results: UserResult[];
	counters: EngineCounters;
}

/**
 * Throws only when nothing can be done at all (credentials or permissions refused before any write);
 * every other failure is reported on its rows.
 */
export async function runBulkCreate(options: PipelineOptions, inputRows: readonly InputRow[]): Promise<RunOutcome> {
	const ctx: RunContext = {
		api: options.api,
		settings: options.settings,
		clock: options.clock,
		timing: { ...DEFAULT_TIMING, ...options.timing },
		directory: new Map(),
		stop: {},
		counters: newCounters(),
	};
	const rows = markDuplicates(inputRows);
	const results: Array<UserResult | undefined> = rows.map((row) =>
		row.kind === 'invalid' ? invalidResult(row) : undefined,
	);
	const pending = rows.flatMap((row, i): PendingRow[] => (row.kind === 'valid' ? [{ row, i }] : []));
	if (pending.length === 0) return { results: results.map(orUnprocessed(ctx, rows)), counters: ctx.counters };

	const found = await lookup(ctx, pending, results);
	const checked = await validateReferences(ctx, pending, found, results);

	const progress = new Progress(checked.length, () => ctx.clock.now(), ctx.timing.progressIntervalMs, options.log);
	const startedAt = ctx.clock.now();
	if (ctx.settings.dryRun) {
		// A cancelled lookup may have missed users: planning "create" for them would be a wrong prediction.
		if (!ctx.stop.error && !ctx.clock.cancelled()) {
			for (const { row, i } of checked) results[i] = planRow(row, found.users.get(emailKey(row.email)), ctx.settings);
		}
	} else {
		await provisionAll(ctx, checked, found.users, results, progress);
	}
	progress.finish(startedAt);
	return { results: results.map(orUnprocessed(ctx, rows)), counters: ctx.counters };
}

/** Later rows repeating an earlier row's email (case-insensitively) become invalid. */
export function markDuplicates(rows: readonly InputRow[]): InputRow[] {
	const firstRow = new Map<string, number>();
	return rows.map((row): InputRow => {
		if (row.kind !== 'valid') return row;
		const key = emailKey(row.email);
		const first = firstRow.get(key);
		if (first === undefined) {
			firstRow.set(key, row.row);
			return row;
		}
		return invalidFrom(row, [{ field: 'email', message: `Duplicate email: the same email is on row ${first}` }]);
	});
}

function invalidFrom(row: ValidRow, errors: FieldError[]): InvalidRow {
	return { kind: 'invalid', index: row.index, row: row.row, itemIndex: row.itemIndex, email: row.email, errors };
}

/** Batched lookup of the rows' emails and of managers given by email. Fills the run's directory. */
async function lookup(
	ctx: RunContext,
	pending: readonly PendingRow[],
	results: Array<UserResult | undefined>,
): Promise<LookupResult> {
	const emails = new Set<string>();
	for (const { row } of pending) {
		emails.add(row.email);
		const manager = row.followUps.manager;
		if (manager && isEmail(manager)) emails.add(manager);
	}
	const concurrency = Math.max(ctx.settings.concurrency, LOOKUP_CONCURRENCY);
	const found = await lookupUsersByEmail(ctx.api, emails, concurrency, () => !ctx.clock.cancelled());
	for (const error of found.errors.values()) {
		// Credentials or permissions refused before anything was written: the node fails as a whole.
		if (isAccessError(error)) throw error;
		if (isRunStopper(errorFacts(error))) ctx.stop.error ??= toResultError(error);
	}
	for (const [key, user] of found.users) if (!isDeleted(user)) ctx.directory.set(key, user.id);
	for (const { row, i } of pending) {
		const error = found.errors.get(emailKey(row.email));
		if (error === undefined || ctx.stop.error) continue;
		const failure = toResultError(error, 'lookup');
		results[i] = {
			status: 'failed',
			row: row.row,
			email: row.email,
			steps: [{ step: 'lookup', status: 'failed', detail: failure.message }],
			error: failure,
		};
	}
	return found;
}

/** Rows referring to ids or managers that do not exist become invalid; returns the rows still to do. */
async function validateReferences(
	ctx: RunContext,
	pending: readonly PendingRow[],
	found: LookupResult,
	results: Array<UserResult | undefined>,
): Promise<PendingRow[]> {
	const open = pending.filter(({ i }) => results[i] === undefined);
	if (ctx.stop.error || open.length === 0) return open;
	const check = await checkReferences(
		ctx.api,
		open.flatMap(({ row }) => rowReferences(row)),
		ctx.settings.concurrency,
		() => !ctx.clock.cancelled(),
	);
	if (check.stopError !== undefined) ctx.stop.error ??= toResultError(check.stopError);
	const afterRefs = open.filter(({ row, i }) => {
		const errors = referenceErrors(row, check.states);
		if (errors.length > 0) results[i] = invalidResult(invalidFrom(row, errors));
		return errors.length === 0;
	});
	// Managers named by email must be live users, or rows of this input that are still valid. A manager
	// whose search failed is left to the manager step.
	const inputEmails = new Set(afterRefs.map(({ row }) => emailKey(row.email)));
	return afterRefs.filter(({ row, i }) => {
		const manager = row.followUps.manager;
		if (manager && found.errors.has(emailKey(manager))) return true;
		const errors = managerErrors(row, found.users, inputEmails);
		if (errors.length > 0) results[i] = invalidResult(invalidFrom(row, errors));
		return errors.length === 0;
	});
}

async function provisionAll(
	ctx: RunContext,
	rows: readonly PendingRow[],
	existing: ReadonlyMap<string, GenesysUser>,
	results: Array<UserResult | undefined>,
	progress: Progress,
): Promise<void> {
	const works = new Map<number, RowWork>();
	await runPool(
		rows,
		ctx.settings.concurrency,
		async ({ row, i }) => {
			const work = newWork(row);
			works.set(i, work);
			await provisionRow(ctx, work, existing.get(emailKey(row.email)));
			progress.rowDone(work.failures.length > 0 ? 'failed' : (work.outcome ?? 'failed'));
		},
		() => !ctx.stop.error && !ctx.clock.cancelled(),
	);
	// Every started row goes through the second phase; a stopped run records its steps as skipped.
	const second = [...works.values()].filter((work) => pendingSecondPhase(ctx, work).length > 0);
	await runPool(second, ctx.settings.concurrency, (work) => finishRow(ctx, work));
	for (const [i, work] of works) results[i] = finalizeRow(work);
}

function orUnprocessed(
	ctx: RunContext,
	rows: readonly InputRow[],
): (result: UserResult | undefined, i: number) => UserResult {
	return (result, i) => {
		if (result) return result;
		const row = rows[i];
		if (row.kind === 'invalid') return invalidResult(row);
		return notStartedResult(ctx, row);
	};
}
