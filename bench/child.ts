/**
 * Runs one contender in this process and reports its timing and peak RSS to the parent (IPC).
 * Everything the child reports is redacted: no client secret, no token.
 */
import { performance } from 'node:perf_hooks';

import type { ContenderRun } from './contenders/measure';
import { setMeasureGate } from './contenders/measure';
import { redact } from './redact';
import type { ChildMessage, ChildReport, ParentMessage, Task } from './types';

type PackageNodes = typeof import('./contenders/packageNodes');
type HttpRequestNode = typeof import('./contenders/httpRequestNode');
type SdkLoop = typeof import('./contenders/sdkLoop');
type BareHttp = typeof import('./contenders/bareHttp');

/**
 * Required lazily: the SDK contender must not load n8n, and the n8n contenders must not load the SDK. A
 * require (not `import()`), because the child runs under tsx's require hook, which resolves extensionless
 * TypeScript paths for require only.
 */
function load<T>(path: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path) as T;
}

async function runTask(task: Task): Promise<ContenderRun> {
	switch (task.kind) {
		case 'bulkNode':
			return await load<PackageNodes>('./contenders/packageNodes').runBulkNode(task);
		case 'csvDryRun':
			return await load<PackageNodes>('./contenders/packageNodes').runCsvDryRun(task);
		case 'waitForJob':
			return await load<PackageNodes>('./contenders/packageNodes').runWaitForJob(task);
		case 'httpRequestNode':
			return await load<HttpRequestNode>('./contenders/httpRequestNode').runHttpRequestNode(task);
		case 'sdkLoop':
			return await load<SdkLoop>('./contenders/sdkLoop').runSdkLoop(task);
		case 'bareHttp':
			return await load<BareHttp>('./contenders/bareHttp').runBareHttp(task);
	}
}

function peakRssMb(): number {
	// resourceUsage().maxRSS is in kilobytes: the high-water mark of this process.
	return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function execute(task: Task): Promise<ChildReport> {
	const processStart = performance.timeOrigin;
	try {
		const run = await runTask(task);
		return {
			ok: true,
			startedAt: run.startedAt,
			endedAt: run.endedAt,
			setupMs: Math.max(0, Math.round(run.startedAt - processStart)),
			peakRssMb: peakRssMb(),
			detail: JSON.parse(redact(JSON.stringify(run.detail), [task.client.clientSecret])) as Record<string, unknown>,
		};
	} catch (error) {
		const now = Date.now();
		return {
			ok: false,
			error: redact(messageOf(error), [task.client.clientSecret]),
			startedAt: now,
			endedAt: now,
			setupMs: 0,
			peakRssMb: peakRssMb(),
			detail: {},
		};
	}
}

function send(message: ChildMessage): Promise<void> {
	return new Promise((resolve, reject) => {
		if (!process.send) {
			reject(new Error('bench/child.ts must be started by the benchmark (IPC channel missing)'));
			return;
		}
		process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
	});
}

/** Tells the parent everything is loaded and waits for its go. */
function gateOnParent(): Promise<void> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: ParentMessage): void => {
			if (message.type !== 'go') return;
			process.off('message', onMessage);
			resolve();
		};
		process.on('message', onMessage);
		send({ type: 'ready' }).catch(reject);
	});
}

export function main(): void {
	setMeasureGate(gateOnParent);
	const onTask = (message: ParentMessage): void => {
		if (message.type !== 'task') return;
		process.off('message', onTask);
		void execute(message.task)
			.then(async (report) => await send({ type: 'report', report }))
			// Exit explicitly: SDK and engine may leave keep-alive sockets or watchers behind.
			.then(() => process.exit(0))
			.catch((error: unknown) => {
				process.stderr.write(`${messageOf(error)}\n`);
				process.exit(1);
			});
	};
	process.on('message', onTask);
}

// Forked by scenario.ts with tsx's require hook.
if (require.main === module) main();
