/**
 * Failed rows under the node's On Error setting, n8n's own convention:
 * - Stop Workflow (the default): the node fails, its message counts and lists the failed rows, so a failure
 *   never ends as a green execution nobody looks at;
 * - Continue (using error output): failed rows go to the error output n8n adds to the node, as n8n error
 *   items (`error` with the row's facts, plus the input item's fields);
 * - Continue: failed rows stay on the output with their `error`.
 * Users already written stay written either way; a rerun looks every email up before writing.
 */
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ResultError } from '../../GenesysCloud/resultError';
import type { UserResult, UserStatus } from '../types';
import type { ResultItem } from './results';
import { isFailedResult, toJson } from './results';

export type FailureHandling = 'stop' | 'errorOutput' | 'continue';

/** Rows named in the node's error message; the description lists more. */
const ROWS_IN_MESSAGE = 10;
const ROWS_IN_DESCRIPTION = 50;

export const RERUN_NOTE =
	'Users this run created or updated stay in Genesys Cloud. Running the same input again is safe: every email is looked up before anything is written, so no user is created twice (If User Exists: Skip or Update).';

const ERROR_OUTPUT_NOTE =
	'To get the failed rows as items instead, set the node\'s On Error setting to "Continue (using error output)".';

export function failureHandling(context: Pick<IExecuteFunctions, 'continueOnFail' | 'getNode'>): FailureHandling {
	if (!context.continueOnFail()) return 'stop';
	return context.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'continue';
}

/**
 * The items of the node's output under `handling`; throws the run's error under 'stop' when a row failed.
 * With the error output, n8n's engine (WorkflowExecute, handleNodeErrorOutput, 1.x and 2.x alike) moves an
 * item there when its JSON is `{ error }` alone, and adds the fields of the input item it is paired with.
 * An item with n8n's own `item.error` would lose its JSON to `{ error: message }`, so the row's facts travel
 * inside `error` instead.
 */
export function deliverResults(
	node: INode,
	handling: FailureHandling,
	entries: readonly ResultItem[],
	dryRun: boolean,
): INodeExecutionData[] {
	const failed = entries.filter(({ result }) => isFailedResult(result));
	if (failed.length > 0 && handling === 'stop') {
		throw failedRowsError(
			node,
			failed.map(({ result }) => result),
			entries.length,
			dryRun,
		);
	}
	if (handling !== 'errorOutput') return entries.map(({ item }) => item);
	return entries.map(({ result, item }) =>
		isFailedResult(result) ? { ...item, json: toJson({ error: errorOutputJson(result) }) } : item,
	);
}

/** What the error output says of a failed row: its error, and which row and user it is about. */
export function errorOutputJson(result: UserResult): ErrorOutputJson {
	return {
		message: result.error?.message ?? `Row ${result.row} failed`,
		...result.error,
		row: result.row,
		status: result.status,
		email: result.email,
		userId: result.userId,
		action: result.action,
	};
}

export interface ErrorOutputJson extends ResultError {
	row: number;
	status: UserStatus;
	email?: string;
	/** Set when the user exists (created by this run before a follow-up failed, or found). */
	userId?: string;
	/** Dry run: what a real run would do. */
	action?: UserResult['action'];
}

export function failedRowsError(
	node: INode,
	failed: readonly UserResult[],
	total: number,
	dryRun: boolean,
): NodeOperationError {
	const rows = failed.map((result) => result.row);
	const shown = rows.slice(0, ROWS_IN_MESSAGE).join(', ');
	const more = rows.length > ROWS_IN_MESSAGE ? ` and ${rows.length - ROWS_IN_MESSAGE} more` : '';
	const verb = dryRun ? 'would fail' : 'failed';
	const message = `${dryRun ? 'Dry run: ' : ''}${failed.length} of ${total} ${total === 1 ? 'row' : 'rows'} ${verb} (${rows.length === 1 ? 'row' : 'rows'} ${shown}${more})`;
	const lines = failed.slice(0, ROWS_IN_DESCRIPTION).map(describeFailure);
	if (failed.length > ROWS_IN_DESCRIPTION) lines.push(`... and ${failed.length - ROWS_IN_DESCRIPTION} more`);
	const notes = dryRun ? ['Nothing was written (dry run).', ERROR_OUTPUT_NOTE] : [RERUN_NOTE, ERROR_OUTPUT_NOTE];
	return new NodeOperationError(node, message, { description: [...lines, '', ...notes].join('\n') });
}

function describeFailure(result: UserResult): string {
	const reason = (result.error?.message ?? result.status).replace(/^Row \d+: /, '');
	const who = result.email ? ` (${result.email})` : '';
	return `Row ${result.row}${who}, ${result.status === 'planned' ? 'would fail' : result.status}: ${reason}`;
}
