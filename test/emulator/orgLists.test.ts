import { DEFAULT_IDS, startEmulator, type Emulator } from './index';
import { matchesName } from './nameFilters';
import { TestClient } from './testClient';

interface Page {
	entities: Array<{ id: string; name: string }>;
	pageNumber: number;
	pageSize: number;
	total: number;
	pageCount: number;
}

const ROLE_IDS = Array.from({ length: 30 }, (_, i) => `0201e000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);

describe('emulator: org lists (divisions, roles, skills, queues)', () => {
	let emu: Emulator;
	let client: TestClient;

	beforeAll(async () => {
		emu = await startEmulator({ roles: ROLE_IDS });
		client = await new TestClient(emu.url).login();
	});
	afterAll(() => emu.close());

	async function page(path: string): Promise<Page> {
		const res = await client.get(path);
		expect(res.status).toBe(200);
		return res.body as Page;
	}

	test('each list answers the catalog, sorted by name', async () => {
		const divisions = await page('/api/v2/authorization/divisions');
		expect(divisions.entities.map((d) => d.name)).toEqual(['Home', 'Sales Division', 'Support Division']);
		expect(divisions.total).toBe(DEFAULT_IDS.divisions.length);
		const skills = await page('/api/v2/routing/skills');
		expect(skills.entities.map((s) => s.name)).toEqual(['Billing', 'English', 'Technical Support']);
		const queues = await page('/api/v2/routing/queues');
		expect(queues.entities.map((q) => q.name)).toEqual(['Sales Queue', 'Support Queue']);
		expect(queues.entities[0]).toMatchObject({ id: DEFAULT_IDS.queues[1], selfUri: `/api/v2/routing/queues/${DEFAULT_IDS.queues[1]}` });
	});

	test('pageSize and pageNumber page through the whole list', async () => {
		const first = await page('/api/v2/authorization/roles?pageSize=25&pageNumber=1');
		const second = await page('/api/v2/authorization/roles?pageSize=25&pageNumber=2');
		expect(first).toMatchObject({ pageSize: 25, pageNumber: 1, total: 30, pageCount: 2 });
		expect(first.entities).toHaveLength(25);
		expect(second.entities).toHaveLength(5);
		const ids = new Set([...first.entities, ...second.entities].map((role) => role.id));
		expect(ids).toEqual(new Set(ROLE_IDS));
		expect((await page('/api/v2/authorization/roles?pageSize=25&pageNumber=3')).entities).toEqual([]);
	});

	test('name filters: divisions and roles contain the term, skills start with it, queues match whole with * wildcards', async () => {
		const names = async (path: string): Promise<string[]> => (await page(path)).entities.map((entity) => entity.name);
		expect(await names('/api/v2/authorization/divisions?name=division')).toEqual(['Sales Division', 'Support Division']);
		expect(await names('/api/v2/authorization/roles?name=role%202')).toEqual(['Role 20', 'Role 21', 'Role 22', 'Role 23', 'Role 24', 'Role 25', 'Role 26', 'Role 27', 'Role 28', 'Role 29']);
		expect(await names('/api/v2/routing/skills?name=tech')).toEqual(['Technical Support']);
		expect(await names('/api/v2/routing/skills?name=support')).toEqual([]);
		expect(await names('/api/v2/routing/queues?name=support')).toEqual([]);
		expect(await names('/api/v2/routing/queues?name=support%20queue')).toEqual(['Support Queue']);
		expect(await names('/api/v2/routing/queues?name=*queue')).toEqual(['Sales Queue', 'Support Queue']);
		expect(await names('/api/v2/routing/queues?name=sal*')).toEqual(['Sales Queue']);
		expect(await names('/api/v2/routing/queues?name=*port*')).toEqual(['Support Queue']);
	});

	test('a filtered list is paged and counted after filtering', async () => {
		const filtered = await page('/api/v2/authorization/roles?name=role%201&pageSize=4&pageNumber=2');
		expect(filtered).toMatchObject({ total: 10, pageCount: 3, pageNumber: 2 });
		expect(filtered.entities.map((role) => role.name)).toEqual(['Role 14', 'Role 15', 'Role 16', 'Role 17']);
	});

	test('matchesName: empty filter matches all; a lone * matches all queues', () => {
		expect(matchesName('wildcard', 'Sales Queue', '*')).toBe(true);
		expect(matchesName('prefix', 'English', '')).toBe(true);
		expect(matchesName('contains', 'Home', undefined)).toBe(true);
	});
});
