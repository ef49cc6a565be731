/**
 * Rows whose email already belongs to a user: update it in place, or restore a soft-deleted one first
 * (the terraform provider's restoreDeletedUser, API.md 5.1).
 */
import { settle } from '../GenesysCloud/settle';
import type { RowWork, RunContext } from './context';
import { errorFacts, isNotFound, isVersionMismatch } from './failures';
import { fieldChanges, restoreState, stateChange } from './plan';
import { getUser, patchUser } from './userRequests';
import type { GenesysUser } from './users';
import { isDeleted } from './users';

/**
 * PATCHes the mapped fields that differ, and the state (alone) when the row asks for another one. An
 * existing user is read first: the lookup's copy comes from the search index, which can lag behind writes.
 * Right after a restore the user was just read and is in the state asked for.
 */
export async function updateUser(ctx: RunContext, work: RowWork, userId: string, afterRestore: boolean): Promise<void> {
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

/**
 * Restores a soft-deleted user: its current version comes from GET ?state=deleted, then `state` is PATCHed
 * alone. A user found live again (a lost response of our own PATCH, or someone else) counts as restored.
 */
export async function restoreUser(ctx: RunContext, work: RowWork, found: GenesysUser): Promise<void> {
	const target = restoreState(work.row);
	for (let attempt = 1; ; attempt++) {
		const current = await currentUser(ctx, work, found.id);
		if (!isDeleted(current)) {
			work.user = current;
			work.result.steps.push({ step: 'restore', status: 'done', detail: `already ${current.state ?? 'live'}` });
			return;
		}
		work.user = current;
		// One attempt per loop: a stale version is re-read above, in whatever state the user is now.
		const restored = await settle(() =>
			patchUser(ctx, work, found.id, () => ({ state: target }), { deleted: true, attempts: 1 }),
		);
		if (restored.ok) {
			work.result.steps.push({ step: 'restore', status: 'done', detail: `state: ${target}` });
			return;
		}
		if (attempt >= ctx.timing.versionAttempts || !isVersionMismatch(errorFacts(restored.error))) throw restored.error;
		ctx.counters.versionRetries++;
	}
}

/** The user in whatever state it is: deleted users need ?state=deleted, live ones are not found that way. */
async function currentUser(ctx: RunContext, work: RowWork, userId: string): Promise<GenesysUser> {
	const deleted = await settle(() => getUser(ctx, work, userId, true));
	if (deleted.ok) return deleted.value;
	if (!isNotFound(errorFacts(deleted.error))) throw deleted.error;
	return await getUser(ctx, work, userId, false);
}
