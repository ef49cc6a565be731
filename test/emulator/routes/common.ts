/**
 * Helpers shared by user-scoped routes.
 */
import type { EmulatorCore } from '../core';
import { notFound, type RouteResult } from '../errors';
import type { EmuUser, PasswordAttempt } from '../types';

export type UserLookup = { user: EmuUser; error?: undefined } | { user?: undefined; error: RouteResult };

/**
 * A user as user-scoped endpoints see it: 404 while a new user is still propagating (consistencyDelayMs,
 * docs/GENESYS.md, "Eventual consistency") and, unless `allowDeleted`, once it is soft-deleted.
 */
export function scopedUser(core: EmulatorCore, userId: string, allowDeleted = false): UserLookup {
	const user = core.state.users.get(userId);
	if (user === undefined || !core.state.isVisible(userId, core.now()) || (!allowDeleted && user.state === 'deleted')) {
		return { error: notFound(`User ${userId} not found`, userId) };
	}
	return { user };
}

/** Records a change of a user's own fields: new version, and a new snapshot for the lagging search index. */
export function bumpUser(core: EmulatorCore, user: EmuUser): void {
	const now = core.now();
	user.version += 1;
	user.updatedAt = now;
	core.state.recordChange(user, now, core.faults.searchLagMs);
}

/**
 * One password configuration: fails with probability `passwordFailure` (its own random stream, so the knob
 * shifts no other decision). Only the outcome is kept, never the password.
 */
export function configurePassword(core: EmulatorCore, userId: string, via: PasswordAttempt['via']): boolean {
	const ok = core.random.passwords.next() >= core.faults.passwordFailure;
	core.state.passwordAttempts.push({ userId, via, ok, at: core.now() });
	if (ok) core.state.passwords.add(userId);
	return ok;
}
