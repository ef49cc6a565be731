/**
 * One row, from lookup result to UserResult:
 *
 *   not found ──► create ──┬─► created ─────────────────────────────► follow-ups
 *                          └─► 409 (race) ─► found user ─┐
 *   found live ─────────────────────────────────────────┼─► skip   ─► existing
 *                                                       ├─► update ─► updated ──► follow-ups
 *                                                       └─► fail   ─► failed
 *   found deleted ─► restoreDeleted ? restore + update ─► restored ─► follow-ups : failed
 *
 * Follow-ups run in two phases: the first right after the main stage, the second (manager, invite) once
 * every row has its user, so a manager created by the same run is known whatever the input order. The
 * requests themselves are userApi.ts's; this file decides what happens next and records every step.
 */
import { runPool } from '../../GenesysCloud/pool';
import type { ResultError } from '../../GenesysCloud/resultError';
import { toResultError } from '../../GenesysCloud/resultError';
import type { Progress } from '../outputs/progress';
import type { FollowUpStep, StepResult, UserResult, ValidRow } from '../types';
import type { MainOutcome, RowWork, RunContext } from './context';
import { isCancelled } from './context';
import type { Action } from './policy';
import {
	decideAction,
	existingUserError,
	fieldChanges,
	FIRST_PHASE,
	followUpSkipReason,
	followUpsFor,
	lookupStep,
	restoreState,
	SECOND_PHASE,
	stateChange,
} from './policy';
import type { GenesysUser } from './userApi';
import {
	createUser,
	emailKey,
	errorFacts,
	getUser,
	isDeleted,
	isRunStopper,
	patchUser,
	restoreUser,
	sendFollowUp,
	userJson,
} from './userApi';

/** A valid row and its position in the input. */
export interface PendingRow {
	row: ValidRow;
	i: number;
}

/**
 * Provisions the rows `concurrency` at a time, then runs the second follow-up phase of every started row.
 * Rows not started (the run stopped or was cancelled) get no entry; the caller reports them.
 */
export async function provisionRows(
	ctx: RunContext,
	rows: readonly PendingRow[],
	existing: ReadonlyMap<string, GenesysUser>,
	progress: Progress,
): Promise<Map<number, UserResult>> {
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
		() => !ctx.stop.error && !isCancelled(ctx),
	);
	// Every started row goes through the second phase; a stopped run records its steps as skipped.
	const second = [...works.values()].filter((work) => phaseSteps(ctx, work, SECOND_PHASE).length > 0);
	await runPool(second, ctx.settings.concurrency, (work) => runFollowUps(ctx, work, phaseSteps(ctx, work, SECOND_PHASE)));
	return new Map([...works].map(([i, work]) => [i, finalizeRow(work)]));
}

function newWork(row: ValidRow): RowWork {
	return {
		row,
		result: { status: 'failed', row: row.row, email: row.email, steps: [] },
		failures: [],
	};
}

/** Main stage and first follow-up phase. Never throws: every failure lands on the row. */
async function provisionRow(ctx: RunContext, work: RowWork, found: GenesysUser | undefined): Promise<void> {
	work.result.steps.push(lookupStep(found));
	let stage: StepResult['step'] = 'create';
	try {
		let action = decideAction(found, ctx.settings);
		let existing = found;
		if (action === 'create') {
			const holder = await createStage(ctx, work);
			if (!holder) return;
			existing = holder;
			action = decideAction(existing, ctx.settings);
		}
		if (!existing) return;
		stage = action === 'restore' ? 'restore' : 'update';
		if (!(await existingStage(ctx, work, existing, action))) return;
		await runFollowUps(ctx, work, phaseSteps(ctx, work, FIRST_PHASE));
	} catch (error) {
		failStage(ctx, work, stage, error);
	}
}

/**
 * Creates the user. Returns the user that already holds the email when Genesys refuses the create
 * (409), undefined when the row is done (created, or failed).
 */
async function createStage(ctx: RunContext, work: RowWork): Promise<GenesysUser | undefined> {
	const outcome = await createUser(ctx, work.row);
	switch (outcome.kind) {
		case 'created':
			work.user = outcome.user;
			work.freshSince = outcome.startedAt;
			setOutcome(ctx, work, 'created');
			work.result.steps.push(
				outcome.detail
					? { step: 'create', status: 'done', detail: outcome.detail }
					: { step: 'create', status: 'done' },
			);
			await runFollowUps(ctx, work, phaseSteps(ctx, work, FIRST_PHASE));
			return undefined;
		case 'conflict':
			work.result.steps.push({
				step: 'create',
				status: 'skipped',
				detail: `email already in use by ${outcome.user.state ?? 'existing'} user ${outcome.user.id}`,
			});
			return outcome.user;
		case 'failed':
			failStage(ctx, work, 'create', outcome.error);
			return undefined;
	}
}

