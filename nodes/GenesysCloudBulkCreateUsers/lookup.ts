/**
 * Finds existing users by email with POST /api/v2/users/search: batched before any write, and one by one
 * when a create conflicts. A state criterion asking for every state is what makes soft-deleted users
 * visible (API.md 5.1, terraform getDeletedUserId).
 */
import type { GenesysApi } from './api';
import { errorFacts, isAccessFailure } from './failures';
import { chunk, runPool } from './pool';
import { UserSearchRequestSchema } from './schema';
import type { UserSearchRequestBody } from './schema';
import type { Clock, Timing } from './timing';
import { nextWait } from './timing';
import type { GenesysUser, UserSearchResponse, UserState } from './users';
import { emailKey, isDeleted, isUser } from './users';

export const SEARCH_PATH = '/api/v2/users/search';
/** Genesys caps a search page at 100 results; one chunk of emails fits one page. */
export const SEARCH_PAGE_SIZE = 100;
/** Upper bound on pages per chunk, so a misbehaving server cannot keep a run paging forever. */
const MAX_PAGES = 100;
export const ANY_STATE: readonly UserState[] = ['active', 'inactive', 'deleted'];

/** Body of POST /api/v2/users/search: EXACT on email (values ORed) AND EXACT on state. */
export function emailSearchBody(
	emails: readonly string[],
	pageNumber: number,
	states: readonly UserState[] = ANY_STATE,
): UserSearchRequestBody {
	return UserSearchRequestSchema.parse({
		pageSize: SEARCH_PAGE_SIZE,
		pageNumber,
		query: [
			{ type: 'EXACT', fields: ['email'], values: [...emails] },
			{ type: 'EXACT', fields: ['state'], values: [...states] },
		],
	});
}

/**
 * Values to search for: each email once (case-insensitively), plus its lower-case spelling, so an EXACT
 * match cannot miss a user only because of letter case.
 */
export function searchTerms(emails: Iterable<string>): string[] {
	const terms = new Set<string>();
	for (const email of emails) {
		const trimmed = email.trim();
		if (!trimmed) continue;
		terms.add(trimmed);
		terms.add(emailKey(trimmed));
	}
	return [...terms];
}

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

/** Every user matching one chunk of emails, all pages. */
export async function searchUsersByEmail(
	api: GenesysApi,
	emails: readonly string[],
	states: readonly UserState[] = ANY_STATE,
): Promise<GenesysUser[]> {
	const users: GenesysUser[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const response = await api.request<UserSearchResponse>({
			method: 'POST',
			path: SEARCH_PATH,
			body: emailSearchBody(emails, page, states),
			idempotent: true,
		});
		const results = Array.isArray(response?.results) ? response.results.filter(isUser) : [];
		users.push(...results);
		const pageCount = typeof response?.pageCount === 'number' ? response.pageCount : 1;
		if (results.length === 0 || page >= pageCount) break;
	}
	return users;
}

export interface LookupResult {
	/** Lower-cased email -> user, any state. */
	users: Map<string, GenesysUser>;
	/** Lower-cased email -> the error of the search that should have covered it. */
	errors: Map<string, unknown>;
}

/** Looks up many emails in chunks of SEARCH_PAGE_SIZE search values, `concurrency` chunks at a time. */
export async function lookupUsersByEmail(
	api: GenesysApi,
	emails: Iterable<string>,
	concurrency: number,
	shouldStart: () => boolean = () => true,
): Promise<LookupResult> {
	const chunks = chunk(searchTerms(emails), SEARCH_PAGE_SIZE);
	const found: GenesysUser[] = [];
	const errors = new Map<string, unknown>();
	await runPool(
		chunks,
		concurrency,
		async (terms) => {
			try {
				found.push(...(await searchUsersByEmail(api, terms)));
			} catch (error) {
				for (const term of terms) errors.set(emailKey(term), error);
			}
		},
		shouldStart,
	);
	const users = indexByEmail(found);
	for (const key of users.keys()) errors.delete(key);
	return { users, errors };
}

export interface FindOptions {
	api: GenesysApi;
	clock: Clock;
	timing: Timing;
	/** Keep searching this long while the user is not found: it is known to exist (409) but search lags. */
	waitForLag: boolean;
	/** Return as soon as a user in one of these states is found (default: any state). */
	accept?: (user: GenesysUser) => boolean;
}

/** One email, with bounded retries while the search index lags behind a write (API.md 5.2). */
export async function findUserByEmail(email: string, options: FindOptions): Promise<GenesysUser | undefined> {
	const { clock, timing } = options;
	const accept = options.accept ?? (() => true);
	const deadline = clock.now() + (options.waitForLag ? timing.searchLagWindowMs : 0);
	let last: GenesysUser | undefined;
	for (let attempt = 0; ; attempt++) {
		const users = await searchUsersByEmail(options.api, searchTerms([email]));
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
