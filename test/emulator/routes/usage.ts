/**
 * API usage simple search (UsageApi postUsageSimplesearch / getUsageSimplesearchExecutionIdResults):
 * POST starts an execution; GET .../results answers `queryStatus: Running` until `usage.completeAfterMs`,
 * then `Complete` with one page of `results` and `cursors.after` while rows remain. The SDK documents the
 * paging: `after` ("the cursor that points to the end of the set of entities that has been returned"),
 * `pageSize` ("Maximum page size of 1000"), and "Number of records to be returned is limited to 20,000
 * results": rows past 20,000 are never served.
 */
import type { EmulatorCore } from '../core';
import { applied, badRequest, notFound, ok, type RouteResult } from '../errors';
import { decodeCursor, encodeCursor, type UsageSearch } from '../jobs';
import type { Random } from '../random';
import { route, type RequestInfo, type Route } from '../router';
import { ApiUsageSimpleSearchSchema, parseBody } from '../validation';

const BASE = '/api/v2/usage/simplesearch';
/** "Number of records to be returned is limited to 20,000 results." */
export const USAGE_SEARCH_MAX_ROWS = 20_000;
const MAX_PAGE_SIZE = 1000;

function usageRow(random: Random, at: number, i: number): Record<string, unknown> {
	return {
		clientId: random.uuid(),
		clientName: `Client ${(i % 5) + 1}`,
		templateUri: 'api/v2/users/{userId}',
		httpMethod: 'GET',
		status200: 1 + (i % 9),
		requests: 1 + (i % 9),
		date: new Date(at - i * 60_000).toISOString(),
	};
}

function startSearch(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(ApiUsageSimpleSearchSchema, req.body);
	if (parsed.error) return parsed.error;
	const now = core.now();
	const random = core.random.jobs;
	const id = random.uuid();
	const { completeAfterMs, rowCount } = core.options.usage;
	const rows = Array.from({ length: rowCount }, (_, i) => usageRow(random, now, i));
	core.jobs.usageSearches.set(id, { id, createdAt: now, completeAfterMs, rows });
	return applied({ executionId: id, resultsUri: `${BASE}/${id}/results` });
}

function pageSizeOf(core: EmulatorCore, query: Record<string, string>): number | undefined {
	const size = query.pageSize === undefined ? core.options.usage.pageSize : Number(query.pageSize);
	return Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE ? size : undefined;
}

function searchResults(core: EmulatorCore, req: RequestInfo): RouteResult {
	const search: UsageSearch | undefined = core.jobs.usageSearches.get(req.params.executionId);
	if (search === undefined) return notFound(`Execution ${req.params.executionId} not found`, req.params.executionId);
	const pageSize = pageSizeOf(core, req.query);
	if (pageSize === undefined) return badRequest('Invalid pageSize', [{ errorCode: 'invalid.value', fieldName: 'pageSize' }]);
	if (core.now() - search.createdAt < search.completeAfterMs) return ok({ queryStatus: 'Running' });
	const served = Math.min(search.rows.length, USAGE_SEARCH_MAX_ROWS);
	const offset = req.query.after === undefined ? 0 : decodeCursor(search.id, req.query.after);
	if (offset === undefined || offset > served) {
		return badRequest('Invalid cursor', [{ errorCode: 'invalid.value', fieldName: 'after' }]);
	}
	const end = Math.min(served, offset + pageSize);
	const cursors: Record<string, string> = {};
	if (end < served) cursors.after = encodeCursor(search.id, end);
	return ok({ results: search.rows.slice(offset, end), queryStatus: 'Complete', cursors });
}

export const usageRoutes: Route[] = [
	route('POST', BASE, startSearch),
	route('GET', `${BASE}/{executionId}/results`, searchResults),
];
