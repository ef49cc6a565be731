/**
 * Finds existing users by email, in every state (soft-deleted included, API.md 5.1): batched before any
 * write, and one by one when a create conflicts. The search itself is ../GenesysCloud/userSearch.
 */
import type { UserState } from '../GenesysCloud/userSearch';
import { searchUserBatches, searchUsers, searchValues, USER_STATES, userSearchBatches } from '../GenesysCloud/userSearch';
import type { GenesysApi } from './api';
import type { RunContext } from './context';
import { errorFacts, isAccessFailure } from './failures';
import { nextWait } from './timing';
import type { GenesysUser } from './users';
import { emailKey, isDeleted } from './users';

/** Every state: what makes soft-deleted users visible to the search. */
export const ANY_STATE: readonly UserState[] = USER_STATES;

/** Users by lower-cased email. A live user wins over a soft-deleted one (only one can hold the email). */
export function indexByEmail(users: Iterable<GenesysUser>): Map<string, GenesysUser> {
	const index = new Map<string, GenesysUser>();
	for (const user of users) {
		if (typeof user.email !== 'string') continue;
		const key = emailKey(user.email);
		const known = index.get(key);
		if (!known || (isDeleted(known) && !isDeleted(user))) index.set(key, user);
	}
	return index;
}

export interface LookupResult {
	/** Lower-cased email -> user, any state. */
	users: Map<string, GenesysUser>;
	/** Lower-cased email -> the error of the search that should have covered it. */
	errors: Map<string, unknown>;
}

/** Looks up many emails in batched searches (see userSearch.ts for their size), `concurrency` at a time. */
export async function lookupUsersByEmail(
	api: GenesysApi,
	emails: Iterable<string>,
	concurrency: number,
	shouldStart: () => boolean = () => true,
): Promise<LookupResult> {
	const outcomes = await searchUserBatches<GenesysUser>(api, userSearchBatches('email', emails), {
		states: ANY_STATE,
		concurrency,
		shouldStart,
	});
	const found: GenesysUser[] = [];
	const errors = new Map<string, unknown>();
	for (const outcome of outcomes) {
		if (outcome.ok) found.push(...outcome.users);
		else for (const value of outcome.batch.values) errors.set(emailKey(value), outcome.error);
	}
	const users = indexByEmail(found);
	for (const key of users.keys()) errors.delete(key);
	return { users, errors };
}

export interface FindOptions {
	/** Keep searching this long while the user is not found: it is known to exist (409) but search lags. */
	waitForLag: boolean;
	/** Return as soon as a user in one of these states is found (default: any state). */
	accept?: (user: GenesysUser) => boolean;
}

/** One email, with bounded retries while the search index lags behind a write (API.md 5.2). */
export async function findUserByEmail(
	ctx: Pick<RunContext, 'api' | 'clock' | 'timing'>,
	email: string,
	options: FindOptions,
): Promise<GenesysUser | undefined> {
	const { clock, timing } = ctx;
	const accept = options.accept ?? (() => true);
	const deadline = clock.now() + (options.waitForLag ? timing.searchLagWindowMs : 0);
	let last: GenesysUser | undefined;
	for (let attempt = 0; ; attempt++) {
		const users = await searchUsers<GenesysUser>(ctx.api, 'email', searchValues('email', [email]), {
			states: ANY_STATE,
		});
		last = indexByEmail(users).get(emailKey(email));
		if (last && accept(last)) return last;
		const wait = nextWait(attempt, clock.now(), deadline, timing);
		if (wait === undefined || clock.cancelled()) return last;
		await clock.sleep(wait);
	}
}

/** True when a lookup error is about who may call, not about one email: the run cannot go on. */
export function isAccessError(error: unknown): boolean {
	return isAccessFailure(errorFacts(error));
}
