/**
 * "Users searchable": new users reach POST /api/v2/users/search late (docs/GENESYS.md, "Eventual
 * consistency"). All input items are waited for together, so each round costs one search per batch of
 * pending users (up to 500), not one per item.
 */
import type { GenesysApi } from '../GenesysCloud/genesysApi';
import type { SearchedUser, UserSearchField, UserState } from '../GenesysCloud/userSearch';
import { SearchBatchSize, searchUserBatches, userSearchBatches } from '../GenesysCloud/userSearch';
import type { WaitClock, WaitSettings } from './waitForJob';
import { runSchedule } from './waitForJob';

export interface UserRef {
	field: UserSearchField;
	/** As given. */
	value: string;
	/** Lower-cased: ids and emails both compare case-insensitively. */
	key: string;
}

/** Pages of one search (1,000 users): more than a batch of at most 500 ids or emails can match among live users. */
const MAX_SEARCH_PAGES = 10;

/** Searching without a state criterion would be the same; saying it keeps soft-deleted users out explicitly. */
const LIVE_STATES: readonly UserState[] = ['active', 'inactive'];

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

function keyOf(user: SearchedUser, field: UserSearchField): string | undefined {
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
	users: SearchedUser[];
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
	api: GenesysApi,
	settings: Pick<WaitSettings, 'backoff' | 'timeoutMs'>,
	clock: WaitClock,
	concurrency: number,
	signal?: AbortSignal,
): Promise<SearchableOutcome[]> {
	if (items.length === 0) return [];
	const found = new Map<string, SearchedUser>();
	const outcomes = new Map<number, SearchableOutcome>();
	const started = clock.now();
	// Learned once for every round: a batch size Genesys refused stays refused.
	const batchSize = new SearchBatchSize();
	let round = 0;

	await runSchedule(
		async (deadlineReached) => {
			round++;
			const open = items.filter((item) => !outcomes.has(item.itemIndex));
			const pending = uniqueRefs(open.flatMap((item) => item.refs)).filter((ref) => !found.has(refId(ref)));
			const errors = await searchRound(pending, api, found, { concurrency, batchSize, signal });
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

/** One round: every pending ref searched once, in batches. Returns the error of each ref whose search failed. */
async function searchRound(
	pending: readonly UserRef[],
	api: GenesysApi,
	found: Map<string, SearchedUser>,
	options: { concurrency: number; batchSize: SearchBatchSize; signal?: AbortSignal },
): Promise<Map<string, unknown>> {
	const batches = (['id', 'email'] as const).flatMap((field) =>
		userSearchBatches(field, pending.filter((ref) => ref.field === field).map((ref) => ref.value)),
	);
	const outcomes = await searchUserBatches(api, batches, {
		states: LIVE_STATES,
		maxPages: MAX_SEARCH_PAGES,
		...options,
	});
	const errors = new Map<string, unknown>();
	for (const outcome of outcomes) {
		const { field, values } = outcome.batch;
		if (outcome.ok) {
			for (const user of outcome.users) {
				const key = keyOf(user, field);
				if (key !== undefined) found.set(refId({ field, key }), user);
			}
			continue;
		}
		const keys = new Set(values.map((value) => value.toLowerCase()));
		for (const ref of pending) if (ref.field === field && keys.has(ref.key)) errors.set(refId(ref), outcome.error);
	}
	return errors;
}