/** Applies the existing-user policy. Returns true when follow-ups should run. */
async function existingStage(ctx: RunContext, work: RowWork, found: GenesysUser, action: Action): Promise<boolean> {
	work.user = found;
	work.result.userId = found.id;
	switch (action) {
		case 'skip':
			setOutcome(ctx, work, 'existing');
			return false;
		case 'fail':
			work.failures.push(existingUserError(found, work.row.email));
			return false;
		case 'restore': {
			const detail = await restoreUser(ctx, work, found, restoreState(work.row));
			work.result.steps.push({ step: 'restore', status: 'done', detail });
			work.freshSince = ctx.clock.now();
			await updateUser(ctx, work, found.id, true);
			setOutcome(ctx, work, 'restored');
			return true;
		}
		case 'update':
			await updateUser(ctx, work, found.id, false);
			setOutcome(ctx, work, 'updated');
			return true;
		case 'create':
			return false;
	}
}

/**
 * PATCHes the mapped fields that differ, and the state (alone) when the row asks for another one. An
 * existing user is read first: the lookup's copy comes from the search index, which can lag behind writes.
 * Right after a restore the user was just read and is in the state asked for.
 */
async function updateUser(ctx: RunContext, work: RowWork, userId: string, afterRestore: boolean): Promise<void> {
	const changed: string[] = [];
	if (!afterRestore) {
		work.user = await getUser(ctx, work, userId);
		const sent = await patchUser(ctx, work, userId, (current) => {
			const state = stateChange(work.row, current);
			return state ? { state } : undefined;
		});
		if (sent?.state) changed.push(`state: ${sent.state}`);
	}
	const sent = await patchUser(ctx, work, userId, (current) => {
		const changes = fieldChanges(work.row, current);
		return Object.keys(changes).length > 0 ? changes : undefined;
	});
	if (sent) changed.push(...Object.keys(sent));
	work.result.steps.push(
		changed.length > 0
			? { step: 'update', status: 'done', detail: changed.join(', ') }
			: { step: 'update', status: 'skipped', detail: 'no changes' },
	);
}

function setOutcome(ctx: RunContext, work: RowWork, outcome: MainOutcome): void {
	work.outcome = outcome;
	const user = work.user;
	if (!user) return;
	work.result.userId = user.id;
	if (!isDeleted(user)) ctx.directory.set(emailKey(work.row.email), user.id);
}

/** The steps of `phase` this row asks for, given what its main stage did. */
function phaseSteps(ctx: RunContext, work: RowWork, phase: readonly FollowUpStep[]): FollowUpStep[] {
	const action = mainAction(work.outcome);
	if (!action) return [];
	return followUpsFor(work.row, ctx.settings, action).filter((step) => phase.includes(step));
}

function mainAction(outcome: MainOutcome | undefined): Action | undefined {
	if (outcome === 'created') return 'create';
	if (outcome === 'updated') return 'update';
	if (outcome === 'restored') return 'restore';
	return undefined;
}

/**
 * Runs the given steps in order, recording each. A failed step does not stop the others (they are
 * independent), unless the whole run has to stop.
 */
async function runFollowUps(ctx: RunContext, work: RowWork, steps: readonly FollowUpStep[]): Promise<void> {
	for (const step of steps) {
		if (ctx.stop.error || isCancelled(ctx)) {
			work.result.steps.push({ step, status: 'skipped', detail: 'run stopped before this step' });
			work.failures.push({ ...(ctx.stop.error ?? cancelledError()), field: step });
			continue;
		}
		const skipped = followUpSkipReason(step, ctx.settings);
		if (skipped) {
			work.result.steps.push({ step, status: 'skipped', detail: skipped });
			continue;
		}
		try {
			const detail = await sendFollowUp(ctx, work, step);
			work.result.steps.push({ step, status: 'done', detail });
		} catch (error) {
			failStep(ctx, work, step, error);
		}
	}
}

/** The main stage failed: the row has no outcome. */
function failStage(ctx: RunContext, work: RowWork, step: StepResult['step'], error: unknown): void {
	failStep(ctx, work, step, error);
	work.outcome = undefined;
}

function failStep(ctx: RunContext, work: RowWork, step: StepResult['step'], error: unknown): void {
	const failure = toResultError(error, step);
	work.result.steps.push({ step, status: 'failed', detail: failure.message });
	work.failures.push(failure);
	if (isRunStopper(errorFacts(error))) ctx.stop.error ??= failure;
}

/** The row's final output: its outcome, or failed with the first failure (the others are named in it). */
function finalizeRow(work: RowWork): UserResult {
	const result = work.result;
	if (work.user) {
		result.userId = work.user.id;
		result.user = userJson(work.user);
	}
	if (work.failures.length === 0 && work.outcome) {
		result.status = work.outcome;
		return result;
	}
	result.status = 'failed';
	result.error = combineFailures(work.failures);
	return result;
}

function combineFailures(failures: readonly ResultError[]): ResultError {
	const [first, ...others] = failures;
	if (!first) return { message: 'The row was not processed' };
	if (others.length === 0) return first;
	const also = others.map((failure) => failure.field ?? 'unknown step').join(', ');
	return { ...first, message: `${first.message} (also failed: ${also})` };
}

function cancelledError(): { message: string; code: string } {
	return { message: 'The execution was cancelled before this work was done', code: 'execution.cancelled' };
}

/** A row the run never got to start. */
export function notStartedResult(ctx: RunContext, row: ValidRow): UserResult {
	const reason: ResultError = ctx.stop.error
		? { ...ctx.stop.error, message: `Not processed: ${ctx.stop.error.message}` }
		: cancelledError();
	return { status: 'failed', row: row.row, email: row.email, steps: [], error: { ...reason, field: undefined } };
}
