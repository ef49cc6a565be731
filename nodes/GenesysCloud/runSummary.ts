/**
 * The summary item Bulk Create Users adds at the end of its output (option Include Summary Item):
 * `{ summary: { total, byStatus, ... } }`. Nodes that read users from their input let it through untouched,
 * so a chain such as Bulk Create Users -> Wait for Job works with the summary on.
 */
import type { IDataObject } from 'n8n-workflow';

export const RUN_SUMMARY_KEY = 'summary';

export function isRunSummaryJson(json: IDataObject): boolean {
	const keys = Object.keys(json);
	if (keys.length !== 1 || keys[0] !== RUN_SUMMARY_KEY) return false;
	const summary = json[RUN_SUMMARY_KEY];
	return (
		typeof summary === 'object' &&
		summary !== null &&
		!Array.isArray(summary) &&
		typeof (summary as IDataObject).total === 'number' &&
		typeof (summary as IDataObject).byStatus === 'object'
	);
}
