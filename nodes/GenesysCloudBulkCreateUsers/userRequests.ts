/**
 * Requests on one user that need more than the transport's retries: 404s while a new user propagates
 * (API.md 5: terraform retries reads and role grants on 404), and PATCHes that need the current `version`.
 */
import { settle } from '../GenesysCloud/settle';
import { segment } from './api';
import type { RowWork, RunContext } from './context';
import { errorFacts, isNotFound, isVersionMismatch } from './failures';
import { UpdateUserSchema } from './schema';
import type { UpdateUserBody } from './schema';
import { nextWait } from './timing';
import type { GenesysUser } from './users';
import { isUser } from './users';

/**
 * Runs `send`, re-sending it while it answers 404 and the user was created or restored by this run less than
 * `consistencyWindowMs` ago. Any other failure, or a 404 on an older user, is thrown.
 */
export async function withConsistency<T>(ctx: RunContext, work: RowWork, send: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		const sent = await settle(send);
		if (sent.ok) return sent.value;
		const wait = consistencyWait(ctx, work, sent.error, attempt);
		if (wait === undefined) throw sent.error;
		ctx.counters.consistencyRetries++;
		await ctx.clock.sleep(wait);
	}
}

function consistencyWait(ctx: RunContext, work: RowWork, error: unknown, attempt: number): number | undefined {
	if (work.freshSince === undefined || ctx.clock.cancelled()) return undefined;
	if (!isNotFound(errorFacts(error))) return undefined;
	return nextWait(attempt, ctx.clock.now(), work.freshSince + ctx.timing.consistencyWindowMs, ctx.timing);
}

export function userPath(userId: string): string {
	return `/api/v2/users/${segment(userId)}`;
}

/** GET /api/v2/users/{id}; deleted users are only returned when asked for with ?state=deleted. */
export async function getUser(ctx: RunContext, work: RowWork, userId: string, deleted = false): Promise<GenesysUser> {
	const user = await withConsistency(ctx, work, () =>
		ctx.api.request<GenesysUser>({
			method: 'GET',
			path: userPath(userId),
			...(deleted ? { qs: { state: 'deleted' } } : {}),
			idempotent: true,
		}),
	);
	if (!isUser(user)) throw new Error(`Genesys Cloud returned no user for ${userId}`);
	return user;
}

export type UserChanges = Omit<UpdateUserBody, 'version'>;

/** What to PATCH given the user as it is now; undefined when it already holds what is wanted. */
export type ChangeBuilder = (current: GenesysUser) => UserChanges | undefined;

/**
 * PATCH /api/v2/users/{id} with the user's current `version`. When Genesys says the version is stale, the
 * user is read again and the changes are worked out anew against it, so a stale copy (search lags behind
 * writes) neither loses nor repeats a change. Keeps `work.user` on the latest known copy; returns the
 * changes sent, or undefined when there was nothing to change.
 */
export async function patchUser(
	ctx: RunContext,
	work: RowWork,
	userId: string,
	build: ChangeBuilder,
	options: { deleted?: boolean; attempts?: number } = {},
): Promise<UserChanges | undefined> {
	const deleted = options.deleted === true;
	const attempts = options.attempts ?? ctx.timing.versionAttempts;
	let current = work.user?.id === userId && typeof work.user.version === 'number' ? work.user : undefined;
	for (let attempt = 1; ; attempt++) {
		if (!current) current = await getUser(ctx, work, userId, deleted);
		const changes = build(current);
		if (!changes) return undefined;
		const payload = UpdateUserSchema.parse({ ...changes, version: current.version });
		const patched = await settle(() =>
			withConsistency(ctx, work, () =>
				ctx.api.request<GenesysUser>({ method: 'PATCH', path: userPath(userId), body: payload, idempotent: true }),
			),
		);
		if (patched.ok) {
			work.user = isUser(patched.value) ? patched.value : await getUser(ctx, work, userId);
			return changes;
		}
		if (attempt >= attempts || !isVersionMismatch(errorFacts(patched.error))) throw patched.error;
		ctx.counters.versionRetries++;
		current = undefined;
	}
}
