/**
 * The node's execute(), top to bottom:
 *   input/settings + input/rows ─► one client for the run ─► runBulkCreate ─► outputs/results (+ summary)
 *   ─► outputs/failures (On Error: fail the node, the error output, or items with their `error`)
 * and the run itself: batched lookup by email ─► reference checks ─► rows through a concurrency pool
 * (row.ts: main stage, follow-ups) ─► one result per row, in input order. Nothing is written before every
 * lookup and check is done; a dry run stops short of writing (policy.ts plans each row instead).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { GenesysApi } from '../../GenesysCloud/genesysApi';
import { rateLimitOf, tokenPoolSizeOf } from '../../GenesysCloud/parameters';
import { RUN_SUMMARY_KEY } from '../../GenesysCloud/runSummary';
import type { FieldError } from '../../GenesysCloud/resultError';
import { toResultError } from '../../GenesysCloud/resultError';
import type { Clock } from '../../GenesysCloud/transport';
import { GenesysClient, SYSTEM_CLOCK } from '../../GenesysCloud/transport';
import { collectRows } from '../input/rows';
import { LOOKUP_CONCURRENCY, readSettings } from '../input/settings';
import type { ProgressLog } from '../outputs/progress';
import { Progress } from '../outputs/progress';
import { deliverResults, failureHandling } from '../outputs/failures';
import { invalidResult, resultItems, toJson } from '../outputs/results';
import { buildSummary } from '../outputs/summary';
import type { BulkCreateSettings, InputRow, InvalidRow, UserResult, ValidRow } from '../types';
import { linkAbort, type LinkedAbort } from '../../GenesysCloud/abort';
import { guardedApi, OutageBreaker } from './breaker';
import type { EngineCounters, RunContext, Timing } from './context';
import { DEFAULT_TIMING, isCancelled, newCounters, OUTAGE_WINDOWS_PER_RATE_WINDOW } from './context';
import type { LookupResult } from './lookup';
import { checkReferences, isAccessError, lookupUsersByEmail, managerErrors, referenceErrors, rowReferences } from './lookup';
import { needsHomeDivision, readHomeDivision } from './divisions';
import { planRow } from './policy';
import type { PendingRow } from './row';
import { notStartedResult, provisionRows } from './row';
import { emailKey, errorFacts, isDeleted, isEmail, isRunStopper } from './userApi';

export async function executeBulkCreateUsers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const startedAt = Date.now();
	const settings = readSettings(this);
	const rows = await collectRows(this, settings);
	const client = await GenesysClient.forContext(this, {
		rateLimit: rateLimitOf(settings.requestsPerMinute, settings.rateLimitWindowSeconds),
		// Provisioning keeps to `concurrency` through its own pools; the lookup searches may run wider.
		maxConcurrency: Math.max(settings.concurrency, LOOKUP_CONCURRENCY),
		tokenPoolSize: tokenPoolSizeOf(this),
	});
	const outcome = await runBulkCreate(
		{ api: client, settings, clock: SYSTEM_CLOCK, signal: this.getExecutionCancelSignal(), log: this.logger },
		rows,
	);
	const output = deliverResults(this.getNode(), failureHandling(this), resultItems(rows, outcome.results), settings.dryRun);
	if (settings.includeSummary) {
		const summary = buildSummary(
			outcome.results,
			client.stats(),
			outcome.counters,
			Date.now() - startedAt,
			settings.dryRun,
		);
		output.push({ json: { [RUN_SUMMARY_KEY]: toJson(summary) }, pairedItem: { item: 0 } });
	}
	return [output];
}

export interface RunOptions {
	api: GenesysApi;
	settings: BulkCreateSettings;
	clock: Clock;
	/** n8n's cancel signal: no new row starts once it aborts. */
	signal?: AbortSignal;
	log: ProgressLog;
	timing?: Partial<Timing>;
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
export async function runBulkCreate(options: RunOptions, rows: readonly InputRow[]): Promise<RunOutcome> {
	// The run's signal: n8n's Stop, or the circuit breaker opening (breaker.ts).
	const link = linkAbort(options.signal);
	try {
		return await runRows(options, rows, link);
	} finally {
		link.dispose();
	}
}

async function runRows(options: RunOptions, rows: readonly InputRow[], link: LinkedAbort): Promise<RunOutcome> {
	const timing = {
		...DEFAULT_TIMING,
		searchLagWindowMs: options.settings.reconcileWindowSeconds * 1000,
		...options.timing,
	};
	const windowMs =
		timing.outageWindowMs ?? options.settings.rateLimitWindowSeconds * 1000 * OUTAGE_WINDOWS_PER_RATE_WINDOW;
	const ctx: RunContext = {
		api: options.api,
		settings: options.settings,
		clock: options.clock,
		signal: link.signal,
		timing,
		directory: new Map(),
		stop: {},
		counters: newCounters(),
	};
	const breaker = new OutageBreaker(() => options.clock.now(), { failures: timing.outageFailures, windowMs }, (reason) => {
		ctx.stop.error ??= reason;
		link.abort(reason);
	});
	ctx.api = guardedApi(options.api, breaker, link.signal, windowMs);
	const results: Array<UserResult | undefined> = rows.map((row) =>
		row.kind === 'invalid' ? invalidResult(row) : undefined,
	);
	const pending = rows.flatMap((row, i): PendingRow[] => (row.kind === 'valid' ? [{ row, i }] : []));
	if (pending.length === 0) return { results: results.map(orUnprocessed(ctx, rows)), counters: ctx.counters };

	const found = await lookup(ctx, pending, results);
	const checked = await validateReferences(ctx, pending, found, results);
	await readHomeDivisionIfNeeded(ctx, checked);

	const progress = new Progress(checked.length, () => ctx.clock.now(), ctx.timing.progressIntervalMs, options.log);
	const startedAt = ctx.clock.now();
	if (ctx.settings.dryRun) {
		// A cancelled lookup may have missed users: planning "create" for them would be a wrong prediction.
		if (!ctx.stop.error && !isCancelled(ctx)) {
			for (const { row, i } of checked) results[i] = planRow(row, found.users.get(emailKey(row.email)), ctx.settings, ctx.homeDivision);
		}
	} else {
		const provisioned = await provisionRows(ctx, checked, found.users, progress);
		for (const [i, result] of provisioned) results[i] = result;
	}
	progress.finish(startedAt);
	return { results: results.map(orUnprocessed(ctx, rows)), counters: ctx.counters };
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
	const found = await lookupUsersByEmail(ctx.api, emails, concurrency, () => !isCancelled(ctx));
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
		() => !isCancelled(ctx),
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

/** The home division, read once when a role grant of a row still to do needs it. */
async function readHomeDivisionIfNeeded(ctx: RunContext, rows: readonly PendingRow[]): Promise<void> {
	if (ctx.stop.error || isCancelled(ctx) || !rows.some(({ row }) => needsHomeDivision(row))) return;
	ctx.homeDivision = await readHomeDivision(ctx.api);
	if (!ctx.homeDivision.ok && isRunStopper(errorFacts(ctx.homeDivision.error))) {
		ctx.stop.error ??= toResultError(ctx.homeDivision.error);
	}
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
