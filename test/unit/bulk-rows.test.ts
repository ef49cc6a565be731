import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type ResourceMapperValue,
} from 'n8n-workflow';

import { collectRows } from '../../nodes/GenesysCloudBulkCreateUsers/input/rows';
import type { BulkCreateSettings, ValidRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

const fixture = (name: string): Buffer =>
	readFileSync(join(__dirname, '..', 'fixtures', 'csv', name));

const node: INode = {
	id: 'node-1',
	name: 'Create Users',
	type: 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

type Parameter = unknown | ((itemIndex: number) => unknown);

/** Just what collectRows uses of IExecuteFunctions; parameters may vary per item. */
function fakeContext(
	items: INodeExecutionData[],
	parameters: Record<string, Parameter>,
): IExecuteFunctions {
	const bufferReads: Array<[number, string]> = [];
	const context = {
		bufferReads,
		getInputData: () => items,
		getNode: () => node,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameters[name];
			if (value === undefined) return fallback;
			return typeof value === 'function' ? (value as (index: number) => unknown)(itemIndex) : value;
		},
		helpers: {
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				bufferReads.push([itemIndex, property]);
				const binary = items[itemIndex].binary?.[property];
				if (!binary) throw new Error('no binary');
				return Buffer.from(binary.data, 'base64');
			},
		},
	};
	return context as unknown as IExecuteFunctions;
}

function csvItem(data: Buffer, property = 'data'): INodeExecutionData {
	return {
		json: {},
		binary: {
			[property]: { data: data.toString('base64'), mimeType: 'text/csv', fileName: 'users.csv' },
		},
	};
}

function mapper(mappingMode: string, value: Record<string, unknown> | null): ResourceMapperValue {
	return {
		mappingMode,
		value: value as ResourceMapperValue['value'],
		matchingColumns: [],
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

const settings = (inputSource: 'items' | 'csv'): BulkCreateSettings => ({
	inputSource,
	onExisting: 'skip',
	restoreDeleted: false,
	dryRun: false,
	concurrency: 5,
	requestsPerMinute: 300,
	rateLimitWindowSeconds: 60,
	includeSummary: false,
	reconcileWindowSeconds: 180,
	sendInvite: false,
	resendInvite: false,
	newUserState: 'active',
	roleDivisionId: '*',
});

describe('collectRows: items', () => {
	it('auto-maps each item into one row (no fields parameter means automatic mapping)', async () => {
		const ctx = fakeContext(
			[{ json: { Email: 'a@example.com', 'Full Name': 'A' } }, { json: { email: 'broken' } }],
			{},
		);
		const rows = await collectRows(ctx, settings('items'));
		expect(rows.map((row) => [row.kind, row.row, row.itemIndex])).toEqual([
			['valid', 1, 0],
			['invalid', 2, 1],
		]);
		expect((rows[0] as ValidRow).create).toEqual({ name: 'A', email: 'a@example.com' });
	});

	it('reads define-below values per item (n8n has resolved the expressions)', async () => {
		const items = [
			{ json: { mail: 'x@example.com', who: 'X' } },
			{ json: { mail: 'y@example.com', who: 'Y' } },
		];
		const ctx = fakeContext(items, {
			fields: (itemIndex: number) =>
				mapper('defineBelow', {
					email: items[itemIndex].json.mail,
					name: items[itemIndex].json.who,
					title: 42,
				}),
		});
		const rows = await collectRows(ctx, settings('items'));
		// A number where text is due makes its own row invalid instead of stopping the node.
		expect(
			rows.map((row) =>
				row.kind === 'invalid' ? row.errors.map((error) => error.field) : row.kind,
			),
		).toEqual([['title'], ['title']]);
		expect(rows.map((row) => row.email)).toEqual(['x@example.com', 'y@example.com']);
	});

	it('returns nothing for no input', async () => {
		expect(await collectRows(fakeContext([], {}), settings('items'))).toEqual([]);
	});
});

describe('collectRows: CSV', () => {
	it('reads the named binary field of every item, rows in file order', async () => {
		const items = [
			csvItem(fixture('comma.csv'), 'upload'),
			csvItem(fixture('bom-semicolon.csv'), 'upload'),
		];
		const ctx = fakeContext(items, { binaryPropertyName: ' upload ' });
		const rows = await collectRows(ctx, settings('csv'));
		expect(rows.map((row) => [row.index, row.itemIndex, row.row, row.kind])).toEqual([
			[0, 0, 2, 'valid'],
			[1, 0, 3, 'valid'],
			[2, 1, 2, 'valid'],
			[3, 1, 3, 'valid'],
		]);
		expect((ctx as unknown as { bufferReads: unknown[] }).bufferReads).toEqual([
			[0, 'upload'],
			[1, 'upload'],
		]);
	});

	it('define-below values are per-file defaults, read at the file item', async () => {
		const items = [
			csvItem(Buffer.from('email,name,title\na@example.com,A,\nb@example.com,B,Lead\n')),
			csvItem(Buffer.from('email,name\nc@example.com,C\n')),
		];
		const ctx = fakeContext(items, {
			fields: (itemIndex: number) =>
				mapper('defineBelow', { title: `Default ${itemIndex}`, email: '' }),
		});
		const rows = (await collectRows(ctx, settings('csv'))) as ValidRow[];
		expect(rows.map((row) => row.create)).toEqual([
			{ name: 'A', email: 'a@example.com', title: 'Default 0' },
			{ name: 'B', email: 'b@example.com', title: 'Lead' },
			{ name: 'C', email: 'c@example.com', title: 'Default 1' },
		]);
	});

	it('a missing binary field is a NodeOperationError naming the item and the fields it has', async () => {
		const ctx = fakeContext(
			[csvItem(fixture('comma.csv')), csvItem(fixture('comma.csv'), 'file')],
			{},
		);
		const error = await collectRows(ctx, settings('csv')).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('Item 1 has no binary field "data"');
		expect((error as NodeOperationError).description).toMatch(/Its binary fields are: file/);
	});

	it('a file that is not CSV is a NodeOperationError naming the item', async () => {
		const ctx = fakeContext([csvItem(Buffer.from('%PDF-1.4 ...'))], {});
		const error = await collectRows(ctx, settings('csv')).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(
			/^The file in binary field "data" of item 0 is not a CSV file/,
		);
	});
});
