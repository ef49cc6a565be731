/**
 * POST /api/v2/users/search and GET /api/v2/users/search?q64= (docs/GENESYS.md, "User search"). The emulator models the subset
 * clients of this package use: EXACT criteria on email, id, state and name, ANDed, `value` or `values` (ORed),
 * against a search index that lags behind writes by `searchLagMs`. `searchMaxValues` caps the values of one
 * criterion (400 `bad.request` beyond), a limit Genesys may have but does not document.
 */
import type { EmulatorCore } from '../core';
import { badRequest, ok, type RouteResult } from '../errors';
import { route, type RequestInfo, type Route } from '../router';
import type { EmuUser } from '../types';
import { parseBody, UserSearchRequestSchema, type UserSearchCriteria, type UserSearchRequest } from '../validation';
import { userJson } from '../views';

const SEARCHABLE_FIELDS = ['email', 'id', 'state', 'name'] as const;
type SearchField = (typeof SEARCHABLE_FIELDS)[number];

interface Criterion {
	fields: SearchField[];
	values: string[];
}

function unsupported(message: string, fieldName: string): RouteResult {
	return badRequest(message, [{ errorCode: 'invalid.value', fieldName }]);
}

/** Turns request criteria into matchers, or the 400 Genesys (or the emulator's subset) would answer. */
function compileCriteria(query: UserSearchCriteria[] | undefined, maxValues: number): Criterion[] | RouteResult {
	if (query === undefined || query.length === 0) return unsupported('query must hold at least one criterion', 'query');
	const compiled: Criterion[] = [];
	for (const [i, criterion] of query.entries()) {
		if (criterion.type !== 'EXACT') {
			return unsupported(`Search type ${criterion.type} is not supported by the emulator (use EXACT)`, `query[${i}].type`);
		}
		if ((criterion.operator ?? 'AND') !== 'AND' || criterion.group !== undefined) {
			return unsupported('Only ANDed criteria without groups are supported by the emulator', `query[${i}].operator`);
		}
		const fields = criterion.fields ?? [];
		const unknown = fields.find((field) => !(SEARCHABLE_FIELDS as readonly string[]).includes(field));
		if (fields.length === 0 || unknown !== undefined) {
			return unsupported(`Searchable fields are ${SEARCHABLE_FIELDS.join(', ')}`, `query[${i}].fields`);
		}
		const values = criterion.values ?? (criterion.value === undefined ? [] : [criterion.value]);
		if (values.length === 0) return unsupported('A criterion needs value or values', `query[${i}].value`);
		if (values.length > maxValues) {
			return unsupported(`A criterion may hold at most ${maxValues} values, got ${values.length}`, `query[${i}].values`);
		}
		compiled.push({ fields: fields as SearchField[], values });
	}
	return compiled;
}

function fieldMatches(user: EmuUser, field: SearchField, value: string): boolean {
	switch (field) {
		case 'id':
			return user.id === value;
		case 'state':
			return user.state === value.toLowerCase();
		case 'email':
			return user.email.toLowerCase() === value.toLowerCase();
		case 'name':
			return user.name.toLowerCase() === value.toLowerCase();
	}
}

function matches(user: EmuUser, criterion: Criterion): boolean {
	return criterion.fields.some((field) => criterion.values.some((value) => fieldMatches(user, field, value)));
}

function asksForDeleted(criteria: Criterion[]): boolean {
	return criteria.some((c) => c.fields.includes('state') && c.values.some((v) => v.toLowerCase() === 'deleted'));
}

function sortUsers(users: EmuUser[], request: UserSearchRequest): EmuUser[] {
	const key = request.sortBy as SearchField | undefined;
	if (key === undefined || !(SEARCHABLE_FIELDS as readonly string[]).includes(key)) return users;
	const sign = request.sortOrder === 'DESC' ? -1 : 1;
	return [...users].sort((a, b) => sign * String(a[key]).localeCompare(String(b[key])));
}

export function encodeQ64(request: UserSearchRequest): string {
	return Buffer.from(JSON.stringify(request)).toString('base64');
}

function runSearch(core: EmulatorCore, request: UserSearchRequest): RouteResult {
	const criteria = compileCriteria(request.query, core.options.searchMaxValues);
	if (!Array.isArray(criteria)) return criteria;
	const pageSize = request.pageSize ?? 25;
	const pageNumber = request.pageNumber ?? 1;
	const includeDeleted = asksForDeleted(criteria);
	const hits = sortUsers(
		core.state
			.searchView(core.now())
			.filter((user) => (includeDeleted || user.state !== 'deleted') && criteria.every((c) => matches(user, c))),
		request,
	);
	const pageCount = Math.ceil(hits.length / pageSize);
	const start = (pageNumber - 1) * pageSize;
	const body: Record<string, unknown> = {
		total: hits.length,
		pageCount,
		pageSize,
		pageNumber,
		currentPage: encodeQ64({ ...request, pageSize, pageNumber }),
		types: ['users'],
		results: hits.slice(start, start + pageSize).map((user) => userJson(user, core.catalog)),
	};
	if (pageNumber > 1) body.previousPage = encodeQ64({ ...request, pageSize, pageNumber: pageNumber - 1 });
	if (pageNumber < pageCount) body.nextPage = encodeQ64({ ...request, pageSize, pageNumber: pageNumber + 1 });
	return ok(body);
}

function postSearch(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(UserSearchRequestSchema, req.body);
	if (parsed.error) return parsed.error;
	return runSearch(core, parsed.data);
}

/** Follow-up pages: `q64` is the base64 of the request, as `nextPage` hands it out. */
function getSearch(core: EmulatorCore, req: RequestInfo): RouteResult {
	const q64 = req.query.q64;
	if (q64 === undefined || q64 === '') return unsupported('q64 is required', 'q64');
	let decoded: unknown;
	try {
		decoded = JSON.parse(Buffer.from(q64, 'base64').toString('utf8'));
	} catch {
		return unsupported('q64 is not a valid encoded search', 'q64');
	}
	const parsed = parseBody(UserSearchRequestSchema, decoded);
	if (parsed.error) return parsed.error;
	return runSearch(core, parsed.data);
}

export const searchRoutes: Route[] = [
	route('POST', '/api/v2/users/search', postSearch),
	route('GET', '/api/v2/users/search', getSearch),
];
