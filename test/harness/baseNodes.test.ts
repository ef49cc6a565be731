/**
 * Real n8n-nodes-base nodes in the harness: loaded one by one when a workflow uses them, run by the engine
 * N8N_ENGINE selects, with a stand-in only where the real node cannot run on that engine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	baseNodeReport,
	engineVersion,
	MANUAL_TRIGGER_NAME,
	manualTriggerWorkflow,
	runWorkflow,
	type RunOptions,
} from './index';

const FIXTURE = path.join(__dirname, 'fixtures', 'n8n-nodes-harness-fixture');

function run(options: Omit<RunOptions, 'packages'>) {
	return runWorkflow({ packages: [FIXTURE], ...options });
}

const jsonOf = (items: Array<{ json: Record<string, unknown> }>) => items.map((item) => item.json);

/** n8n-nodes-base 2.x nodes that cannot run on the 1.x engine, and why (see README). */
const NOT_ON_V1: Record<string, RegExp> = {
	'n8n-nodes-base.webhook': /fromParameter\) is not a function/,
	'n8n-nodes-base.readWriteFile': /cannot resolve its parameters.*Max iterations/,
};

describe(`real n8n-nodes-base nodes on engine ${process.env.N8N_ENGINE === '1' ? 1 : 2}`, () => {
	let folder: string;
	beforeAll(() => {
		folder = mkdtempSync(path.join(os.tmpdir(), 'harness-files-'));
	});
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	test('only the types a workflow uses are loaded, and the real Set, Split Out and Summarize compute the output', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([
				{
					name: 'Payload',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: { mode: 'raw', jsonOutput: '{ "people": [ { "team": "a", "n": 1 }, { "team": "b", "n": 2 }, { "team": "a", "n": 4 } ] }', options: {} },
				},
				{ name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'people', options: {} } },
				{
					name: 'Totals',
					type: 'n8n-nodes-base.summarize',
					typeVersion: 1.1,
					parameters: {
						fieldsToSummarize: { values: [{ aggregation: 'sum', field: 'n' }, { aggregation: 'count', field: 'team' }] },
						fieldsToSplitBy: 'team',
						options: {},
					},
				},
			]),
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result.output('Split'))).toEqual([
			{ team: 'a', n: 1 },
			{ team: 'b', n: 2 },
			{ team: 'a', n: 4 },
		]);
		expect(jsonOf(result.output('Totals'))).toEqual([
			{ team: 'a', sum_n: 5, count_team: 2 },
			{ team: 'b', sum_n: 2, count_team: 1 },
		]);
		const used = ['manualTrigger', 'set', 'splitOut', 'summarize'].map((name) => `n8n-nodes-base.${name}`);
		for (const type of used) expect(result.nodeTypes[type]).toBe('n8n-nodes-base');
		expect(baseNodeReport().loaded).toEqual([...used].sort());
	});

	test('the real Manual Trigger hands given start items on, and without them emits its own empty item', async () => {
		const workflow = manualTriggerWorkflow([{ name: 'Pass', type: 'n8n-nodes-base.noOp', parameters: {} }]);
		const fed = await run({ workflow, startItems: [{ json: { a: 1 } }, { json: { a: 2 } }] });
		expect(fed.nodeTypes['n8n-nodes-base.manualTrigger']).toBe('n8n-nodes-base');
		expect(jsonOf(fed.output('Pass'))).toEqual([{ a: 1 }, { a: 2 }]);
		const own = await run({ workflow });
		expect(jsonOf(own.output(MANUAL_TRIGGER_NAME))).toEqual([{}]);
		expect(jsonOf(own.output('Pass'))).toEqual([{}]);
	});

	test('Read/Write Files reads from a folder given in fileAccess; n8n refuses a folder that is not', async () => {
		const allowed = path.join(folder, 'allowed');
		const other = path.join(folder, 'other');
		for (const dir of [allowed, other]) {
			mkdirSync(dir, { recursive: true });
			writeFileSync(path.join(dir, 'people.csv'), 'email,name\nann@example.com,Ann\n');
		}
		const read = (file: string) =>
			run({
				workflow: manualTriggerWorkflow([
					{
						name: 'Read',
						type: 'n8n-nodes-base.readWriteFile',
						typeVersion: 1,
						parameters: { operation: 'read', fileSelector: file, options: {} },
					},
				]),
				fileAccess: [allowed],
			});
		const ok = await read(path.join(allowed, 'people.csv'));
		expect(ok.status).toBe('success');
		const [item] = ok.output('Read');
		expect(item.json).toMatchObject({ fileName: 'people.csv', fileExtension: 'csv' });
		expect(Buffer.from(String(item.binary?.data.data), 'base64').toString('utf8')).toBe(
			'email,name\nann@example.com,Ann\n',
		);
		const refused = await read(path.join(other, 'people.csv'));
		expect(refused.status).toBe('error');
		expect(refused.errorMessage).toMatch(/not allowed/i);
	});

	test('a type the engine cannot run is replaced by its stand-in, with the reason on record', async () => {
		const result = await run({
			workflow: {
				nodes: [
					{ name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, parameters: { httpMethod: 'POST', path: 'x', options: {} } },
					{ name: MANUAL_TRIGGER_NAME, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
					{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
				],
				connections: {
					Hook: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
					[MANUAL_TRIGGER_NAME]: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
				},
			},
			startItems: [{ json: { from: 'trigger' } }],
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result.output('After'))).toEqual([{ from: 'trigger' }]);
		const { failed } = baseNodeReport();
		if (engineVersion() === 1) {
			expect(result.nodeTypes['n8n-nodes-base.webhook']).toBe('stand-in');
			for (const [type, reason] of Object.entries(NOT_ON_V1)) {
				if (failed[type] !== undefined) expect(failed[type]).toMatch(reason);
			}
			expect(failed['n8n-nodes-base.webhook']).toBeDefined();
		} else {
			expect(result.nodeTypes['n8n-nodes-base.webhook']).toBe('n8n-nodes-base');
			expect(failed).toEqual({});
		}
	});

	test('an unknown n8n-nodes-base type fails the run setup with a clear message', async () => {
		await expect(
			run({ workflow: manualTriggerWorkflow([{ name: 'X', type: 'n8n-nodes-base.noSuchNode', parameters: {} }]) }),
		).rejects.toThrow(/Unrecognized node type: n8n-nodes-base\.noSuchNode .*has no node "noSuchNode"/);
	});
});
