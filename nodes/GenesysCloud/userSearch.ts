/**
 * POST /api/v2/users/search, EXACT on one field (email or id), the way both nodes look users up: values
 * sent in batches (up to SEARCH_BATCH_VALUES; results come SEARCH_PAGE_SIZE per page, every page read),
 * optionally only users in some states. A state criterion listing `deleted` is what makes soft-deleted users
 * visible (docs/GENESYS.md, "Deleted users").
 *
 * How many values one EXACT criterion may hold is not documented (only the page size and the 512,000-byte
 * request limit are: docs/GENESYS.md, "User search"). So batches start large, and a batch Genesys refuses
 * with a 400 is split and searched again, down to single values; the size that worked is kept for the rest of the run
 * (SearchBatchSize). A stricter real limit therefore costs a few requests, never a missed user.
 */
import { z } from 'zod';

import { runPool } from './pool';
import { settle } from './settle';
import type { GenesysApi } from './genesysApi';
import { isGenesysError } from './transport';

export const USERS_SEARCH_PATH = '/api/v2/users/search';

/** Genesys caps a search page at 100 results. */
export const SEARCH_PAGE_SIZE = 100;

/**
 * Values sent in one search at first: 100,000 emails take 200 searches instead of 1,000 (a dry run of a
 * large file is bound by the 300 requests/min budget). Batches shrink on a 400 (see SearchBatchSize).
 */
export const SEARCH_BATCH_VALUES = 500;

/**
 * Bytes of values one search may carry (their JSON, separators included): a quarter of Genesys's
 * 512,000-byte request limit, so long values cut batches before the request could be refused for its size.
 */
export const SEARCH_BATCH_BYTES = 128_000;

export const USER_STATES = ['active', 'inactive', 'deleted'] as const;
export type UserState = (typeof USER_STATES)[number];

export type UserSearchField = 'id' | 'email';

