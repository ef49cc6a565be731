import {
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeProperties,
} from 'n8n-workflow';

import { bulkCreateUsersProperties } from '../../nodes/GenesysCloudBulkCreateUsers/description';
import { getUserFields } from '../../nodes/GenesysCloudBulkCreateUsers/methods/resourceMapping';
import { matchField, USER_FIELD_IDS } from '../../nodes/GenesysCloudBulkCreateUsers/input/fields';
import {
	parseSettings,
	readSettings,
	RECONCILE_WINDOW_SECONDS,
	type RawSettings,
} from '../../nodes/GenesysCloudBulkCreateUsers/input/settings';

const node: INode = {
	id: 'node-1',
	name: 'Create Users',
	type: 'n8n-nodes-genesys-cloud.genesysCloudBulkCreateUsers',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const raw = (overrides: Partial<RawSettings> = {}): RawSettings => ({
	inputSource: 'items',
	onExisting: 'skip',
	restoreDeleted: false,
	dryRun: false,
	options: {},
	...overrides,
});

function settingError(input: RawSettings): NodeOperationError {
	try {
		parseSettings(input, node);
	} catch (error) {
		if (error instanceof NodeOperationError) return error;
		throw error;
	}
	throw new Error('expected a NodeOperationError');
}

describe('settings', () => {
	it('applies the documented defaults', () => {
		expect(parseSettings(raw(), node)).toEqual({
			inputSource: 'items',
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
		});
	});

	it('reads every option', () => {
		const settings = parseSettings(
			raw({
				inputSource: 'csv',
				onExisting: 'update',
				restoreDeleted: true,
				dryRun: true,
				rateLimitWindowSeconds: '1.5',
				options: {
					concurrency: 20,
					requestsPerMinute: '600',
					includeSummary: true,
					reconcileWindowSeconds: '240',
					sendInvite: true,
					resendInvite: true,
					newUserState: 'inactive',
					defaultCountryCode: '+44',
					externalIdAuthority: ' Workday ',
					roleDivisionId: 'div-1',
				},
			}),
			node,
		);
		expect(settings).toEqual({
			inputSource: 'csv',
			onExisting: 'update',
			restoreDeleted: true,
			dryRun: true,
			concurrency: 20,
			requestsPerMinute: 600,
			rateLimitWindowSeconds: 1.5,
			includeSummary: true,
			reconcileWindowSeconds: 240,
			sendInvite: true,
			resendInvite: true,
			newUserState: 'inactive',
			defaultCountryCode: '44',
			externalIdAuthority: 'Workday',
			roleDivisionId: 'div-1',
		});
	});

	it.each([
		[
			{ options: { concurrency: 0 } },
			/^Concurrency: must be a whole number from 1 to 20 \(got 0\)$/,
		],
		[{ options: { concurrency: 21 } }, /^Concurrency: .*got 21/],
		[{ options: { concurrency: 2.5 } }, /^Concurrency: /],
		[
			{ options: { requestsPerMinute: 0 } },
			/^Requests per Minute: must be a whole number from 1 to 3000/,
		],
		[{ options: { requestsPerMinute: 'fast' } }, /^Requests per Minute: .*"fast"/],
		[{ rateLimitWindowSeconds: 0 }, /^Rate Limit Window \(Seconds\): must be a number from 0.001 to 3600 \(got 0\)$/],
		[{ rateLimitWindowSeconds: 'soon' }, /^Rate Limit Window \(Seconds\): .*"soon"/],
		[{ onExisting: 'merge' }, /^If User Exists: must be one of "skip", "update", "fail"/],
		[{ inputSource: 'xlsx' }, /^Input Source: /],
		[{ dryRun: 'yes' }, /^Dry Run: must be true or false/],
		[
			{ options: { roleDivisionId: 'Home Division' } },
			/^Default Role Division: must be a division ID or \*/,
		],
		[{ options: { externalIdAuthority: 5 } }, /^External ID Authority: must be text/],
		[{ options: { newUserState: 'deleted' } }, /^New User State: must be one of "active", "inactive"/],
		[{ options: { reconcileWindowSeconds: 1000 } }, /^Reconcile Window \(Seconds\): must be a whole number from 0 to 900/],
		[{ options: { defaultCountryCode: 'UK' } }, /^Default Country Calling Code: must be a country calling code/],
		[{ options: { defaultCountryCode: '0044' } }, /^Default Country Calling Code: /],
	])('%j is refused with the parameter named', (overrides, message) => {
		const error = settingError(raw(overrides as Partial<RawSettings>));
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
	});

	it('readSettings reads the parameters from the first item', () => {
		const requested: Array<[string, number]> = [];
		const parameters: Record<string, unknown> = { inputSource: 'csv', options: { concurrency: 3 } };
		const ctx = {
			getNode: () => node,
			getNodeParameter: (name: string, itemIndex: number, fallback: unknown) => {
				requested.push([name, itemIndex]);
				return parameters[name] ?? fallback;
			},
		} as unknown as IExecuteFunctions;
		expect(readSettings(ctx)).toMatchObject({
			inputSource: 'csv',
			concurrency: 3,
			onExisting: 'skip',
		});
		expect(requested.every(([, itemIndex]) => itemIndex === 0)).toBe(true);
	});
});

describe('node properties (public contract)', () => {
	const byName = (name: string): INodeProperties[] =>
		bulkCreateUsersProperties.filter((p) => p.name === name);

	it('shows the auto-map rule in a notice per input source, naming HRIS names the matcher really knows', () => {
		const notices = bulkCreateUsersProperties.filter((p) => p.type === 'notice');
		const bySource = new Map(notices.map((notice) => [notice.displayOptions?.show?.inputSource?.[0], notice.displayName]));
		expect([...bySource.keys()].sort()).toEqual(['csv', 'items']);
		for (const text of bySource.values()) {
			const names = /\(([^)]*) and more\)/.exec(text)?.[1].split(', ') ?? [];
			expect(names).toContain('work_email');
			for (const name of names.flatMap((entry) => entry.split(' + '))) {
				expect([name, matchField(name)?.field]).toEqual([name, expect.any(String)]);
			}
		}
		// Each notice sits before the mapper it explains.
		for (const source of ['items', 'csv']) {
			const at = (type: string) =>
				bulkCreateUsersProperties.findIndex((p) => p.type === type && p.displayOptions?.show?.inputSource?.[0] === source);
			expect(at('notice')).toBeLessThan(at('resourceMapper'));
		}
	});

	it('declares the parameters of the issue with their defaults', () => {
		expect(byName('inputSource')[0]).toMatchObject({ type: 'options', default: 'items' });
		expect(
			byName('inputSource')[0]
				.options?.map((option) => (option as { value: string }).value)
				.sort(),
		).toEqual(['csv', 'items']);
		expect(byName('binaryPropertyName')[0]).toMatchObject({
			default: 'data',
			displayOptions: { show: { inputSource: ['csv'] } },
		});
		expect(byName('onExisting')[0]).toMatchObject({ default: 'skip' });
		expect(
			byName('onExisting')[0]
				.options?.map((option) => (option as { value: string }).value)
				.sort(),
		).toEqual(['fail', 'skip', 'update']);
		expect(byName('restoreDeleted')[0]).toMatchObject({ type: 'boolean', default: false });
		expect(byName('dryRun')[0]).toMatchObject({ type: 'boolean', default: false });
		// Not shown to users: the rate window, shortened only to compress time against the emulator.
		expect(byName('rateLimitWindowSeconds')[0]).toMatchObject({ type: 'hidden', default: 60 });
		const options = byName('options')[0].options as INodeProperties[];
		expect(Object.fromEntries(options.map((option) => [option.name, option.default]))).toEqual({
			concurrency: 5,
			roleDivisionId: '',
			defaultCountryCode: '',
			externalIdAuthority: '',
			includeSummary: false,
			reconcileWindowSeconds: 180,
			requestsPerMinute: 300,
			sendInvite: false,
			resendInvite: false,
			newUserState: 'active',
			tokenPoolSize: 1,
		});
		// The literal in the description is the checked default.
		expect(options.find((option) => option.name === 'reconcileWindowSeconds')?.default).toBe(
			RECONCILE_WINDOW_SECONDS.default,
		);
	});

	it('has a resourceMapper for each input source, using getUserFieldsWithPickers in add mode', () => {
		const fields = byName('fields');
		expect(fields.map((field) => field.displayOptions?.show?.inputSource)).toEqual([
			['items'],
			['csv'],
		]);
		for (const field of fields) {
			expect(field.type).toBe('resourceMapper');
			expect(field.typeOptions?.resourceMapper).toMatchObject({
				resourceMapperMethod: 'getUserFieldsWithPickers',
				mode: 'add',
			});
		}
		expect(fields[1].hint).toMatch(/defaults/);
	});

	it('getUserFields offers every mapped field with a short label; Name and Email required for items, not for CSV defaults', async () => {
		const source = (inputSource: string) =>
			({ getCurrentNodeParameter: (name: string) => (name === 'inputSource' ? inputSource : undefined) }) as unknown as ILoadOptionsFunctions;
		const { fields } = await getUserFields.call(source('items'));
		expect(fields.map((field) => field.id)).toEqual([...USER_FIELD_IDS]);
		expect(fields.every((field) => field.display)).toBe(true);
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['name', 'email']);
		// Labels fit the mapper's label column: formats live in the mapper's description.
		expect(fields.filter((field) => field.displayName.length > 16)).toEqual([]);
		const csv = await getUserFields.call(source('csv'));
		expect(csv.fields.filter((field) => field.required)).toEqual([]);
		expect(
			fields.find((field) => field.id === 'state')?.options?.map((option) => option.value),
		).toEqual(['active', 'inactive']);
	});
});
