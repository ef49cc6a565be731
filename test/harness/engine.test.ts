/**
 * Engine selection outside jest (demo, benchmarks): loadEngine / N8N_ENGINE make the engine and the
 * loaded nodes share one n8n-workflow copy of the chosen major. Runs plain `node` child processes, so it
 * checks both engines whatever N8N_ENGINE this jest run uses.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { TS_NODE_ARGS } from '../support/tsNode';
import { engineVersion, loadEngine } from './index';

const RUNNER = path.join(__dirname, 'fixtures', 'plain-node-runner.js');

interface RunnerReport {
	engine?: number;
	versions?: { core: string; workflow: string };
	status?: string;
	tag?: unknown;
	nodeSaw?: string;
	workflowCopies?: string[];
	switchBack?: string;
	error?: string;
}

function runPlainNode(mode: string, extraEnv: Record<string, string> = {}): Promise<RunnerReport> {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
	// A child of jest inherits jest's markers; the point here is a process that is not jest.
	delete env.JEST_WORKER_ID;
	delete env.NODE_ENV;
	if (extraEnv.N8N_ENGINE === undefined) delete env.N8N_ENGINE;
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			[...TS_NODE_ARGS, RUNNER, mode],
			{ env, timeout: 180_000 },
			(error, stdout, stderr) => {
				if (error) {
					reject(new Error(`${error.message}\n${stderr}`));
					return;
				}
				resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as RunnerReport);
			},
		);
	});
}

describe('plain node engine selection', () => {
	// The child processes are independent; starting them together keeps this file short.
	let reports: Record<'v1' | 'v2' | 'env' | 'conflict', RunnerReport>;
	beforeAll(async () => {
		const [v1, v2, env, conflict] = await Promise.all([
			runPlainNode('1'),
			runPlainNode('2'),
			runPlainNode('env', { N8N_ENGINE: '1' }),
			runPlainNode('conflict'),
		]);
		reports = { v1, v2, env, conflict };
	});

	test('loadEngine(1) runs n8n-core 1.x, and the nodes load the same single 1.x n8n-workflow', () => {
		const report = reports.v1;
		expect(report).toMatchObject({ engine: 1, status: 'success', tag: 2 });
		expect(report.versions?.core).toMatch(/^1\./);
		expect(report.nodeSaw).toBe(report.versions?.workflow);
		expect(report.workflowCopies).toEqual([path.join('node_modules', 'n8n-workflow-v1')]);
		expect(report.switchBack).toMatch(/cannot switch/);
	});

	test('loadEngine(2) runs the installed 2.x engine with the same n8n-workflow as the nodes', () => {
		const report = reports.v2;
		expect(report).toMatchObject({ engine: 2, status: 'success', tag: 2 });
		expect(report.versions?.core).toMatch(/^2\./);
		expect(report.nodeSaw).toBe(report.versions?.workflow);
		expect(report.workflowCopies).toContain(path.join('node_modules', 'n8n-workflow'));
		expect(report.workflowCopies).not.toContain(path.join('node_modules', 'n8n-workflow-v1'));
	});

	test('N8N_ENGINE=1 selects 1.x without an explicit call', () => {
		const report = reports.env;
		expect(report).toMatchObject({ engine: 1, nodeSaw: report.versions?.workflow });
	});

	test('choosing 1.x after n8n-workflow 2.x was loaded is refused', () => {
		const report = reports.conflict;
		expect(report.error).toMatch(/already loaded.*Call loadEngine before/);
	});
});

describe('under jest', () => {
	test('the engine is the one jest.config maps, and asking for the other one explains how', () => {
		const mapped = process.env.N8N_ENGINE === '1' ? 1 : 2;
		expect(engineVersion()).toBe(mapped);
		expect(loadEngine(mapped)).toBe(mapped);
		expect(() => loadEngine(mapped === 1 ? 2 : 1)).toThrow(/N8N_ENGINE=/);
	});
});