/** UserSearchCriteria (models.json), the subset sent: EXACT on one field. */
export const UserSearchCriteriaSchema = z
	.object({
		type: z.literal('EXACT'),
		fields: z.tuple([z.enum(['id', 'email', 'state'])]),
		values: z.array(z.string().min(1)).min(1).max(SEARCH_BATCH_VALUES),
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

/**
 * One page of UsersSearchResponse (`results` is required in the SDK model). An answer without it is an
 * error, never "nobody found": a page that says nothing must not make a run create users that exist.
 */
export const UsersSearchPageSchema = z.object({
	results: z.array(z.unknown()),
	pageCount: z.number().optional(),
	total: z.number().optional(),
});

export type UsersSearchPage = z.infer<typeof UsersSearchPageSchema>;

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
 * Every user matching one batch, all pages. Searches change nothing, so the transport may resend them like
 * any idempotent request.
 */
export async function searchUsers<U extends SearchedUser = SearchedUser>(
	api: GenesysApi,
	field: UserSearchField,
	values: readonly string[],
	options: UserSearchOptions = {},
): Promise<U[]> {
	const users: U[] = [];
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	for (let page = 1; page <= maxPages; page++) {
		const response = await api.request<UsersSearchPage>({
			method: 'POST',
			path: USERS_SEARCH_PATH,
			body: userSearchBody(field, values, page, options.states),
			idempotent: true,
			signal: options.signal,
			responseSchema: UsersSearchPageSchema,
		});
		// The transport already refuses such a page; this holds for any client handed in.
		if (!Array.isArray(response?.results)) throw new Error('The user search answered without a results list');
		const results = response.results.filter(isSearchedUser) as U[];
		users.push(...results);
		const pageCount = typeof response.pageCount === 'number' ? response.pageCount : 1;
		if (results.length === 0 || page >= pageCount) break;
	}
	return users;
}

/** One batch of values to search for. */
export interface UserSearchBatch {
	field: UserSearchField;
	values: string[];
}

/** Bytes one value adds to a search body: its JSON string and a separator. */
function valueBytes(value: string): number {
	return Buffer.byteLength(JSON.stringify(value), 'utf8') + 1;
}

/** Consecutive runs of at most `maxValues` values and SEARCH_BATCH_BYTES bytes. */
function cutValues(values: readonly string[], maxValues: number): string[][] {
	const limit = Math.max(1, Math.floor(maxValues));
	const runs: string[][] = [];
	let current: string[] = [];
	let bytes = 0;
	for (const value of values) {
		const size = valueBytes(value);
		if (current.length > 0 && (current.length >= limit || bytes + size > SEARCH_BATCH_BYTES)) {
			runs.push(current);
			current = [];
			bytes = 0;
		}
		current.push(value);
		bytes += size;
	}
	if (current.length > 0) runs.push(current);
	return runs;
}

/** Every search value (see searchValues) in batches of at most `maxValues` (and SEARCH_BATCH_BYTES). */
export function userSearchBatches(
	field: UserSearchField,
	values: Iterable<string>,
	maxValues: number = SEARCH_BATCH_VALUES,
): UserSearchBatch[] {
	return cutValues(searchValues(field, values), maxValues).map((run) => ({ field, values: run }));
}

/**
 * The number of values a search may carry, learned during one run (share one instance across the
 * searches of a run). A 400 on a batch splits it; when every part of the split then succeeds, the parts'
 * size becomes the limit for every later batch. A 400 that splitting does not cure (a value Genesys refuses
 * on its own) teaches nothing, so one bad value cannot shrink the batches of the whole run. When single
 * values are refused before any search has succeeded, searches are refused whatever their size: splitting
 * stops, so a general refusal costs about one request per batch, as it would without splitting.
 */
export class SearchBatchSize {
	private limit: number;
	private successes = 0;
	private refusedSingles = 0;

	constructor(initial: number = SEARCH_BATCH_VALUES) {
		this.limit = Math.max(1, Math.floor(initial));
	}

	/** Values per search for batches still to send. */
	get current(): number {
		return this.limit;
	}

	/** Single values refused twice before any search succeeded: Genesys refuses these searches whatever their size. */
	get refusesAll(): boolean {
		return this.successes === 0 && this.refusedSingles >= 2;
	}

	succeeded(): void {
		this.successes++;
	}

	/** Whether a batch of `size` values refused with `error` should be split and searched again. */
	shouldSplit(size: number, error: unknown): boolean {
		if (!isGenesysError(error, { status: 400 })) return false;
		if (size <= 1) {
			this.refusedSingles++;
			return false;
		}
		return !this.refusesAll;
	}

	/** Every part of a refused batch succeeded with `size` values: later batches use at most that many. */
	learned(size: number): void {
		this.limit = Math.max(1, Math.min(this.limit, Math.floor(size)));
	}
}

export type BatchOutcome<U> =
	| { batch: UserSearchBatch; ok: true; users: U[] }
	| { batch: UserSearchBatch; ok: false; error: unknown };

export interface BatchSearchOptions extends UserSearchOptions {
	/** Batches searched at once. */
	concurrency: number;
	/** Asked before each batch starts: a stopped run starts no more. */
	shouldStart?: () => boolean;
	/** What this run learned about batch sizes so far; a fresh one when absent. */
	batchSize?: SearchBatchSize;
}

interface PartResult<U> {
	outcomes: Array<BatchOutcome<U>>;
	/** Answered by one search, without a split. */
	direct: boolean;
}

/** One part of a batch; a 400 splits it (parts no larger than the learned size) and searches each part. */
async function searchPart<U extends SearchedUser>(
	api: GenesysApi,
	part: UserSearchBatch,
	options: BatchSearchOptions,
	size: SearchBatchSize,
): Promise<PartResult<U>> {
	// Cut before sending when a smaller size has been learned meanwhile (or for a batch cut larger).
	if (part.values.length > size.current) return await searchParts(api, part, size.current, options, size);
	const answer = await settle(async () => await searchUsers<U>(api, part.field, part.values, options));
	if (answer.ok) {
		size.succeeded();
		return { outcomes: [{ batch: part, ok: true, users: answer.value }], direct: true };
	}
	if (options.signal?.aborted) throw answer.error;
	if (!size.shouldSplit(part.values.length, answer.error)) {
		return { outcomes: [{ batch: part, ok: false, error: answer.error }], direct: false };
	}
	const partSize = Math.min(Math.ceil(part.values.length / 2), size.current);
	const split = await searchParts<U>(api, part, partSize, options, size, answer.error);
	if (split.direct) size.learned(partSize);
	return { outcomes: split.outcomes, direct: false };
}

/**
 * `batch` cut in parts of `partSize`, searched one after the other; `direct` when every part was answered
 * without a split. Once searches are known to be refused whatever their size, the parts left get
 * `refusal` (the batch's own error) without being sent.
 */
async function searchParts<U extends SearchedUser>(
	api: GenesysApi,
	batch: UserSearchBatch,
	partSize: number,
	options: BatchSearchOptions,
	size: SearchBatchSize,
	refusal?: unknown,
): Promise<PartResult<U>> {
	const outcomes: Array<BatchOutcome<U>> = [];
	let direct = true;
	for (const values of cutValues(batch.values, partSize)) {
		const part: UserSearchBatch = { field: batch.field, values };
		if (refusal !== undefined && size.refusesAll) {
			outcomes.push({ batch: part, ok: false, error: refusal });
			direct = false;
			continue;
		}
		const result = await searchPart<U>(api, part, options, size);
		outcomes.push(...result.outcomes);
		direct &&= result.direct;
	}
	return { outcomes, direct };
}

/**
 * Searches batches, `concurrency` at a time. A failed search is reported in its outcome, not thrown, unless
 * `signal` has aborted: then the cancellation propagates. Outcomes in batch order; a batch that was split
 * gives one outcome per part, so a failure names only the values it covered.
 */
export async function searchUserBatches<U extends SearchedUser = SearchedUser>(
	api: GenesysApi,
	batches: readonly UserSearchBatch[],
	options: BatchSearchOptions,
): Promise<Array<BatchOutcome<U>>> {
	const size = options.batchSize ?? new SearchBatchSize();
	const outcomes: Array<Array<BatchOutcome<U>> | undefined> = new Array(batches.length);
	await runPool(
		batches,
		options.concurrency,
		async (batch, index) => {
			outcomes[index] = (await searchPart<U>(api, batch, options, size)).outcomes;
		},
		options.shouldStart,
	);
	return outcomes.flatMap((outcome) => outcome ?? []);
}
