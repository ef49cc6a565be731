/**
 * POST /api/v2/users with one CreateUser, never creating a user twice and never losing one.
 *
 * The transport does not re-send a create whose outcome is unknown (dropped connection, lost response,
 * 5xx): it throws with `maybeApplied`. Re-posting is then safe because Genesys refuses a second user with the
 * same email (409 general.conflict, soft-deleted users included). A 409 after such an attempt means the earlier
 * attempt landed: the user is looked up by email and reported as created.
 */
import type { RunContext } from './context';
import { errorFacts, isConflict } from './failures';
import { findUserByEmail } from './lookup';
import { CreateUserSchema } from './schema';
import type { ValidRow } from './types';
import type { GenesysUser } from './users';
import { isDeleted, isUser } from './users';

export const USERS_PATH = '/api/v2/users';

export type CreateOutcome =
	/** The user exists because of this run; `detail` says how it was confirmed when not by a plain 200. */
	| { kind: 'created'; user: GenesysUser; startedAt: number; detail?: string }
	/** Another user already held the email (a race, or a lookup that missed it): the existing-user policy applies. */
	| { kind: 'conflict'; user: GenesysUser }
	| { kind: 'failed'; error: unknown };

export async function createOrReconcile(ctx: RunContext, row: ValidRow): Promise<CreateOutcome> {
	// One CreateUser object, checked against its schema whatever built it.
	const body = CreateUserSchema.parse(row.create);
	const startedAt = ctx.clock.now();
	let ambiguous = false;
	for (let attempt = 1; ; attempt++) {
		try {
			const user = await ctx.api.request<GenesysUser>({
				method: 'POST',
				path: USERS_PATH,
				body,
				idempotent: false,
			});
			if (isUser(user)) {
				if (ambiguous) ctx.counters.reconciledCreates++;
				return {
					kind: 'created',
					user,
					startedAt,
					detail: ambiguous ? 'created on a retry after a lost response' : undefined,
				};
			}
			// A 2xx without a user body: the create happened, so find what it made.
			return await confirmCreated(ctx, row, startedAt, new Error('Genesys Cloud answered the create without a user'));
		} catch (error) {
			const facts = errorFacts(error);
			if (isConflict(facts)) return await resolveConflict(ctx, row, startedAt, ambiguous, error);
			if (!facts.maybeApplied || ctx.clock.cancelled()) return { kind: 'failed', error };
			ambiguous = true;
			if (attempt >= ctx.timing.createAttempts) return await confirmCreated(ctx, row, startedAt, error);
		}
	}
}

/** 409 on create: either our own earlier attempt landed, or someone else holds the email. */
async function resolveConflict(
	ctx: RunContext,
	row: ValidRow,
	startedAt: number,
	ambiguous: boolean,
	conflict: unknown,
): Promise<CreateOutcome> {
	const found = await findUserByEmail(ctx, row.email, { waitForLag: true });
	if (!found) return { kind: 'failed', error: conflict };
	if (ambiguous && !isDeleted(found)) {
		ctx.counters.reconciledCreates++;
		return { kind: 'created', user: found, startedAt, detail: 'response lost; the user was found by email' };
	}
	return { kind: 'conflict', user: found };
}

/** Out of attempts with the outcome still unknown: the user exists only if search finds it. */
async function confirmCreated(
	ctx: RunContext,
	row: ValidRow,
	startedAt: number,
	cause: unknown,
): Promise<CreateOutcome> {
	const found = await findUserByEmail(ctx, row.email, { waitForLag: true, accept: (user) => !isDeleted(user) });
	if (!found || isDeleted(found)) return { kind: 'failed', error: cause };
	ctx.counters.reconciledCreates++;
	return { kind: 'created', user: found, startedAt, detail: 'response lost; the user was found by email' };
}
