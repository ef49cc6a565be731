/**
 * The harness runs workflows through n8n's real engine (whichever N8N_ENGINE selects) against a fixture
 * package: items, expressions, outputs, errors, logs, binary data, cancel and timeout.
 */
import path from 'node:path';

import {
	engineVersion,
	ExecutionDidNotStopError,
	MANUAL_TRIGGER_NAME,
	manualTriggerWorkflow,
	runWorkflow,
	type RunOptions,
	type WorkflowJson,
} from './index';

import exported from './fixtures/exported.workflow.json';

const FIXTURE = path.join(__dirname, 'fixtures', 'n8n-nodes-harness-fixture');
const ECHO = 'n8n-nodes-harness-fixture.harnessEcho';
const BINARY = 'n8n-nodes-harness-fixture.harnessBinary';
const SLEEP = 'n8n-nodes-harness-fixture.harnessSleep';

function run(options: Omit<RunOptions, 'packages'>) {
	return runWorkflow({ packages: [FIXTURE], ...options });
}

describe(`workflow harness on engine ${process.env.N8N_ENGINE === '1' ? 1 : 2}`, () => {
	test('runs the engine N8N_ENGINE selects, and the loaded nodes share its n8n-workflow', async () => {
		const expected = process.env.N8N_ENGINE === '1' ? 1 : 2;
		expect(engineVersion()).toBe(expected);
		const result = await run({
			workflow: manualTriggerWorkflow([{ name: 'Echo', type: ECHO, parameters: {} }]),
		});
		expect(result.engine).toBe(expected);
		const seen = String(result.output('Echo')[0].json.workflowPackage);
		expect(seen.startsWith(`${expected}.`)).toBe(true);
	});

	test('start items reach the first node; expressions, versions, outputs and pairedItem come from the engine', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([
				{
					name: 'Echo',
					type: ECHO,
					typeVersion: 1,
					parameters: { tag: '={{ $json.name.toUpperCase() }}' },
				},
			]),
			startItems: [{ json: { name: 'ann' } }, { json: { name: 'bob' } }, { json: { name: 'cy' } }],
		});
		expect(result.status).toBe('success');
		expect(result.ranNodes).toEqual([MANUAL_TRIGGER_NAME, 'Echo']);
		expect(result.output(MANUAL_TRIGGER_NAME).map((item) => item.json)).toEqual([
			{ name: 'ann' },
			{ name: 'bob' },
			{ name: 'cy' },
		]);
		const even = result.output('Echo', 0);
		const odd = result.output('Echo', 1);
		expect(even.map((item) => [item.json.name, item.json.tag, item.pairedItem])).toEqual([
			['ann', 'ANN', { item: 0 }],
			['cy', 'CY', { item: 2 }],
		]);
		expect(odd.map((item) => [item.json.name, item.json.tag])).toEqual([['bob', 'BOB']]);
		expect(even[0].json.nodeVersion).toBe(1);
	});

	test('without start items the trigger emits one empty item; typeVersion defaults to the newest', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([{ name: 'Echo', type: ECHO, parameters: {} }]),
		});
		expect(result.output(MANUAL_TRIGGER_NAME).map((item) => item.json)).toEqual([{}]);
		expect(result.output('Echo')[0].json).toMatchObject({ tag: 'none', nodeVersion: 2 });
	});

	test('the noOp stand-in passes items on, and explicit connections route a second output', async () => {
		const workflow = manualTriggerWorkflow(
			[
				{ name: 'Echo', type: ECHO, parameters: { tag: 'x' } },
				{ name: 'Odd Only', type: 'n8n-nodes-base.noOp', parameters: {} },
			],
			{ Echo: { main: [[], [{ node: 'Odd Only', type: 'main', index: 0 }]] } },
		);
		const result = await run({
			workflow,
			startItems: [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 3 } }],
		});
		expect(result.status).toBe('success');
		expect(result.output('Odd Only').map((item) => item.json.n)).toEqual([1]);
	});

	test('a node error fails the run with the node message; its logs are still captured', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Echo', type: ECHO, parameters: {} },
				{ name: 'Boom', type: ECHO, parameters: { fail: true } },
			]),
		});
		expect(result.status).toBe('error');
		expect(result.errorMessage).toBe('Echo failed on item 0');
		expect(result.ranNodes).toContain('Boom');
		expect(() => result.output('Never')).toThrow(/did not run/);
		const nodeLogs = result.logs.filter((entry) => entry.source === 'node');
		expect(nodeLogs).toContainEqual({
			level: 'info',
			message: 'echoed items',
			meta: { count: 1 },
			source: 'node',
		});
	});

	test('node settings from the JSON reach the engine: continueOnFail lets the run go on', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Boom', type: ECHO, parameters: { fail: true }, continueOnFail: true },
				{ name: 'After', type: ECHO, parameters: { tag: 'after' } },
			]),
			startItems: [{ json: { n: 1 } }],
		});
		expect(result.status).toBe('success');
		expect(result.run.data.resultData.runData.Boom[0].error?.message).toBe('Echo failed on item 0');
		expect(result.output('After').map((item) => item.json)).toMatchObject([{ n: 1, tag: 'after' }]);
	});

	test('concurrent runs keep their logs apart', async () => {
		const [one, two] = await Promise.all([
			run({
				workflow: manualTriggerWorkflow([{ name: 'Echo', type: ECHO, parameters: {} }]),
				startItems: [{ json: {} }],
			}),
			run({
				workflow: manualTriggerWorkflow([{ name: 'Echo', type: ECHO, parameters: {} }]),
				startItems: [{ json: {} }, { json: {} }],
			}),
		]);
		const counts = (logs: typeof one.logs) =>
			logs.filter((entry) => entry.message === 'echoed items').map((entry) => entry.meta);
		expect(counts(one.logs)).toEqual([{ count: 1 }]);
		expect(counts(two.logs)).toEqual([{ count: 2 }]);
	});

	test('binary start items are readable with assertBinaryData/getBinaryDataBuffer, and binary output comes back', async () => {
		const text = 'name;email\nAnn;ann@example.com\n';
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Read', type: BINARY, parameters: { binaryPropertyName: 'file' } },
			]),
			startItems: [
				{
					json: {},
					binary: {
						file: {
							data: Buffer.from(text).toString('base64'),
							mimeType: 'text/csv',
							fileName: 'users.csv',
						},
					},
				},
			],
		});
		expect(result.status).toBe('success');
		const [item] = result.output('Read');
		expect(item.json).toEqual({
			bytes: Buffer.byteLength(text),
			text,
			mimeType: 'text/csv',
			fileName: 'users.csv',
		});
		const upper = item.binary?.upper;
		expect(upper?.mimeType).toBe('text/plain');
		expect(Buffer.from(String(upper?.data), 'base64').toString('utf8')).toBe(text.toUpperCase());
	});

	test("a missing binary property fails with n8n's own message", async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Read', type: BINARY, parameters: { binaryPropertyName: 'file' } },
			]),
		});
		expect(result.status).toBe('error');
		expect(result.errorMessage).toMatch(/binary/i);
	});

	// Each cancel test aborts shortly after the engine reports that the node started, not on a guessed delay.
	function abortOnceStarted(controller: AbortController, nodeName: string) {
		return (started: string) => {
			if (started === nodeName) setTimeout(() => controller.abort(), 50);
		};
	}

	test('aborting the signal cancels the run and the node sees the cancel', async () => {
		const controller = new AbortController();
		const ended: Array<[string, string | undefined]> = [];
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Sleep', type: SLEEP, parameters: { ms: 30_000 } },
				{ name: 'After', type: ECHO, parameters: {} },
			]),
			signal: controller.signal,
			cancelGraceMs: 5_000,
			onNodeStart: abortOnceStarted(controller, 'Sleep'),
			onNodeEnd: (name, status) => ended.push([name, status]),
		});
		expect(result.status).toBe('canceled');
		expect(result.timedOut).toBe(false);
		expect(result.logs.map((entry) => entry.message)).toContain('sleep canceled');
		expect(result.ranNodes).not.toContain('After');
		expect(ended[0]).toEqual([MANUAL_TRIGGER_NAME, 'success']);
	});

	test('a node that throws on cancel still ends as canceled', async () => {
		const controller = new AbortController();
		const result = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Sleep', type: SLEEP, parameters: { ms: 30_000, throwOnCancel: true } },
			]),
			signal: controller.signal,
			cancelGraceMs: 5_000,
			onNodeStart: abortOnceStarted(controller, 'Sleep'),
		});
		expect(result.status).toBe('canceled');
		expect(result.logs.map((entry) => entry.message)).toContain('sleep canceled');
	});

	test('a node that ignores cancel makes runWorkflow reject after the grace period', async () => {
		const controller = new AbortController();
		const error = await run({
			workflow: manualTriggerWorkflow([
				{ name: 'Sleep', type: SLEEP, parameters: { ms: 600, ignoreCancel: true } },
			]),
			signal: controller.signal,
			cancelGraceMs: 100,
			onNodeStart: abortOnceStarted(controller, 'Sleep'),
		}).then(
			() => undefined,
			(reason: unknown) => reason,
		);
		expect(error).toBeInstanceOf(ExecutionDidNotStopError);
		expect((error as Error).message).toMatch(/did not stop within 100 ms/);
		await (error as ExecutionDidNotStopError).finished;
	});

	test('a signal aborted before the start cancels before any node runs', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([{ name: 'Echo', type: ECHO, parameters: {} }]),
			signal: AbortSignal.abort(),
		});
		expect(result.status).toBe('canceled');
		expect(result.ranNodes).toEqual([]);
	});

	test('timeoutMs cancels a run that takes too long and says so', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([{ name: 'Sleep', type: SLEEP, parameters: { ms: 30_000 } }]),
			timeoutMs: 400,
			cancelGraceMs: 5_000,
		});
		expect(result.status).toBe('canceled');
		expect(result.timedOut).toBe(true);
		expect(result.logs.map((entry) => entry.message)).toContain('sleep canceled');
	});

	test('a run that finishes in time is not marked timed out', async () => {
		const result = await run({
			workflow: manualTriggerWorkflow([{ name: 'Sleep', type: SLEEP, parameters: { ms: 10 } }]),
			timeoutMs: 10_000,
		});
		expect(result.status).toBe('success');
		expect(result.timedOut).toBe(false);
		expect(result.output('Sleep')[0].json.aborted).toBe(false);
	});

	test('a workflow exported from the editor (sticky note, pinData) runs as is; pinData is used only on request', async () => {
		const live = await run({ workflow: exported });
		expect(live.status).toBe('success');
		expect(live.output('Echo')[0].json.tag).toBe('live');
		expect(live.ranNodes).not.toContain('Sticky Note');
		const pinned = await run({ workflow: exported, usePinData: true });
		expect(pinned.output('Echo').map((item) => item.json)).toEqual([{ tag: 'pinned' }]);
	});

	test('unknown node types and a missing start node are reported clearly', async () => {
		await expect(
			run({
				workflow: manualTriggerWorkflow([
					{ name: 'X', type: 'n8n-nodes-harness-fixture.nope', parameters: {} },
				]),
			}),
		).rejects.toThrow(/Unrecognized node type: n8n-nodes-harness-fixture\.nope/);
		const noTrigger: WorkflowJson = {
			nodes: [{ name: 'Echo', type: ECHO, parameters: {} }],
			connections: {},
		};
		await expect(run({ workflow: noTrigger })).rejects.toThrow(/manualTrigger/);
		const started = await run({
			workflow: noTrigger,
			startNode: 'Echo',
			startItems: [{ json: { v: 1 } }],
		});
		expect(started.output('Echo')[0].json.v).toBe(1);
	});

	test('a package whose dist is missing asks for a build', async () => {
		await expect(
			runWorkflow({
				packages: [path.join(__dirname, 'fixtures', 'unbuilt-package')],
				workflow: manualTriggerWorkflow([]),
			}),
		).rejects.toThrow(/npm run build/);
	});
});

