import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { exponentialDelay, nextWait } from '../../nodes/GenesysCloud/backoff';
import { runPool } from '../../nodes/GenesysCloud/pool';
import { toResultError } from '../../nodes/GenesysCloud/resultError';
import { GenesysApiError, redactSecrets, STANDALONE_NODE } from '../../nodes/GenesysCloud/transport';
import {
	searchValues,
	userSearchBatches,
	userSearchBody,
	UserSearchRequestSchema,
} from '../../nodes/GenesysCloud/userSearch';
import {
	ANY_STATE,
	errorFacts,
	indexByEmail,
	isConflict,
	isRunStopper,
	isVersionMismatch,
} from '../../nodes/GenesysCloudBulkCreateUsers/engine/userApi';
import { deliverResults, failureHandling, RERUN_NOTE } from '../../nodes/GenesysCloudBulkCreateUsers/outputs/failures';
import { invalidResult, resultItems, routeResults } from '../../nodes/GenesysCloudBulkCreateUsers/outputs/results';
import { Progress } from '../../nodes/GenesysCloudBulkCreateUsers/outputs/progress';
import { managerErrors, referenceErrors, rowReferences } from '../../nodes/GenesysCloudBulkCreateUsers/engine/lookup';
import { buildSummary } from '../../nodes/GenesysCloudBulkCreateUsers/outputs/summary';
import type { UserResult } from '../../nodes/GenesysCloudBulkCreateUsers/types';
import { invalidRow, user, validRow } from './bulk-provision-fixtures';

function apiError(
	init: Partial<ConstructorParameters<typeof GenesysApiError>[1]> & { status: number },
): GenesysApiError {
	return new GenesysApiError(STANDALONE_NODE, {
		method: 'POST',
		path: '/api/v2/users',
		message: 'failed',
		...init,
	});
}

describe('lookup request shape', () => {
	test('EXACT email values ANDed with every state, so soft-deleted users are found', () => {
		const body = userSearchBody('email', ['a@example.com', 'b@example.com'], 2, ANY_STATE);
		expect(UserSearchRequestSchema.safeParse(body).success).toBe(true);
		expect(body).toEqual({
			pageSize: 100,
			pageNumber: 2,
			query: [
				{ type: 'EXACT', fields: ['email'], values: ['a@example.com', 'b@example.com'] },
				{ type: 'EXACT', fields: ['state'], values: ['active', 'inactive', 'deleted'] },
			],
		});
	});

	test('terms: each email once, plus its lower-case spelling', () => {
		expect(searchValues('email', ['A@Example.com', 'a@example.com', ' b@example.com ', ''])).toEqual([
			'A@Example.com',
			'a@example.com',
			'b@example.com',
		]);
	});

	test('1,200 emails make 3 searches of at most 500 values', () => {
		const batches = userSearchBatches('email', Array.from({ length: 1200 }, (_, i) => `u${i}@example.com`));
		expect(batches.map((batch) => batch.values.length)).toEqual([500, 500, 200]);
	});

	test('index by email: a live user wins over a deleted one with the same email', () => {
		const index = indexByEmail([
			user({ id: 'old', email: 'A@example.com', state: 'deleted' }),
			user({ id: 'new', email: 'a@example.com', state: 'inactive' }),
			user({ id: 'other', email: 'b@example.com', state: 'deleted' }),
		]);
		expect(index.get('a@example.com')?.id).toBe('new');
		expect(index.get('b@example.com')?.id).toBe('other');
	});
});

