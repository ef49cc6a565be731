/**
 * One emulator for a whole test file: started before the first test, reset before each (state, request log,
 * faults, counters; issued tokens stay valid), closed after the last. `use` receives it, with a TestClient
 * already logged in as `client` (the first of `options.clients`, else the default client).
 *
 *   let emu: Emulator;
 *   let api: TestClient;
 *   emulatorPerFile({ users: [...] }, (started, client) => { emu = started; api = client; });
 */
import { DEFAULT_CLIENT } from './core';
import { startEmulator } from './index';
import { TestClient } from './testClient';
import type { Emulator, EmulatorOptions } from './types';

export interface PerFileSettings {
	/** Log a TestClient in before `use` (default true); false hands `use` a client without a token. */
	login?: boolean;
	/** Reset the emulator before each test (default true). */
	reset?: boolean;
	/** The client the TestClient logs in as; default: the first of `options.clients`, else DEFAULT_CLIENT. */
	client?: { clientId: string; clientSecret: string };
}

export function emulatorPerFile(
	options: EmulatorOptions,
	use: (emu: Emulator, api: TestClient) => void,
	settings: PerFileSettings = {},
): void {
	let emu: Emulator | undefined;
	beforeAll(async () => {
		emu = await startEmulator(options);
		const api = new TestClient(emu.url, settings.client ?? options.clients?.[0] ?? DEFAULT_CLIENT);
		if (settings.login ?? true) await api.login();
		use(emu, api);
	});
	afterAll(async () => {
		await emu?.close();
	});
	if (settings.reset ?? true) beforeEach(() => emu?.reset());
}