describe('manualTriggerWorkflow', () => {
	test('chains the trigger and the nodes in order', () => {
		const workflow = manualTriggerWorkflow([
			{ name: 'A', type: ECHO, parameters: {} },
			{ name: 'B', type: ECHO, parameters: {}, credentials: { x: { id: '1', name: 'x' } } },
		]);
		expect(workflow.nodes.map((node) => node.name)).toEqual([MANUAL_TRIGGER_NAME, 'A', 'B']);
		expect(workflow.nodes[2].credentials).toEqual({ x: { id: '1', name: 'x' } });
		expect(workflow.connections).toEqual({
			[MANUAL_TRIGGER_NAME]: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
			A: { main: [[{ node: 'B', type: 'main', index: 0 }]] },
		});
	});

	test('keeps explicit connections and adds the trigger link, and reserves the trigger name', () => {
		const workflow = manualTriggerWorkflow([{ name: 'A', type: ECHO, parameters: {} }], {});
		expect(workflow.connections[MANUAL_TRIGGER_NAME].main[0]).toEqual([
			{ node: 'A', type: 'main', index: 0 },
		]);
		expect(() =>
			manualTriggerWorkflow([{ name: MANUAL_TRIGGER_NAME, type: ECHO, parameters: {} }]),
		).toThrow(/reserved/);
	});
});
