/**
 * sleep() must work on both n8n-workflow majors: 2.x `sleep(ms, signal)`, 1.x `sleepWithAbort(ms, signal)`.
 * Each major is loaded in isolation behind the same import the node code uses.
 */
import path from 'node:path';

type SleepModule = typeof import('../../nodes/GenesysCloud/sleep');

function loadWith(workflowPackage: 'n8n-workflow' | 'n8n-workflow-v1'): SleepModule {
	// By folder, so the N8N_ENGINE=1 module mapping (bare `n8n-workflow` -> v1) does not interfere.
	const folder = path.resolve(__dirname, '../../node_modules', workflowPackage);
	let loaded: SleepModule | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => jest.requireActual(folder));
		loaded = jest.requireActual<SleepModule>('../../nodes/GenesysCloud/sleep');
	});
	jest.dontMock('n8n-workflow');
	return loaded as SleepModule;
}

// 1.x's plain sleep(ms) ignores signals: the abort tests below pass on 1.x only through sleepWithAbort.
describe.each([
	['2.x', 'n8n-workflow' as const],
	['1.x', 'n8n-workflow-v1' as const],
])('sleep on n8n-workflow %s', (_label, pkg) => {
	const { sleep } = loadWith(pkg);

	it('resolves after the delay, with or without a signal', async () => {
		const controller = new AbortController();
		await expect(sleep(5)).resolves.toBeUndefined();
		await expect(sleep(5, controller.signal)).resolves.toBeUndefined();
		await expect(sleep(-1)).resolves.toBeUndefined();
	});

	it('rejects promptly when aborted mid-sleep', async () => {
		const controller = new AbortController();
		const pending = sleep(60_000, controller.signal);
		setTimeout(() => controller.abort(new Error('stop')), 5);
		await expect(pending).rejects.toBeDefined();
	});

	it('rejects at once when already aborted', async () => {
		const controller = new AbortController();
		controller.abort(new Error('stop'));
		await expect(sleep(60_000, controller.signal)).rejects.toBeDefined();
	});

	it('leaves no listeners on a long-lived signal after many sleeps', async () => {
		const controller = new AbortController();
		const added: string[] = [];
		const removed: string[] = [];
		const signal = controller.signal;
		type Listen = (...args: unknown[]) => void;
		const add = signal.addEventListener.bind(signal) as Listen;
		const remove = signal.removeEventListener.bind(signal) as Listen;
		signal.addEventListener = ((...args: unknown[]) => {
			added.push(String(args[0]));
			add(...args);
		}) as typeof signal.addEventListener;
		signal.removeEventListener = ((...args: unknown[]) => {
			removed.push(String(args[0]));
			remove(...args);
		}) as typeof signal.removeEventListener;
		for (let i = 0; i < 20; i++) await sleep(1, signal);
		expect(added.length).toBe(20);
		expect(removed.length).toBe(20);
	});
});
