/**
 * "Users searchable": new users reach POST /api/v2/users/search late (API.md 5.2). All input items are
 * waited for together, so each round costs one search per 100 pending users, not one per item.
 */
import { chunk, runPool } from '../GenesysCloudBulkCreateUsers/pool';
import type { UserSearchRequest } from './schema';
import { SEARCH_PAGE_SIZE, UserSearchRequestSchema } from './schema';
import type { WaitClock, WaitSettings } from './waitForJob';
import { runSchedule, settle } from './waitForJob';

export const USERS_SEARCH_PATH = '/api/v2/users/search';

export type UserField = 'id' | 'email';

export interface UserRef {
	field: UserField;
	/** As given. */
	value: string;
	/** Lower-cased: ids and emails both compare case-insensitively. */
	key: string;
}

export interface FoundUser {
	id: string;
	email?: string;
	[key: string]: unknown;
}

/** One POST /api/v2/users/search. */
export type SearchRequest = (body: UserSearchRequest) => Promise<unknown>;

/** Pages of one search; far more than a 100-value chunk can match. */
const MAX_SEARCH_PAGES = 10;

/** Searching without a state criterion would be the same; saying it keeps soft-deleted users out explicitly. */
const LIVE_STATES = ['active', 'inactive'];

/**
 * Users named by an item: a string (ids or emails separated by commas, semicolons or spaces), an array of
 * such strings, or objects carrying `userId`, `id` or `email` (e.g. Bulk Create Users output items).
 */
export function userRefsOf(value: unknown): UserRef[] {
	const refs = new Map<string, UserRef>();
	for (const text of tokensOf(value)) {
		const ref = toUserRef(text);
		if (!refs.has(refId(ref))) refs.set(refId(ref), ref);
	}
	return [...refs.values()];
}

function tokensOf(value: unknown): string[] {
	if (typeof value === 'string') return value.split(/[\s,;]+/).filter((token) => token !== '');
	if (typeof value === 'number') return [String(value)];
	if (Array.isArray(value)) return value.flatMap(tokensOf);
	if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		return tokensOf(record.userId ?? record.id ?? record.email);
	}
	return [];
}

export function toUserRef(text: string): UserRef {
	const value = text.trim();
	return { field: value.includes('@') ? 'email' : 'id', value, key: value.toLowerCase() };
}

function refId(ref: Pick<UserRef, 'field' | 'key'>): string {
	return `${ref.field}:${ref.key}`;
}

/** The search body for one chunk of values: EXACT on one field, live users only. */
export function searchBody(field: UserField, values: readonly string[], pageNumber: number): UserSearchRequest {
	return UserSearchRequestSchema.parse({
		pageSize: SEARCH_PAGE_SIZE,
		pageNumber,
		query: [
			{ type: 'EXACT', fields: [field], values: [...values] },
			{ type: 'EXACT', fields: ['state'], values: LIVE_STATES },
		],
	});
}

/** Terms to send for some refs: emails also in lower case, so an EXACT match cannot miss on letter case. */
function searchTerms(refs: readonly UserRef[]): string[] {
	return [...new Set(refs.flatMap((ref) => (ref.field === 'email' ? [ref.value, ref.key] : [ref.value])))];
}

async function searchAllPages(post: SearchRequest, field: UserField, values: readonly string[]): Promise<FoundUser[]> {
	const users: FoundUser[] = [];
	for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
		const response = (await post(searchBody(field, values, page))) as
			| { results?: unknown; pageCount?: unknown }
			| undefined;
		const results = Array.isArray(response?.results) ? response.results.filter(isFoundUser) : [];
		users.push(...results);
		const pageCount = typeof response?.pageCount === 'number' ? response.pageCount : 1;
		if (results.length === 0 || page >= pageCount) break;
	}
	return users;
}

