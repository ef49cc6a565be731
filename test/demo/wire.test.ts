/**
 * The demo's request counts come from the wire (wire.ts). Under injected 429s they must match both what the
 * emulator received and the Bulk Create Users node's own summary counters. (5xx take the transport's
 * seconds-long backoff, so they are left to the transport's own tests.)
 */
import { startEmulator, type Emulator } from '../emulator';
import { manualTriggerWorkflow, runWorkflow } from '../harness';
import { BULK_CREATE_TYPE, CREDENTIAL_TYPE, emulatorCredential } from '../examples/exampleSupport';
import { WireCounter } from './wire';

const CLIENT = { clientId: 'wire-client', clientSecret: 'wire-secret-31b7c9' };

async function countedRun(emu: Emulator, users: number): Promise<{ wire: WireCounter; summary: Record<string, number> }> {
	// host:port: only this file's emulator, whatever else in the process talks to 127.0.0.1.
	const wire = new WireCounter(new Set([new URL(emu.url).host]));
	wire.start();
	const result = await runWorkflow({
		workflow: manualTriggerWorkflow([
			{
				name: 'Create',
				type: BULK_CREATE_TYPE,
				parameters: { inputSource: 'items', options: { includeSummary: true, concurrency: 4 } },
			},
		]),
		credentials: { [CREDENTIAL_TYPE]: { data: emulatorCredential(emu.url, CLIENT) } },
		startItems: Array.from({ length: users }, (_, i) => ({
			json: { name: `Wire User ${i}`, email: `wire.user${i}@example.com` },
		})),
		onNodeStart: (name) => wire.enterNode(name),
		onNodeEnd: () => wire.enterNode(undefined),
	}).finally(() => wire.stop());
	expect(result.status).toBe('success');
	const summary = result.output('Create').find((item) => 'summary' in item.json)?.json.summary;
	return { wire, summary: summary as Record<string, number> };
}

describe('wire counter', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ seed: 5, clients: [CLIENT], rateLimit: false, fractionalRetryAfter: true });
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.reset());

	test('429s: requests, 429s and resends match what the emulator received and what the node counted', async () => {
		emu.setFaults({ rate429: 0.3, retryAfterSec: 0.02 });
		const { wire, summary } = await countedRun(emu, 30);
		const api = emu.requests.filter((request) => request.path.startsWith('/api/v2/'));
		const stats = wire.stats();
		const create = stats.byNode.Create;
		expect(Object.keys(stats.byNode)).toEqual(['Create']);
		expect(stats.tokenRequests).toBe(1);
		expect(create.requests).toBe(api.length);
		expect(create.throttled).toBe(api.filter((request) => request.status === 429).length);
		expect(create.throttled).toBeGreaterThan(0);
		expect(create.retries).toBe(create.throttled);
		expect(summary).toMatchObject({ requests: create.requests, throttled: create.throttled, retries: create.retries });
		expect(emu.state.users.size).toBe(30);
	});
});
