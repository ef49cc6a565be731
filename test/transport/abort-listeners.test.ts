/**
 * Every request of a run shares n8n's execution cancel signal. Dozens of requests in flight, queued or
 * backing off at once must not pile abort listeners onto it (Node warns past ten per signal). The scenario
 * runs in a child process because jest's per-file `process` never receives Node's warnings.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { ListenerReport } from './fixtures/abort-listeners/scenario';
import { REQUESTS, SLEEPS } from './fixtures/abort-listeners/scenario';
import { TS_NODE_ARGS } from '../support/tsNode';

const run = promisify(execFile);

it('many concurrent requests and sleeps under one signal emit no MaxListenersExceededWarning', async () => {
	const script = path.join(__dirname, 'fixtures', 'abort-listeners', 'scenario.ts');
	// A plain node process, not a jest worker: the harness's engine switch then reads N8N_ENGINE itself.
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.JEST_WORKER_ID;
	const { stdout } = await run(process.execPath, [...TS_NODE_ARGS, script], { env, timeout: 180_000 });
	const report = JSON.parse(stdout) as ListenerReport;
	// The child follows N8N_ENGINE like the other tests: 1.x sleeps never remove their own listener.
	expect(report.legacySleep).toBe(process.env.N8N_ENGINE === '1');
	expect(report.rejected).toEqual([]);
	expect(report.fulfilled).toBe(REQUESTS + SLEEPS);
	// The paths that listen to the signal were all taken: a full throttle queue, many requests on the wire,
	// retries sleeping after a 5xx.
	expect(report.maxInFlight).toBeGreaterThan(10);
	expect(report.retries).toBeGreaterThan(0);
	expect(report.warnings).toEqual([]);
});