function isFoundUser(value: unknown): value is FoundUser {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

function keyOf(user: FoundUser, field: UserField): string | undefined {
	const value = field === 'id' ? user.id : user.email;
	return typeof value === 'string' ? value.toLowerCase() : undefined;
}

export interface SearchableItem {
	itemIndex: number;
	refs: readonly UserRef[];
}

export interface SearchableOutcome {
	itemIndex: number;
	result: 'succeeded' | 'timedOut' | 'error';
	/** Found users, in the order the item named them. */
	users: FoundUser[];
	/** Ids or emails not found (yet). */
	missing: string[];
	/** Search rounds that included this item. */
	attempts: number;
	elapsedMs: number;
	error?: unknown;
}

/**
 * Searches, on the backoff schedule, for every user not found yet, until each item's users are all found,
 * a search for them fails, or the timeout passes. Outcomes come back in input order.
 */
export async function waitUntilSearchable(
	items: readonly SearchableItem[],
	post: SearchRequest,
	settings: Pick<WaitSettings, 'backoff' | 'timeoutMs'>,
	clock: WaitClock,
	concurrency: number,
	signal?: AbortSignal,
): Promise<SearchableOutcome[]> {
	if (items.length === 0) return [];
	const found = new Map<string, FoundUser>();
	const outcomes = new Map<number, SearchableOutcome>();
	const started = clock.now();
	let round = 0;

	await runSchedule(
		async (deadlineReached) => {
			round++;
			const open = items.filter((item) => !outcomes.has(item.itemIndex));
			const pending = uniqueRefs(open.flatMap((item) => item.refs)).filter((ref) => !found.has(refId(ref)));
			const errors = await searchRound(pending, post, found, concurrency, signal);
			const elapsedMs = clock.now() - started;
			for (const item of open) {
				const missing = item.refs.filter((ref) => !found.has(refId(ref)));
				const error = missing.map((ref) => errors.get(refId(ref))).find((value) => value !== undefined);
				const result = itemResult(missing.length === 0, error !== undefined, deadlineReached);
				if (!result) continue;
				outcomes.set(item.itemIndex, {
					itemIndex: item.itemIndex,
					result,
					users: item.refs.flatMap((ref) => found.get(refId(ref)) ?? []),
					missing: missing.map((ref) => ref.value),
					attempts: round,
					elapsedMs,
					...(error === undefined ? {} : { error }),
				});
			}
			return outcomes.size === items.length;
		},
		settings,
		clock,
		signal,
	);
	return items.flatMap((item) => outcomes.get(item.itemIndex) ?? []);
}

function itemResult(allFound: boolean, failed: boolean, deadlineReached: boolean): SearchableOutcome['result'] | undefined {
	if (allFound) return 'succeeded';
	if (failed) return 'error';
	return deadlineReached ? 'timedOut' : undefined;
}

function uniqueRefs(refs: readonly UserRef[]): UserRef[] {
	return [...new Map(refs.map((ref) => [refId(ref), ref])).values()];
}

/** One round: every pending ref searched once, in chunks. Returns the error of each ref whose search failed. */
async function searchRound(
	pending: readonly UserRef[],
	post: SearchRequest,
	found: Map<string, FoundUser>,
	concurrency: number,
	signal?: AbortSignal,
): Promise<Map<string, unknown>> {
	const errors = new Map<string, unknown>();
	const batches = (['id', 'email'] as const).flatMap((field) => {
		const refs = pending.filter((ref) => ref.field === field);
		return chunk(searchTerms(refs), SEARCH_PAGE_SIZE).map((terms) => ({ field, terms, refs }));
	});
	await runPool(batches, concurrency, async ({ field, terms, refs }) => {
		const answer = await settle(searchAllPages(post, field, terms));
		if (answer.ok) {
			for (const user of answer.value) {
				const key = keyOf(user, field);
				if (key !== undefined) found.set(refId({ field, key }), user);
			}
			return;
		}
		if (signal?.aborted) throw answer.error;
		const keys = new Set(terms.map((term) => term.toLowerCase()));
		for (const ref of refs) if (keys.has(ref.key)) errors.set(refId(ref), answer.error);
	});
	return errors;
}
