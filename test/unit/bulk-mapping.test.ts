import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { matchField, normaliseKey } from '../../nodes/GenesysCloudBulkCreateUsers/input/fields';
import {
	applyDefaults,
	AutoMapper,
	mapCsvCells,
	mapCsvHeader,
	mapDefinedValues,
} from '../../nodes/GenesysCloudBulkCreateUsers/input/fields';
import { rowsFromCsv, rowsFromItems } from './bulk-input';
import type { InputRow, ValidRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

const fixture = (name: string): Buffer =>
	readFileSync(join(__dirname, '..', 'fixtures', 'csv', name));
// Phones written without a country code are read as US numbers (the Default Country Calling Code option).
const options = { roleDivisionId: '*', defaultCountryCode: '1' };

function valid(rows: InputRow[]): ValidRow[] {
	const invalid = rows.filter((row) => row.kind === 'invalid');
	expect(invalid).toEqual([]);
	return rows as ValidRow[];
}

function csvBodies(name: string): Array<ValidRow['create']> {
	return valid(
		rowsFromCsv([{ itemIndex: 0, binaryPropertyName: 'data', data: fixture(name) }], options),
	).map((row) => row.create);
}

describe('aliases', () => {
	it.each([
		['Email', 'email'],
		['E-Mail', 'email'],
		['email_address', 'email'],
		['Work Email', 'email'],
		['workEmail', 'email'],
		['work.email', 'email'],
		['full_name', 'name'],
		['displayName', 'name'],
		['first_name', 'firstName'],
		['Given Name', 'firstName'],
		['surname', 'lastName'],
		['family_name', 'lastName'],
		['job_title', 'title'],
		['Position', 'title'],
		['dept', 'department'],
		['phone', 'workPhone'],
		['work_phone', 'workPhone'],
		['cell', 'mobilePhone'],
		['Mobile Phone', 'mobilePhone'],
		['manager_email', 'manager'],
		['Supervisor', 'manager'],
		['employee_id', 'externalKey'],
		['employeeId', 'externalKey'],
		['worker_id', 'externalKey'],
		['Employee #', 'externalKey'],
		['division', 'divisionId'],
		['role', 'roles'],
		['queue_ids', 'queues'],
	])('%s -> %s', (input, field) => {
		expect(matchField(input)?.field).toBe(field);
	});

	it('ignores names that are not user fields', () => {
		expect(matchField('personal_email')).toBeUndefined();
		expect(matchField('notes')).toBeUndefined();
		expect(normaliseKey(' Work_E-mail.Address ')).toBe('workemailaddress');
	});
});

describe('mapping building blocks', () => {
	it('prefers the exact field name, then the better alias, and skips blank values', () => {
		const mapper = new AutoMapper();
		expect(mapper.map({ work_email: 'w@example.com', email: 'e@example.com' })).toEqual({
			email: 'e@example.com',
		});
		expect(mapper.map({ mail: 'm@example.com', email_address: 'a@example.com' })).toEqual({
			email: 'a@example.com',
		});
		expect(mapper.map({ email: '  ', work_email: 'w@example.com' })).toEqual({
			email: 'w@example.com',
		});
		expect(mapper.unmappedKeys({ email: 'x', notes: 'y' })).toEqual(['notes']);
	});

	it('maps a CSV header once and reads the first non-empty candidate column', () => {
		const map = mapCsvHeader(['Email', 'Notes', 'work_email', '', 'Name']);
		expect(map.unmapped).toEqual(['Notes']);
		// Two columns for one field: the file is refused (rows.ts); reported here with both columns.
		expect(map.repeated).toEqual([
			{ field: 'email', columns: [{ column: 0, name: 'Email' }, { column: 2, name: 'work_email' }] },
		]);
		expect(mapCsvCells(map, ['', 'n', 'w@example.com', 'x', 'W'])).toEqual({
			email: 'w@example.com',
			name: 'W',
		});
	});

	it('keeps only known field ids from define-below values', () => {
		expect(
			mapDefinedValues({ email: 'x@example.com', department: '', bogus: 'y', title: null }),
		).toEqual({
			email: 'x@example.com',
		});
	});

	it('applies defaults only to empty fields, and not a default name over a row with first/last name', () => {
		expect(
			applyDefaults(
				{ email: 'a@example.com', title: 'Agent' },
				{ title: 'Default', department: 'Ops' },
			),
		).toEqual({
			email: 'a@example.com',
			title: 'Agent',
			department: 'Ops',
		});
		expect(applyDefaults({ firstName: 'Ann' }, { name: 'Fallback' })).toEqual({ firstName: 'Ann' });
	});
});

describe('mapping matrix: items', () => {
	it('maps HRIS-style items to exact CreateUser bodies', () => {
		const rows = valid(
			rowsFromItems(
				[
					{
						Email: ' Jane.Doe@Example.com ',
						full_name: ' Jane Doe ',
						job_title: 'Agent',
						dept: 'Support',
						work_phone: '+1 555 0100',
						mobile: '+1 555 0101',
						status: 'ignored: not a user field',
					},
					{
						email_address: 'ann@example.com',
						first_name: 'Ann',
						last_name: 'Lee',
						State: 'Inactive',
					},
					{
						workEmail: 'bo@example.com',
						displayName: 'Bo',
						division: 'div-2',
						password: 'S3cret!pass',
					},
					{ email: 'cy@example.com', surname: 'Cy' },
					{ email: 'dee@example.com', name: 'Dee', firstName: 'Not', lastName: 'Used' },
				],
				{ mode: 'auto' },
				options,
			),
		);
		expect(rows.map((row) => row.create)).toEqual([
			{
				name: 'Jane Doe',
				email: 'Jane.Doe@Example.com',
				title: 'Agent',
				department: 'Support',
				addresses: [
					{ address: '+15550100', mediaType: 'PHONE', type: 'WORK' },
					{ address: '+15550101', mediaType: 'PHONE', type: 'MOBILE' },
				],
			},
			{ name: 'Ann Lee', email: 'ann@example.com', state: 'inactive' },
			{ name: 'Bo', email: 'bo@example.com', divisionId: 'div-2' },
			{ name: 'Cy', email: 'cy@example.com' },
			{ name: 'Dee', email: 'dee@example.com' },
		]);
		// The initial password is a follow-up, set after the create.
		expect(rows.map((row) => row.followUps.password)).toEqual([undefined, undefined, 'S3cret!pass', undefined, undefined]);
		expect(rows.map((row) => [row.row, row.itemIndex, row.index, row.email])).toEqual([
			[1, 0, 0, 'Jane.Doe@Example.com'],
			[2, 1, 1, 'ann@example.com'],
			[3, 2, 2, 'bo@example.com'],
			[4, 3, 3, 'cy@example.com'],
			[5, 4, 4, 'dee@example.com'],
		]);
	});

	it('maps follow-up fields: manager, external key, roles, skills and queues', () => {
		const [row] = valid(
			rowsFromItems(
				[
					{
						email: 'a@example.com',
						name: 'A',
						manager_email: 'Boss@Example.com',
						employee_id: 12345,
						roles: 'role-1, role-2:div-7;role-1',
						skills: ['skill-1:3', { id: 'skill-2', proficiency: 4.5 }, 'skill-1:3'],
						queues: ['queue-1', { id: 'queue-2' }, 'queue-1'],
					},
				],
				{ mode: 'auto' },
				{ roleDivisionId: 'home-div' },
			),
		);
		expect(row.create).toEqual({ name: 'A', email: 'a@example.com' });
		expect(row.followUps).toEqual({
			manager: 'Boss@Example.com',
			externalKey: '12345',
			roles: [
				{ roleId: 'role-1', divisionId: 'home-div' },
				{ roleId: 'role-2', divisionId: 'div-7' },
			],
			skills: [
				{ id: 'skill-1', proficiency: 3 },
				{ id: 'skill-2', proficiency: 4.5 },
			],
			queueIds: ['queue-1', 'queue-2'],
		});
	});

	it('uses the define-below values per item, ignoring the item JSON', () => {
		const values = [
			{
				name: 'From Mapper',
				email: 'mapped@example.com',
				title: 'Agent',
				state: 'active',
				workPhone: 5550100,
			},
			{ name: 'Second', email: 'second@example.com', department: '', roles: ['r-1'] },
		];
		const rows = valid(
			rowsFromItems(
				[{ email: 'ignored@example.com', name: 'Ignored' }, {}],
				{ mode: 'defined', valueAt: (itemIndex) => values[itemIndex] },
				options,
			),
		);
		expect(rows.map((row) => row.create)).toEqual([
			{
				name: 'From Mapper',
				email: 'mapped@example.com',
				title: 'Agent',
				state: 'active',
				addresses: [{ address: '+15550100', mediaType: 'PHONE', type: 'WORK' }],
			},
			{ name: 'Second', email: 'second@example.com' },
		]);
		expect(rows[1].followUps.roles).toEqual([{ roleId: 'r-1', divisionId: '*' }]);
	});
});

describe('mapping matrix: CSV', () => {
	it('comma delimiter, phones to addresses, state case folded', () => {
		expect(csvBodies('comma.csv')).toEqual([
			{
				name: 'Jane Doe',
				email: 'jane.doe@example.com',
				title: 'Agent',
				department: 'Support',
				state: 'active',
				addresses: [
					{ address: '+15550100', mediaType: 'PHONE', type: 'WORK' },
					{ address: '+15550101', mediaType: 'PHONE', type: 'MOBILE' },
				],
			},
			{
				name: 'John Smith',
				email: 'John.Smith@Example.com',
				title: 'Supervisor',
				department: 'Sales',
				state: 'inactive',
			},
		]);
	});

	it('BOM, semicolons, first + last name, non-ASCII text and a quoted semicolon', () => {
		expect(csvBodies('bom-semicolon.csv')).toEqual([
			{ name: 'Ana López', email: 'ana.lopez@example.com', department: 'Ventas', title: 'Agente' },
			{
				name: 'Bo Berg',
				email: 'bo.berg@example.com',
				department: 'Support',
				title: 'Team Lead; EMEA',
			},
		]);
	});

	it('tabs, with values trimmed', () => {
		expect(csvBodies('tab.csv')).toEqual([
			{
				name: 'Kim Lee',
				email: 'kim.lee@example.com',
				title: 'Agent',
				addresses: [{ address: '+442079460000', mediaType: 'PHONE', type: 'MOBILE' }],
			},
		]);
	});

	it('quoted commas, doubled quotes and line breaks inside values', () => {
		expect(csvBodies('quoted.csv')).toEqual([
			{
				name: 'One, Quoted',
				email: 'q.one@example.com',
				title: 'Agent, Tier 2',
				department: 'Support\r\nEMEA',
			},
			{
				name: 'Two "The Second" Quoted',
				email: 'q.two@example.com',
				title: 'Agent',
				department: 'Support',
			},
		]);
	});

	it('Workday report columns', () => {
		const [row] = valid(
			rowsFromCsv(
				[{ itemIndex: 0, binaryPropertyName: 'data', data: fixture('workday.csv') }],
				options,
			),
		);
		expect(row.create).toEqual({
			name: 'Ola Nordmann',
			email: 'ola.nordmann@example.com',
			title: 'Agent',
			divisionId: 'div-1',
		});
		expect(row.followUps).toEqual({
			manager: 'boss@example.com',
			externalKey: '10001',
			roles: [],
			skills: [],
			queueIds: [],
		});
	});

	it('BambooHR export columns', () => {
		const [row] = valid(
			rowsFromCsv(
				[{ itemIndex: 0, binaryPropertyName: 'data', data: fixture('bamboohr.csv') }],
				options,
			),
		);
		expect(row.create).toEqual({
			name: 'Sam Park',
			email: 'sam.park@example.com',
			title: 'Agent',
			department: 'Care',
			addresses: [
				{ address: '+15550100200', extension: '12', mediaType: 'PHONE', type: 'WORK' },
				{ address: '+15550100201', mediaType: 'PHONE', type: 'MOBILE' },
			],
		});
		expect(row.followUps.externalKey).toBe('42');
		expect(row.followUps.manager).toBe('lead@example.com');
	});

	it('define-below values are defaults for empty CSV cells; CSV columns still map', () => {
		const data = Buffer.from('email,name,department\na@example.com,A,\nb@example.com,B,Sales\n');
		const rows = valid(
			rowsFromCsv(
				[
					{
						itemIndex: 0,
						binaryPropertyName: 'data',
						data,
						defaults: mapDefinedValues({ department: 'Support', state: 'active', queues: 'q-1' }),
					},
				],
				options,
			),
		);
		expect(rows.map((row) => row.create)).toEqual([
			{ name: 'A', email: 'a@example.com', department: 'Support', state: 'active' },
			{ name: 'B', email: 'b@example.com', department: 'Sales', state: 'active' },
		]);
		expect(rows.map((row) => row.followUps.queueIds)).toEqual([['q-1'], ['q-1']]);
	});

	it('rows of several files keep their own row numbers and item', () => {
		const rows = valid(
			rowsFromCsv(
				[
					{ itemIndex: 0, binaryPropertyName: 'data', data: fixture('comma.csv') },
					{ itemIndex: 1, binaryPropertyName: 'file', data: fixture('tab.csv') },
				],
				options,
			),
		);
		expect(rows.map((row) => [row.index, row.itemIndex, row.row, row.email])).toEqual([
			[0, 0, 2, 'jane.doe@example.com'],
			[1, 0, 3, 'John.Smith@Example.com'],
			[2, 1, 2, 'kim.lee@example.com'],
		]);
	});
});
