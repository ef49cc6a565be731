/**
 * The mapper's pickers: Division, Roles, Skills and Queues list the org (the emulator) through the
 * transport, page by page; a kind that cannot be fully listed keeps its text field.
 *
 * The load-options context is a small stand-in: its httpRequestWithAuthentication fetches a token from the
 * emulator and sends the request with it. n8n's real helper is exercised by the browser test (`npm run test:ui`).
 */
import type { IHttpRequestOptions, ILoadOptionsFunctions, INode, ResourceMapperField } from 'n8n-workflow';

import { DEFAULT_IDS, type Emulator } from '../emulator';
import { credentialsFor, emulatorPerFile, CLIENT_ID, CLIENT_SECRET } from './helpers';
import { fetchOrgList, fetchOrgListPage, nameQuery } from '../../nodes/GenesysCloud/orgLists';
import { GenesysClient } from '../../nodes/GenesysCloud/transport';
import { getUserFieldsWithPickers, MAX_PICKER_ENTITIES } from '../../nodes/GenesysCloudBulkCreateUsers/methods/orgPickers';
import { getUserFields } from '../../nodes/GenesysCloudBulkCreateUsers/methods/resourceMapping';

let emu: Emulator;
emulatorPerFile({ rateLimit: false }, (started) => {
	emu = started;
});

const NODE: INode = {
	id: 'n1',
	name: 'Bulk Create Users',
	type: 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { genesysCloudOAuth2Api: { id: 'c1', name: 'Genesys' } },
};

async function token(url: string): Promise<string> {
	const response = await fetch(`${url}/oauth/token`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials',
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

/** What the pickers use of ILoadOptionsFunctions; `withCredential: false` is a node without a credential yet. */
function loadOptionsContext(url: string, { withCredential = true } = {}): { ctx: ILoadOptionsFunctions; paths: string[] } {
	const paths: string[] = [];
	const ctx = {
		getNode: () => NODE,
		getCredentials: async () => {
			if (!withCredential) throw new Error('Node does not have any credentials set');
			return credentialsFor(url);
		},
		logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const target = new URL(options.url);
				for (const [key, value] of Object.entries(options.qs ?? {})) {
					if (value !== undefined) target.searchParams.set(key, String(value));
				}
				paths.push(`${target.pathname}${target.search}`);
				const response = await fetch(target, { method: options.method, headers: { authorization: `Bearer ${await token(url)}` } });
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.json() };
			},
		},
	};
	return { ctx: ctx as unknown as ILoadOptionsFunctions, paths };
}

function field(fields: ResourceMapperField[], id: string): ResourceMapperField {
	const found = fields.find((entry) => entry.id === id);
	if (!found) throw new Error(`no field ${id}`);
	return found;
}

describe('org lists through the transport', () => {
	test('a page carries entities and the next page number; the last page has none', async () => {
		const { ctx } = loadOptionsContext(emu.url);
		const client = await GenesysClient.forContext(ctx);
		const page = await fetchOrgListPage(client, 'queues');
		expect(page.entities.map((queue) => queue.name)).toEqual(['Sales Queue', 'Support Queue']);
		expect(page.nextPage).toBeUndefined();
	});

	test('queue filters are wrapped in * so they match anywhere; other kinds send the term as is', async () => {
		expect(nameQuery('queues', ' port ')).toBe('*port*');
		expect(nameQuery('skills', 'Eng')).toBe('Eng');
		expect(nameQuery('roles', '  ')).toBeUndefined();
		const { ctx, paths } = loadOptionsContext(emu.url);
		const client = await GenesysClient.forContext(ctx);
		const page = await fetchOrgListPage(client, 'queues', { filter: 'port' });
		expect(page.entities.map((queue) => queue.name)).toEqual(['Support Queue']);
		expect(paths[0]).toBe('/api/v2/routing/queues?pageSize=100&pageNumber=1&name=*port*');
	});
});

describe('Bulk Create Users pickers', () => {
	test('division, roles, skills and queues become pickers of the org; other fields stay as they are', async () => {
		const { ctx } = loadOptionsContext(emu.url);
		const { fields } = await getUserFieldsWithPickers.call(ctx);
		const division = field(fields, 'divisionId');
		expect(division.type).toBe('options');
		expect(division.options?.map((option) => [option.name, option.value])).toEqual([
			['Home', DEFAULT_IDS.divisions[0]],
			['Sales Division', DEFAULT_IDS.divisions[1]],
			['Support Division', DEFAULT_IDS.divisions[2]],
		]);
		expect(field(fields, 'roles').options?.map((option) => option.name)).toEqual(['Agent', 'employee', 'Supervisor']);
		expect(field(fields, 'queues').options?.map((option) => option.value)).toEqual([DEFAULT_IDS.queues[1], DEFAULT_IDS.queues[0]]);
		const skills = field(fields, 'skills').options ?? [];
		expect(skills).toHaveLength(3 * 6);
		expect(skills).toContainEqual(expect.objectContaining({ name: 'English (proficiency 3)', value: `${DEFAULT_IDS.skills[0]}:3` }));

		const { fields: plain } = await getUserFields.call(ctx);
		const untouched = plain.filter((entry) => !['divisionId', 'roles', 'skills', 'queues'].includes(entry.id));
		expect(fields.filter((entry) => !['divisionId', 'roles', 'skills', 'queues'].includes(entry.id))).toEqual(untouched);
	});

	test('without a credential the fields are the plain text fields', async () => {
		const { ctx } = loadOptionsContext(emu.url, { withCredential: false });
		const { fields } = await getUserFieldsWithPickers.call(ctx);
		expect(fields).toEqual((await getUserFields.call(ctx)).fields);
	});

	test('a kind the org cannot list in full keeps its text field (IDs, lists, expressions)', async () => {
		const { ctx } = loadOptionsContext(emu.url);
		const client = await GenesysClient.forContext(ctx);
		const partial = await fetchOrgList(client, 'skills', 2);
		expect(partial).toMatchObject({ truncated: true });
		expect(partial.entities).toHaveLength(2);
		expect((await fetchOrgList(client, 'skills', 3)).truncated).toBe(false);
		expect(MAX_PICKER_ENTITIES).toBeGreaterThanOrEqual(100);
	});

	test('a list refused by Genesys (403, missing permission) leaves that field as text and the others as pickers', async () => {
		const { ctx } = loadOptionsContext(emu.url);
		const original = ctx.helpers.httpRequestWithAuthentication;
		ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, type: string, options: IHttpRequestOptions) {
			if (options.url.endsWith('/api/v2/routing/skills')) {
				return { statusCode: 403, headers: {}, body: { message: 'Missing permission routing:skill:view', code: 'missing.permissions', status: 403 } };
			}
			return await original.call(this as ILoadOptionsFunctions, type, options);
		} as typeof original;
		const { fields } = await getUserFieldsWithPickers.call(ctx);
		expect(field(fields, 'skills').type).toBe('string');
		expect(field(fields, 'skills').displayName).toMatch(/^Skills/);
		expect(field(fields, 'queues').type).toBe('options');
	});
});