describe('runPool', () => {
	test('never more than `concurrency` workers, every item once', async () => {
		let running = 0;
		let peak = 0;
		const seen: number[] = [];
		await runPool(
			Array.from({ length: 30 }, (_, i) => i),
			4,
			async (item) => {
				running++;
				peak = Math.max(peak, running);
				await new Promise<void>((resolve) => setImmediate(resolve));
				seen.push(item);
				running--;
			},
		);
		expect(peak).toBe(4);
		expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
	});

	test('stops starting items once shouldStart says no; started ones finish', async () => {
		const done: number[] = [];
		let stop = false;
		await runPool(
			[0, 1, 2, 3, 4, 5],
			2,
			async (item) => {
				await new Promise<void>((resolve) => setImmediate(resolve));
				if (item === 1) stop = true;
				done.push(item);
			},
			() => !stop,
		);
		// 0 and 1 start together; 0 ends first and takes 2; once 1 has ended nothing new starts.
		expect(done.sort()).toEqual([0, 1, 2]);
	});
});

describe('error classification', () => {
	test('409 general.conflict is a conflict and, on a PATCH, a stale version', () => {
		const error = apiError({ status: 409, code: 'general.conflict' });
		expect(isConflict(errorFacts(error))).toBe(true);
		expect(isVersionMismatch(errorFacts(error))).toBe(true);
	});

	test('a 400 saying the version does not match is a stale version; other 400s are not', () => {
		const stale = apiError({
			status: 400,
			code: 'bad.request',
			message: 'The version supplied does not match the current version of the user',
		});
		expect(isVersionMismatch(errorFacts(stale))).toBe(true);
		expect(isVersionMismatch(errorFacts(apiError({ status: 400, code: 'bad.request' })))).toBe(false);
	});

	test('daily limit, token failure and 401 stop the run; 404, 5xx and plain errors do not', () => {
		expect(isRunStopper(errorFacts(apiError({ status: 429, kind: 'dailyLimit' })))).toBe(true);
		expect(isRunStopper(errorFacts(apiError({ status: 400, kind: 'token' })))).toBe(true);
		expect(isRunStopper(errorFacts(apiError({ status: 401 })))).toBe(true);
		expect(isRunStopper(errorFacts(apiError({ status: 404, code: 'not.found' })))).toBe(false);
		expect(isRunStopper(errorFacts(apiError({ status: 503 })))).toBe(false);
		expect(isRunStopper(errorFacts(new Error('boom')))).toBe(false);
	});

	test('toResultError carries code, status, correlation id and field, never a token', () => {
		const error = apiError({
			status: 400,
			code: 'invalid.value',
			contextId: 'corr-123',
			message: 'Bad value; header was Authorization: Bearer abc.def.ghi',
		});
		const shaped = toResultError(error, 'roles');
		expect(shaped).toMatchObject({
			code: 'invalid.value',
			httpStatus: 400,
			correlationId: 'corr-123',
			field: 'roles',
		});
		expect(shaped.message).not.toContain('abc.def.ghi');
		expect(toResultError(new Error('plain'))).toEqual({ message: 'plain' });
		expect(toResultError(apiError({ status: 0, code: 'ECONNRESET' })).httpStatus).toBeUndefined();
	});

	test('redact strips bearer and basic values and secret-looking pairs', () => {
		expect(redactSecrets('Basic dXNlcjpwYXNz and client_secret=s3cr3t and "access_token":"tok"')).toBe(
			'Basic [redacted] and client_secret=[redacted] and "access_token":"[redacted]"',
		);
	});
});

