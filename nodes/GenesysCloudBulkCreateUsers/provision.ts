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
 * every row has its user, so a manager created by the same run is known whatever the input order.
 */
import { toResultError } from '../GenesysCloud/resultError';
import type { MainOutcome, RowWork, RunContext } from './context';
import { restoreUser, updateUser } from './existing';
import { errorFacts, isRunStopper } from './failures';
import { cancelledError, runFollowUps } from './followUps';
import type { Action } from './plan';
import { decideAction, existingUserError, FIRST_PHASE, followUpsFor, lookupStep, SECOND_PHASE } from './plan';
import { createOrReconcile } from './reconcile';
import type { ResultError, StepResult, UserResult, ValidRow } from './types';
import type { GenesysUser } from './users';
import { emailKey, isDeleted, userJson } from './users';

export function newWork(row: ValidRow): RowWork {
	return {
		row,
		result: { status: 'failed', row: row.row, email: row.email, steps: [] },
		failures: [],
	};
}

/** Main stage and first follow-up phase. Never throws: every failure lands on the row. */
export async function provisionRow(ctx: RunContext, work: RowWork, found: GenesysUser | undefined): Promise<void> {
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
	const outcome = await createOrReconcile(ctx, work.row);
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
		case 'restore':
			await restoreUser(ctx, work, found);
			work.freshSince = ctx.clock.now();
			await updateUser(ctx, work, found.id, true);
			setOutcome(ctx, work, 'restored');
			return true;
		case 'update':
			await updateUser(ctx, work, found.id, false);
			setOutcome(ctx, work, 'updated');
			return true;
		case 'create':
			return false;
	}
}

function setOutcome(ctx: RunContext, work: RowWork, outcome: MainOutcome): void {
	work.outcome = outcome;
	const user = work.user;
	if (!user) return;
	work.result.userId = user.id;
	if (!isDeleted(user)) ctx.directory.set(emailKey(work.row.email), user.id);
}

/** The steps of `phase` this row asks for, given what its main stage did. */
function phaseSteps(ctx: RunContext, work: RowWork, phase: readonly string[]): ReturnType<typeof followUpsFor> {
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

/** Second follow-up phase (manager, invite). */
export async function finishRow(ctx: RunContext, work: RowWork): Promise<void> {
	await runFollowUps(ctx, work, phaseSteps(ctx, work, SECOND_PHASE));
}

/** Steps of the second phase a row still needs; empty when it has nothing left to do. */
export function pendingSecondPhase(ctx: RunContext, work: RowWork): ReturnType<typeof followUpsFor> {
	return phaseSteps(ctx, work, SECOND_PHASE);
}

function failStage(ctx: RunContext, work: RowWork, step: StepResult['step'], error: unknown): void {
	const failure = toResultError(error, step);
	work.result.steps.push({ step, status: 'failed', detail: failure.message });
	work.failures.push(failure);
	work.outcome = undefined;
	if (isRunStopper(errorFacts(error))) ctx.stop.error ??= failure;
}

/** The row's final output: its outcome, or failed with the first failure (the others are named in it). */
export function finalizeRow(work: RowWork): UserResult {
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

/** A row the run never got to start. */
export function notStartedResult(ctx: RunContext, row: ValidRow): UserResult {
	const reason: ResultError = ctx.stop.error
		? { ...ctx.stop.error, message: `Not processed: ${ctx.stop.error.message}` }
		: cancelledError();
	return { status: 'failed', row: row.row, email: row.email, steps: [], error: { ...reason, field: undefined } };
}
