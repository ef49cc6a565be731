/**
 * Gathers a finished job's results, every page, up to a maximum number of items.
 */
import type { ResultsSpec } from './jobKinds';
import { renderPath } from './jobKinds';
import { readField } from './poll';

export type QueryValues = Record<string, string | number>;

/** One GET of a relative `/api/v2/...` path. */
export type PageRequest = (path: string, qs: QueryValues) => Promise<unknown>;

export interface GatheredResults {
	items: unknown[];
	pages: number;
	/** More items existed than `maxItems` allowed. */
	truncated: boolean;
}

/** A server that keeps handing out pages must not keep the node busy forever. */
const MAX_PAGES = 10_000;

export async function gatherResults(
	spec: ResultsSpec,
	ids: Readonly<Record<string, string>>,
	job: unknown,
	get: PageRequest,
	maxItems: number,
): Promise<GatheredResults> {
	const limit = Math.max(0, Math.floor(maxItems));
	if (spec.paging === 'cursor') return await gatherByCursor(resultsPath(spec.path, ids), spec, get, limit);
	if (spec.paging === 'after') return await gatherByAfter(resultsPath(spec.path, ids), spec, job, get, limit);
	const items = itemsOf(job, spec.itemsField);
	if (spec.paging === 'none') return bounded(items, 0, false, limit);
	return await followNextUri(items, nextUriOf(job), spec.itemsField, get, limit);
}

async function gatherByCursor(
	path: string,
	spec: Extract<ResultsSpec, { paging: 'cursor' }>,
	get: PageRequest,
	limit: number,
): Promise<GatheredResults> {
	const items: unknown[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	let pages = 0;
	do {
		const qs: QueryValues = spec.pageSize === undefined ? {} : { pageSize: spec.pageSize };
		if (cursor !== undefined) qs.cursor = cursor;
		const page = await get(path, qs);
		pages++;
		items.push(...itemsOf(page, spec.itemsField));
		if (cursor !== undefined) seen.add(cursor);
		cursor = cursorOf(page);
	} while (cursor !== undefined && !seen.has(cursor) && items.length < limit && pages < MAX_PAGES);
	return bounded(items, pages, cursor !== undefined && !seen.has(cursor), limit);
}

/** The first page is the finished job itself; `after` and `pageSize` ask for each next one. */
async function gatherByAfter(
	path: string,
	spec: Extract<ResultsSpec, { paging: 'after' }>,
	job: unknown,
	get: PageRequest,
	limit: number,
): Promise<GatheredResults> {
	const items = [...itemsOf(job, spec.itemsField)];
	const seen = new Set<string>();
	let after = textAt(job, spec.afterField);
	let pages = 0;
	while (after !== undefined && !seen.has(after) && items.length < limit && pages < MAX_PAGES) {
		seen.add(after);
		const page = await get(path, { after, pageSize: spec.pageSize });
		pages++;
		items.push(...itemsOf(page, spec.itemsField));
		after = textAt(page, spec.afterField);
	}
	const result = bounded(items, pages, after !== undefined && !seen.has(after), limit);
	// Genesys stops serving at its cap whatever the search matched: that many rows means there were likely more.
	const capped = spec.serverCap !== undefined && items.length >= spec.serverCap;
	return capped ? { ...result, truncated: true } : result;
}

function resultsPath(template: string, ids: Readonly<Record<string, string>>): string {
	const rendered = renderPath(template, ids);
	if (!rendered.ok) throw new Error(`The ${rendered.idName} of the results path is not usable`);
	return rendered.path;
}

async function followNextUri(
	first: unknown[],
	firstNext: string | undefined,
	itemsField: string,
	get: PageRequest,
	limit: number,
): Promise<GatheredResults> {
	const items = [...first];
	const seen = new Set<string>();
	let next = firstNext;
	let pages = 0;
	while (next !== undefined && !seen.has(next) && items.length < limit && pages < MAX_PAGES) {
		seen.add(next);
		const { path, qs } = splitUri(next);
		const page = await get(path, qs);
		pages++;
		items.push(...itemsOf(page, itemsField));
		next = nextUriOf(page);
	}
	return bounded(items, pages, next !== undefined && !seen.has(next), limit);
}

function bounded(items: unknown[], pages: number, morePages: boolean, limit: number): GatheredResults {
	return { items: items.slice(0, limit), pages, truncated: morePages || items.length > limit };
}

function itemsOf(page: unknown, field: string): unknown[] {
	const value = readField(page, field);
	return Array.isArray(value) ? value : [];
}

/** A non-empty string at a dot path of a page, else undefined. */
function textAt(page: unknown, field: string): string | undefined {
	const value = readField(page, field);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function cursorOf(page: unknown): string | undefined {
	return textAt(page, 'cursor');
}

function nextUriOf(page: unknown): string | undefined {
	return textAt(page, 'nextUri');
}

/**
 * Splits a `nextUri` into path and query. Only the path is kept: the request goes to the credential's own
 * host whatever host the URI names, and the transport still vets the path.
 */
export function splitUri(uri: string): { path: string; qs: QueryValues } {
	const parsed = new URL(uri, 'http://relative.invalid');
	const qs: QueryValues = {};
	parsed.searchParams.forEach((value, key) => {
		qs[key] = value;
	});
	return { path: parsed.pathname, qs };
}