describe('rows before provisioning', () => {
	test('references: every id with the field naming it; "*" divisions and manager emails are not ids', () => {
		const row = validRow(
			0,
			{ email: 'a@example.com', divisionId: 'd1' },
			{
				roles: [
					{ roleId: 'r1', divisionId: '*' },
					{ roleId: 'r2', divisionId: 'd2' },
				],
				skills: [{ id: 's1', proficiency: 1 }],
				queueIds: ['q1'],
				manager: 'm1',
			},
		);
		expect(rowReferences(row).map((ref) => `${ref.kind}:${ref.id}@${ref.field}`)).toEqual([
			'division:d1@divisionId',
			'role:r1@roles[0]',
			'role:r2@roles[1]',
			'division:d2@roles[1].divisionId',
			'skill:s1@skills[0]',
			'queue:q1@queues[0]',
			'user:m1@manager',
		]);
		const states = new Map([
			['role:r2', 'missing' as const],
			['queue:q1', 'unchecked' as const],
		]);
		expect(referenceErrors(row, states)).toEqual([
			{ field: 'roles[1]', message: 'Role r2 does not exist in Genesys Cloud' },
		]);
		expect(rowReferences(validRow(1, { email: 'b@example.com' }, { manager: 'boss@example.com' }))).toEqual([]);
	});

	test('a manager email must be a live user or another valid row', () => {
		const row = validRow(0, { email: 'a@example.com' }, { manager: 'Boss@Example.com' });
		const none = new Map();
		expect(managerErrors(row, none, new Set(['boss@example.com']))).toEqual([]);
		expect(managerErrors(row, new Map([['boss@example.com', user({ id: 'b' })]]), new Set())).toEqual([]);
		expect(
			managerErrors(row, new Map([['boss@example.com', user({ id: 'b', state: 'deleted' })]]), new Set())[0].message,
		).toContain('deleted');
		expect(managerErrors(row, none, new Set())[0]).toMatchObject({ field: 'manager' });
	});
});

