/**
 * Results to n8n items: one per input row, in input order, paired to the item that carried the row, on the
 * "Success" or the "Failure" output.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { InputRow, InvalidRow, UserResult, UserStatus } from '../types';

export const SUCCESS_OUTPUT = 0;

const FAILURE_STATUSES: ReadonlySet<UserStatus> = new Set<UserStatus>(['invalid', 'failed']);

export function isFailure(status: UserStatus): boolean {
	return FAILURE_STATUSES.has(status);
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

/** Splits results by output; `results[i]` belongs to `rows[i]`. */
export function routeResults(rows: readonly InputRow[], results: readonly UserResult[]): INodeExecutionData[][] {
	const success: INodeExecutionData[] = [];
	const failure: INodeExecutionData[] = [];
	const order = rows.map((row, i) => ({ row, result: results[i] })).sort((a, b) => a.row.index - b.row.index);
	for (const { row, result } of order) {
		const item: INodeExecutionData = { json: toJson(result), pairedItem: { item: row.itemIndex } };
		(isFailure(result.status) ? failure : success).push(item);
	}
	return [success, failure];
}
