/**
 * Genesys Cloud emulator: a real HTTP server on 127.0.0.1 that behaves like Genesys Cloud for everything this
 * package calls (see README.md beside this file and /docs/ARCHITECTURE.md).
 *
 *   const emu = await startEmulator({ seed: 1 });
 *   // ... point the credential's custom API and login URLs at emu.url ...
 *   await emu.close();
 */
import { EmulatorCore } from './core';
import { EmulatorServer } from './server';
import type { Emulator, EmulatorOptions, Faults } from './types';

export { DEFAULT_IDS } from './catalog';
export { advanceWhen, manualClock, shiftableClock } from './clock';
export type { ShiftableClock } from './clock';
export { DEFAULT_CLIENT } from './core';
export { DEFAULT_FAULTS } from './faults';
export { apiRequests, tokenRequests } from './requests';
export { startTrap } from './trap';
export type { TrappedRequest, TrapServer } from './trap';
export type {
	CatalogControl,
	Contact,
	ContactImportOptions,
	Emulator,
	EmulatorOptions,
	EmulatorState,
	EmulatorStats,
	EmuUser,
	AppliedThen5xxFault,
	GatewayAfterRouteFault,
	RivalCreate,
	Faults,
	MalformedFault,
	RedirectFault,
	StallFault,
	TrickleFault,
	JobScript,
	JobScripts,
	JobStep,
	InviteRequest,
	OutboundControl,
	PasswordAttempt,
	RecordedRequest,
	SeedUser,
	UserState,
} from './types';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const core = new EmulatorCore(options);
	const server = new EmulatorServer(core);
	const url = await server.listen(core.options.port);
	return {
		url,
		state: core.state,
		requests: core.requests,
		stats: core.stats,
		jobs: core.jobs,
		catalog: {
			homeDivisionId: core.catalog.homeDivisionId,
			addRole: (id: string, name?: string) => core.catalog.addRole(id, name, core.now()),
			addDivision: (id: string, name?: string) => core.catalog.addDivision(id, name, core.now()),
		},
		outbound: core.outbound,
		setFaults: (faults: Partial<Faults>) => core.setFaults(faults),
		clearFaults: () => core.clearFaults(),
		expireAllTokens: () => core.tokens.expireAll(core.now()),
		expireToken: (tokenId: string) => core.tokens.expire(tokenId, core.now()),
		issuedTokens: () => core.tokens.all(),
		reset: () => core.reset(),
		close: () => server.close(),
	};
}