describe('outputs', () => {
	test('one item per row, input order, paired to the carrying item, on one output', () => {
		const rows = [
			validRow(0, { email: 'a@x.io' }),
			invalidRow(1, 'email', 'Email is missing'),
			validRow(2, { email: 'c@x.io' }),
		];
		rows[2] = { ...rows[2], itemIndex: 0 } as (typeof rows)[2];
		const results: UserResult[] = [
			{ status: 'created', row: 1, email: 'a@x.io', steps: [] },
			invalidResult(rows[1] as never),
			{ status: 'failed', row: 3, email: 'c@x.io', steps: [], error: { message: 'x' } },
		];
		const outputs = routeResults(rows, results);
		expect(outputs).toHaveLength(1);
		expect(outputs[0].map((item) => [item.json.row, item.json.status, item.pairedItem])).toEqual([
			[1, 'created', { item: 0 }],
			[2, 'invalid', { item: 1 }],
			[3, 'failed', { item: 0 }],
		]);
		expect(outputs[0][1].json.error).toEqual({
			message: 'Row 2: Email is missing',
			field: 'email',
			fields: [{ field: 'email', message: 'Email is missing' }],
		});
	});

	describe('On Error', () => {
		const node = { id: 'n', name: 'Create', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const rows = [validRow(0, { email: 'a@x.io' }), invalidRow(1, 'email', 'Email is missing'), validRow(2, { email: 'c@x.io' })];
		const results: UserResult[] = [
			{ status: 'created', row: 1, email: 'a@x.io', steps: [] },
			invalidResult(rows[1] as never),
			{ status: 'failed', row: 3, email: 'c@x.io', steps: [], error: { message: 'Genesys said no' } },
		];
		const context = (onError: string | undefined, continueOnFail: boolean) => ({
			continueOnFail: () => continueOnFail,
			getNode: () => ({ ...node, onError }) as INode,
		});

		test('is read from the node: stop unless continuing, the error output only when asked for', () => {
			expect(failureHandling(context(undefined, false))).toBe('stop');
			expect(failureHandling(context('stopWorkflow', false))).toBe('stop');
			expect(failureHandling(context('continueRegularOutput', true))).toBe('continue');
			expect(failureHandling(context('continueErrorOutput', true))).toBe('errorOutput');
			// The legacy "Continue On Fail" flag keeps failed rows on the output.
			expect(failureHandling(context(undefined, true))).toBe('continue');
		});

		test('stop: the node fails, counting and listing the failed rows, saying a rerun is safe', () => {
			let thrown: unknown;
			try {
				deliverResults(node, 'stop', resultItems(rows, results), false);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(NodeOperationError);
			const error = thrown as NodeOperationError;
			expect(error.message).toBe('2 of 3 rows failed (rows 2, 3)');
			expect(error.description).toContain('Row 2, invalid: Email is missing');
			expect(error.description).toContain('Row 3 (c@x.io), failed: Genesys said no');
			expect(error.description).toContain(RERUN_NOTE);
		});

		test('stop: a run without failed rows returns every item; a dry run says what would fail', () => {
			expect(deliverResults(node, 'stop', resultItems(rows.slice(0, 1), results.slice(0, 1)), false)).toHaveLength(1);
			const planned: UserResult[] = [
				{ status: 'planned', action: 'create', row: 1, email: 'a@x.io', steps: [] },
				{ status: 'planned', action: 'fail', row: 2, email: 'b@x.io', steps: [], error: { message: 'exists' } },
			];
			expect(() => deliverResults(node, 'stop', resultItems([validRow(0, { email: 'a@x.io' }), validRow(1, { email: 'b@x.io' })], planned), true)).toThrow(
				'Dry run: 1 of 2 rows would fail (row 2)',
			);
		});

		test('error output: failed items become n8n error items ({ error } alone) with the row; continue: unchanged', () => {
			const marked = deliverResults(node, 'errorOutput', resultItems(rows, results), false);
			expect(marked[0].json).toMatchObject({ status: 'created', row: 1 });
			expect(marked.slice(1).map((item) => item.json)).toEqual([
				{
					error: {
						message: 'Row 2: Email is missing',
						field: 'email',
						fields: [{ field: 'email', message: 'Email is missing' }],
						row: 2,
						status: 'invalid',
					},
				},
				{ error: { message: 'Genesys said no', row: 3, status: 'failed', email: 'c@x.io' } },
			]);
			expect(marked.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const plain = deliverResults(node, 'continue', resultItems(rows, results), false);
			expect(plain.every((item) => item.error === undefined)).toBe(true);
			expect(plain.map((item) => item.json.status)).toEqual(['created', 'invalid', 'failed']);
		});
	});

	test('summary counts statuses and copies the transport counters', () => {
		const summary = buildSummary(
			[
				{ status: 'created', row: 1, steps: [] },
				{ status: 'created', row: 2, steps: [] },
				{ status: 'invalid', row: 3, steps: [] },
			],
			{ requests: 12, retries: 3, throttled: 2 },
			{ consistencyRetries: 1, versionRetries: 0, reconciledCreates: 1 },
			1234.4,
			false,
		);
		expect(summary).toMatchObject({
			total: 3,
			byStatus: { created: 2, invalid: 1 },
			requests: 12,
			retries: 3,
			throttled: 2,
			durationMs: 1234,
		});
	});
});

describe('progress', () => {
	test('one line per interval at most, counts only', () => {
		let now = 0;
		const lines: string[] = [];
		const progress = new Progress(10, () => now, 5000, { info: (line) => lines.push(line) });
		for (let i = 0; i < 9; i++) {
			now += 1000;
			progress.rowDone(i % 3 === 0 ? 'failed' : 'created');
		}
		expect(lines).toEqual(['Genesys Cloud Bulk Create Users: 5/10 rows done (created 3, failed 2)']);
		now += 1000;
		progress.rowDone('created');
		progress.finish(0);
		expect(lines[1]).toBe('Genesys Cloud Bulk Create Users: 10/10 rows done (created 7, failed 3)');
	});
});

describe('timing', () => {
	test('backoff doubles up to the cap; the last wait stops at the deadline', () => {
		const timing = { initialDelayMs: 100, maxDelayMs: 1000 };
		expect([0, 1, 2, 3, 4, 5].map((attempt) => exponentialDelay(attempt, timing))).toEqual([
			100, 200, 400, 800, 1000, 1000,
		]);
		expect(nextWait(3, 0, 500, timing)).toBe(500);
		expect(nextWait(0, 500, 500, timing)).toBeUndefined();
	});
});
