/**
 * POST /api/v2/users/search, EXACT on one field (email or id), the way both nodes look users up: values
 * sent in batches of at most 100 (one page holds a batch's matches), every page read, optionally only users
 * in some states. A state criterion listing `deleted` is what makes soft-deleted users visible (API.md 5.1).
 */
import { z } from 'zod';

import { runPool } from './pool';
import { settle } from './settle';
import type { GenesysClient } from './transport';

export const USERS_SEARCH_PATH = '/api/v2/users/search';

/** Genesys caps a search page at 100 results; a batch holds as many values. */
export const SEARCH_PAGE_SIZE = 100;

export const USER_STATES = ['active', 'inactive', 'deleted'] as const;
export type UserState = (typeof USER_STATES)[number];

export type UserSearchField = 'id' | 'email';

/** UserSearchCriteria (models.json), the subset sent: EXACT on one field. */
export const UserSearchCriteriaSchema = z
	.object({
		type: z.literal('EXACT'),
		fields: z.tuple([z.enum(['id', 'email', 'state'])]),
		values: z.array(z.string().min(1)).min(1).max(SEARCH_PAGE_SIZE),
	})
	.strict();
export type UserSearchCriteria = z.infer<typeof UserSearchCriteriaSchema>;

/** UserSearchRequest (models.json), body of POST /api/v2/users/search: the criteria are ANDed. */
export const UserSearchRequestSchema = z
	.object({
		pageSize: z.number().int().min(1).max(SEARCH_PAGE_SIZE),
		pageNumber: z.number().int().min(1),
		query: z.array(UserSearchCriteriaSchema).min(1),
	})
	.strict();
export type UserSearchRequest = z.infer<typeof UserSearchRequestSchema>;

/** The fields of a found user read here; Genesys sends many more, kept as they are. */
export interface SearchedUser {
	id: string;
	email?: string;
	state?: string;
	[key: string]: unknown;
}

export type UserSearchApi = Pick<GenesysClient, 'request'>;

export interface UserSearchOptions {
	/** Only users in these states; no state criterion when absent. */
	states?: readonly UserState[];
	/** Pages read per batch at most, so a misbehaving server cannot keep a run paging forever. Default 100. */
	maxPages?: number;
	signal?: AbortSignal;
}

const DEFAULT_MAX_PAGES = 100;

/** The body of one page: EXACT on `field` (values ORed), AND EXACT on state when `states` is given. */
export function userSearchBody(
	field: UserSearchField,
	values: readonly string[],
	pageNumber: number,
	states?: readonly UserState[],
): UserSearchRequest {
	const query: UserSearchCriteria[] = [{ type: 'EXACT', fields: [field], values: [...values] }];
	if (states) query.push({ type: 'EXACT', fields: ['state'], values: [...states] });
	return UserSearchRequestSchema.parse({ pageSize: SEARCH_PAGE_SIZE, pageNumber, query });
}

/**
 * Values to send: each once, trimmed, blanks dropped; an email also in lower case, so an EXACT match cannot
 * miss a user only because of letter case.
 */
export function searchValues(field: UserSearchField, values: Iterable<string>): string[] {
	const terms = new Set<string>();
	for (const value of values) {
		const trimmed = value.trim();
		if (!trimmed) continue;
		terms.add(trimmed);
		if (field === 'email') terms.add(trimmed.toLowerCase());
	}
	return [...terms];
}

function isSearchedUser(value: unknown): value is SearchedUser {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/**
 * Every user matching one batch (at most SEARCH_PAGE_SIZE values), all pages. Searches change nothing,
 * so the transport may resend them like any idempotent request.
 */
export async function searchUsers<U extends SearchedUser = SearchedUser>(
	api: UserSearchApi,
	field: UserSearchField,
	values: readonly string[],
	options: UserSearchOptions = {},
): Promise<U[]> {
	const users: U[] = [];
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	for (let page = 1; page <= maxPages; page++) {
		const response = await api.request<{ results?: unknown; pageCount?: unknown } | undefined>({
			method: 'POST',
			path: USERS_SEARCH_PATH,
			body: userSearchBody(field, values, page, options.states),
			idempotent: true,
			signal: options.signal,
		});
		const results = Array.isArray(response?.results) ? (response.results.filter(isSearchedUser) as U[]) : [];
		users.push(...results);
		const pageCount = typeof response?.pageCount === 'number' ? response.pageCount : 1;
		if (results.length === 0 || page >= pageCount) break;
	}
	return users;
}

/** One batch of values to search for. */
export interface UserSearchBatch {
	field: UserSearchField;
	values: string[];
}

/** Every search value (see searchValues) in batches of SEARCH_PAGE_SIZE. */
export function userSearchBatches(field: UserSearchField, values: Iterable<string>): UserSearchBatch[] {
	const terms = searchValues(field, values);
	const batches: UserSearchBatch[] = [];
	for (let i = 0; i < terms.length; i += SEARCH_PAGE_SIZE) {
		batches.push({ field, values: terms.slice(i, i + SEARCH_PAGE_SIZE) });
	}
	return batches;
}

export type BatchOutcome<U> =
	| { batch: UserSearchBatch; ok: true; users: U[] }
	| { batch: UserSearchBatch; ok: false; error: unknown };

export interface BatchSearchOptions extends UserSearchOptions {
	/** Batches searched at once. */
	concurrency: number;
	/** Asked before each batch starts: a stopped run starts no more. */
	shouldStart?: () => boolean;
}

/**
 * Searches batches, `concurrency` at a time. A failed batch is reported in its outcome, not thrown, unless
 * `signal` has aborted: then the cancellation propagates. Outcomes of the batches that ran, in batch order.
 */
export async function searchUserBatches<U extends SearchedUser = SearchedUser>(
	api: UserSearchApi,
	batches: readonly UserSearchBatch[],
	options: BatchSearchOptions,
): Promise<Array<BatchOutcome<U>>> {
	const outcomes: Array<BatchOutcome<U> | undefined> = new Array(batches.length);
	await runPool(
		batches,
		options.concurrency,
		async (batch, index) => {
			const answer = await settle(async () => await searchUsers<U>(api, batch.field, batch.values, options));
			if (answer.ok) {
				outcomes[index] = { batch, ok: true, users: answer.value };
				return;
			}
			if (options.signal?.aborted) throw answer.error;
			outcomes[index] = { batch, ok: false, error: answer.error };
		},
		options.shouldStart,
	);
	return outcomes.filter((outcome): outcome is BatchOutcome<U> => outcome !== undefined);
}
