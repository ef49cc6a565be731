/**
 * Results to n8n items: one per input row, in input order, paired to the item that carried the row, on the
 * node's one output. What happens to the failed ones follows the node's On Error setting (failures.ts).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { InputRow, InvalidRow, UserResult, UserStatus } from '../types';

export const SUCCESS_OUTPUT = 0;

const FAILURE_STATUSES: ReadonlySet<UserStatus> = new Set<UserStatus>(['invalid', 'failed']);

export function isFailure(status: UserStatus): boolean {
	return FAILURE_STATUSES.has(status);
}

/** A row that failed, or that a dry run predicts will fail (an existing user under "If User Exists: Fail"). */
export function isFailedResult(result: UserResult): boolean {
	return isFailure(result.status) || (result.status === 'planned' && result.action === 'fail');
}

/** An invalid row: every field error, the first one as `field`. */
export function invalidResult(row: InvalidRow): UserResult {
	const [first] = row.errors;
	const message = row.errors.map((error) => error.message).join('; ') || 'Invalid row';
	const result: UserResult = {
		status: 'invalid',
		row: row.row,
		steps: [],
		error: { message: `Row ${row.row}: ${message}`, field: first?.field, fields: row.errors.map((e) => ({ ...e })) },
	};
	if (row.email !== undefined) result.email = row.email;
	return result;
}

/** Plain JSON (no undefined values), as n8n stores item data. */
export function toJson(value: object): IDataObject {
	return JSON.parse(JSON.stringify(value)) as IDataObject;
}

/** One result with its item. */
export interface ResultItem {
	result: UserResult;
	item: INodeExecutionData;
}

/** Every result as an item, in input order; `results[i]` belongs to `rows[i]`. */
export function resultItems(rows: readonly InputRow[], results: readonly UserResult[]): ResultItem[] {
	return rows
		.map((row, i) => ({ row, result: results[i] }))
		.sort((a, b) => a.row.index - b.row.index)
		.map(({ row, result }) => ({ result, item: { json: toJson(result), pairedItem: { item: row.itemIndex } } }));
}

/** The node's outputs: one, every row in input order (failed rows included, see failures.ts). */
export function routeResults(rows: readonly InputRow[], results: readonly UserResult[]): INodeExecutionData[][] {
	return [resultItems(rows, results).map(({ item }) => item)];
}
