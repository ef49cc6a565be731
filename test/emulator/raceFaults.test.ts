/**
 * Knobs for ambiguous creates: a gateway that answers a 5xx or resets the connection after the backend
 * handled the request, whatever it answered (a 409 included), and a rival's create that lands just before
 * ours (the race a lookup cannot see while search lags).
 */
import { startEmulator, type Emulator } from './index';
import { TestClient } from './testClient';

let emu: Emulator;
let client: TestClient;

beforeAll(async () => {
	emu = await startEmulator({ seed: 3, rateLimit: false });
	client = await new TestClient(emu.url).login();
});

afterAll(async () => {
	await emu.close();
});

beforeEach(async () => {
	emu.reset();
	// reset() forgets tokens too.
	await client.login();
});

test('gatewayAfterRoute: a refused create is hidden behind the gateway error, the first `times` requests only', async () => {
	await client.createUser({ name: 'Ann', email: 'ann@example.com' });
	emu.setFaults({ gatewayAfterRoute: { outcome: 503, times: 1, pathFilter: '^/api/v2/users$' } });
	const hidden = await client.createUser({ name: 'Ann Again', email: 'ann@example.com' });
	expect(hidden.status).toBe(503);
	expect(emu.requests.at(-1)).toMatchObject({ fault: 'gatewayAfterRoute', intendedStatus: 409, applied: false });
	const clear = await client.createUser({ name: 'Ann Again', email: 'ann@example.com' });
	expect(clear.status).toBe(409);
});

test('gatewayAfterRoute reset: an applied create, then the connection is destroyed', async () => {
	emu.setFaults({ gatewayAfterRoute: { outcome: 'reset', pathFilter: '^/api/v2/users$' } });
	await expect(client.createUser({ name: 'Bo', email: 'bo@example.com' })).rejects.toThrow();
	expect(emu.requests.at(-1)).toMatchObject({ status: 0, fault: 'gatewayAfterRoute', intendedStatus: 200, applied: true });
	expect(emu.state.userByEmail('bo@example.com')).toBeDefined();
});

test('rivalCreates: the rival user exists before our create is handled, which then gets 409', async () => {
	emu.setFaults({ rivalCreates: [{ name: 'Cy Rival', email: 'cy@example.com', title: 'Manager', version: 3 }] });
	expect((await client.searchByEmail('cy@example.com')).body.results ?? []).toEqual([]);
	const ours = await client.createUser({ name: 'Cy', email: 'cy@example.com' });
	expect(ours.status).toBe(409);
	expect(emu.state.userByEmail('cy@example.com')).toMatchObject({ name: 'Cy Rival', title: 'Manager', version: 3 });
	// Once only.
	expect((await client.createUser({ name: 'Cy', email: 'cy@example.com' })).status).toBe(409);
	expect(emu.state.users.size).toBe(1);
});

test('the knobs are checked', () => {
	expect(() => emu.setFaults({ gatewayAfterRoute: { outcome: 500 as 502 } })).toThrow(/gatewayAfterRoute/);
	expect(() => emu.setFaults({ gatewayAfterRoute: { outcome: 503, times: -1 } })).toThrow(/times/);
});
