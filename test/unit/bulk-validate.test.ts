import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { rowsFromCsv, rowsFromItems } from './bulk-input';
import { CreateUserSchema, UpdateUserSchema } from '../../nodes/GenesysCloudBulkCreateUsers/input/schema';
import type { FieldError } from '../../nodes/GenesysCloud/resultError';
import type { InputRow, InvalidRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';
import { validateRecord } from '../../nodes/GenesysCloudBulkCreateUsers/input/validate';

const fixture = (name: string): Buffer =>
	readFileSync(join(__dirname, '..', 'fixtures', 'csv', name));
const options = { roleDivisionId: '*' };

/** row -> [field, message pattern][] for invalid rows, 'valid' for valid ones. */
function outcome(rows: InputRow[]): Record<number, 'valid' | FieldError[]> {
	return Object.fromEntries(
		rows.map((row) => [row.row, row.kind === 'valid' ? 'valid' : row.errors]),
	);
}

function errorsOf(rows: InputRow[], row: number): FieldError[] {
	const found = rows.find((entry) => entry.row === row);
	if (!found || found.kind !== 'invalid') throw new Error(`row ${row} is not invalid`);
	return found.errors;
}

function itemErrors(item: Record<string, unknown>): FieldError[] {
	const [row] = rowsFromItems([item], { mode: 'auto' }, options);
	return row.kind === 'invalid' ? row.errors : [];
}

describe('bad input corpus (CSV)', () => {
	const rows = rowsFromCsv(
		[{ itemIndex: 0, binaryPropertyName: 'data', data: fixture('bad-rows.csv') }],
		options,
	);

	it('gives one row per record, in order, with the spreadsheet row numbers', () => {
		expect(rows.map((row) => row.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(rows.map((row) => row.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('keeps the valid rows around the bad ones valid', () => {
		const result = outcome(rows);
		expect([result[2], result[9], result[12]]).toEqual(['valid', 'valid', 'valid']);
		const good2 = rows.find((row) => row.row === 9);
		expect(good2).toMatchObject({
			kind: 'valid',
			followUps: {
				skills: [
					{ id: 'sk1', proficiency: 3 },
					{ id: 'sk2', proficiency: 4.5 },
				],
				roles: [
					{ roleId: 'r1', divisionId: '*' },
					{ roleId: 'r2', divisionId: 'div-9' },
				],
				queueIds: ['q1', 'q2'],
			},
		});
	});

	it.each([
		[3, 'email', /^Email is required$/],
		[4, 'email', /^Email is not a valid email address \(got 'bad-email'\)$/],
		[5, 'name', /^Name is required/],
		[6, 'state', /^State must be one of: active, inactive \(got 'deleted'\)$/],
		[7, 'skills[0]', /^Skill 'sk1': proficiency 'high' is not a number$/],
		[8, 'skills[0]', /^Skill 'sk1': proficiency must be between 0 and 5 \(got 7\)$/],
		[10, 'mobilePhone', /^Mobile phone 'call me' is not a phone number$/],
	])('row %i: %s %s', (row, field, message) => {
		const errors = errorsOf(rows, row);
		expect(errors).toHaveLength(1);
		expect(errors[0].field).toBe(field);
		expect(errors[0].message).toMatch(message);
	});

	it('reports every problem of a row, each with its field', () => {
		const errors = errorsOf(rows, 11);
		expect(errors.map((error) => error.field).sort()).toEqual(['email', 'name', 'skills[0]']);
		expect(errors.find((error) => error.field === 'skills[0]')?.message).toMatch(
			/proficiency is missing/,
		);
	});

	it('keeps the email of an invalid row for the output', () => {
		expect(rows.find((row) => row.row === 6)).toMatchObject({
			kind: 'invalid',
			email: 'state@example.com',
		});
		expect((rows.find((row) => row.row === 3) as InvalidRow).email).toBeUndefined();
	});
});

describe('bad input corpus (items)', () => {
	it.each([
		[
			'a number as name',
			{ email: 'a@example.com', name: 42 },
			'name',
			/^Name must be text, not a number$/,
		],
		[
			'an object as email',
			{ email: { value: 'a@example.com' }, name: 'A' },
			'email',
			/^Email must be text, not an object$/,
		],
		[
			'a list as title',
			{ email: 'a@example.com', name: 'A', title: ['x'] },
			'title',
			/must be text, not a list/,
		],
		[
			'a boolean as department',
			{ email: 'a@example.com', name: 'A', dept: true },
			'department',
			/not true\/false/,
		],
		[
			'a fraction as phone',
			{ email: 'a@example.com', name: 'A', phone: 1.5 },
			'workPhone',
			/text or a whole number/,
		],
		[
			'an object as roles',
			{ email: 'a@example.com', name: 'A', roles: { id: 'r' } },
			'roles',
			/comma-separated\) or a list/,
		],
		[
			'a number as a role',
			{ email: 'a@example.com', name: 'A', roles: [7] },
			'roles[0]',
			/not a number/,
		],
		[
			'a role name',
			{ email: 'a@example.com', name: 'A', roles: 'Master Admin' },
			'roles[0]',
			/not an id/,
		],
		[
			'role with two colons',
			{ email: 'a@example.com', name: 'A', roles: 'r:d:x' },
			'roles[0]',
			/roleId:divisionId/,
		],
		[
			'a skill without proficiency',
			{ email: 'a@example.com', name: 'A', skills: 'sk' },
			'skills[0]',
			/proficiency is missing/,
		],
		[
			'a negative proficiency',
			{ email: 'a@example.com', name: 'A', skills: [{ id: 'sk', proficiency: -1 }] },
			'skills[0]',
			/between 0 and 5/,
		],
		[
			'a text proficiency object',
			{ email: 'a@example.com', name: 'A', skills: [{ id: 'sk', proficiency: 'x' }] },
			'skills[0]',
			/'x' is not a number/,
		],
		[
			'a skill twice',
			{ email: 'a@example.com', name: 'A', skills: 'sk:1,sk:2' },
			'skills[1]',
			/listed twice/,
		],
		[
			'a queue without id',
			{ email: 'a@example.com', name: 'A', queues: [{ name: 'Q' }] },
			'queues[0]',
			/Queue id is missing/,
		],
		[
			'a bad manager email',
			{ email: 'a@example.com', name: 'A', manager: 'boss@' },
			'manager',
			/not a valid email address or user id/,
		],
		[
			'oneself as manager',
			{ email: 'a@example.com', name: 'A', manager: 'A@example.com' },
			'manager',
			/themself/,
		],
		[
			'a division name',
			{ email: 'a@example.com', name: 'A', division: 'Home Division' },
			'divisionId',
			/not an id/,
		],
		['spaces in the email', { email: 'a b@example.com', name: 'A' }, 'email', /not a valid email/],
	])('%s', (_label, item, field, message) => {
		const errors = itemErrors(item);
		expect(errors).toEqual([{ field, message: expect.stringMatching(message) }]);
	});

	it('an empty item, and an item with no user field, are invalid rows that say why', () => {
		const rows = rowsFromItems(
			[
				{},
				{ email: '  ', name: null },
				{ foo: 1, bar: 'x' },
				{ email: 'ok@example.com', name: 'Ok' },
			],
			{ mode: 'auto' },
			options,
		);
		expect(rows.map((row) => row.kind)).toEqual(['invalid', 'invalid', 'invalid', 'valid']);
		expect(errorsOf(rows, 1)).toEqual([
			{ field: 'row', message: expect.stringMatching(/^Empty row/) },
		]);
		expect(errorsOf(rows, 2)).toEqual([
			{ field: 'row', message: expect.stringMatching(/^Empty row/) },
		]);
		expect(errorsOf(rows, 3)).toEqual([
			{
				field: 'row',
				message: expect.stringMatching(/No user field in this item \(its fields: foo, bar\)/),
			},
		]);
	});

	it('never echoes a password in a message', () => {
		const secret = 'Hunter2-secret';
		const errors = itemErrors({ email: 'bad', name: 42, password: secret, state: 'x' });
		expect(errors.length).toBeGreaterThan(1);
		expect(JSON.stringify(errors)).not.toContain(secret);
	});
});

describe('duplicates in the input', () => {
	it('marks the second and later occurrences (case-insensitive), naming the first row', () => {
		const rows = rowsFromItems(
			[
				{ email: 'Dup@Example.com', name: 'First' },
				{ email: 'other@example.com', name: 'Other' },
				{ email: ' dup@example.com ', name: 'Second' },
				{ email: 'DUP@EXAMPLE.COM', name: 'Third', state: 'bogus' },
			],
			{ mode: 'auto' },
			options,
		);
		expect(rows.map((row) => row.kind)).toEqual(['valid', 'valid', 'invalid', 'invalid']);
		expect(rows[0]).toMatchObject({
			email: 'Dup@Example.com',
			create: { email: 'Dup@Example.com' },
		});
		expect(errorsOf(rows, 3)).toEqual([
			{
				field: 'email',
				message: expect.stringMatching(/^Email 'dup@example.com' repeats row 1 \(/),
			},
		]);
		const third = errorsOf(rows, 4);
		expect(third.map((error) => error.field)).toEqual(['state', 'email']);
		expect(third[1].message).toMatch(/repeats row 1/);
	});

	it('an invalid first occurrence still claims the email', () => {
		const rows = rowsFromItems(
			[
				{ email: 'x@example.com', name: 'X', state: 'bogus' },
				{ email: 'x@example.com', name: 'X' },
			],
			{ mode: 'auto' },
			options,
		);
		expect(rows.map((row) => row.kind)).toEqual(['invalid', 'invalid']);
		expect(errorsOf(rows, 2)[0].message).toMatch(/repeats row 1/);
	});

	it('across CSV files, names the file item of the first row', () => {
		const file = (itemIndex: number, text: string) => ({
			itemIndex,
			binaryPropertyName: 'data',
			data: Buffer.from(text),
		});
		const rows = rowsFromCsv(
			[
				file(0, 'email,name\na@example.com,A\nb@example.com,B\n'),
				file(1, 'email,name\nc@example.com,C\nA@example.com,A again\nC@example.com,C again\n'),
			],
			options,
		);
		expect(rows.map((row) => `${row.itemIndex}:${row.row}:${row.kind}`)).toEqual([
			'0:2:valid',
			'0:3:valid',
			'1:2:valid',
			'1:3:invalid',
			'1:4:invalid',
		]);
		expect(errorsOf(rows.slice(3, 4), 3)[0].message).toMatch(
			/repeats row 2 of the CSV file in item 0/,
		);
		expect(errorsOf(rows.slice(4), 4)[0].message).toMatch(/repeats row 2 \(/);
	});
});

describe('malformed CSV rows', () => {
	it('become invalid rows naming the problem; the good rows stay valid', () => {
		const rows = rowsFromCsv(
			[{ itemIndex: 0, binaryPropertyName: 'data', data: fixture('malformed.csv') }],
			options,
		);
		expect(rows.map((row) => [row.row, row.kind])).toEqual([
			[2, 'valid'],
			[3, 'invalid'],
			[4, 'invalid'],
			[5, 'invalid'],
			[6, 'valid'],
			[7, 'invalid'],
			[8, 'valid'],
		]);
		expect(errorsOf(rows, 3)).toEqual([
			{ field: 'row', message: 'Malformed CSV row: it has 4 values but the header has 3 columns' },
		]);
		expect(errorsOf(rows, 7)[0].message).toMatch(
			/^Malformed CSV row: a quoted value .* never closed/,
		);
	});

	it('a file without any user column, or that is not a CSV, is an error naming the item and field', () => {
		expect(() =>
			rowsFromCsv(
				[{ itemIndex: 2, binaryPropertyName: 'upload', data: Buffer.from('foo,bar\n1,2\n') }],
				options,
			),
		).toThrow(
			/^The file in binary field "upload" of item 2 has no column for a user field \(columns found: foo, bar\)$/,
		);
		expect(() =>
			rowsFromCsv(
				[{ itemIndex: 1, binaryPropertyName: 'data', data: Buffer.from([0x50, 0x4b, 3, 4, 0, 0]) }],
				options,
			),
		).toThrow(
			/^The file in binary field "data" of item 1 is not a CSV file: it looks like an Excel workbook/,
		);
	});
});

describe('list cells repeated on many rows', () => {
	const text =
		'email,name,roles,skills\n' +
		'a@example.com,A,"r1,r2",sk:9\n' +
		'b@example.com,B,"r1,r2",sk:9\n';
	const rows = rowsFromCsv(
		[{ itemIndex: 0, binaryPropertyName: 'data', data: Buffer.from(text) }],
		options,
	);

	it('report the same problem on every row that has it', () => {
		expect(rows.map((row) => (row.kind === 'invalid' ? row.errors : []))).toEqual([
			[{ field: 'skills[0]', message: expect.stringMatching(/between 0 and 5 \(got 9\)/) }],
			[{ field: 'skills[0]', message: expect.stringMatching(/between 0 and 5 \(got 9\)/) }],
		]);
	});

	it('share one frozen parsed list', () => {
		const good = rowsFromCsv(
			[
				{
					itemIndex: 0,
					binaryPropertyName: 'data',
					data: Buffer.from('email,name,roles\na@x.io,A,r1\nb@x.io,B,r1\n'),
				},
			],
			options,
		);
		const [first, second] = good.map((row) =>
			row.kind === 'valid' ? row.followUps.roles : undefined,
		);
		expect(first).toEqual([{ roleId: 'r1', divisionId: '*' }]);
		expect(second).toBe(first);
		expect(Object.isFrozen(first)).toBe(true);
		expect(Object.isFrozen(first?.[0])).toBe(true);
	});
});

describe('schemas', () => {
	it('CreateUser is strict and refuses the deleted state', () => {
		expect(
			CreateUserSchema.safeParse({ name: 'A', email: 'a@example.com', manager: 'x' }).success,
		).toBe(false);
		expect(
			CreateUserSchema.safeParse({ name: 'A', email: 'a@example.com', state: 'deleted' }).success,
		).toBe(false);
		expect(
			CreateUserSchema.safeParse({
				name: 'A',
				email: 'a@example.com',
				addresses: [{ address: '1', mediaType: 'PHONE', type: 'CAR' }],
			}).success,
		).toBe(false);
	});

	it('UpdateUser needs a version and a state change alone', () => {
		expect(UpdateUserSchema.safeParse({ manager: 'id-1' }).success).toBe(false);
		expect(UpdateUserSchema.safeParse({ manager: 'id-1', version: 3 }).success).toBe(true);
		expect(UpdateUserSchema.safeParse({ state: 'active', version: 3 }).success).toBe(true);
		expect(UpdateUserSchema.safeParse({ state: 'active', title: 'x', version: 3 }).success).toBe(
			false,
		);
	});

	it('validateRecord builds bodies that pass CreateUser', () => {
		const check = validateRecord(
			{ email: ' a@example.com ', firstName: 'A', mobilePhone: '+1 555 0100' },
			options,
		);
		expect(check.ok).toBe(true);
		if (check.ok) expect(CreateUserSchema.parse(check.create)).toEqual(check.create);
	});
});
