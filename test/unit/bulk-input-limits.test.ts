/**
 * Bad input of the kind an export gone wrong produces: values of megabytes, two columns for one field, UTF-16
 * without its BOM. Each becomes a clear error naming the row and the field, quoting little of the input, and
 * reading it costs no more memory than the file itself.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { CsvFileError, detectUtf16, openCsv, type CsvRecord } from '../../nodes/GenesysCloudBulkCreateUsers/input/csv';
import { findRecordEnd } from '../../nodes/GenesysCloudBulkCreateUsers/input/csvRecordEnd';
import {
	clip,
	MAX_CSV_RECORD_CHARS,
	MAX_QUOTED_CHARS,
	MAX_VALUE_CHARS,
	valueLength,
} from '../../nodes/GenesysCloudBulkCreateUsers/input/limits';
import { addCsvFile, addItems, RowCollector } from '../../nodes/GenesysCloudBulkCreateUsers/input/rows';
import { validateRecord } from '../../nodes/GenesysCloudBulkCreateUsers/input/validate';
import type { InputRow, InvalidRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';
import { TS_NODE_ARGS } from '../support/tsNode';

const run = promisify(execFile);
const MB = 1024 * 1024;
const OPTIONS = { roleDivisionId: '*' };

function collect(rows: Array<Record<string, unknown>>): InputRow[] {
	const collector = new RowCollector({ ...OPTIONS, inputSource: 'items' });
	addItems(collector, rows, { mode: 'auto' });
	return collector.finish();
}

function csvRows(csv: Buffer | string): InputRow[] {
	const collector = new RowCollector({ ...OPTIONS, inputSource: 'csv' });
	const data = typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv;
	const problem = addCsvFile(collector, { itemIndex: 0, binaryPropertyName: 'data', data });
	if (problem) throw new Error(problem.message);
	return collector.finish();
}

function invalid(row: InputRow): InvalidRow {
	if (row.kind !== 'invalid') throw new Error(`row ${row.row} is valid`);
	return row;
}

function records(data: Buffer): CsvRecord[] {
	const document = openCsv(data);
	if (document instanceof CsvFileError) throw new Error(document.message);
	return [...document.records()];
}

/** No message may carry a run of input longer than MAX_QUOTED_CHARS (+ the ellipsis). */
function expectShortQuotes(messages: readonly string[], filler: string): void {
	for (const message of messages) {
		expect(message).not.toContain(filler.repeat(MAX_QUOTED_CHARS + 1));
		expect(message.length).toBeLessThan(600);
	}
}

describe('limits helpers', () => {
	it('clip keeps short text and cuts long text at 200 characters with an ellipsis', () => {
		expect(clip('short')).toBe('short');
		expect(clip('y'.repeat(500))).toBe(`${'y'.repeat(200)}…`);
	});

	it('valueLength counts text in strings, numbers, lists and objects, and stops past the limit', () => {
		expect(valueLength('abc', 10)).toBe(3);
		expect(valueLength(12345, 10)).toBe(5);
		expect(valueLength(['ab', { id: 'cd' }], 100)).toBe(6);
		expect(valueLength('z'.repeat(5 * MB), 1000)).toBe(1001);
		expect(valueLength(new Array(1_000_000).fill(null), 1000)).toBe(1001);
		// Deep nesting does not overflow the stack.
		let deep: unknown = 'leaf';
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(valueLength(deep, 10)).toBe(4);
	});
});

describe('values of megabytes', () => {
	it('an item field of 5 MB is an invalid row naming the field, without the value in its message', () => {
		const rows = collect([
			{ name: 'Big Title', email: 'big@example.com', title: 'T'.repeat(5 * MB) },
			{ name: 'Fine', email: 'fine@example.com', title: 'Agent' },
		]);
		const row = invalid(rows[0]);
		expect(row.errors.map((error) => error.field)).toEqual(['title']);
		expect(row.errors[0].message).toMatch(/^Title is 5,242,880 characters long; a value may hold at most 64,000/);
		expectShortQuotes(row.errors.map((error) => error.message), 'T');
		expect(rows[1].kind).toBe('valid');
	});

	it('every oversized field is named; a list of megabytes too; values at the cap are accepted', () => {
		const rows = collect([
			{
				name: 'N'.repeat(MAX_VALUE_CHARS + 1),
				email: 'lists@example.com',
				roles: Array.from({ length: 100_000 }, (_, i) => `role-${i}`),
				department: 'D'.repeat(MAX_VALUE_CHARS),
			},
		]);
		const row = invalid(rows[0]);
		expect(row.errors.map((error) => error.field).sort()).toEqual(['name', 'roles']);
		expect(row.errors.find((error) => error.field === 'roles')?.message).toMatch(/^Roles is over the limit in size/);
	});

	it('an oversized email is reported once, not again as missing', () => {
		const row = invalid(collect([{ name: 'E', email: `${'e'.repeat(MAX_VALUE_CHARS)}@example.com` }])[0]);
		expect(row.errors).toHaveLength(1);
		expect(row.errors[0].field).toBe('email');
		expect(row.email).toBeUndefined();
	});

	it('a body over the 512,000 bytes Genesys accepts is invalid, naming its longest value', () => {
		// Each value is under the character cap, but three bytes per character in UTF-8.
		const check = validateRecord(
			{
				name: '€'.repeat(60_000),
				email: 'wide@example.com',
				title: '€'.repeat(60_000),
				department: '€'.repeat(63_000),
			},
			OPTIONS,
		);
		expect(check.ok).toBe(false);
		if (check.ok) return;
		expect(check.errors).toHaveLength(1);
		expect(check.errors[0].field).toBe('department');
		expect(check.errors[0].message).toMatch(/sent as 549,\d{3} bytes.*at most 512,000 per request; Department is its longest value/);
	});

	it('a body that only JSON escaping takes over the limit is invalid too (90,001 characters, over 540,000 bytes)', () => {
		// A control character is sent as a 6-byte \u escape.
		const escaped = '\u0001'.repeat(30_000);
		const check = validateRecord(
			{ name: `${escaped}x`, email: 'escaped@example.com', title: escaped, department: escaped },
			OPTIONS,
		);
		expect(check.ok).toBe(false);
		if (check.ok) return;
		expect(check.errors.map((error) => error.field)).toEqual(['name']);
		expect(check.errors[0].message).toMatch(/sent as 540,\d{3} bytes/);
	});

	it('a CSV cell under the record bound but over the value cap is an invalid row naming the field', () => {
		const rows = csvRows(`email,name,department\nok@example.com,Ok,Sales\nbig@example.com,Big,${'d'.repeat(100_000)}\n`);
		expect(rows[0].kind).toBe('valid');
		const row = invalid(rows[1]);
		expect(row.row).toBe(3);
		expect(row.errors).toEqual([{ field: 'department', message: expect.stringMatching(/^Department is 100,000 characters long/) }]);
	});
});

describe('CSV records too long to read', () => {
	const cell = (size: number) => 'x'.repeat(size);

	it('a cell of megabytes is one invalid row naming its field; the rows after it are read, numbered right', () => {
		const csv = [
			'email,name,title',
			'a@example.com,A,Agent',
			`b@example.com,B,"${cell(3 * MB)}\nstill the same cell"`,
			'',
			'c@example.com,C,Lead',
		].join('\r\n');
		const rows = csvRows(csv);
		expect(rows.map((row) => [row.row, row.kind])).toEqual([
			[2, 'valid'],
			[3, 'invalid'],
			[5, 'valid'],
		]);
		const row = invalid(rows[1]);
		expect(row.errors).toHaveLength(1);
		expect(row.errors[0].field).toBe('title');
		expect(row.errors[0].message).toMatch(/^Title \(column 3 "title"\) is too long: a row may hold at most 2,048,000/);
		expectShortQuotes([row.errors[0].message], 'x');
	});

	it('an unquoted cell of megabytes in the first column, after blank lines', () => {
		const csv = `title;email\n\n\n${cell(MAX_CSV_RECORD_CHARS + 10)};b@example.com\nLead;c@example.com\n`;
		const result = records(Buffer.from(csv));
		expect(result).toEqual([
			{ kind: 'broken', row: 4, problem: 'it is longer than 2,048,000 characters', tooLongAt: 0 },
			{ kind: 'cells', row: 5, cells: ['Lead', 'c@example.com'] },
		]);
	});

	it('a column no user field maps to is named by its header', () => {
		const rows = csvRows(`email,notes,name\nb@example.com,${cell(MAX_CSV_RECORD_CHARS + 1)},B\n`);
		const row = invalid(rows[0]);
		expect(row.errors[0].field).toBe('row');
		expect(row.errors[0].message).toMatch(/^Malformed CSV row: it is longer than 2,048,000 characters, in column 2 "notes"/);
	});

	it('a quote opened on a huge record and never closed costs that row, as a short one would', () => {
		const csv = `email,name\nb@example.com,"${cell(MAX_CSV_RECORD_CHARS + 5)}\nc@example.com,C\n`;
		expect(records(Buffer.from(csv))).toEqual([
			{ kind: 'broken', row: 2, problem: 'a quoted value opened on this row is never closed' },
			{ kind: 'cells', row: 3, cells: ['c@example.com', 'C'] },
		]);
	});

	it('findRecordEnd steps over quoted line breaks, doubled quotes and quotes inside unquoted text', () => {
		const input = Buffer.from('a, "x\r\n""y""" ,5\'10",z\r\nnext');
		expect(findRecordEnd(input, 0, 0x2c, true)).toEqual({ kind: 'end', next: input.indexOf('next') });
		expect(findRecordEnd(Buffer.from('"open\nnever'), 0, 0x2c, true)).toEqual({ kind: 'unclosed', quote: 0 });
		expect(findRecordEnd(Buffer.from('\n\n  a,b'), 0, 0x2c, true)).toEqual({ kind: 'end', next: 7 });
	});

	it('a header too long to read is a file error, not a crash', () => {
		const result = openCsv(Buffer.from(`email,${cell(MAX_CSV_RECORD_CHARS + 1)}\na@example.com,A\n`));
		expect(result).toBeInstanceOf(CsvFileError);
		expect((result as CsvFileError).message).toMatch(/malformed header row \(row 1\): it is longer than/);
	});

	// A child process whose V8 heap (32 MB) is smaller than the cell: any string of the cell, or of the whole
	// file, would exhaust it. The file is a Buffer, outside the heap, as n8n hands binary data over.
	it.each([
		['UTF-8', 'utf8', 100],
		['UTF-16 LE without BOM (transcoded)', 'utf16le', 40],
	])('a %s file with a cell larger than the heap is read within it', async (_label, encoding, megabytes) => {
		const script = path.join(__dirname, 'fixtures', 'csv-memory', 'run.js');
		const { stdout } = await run(process.execPath, ['--max-old-space-size=32', ...TS_NODE_ARGS, script, String(megabytes), encoding], {
			timeout: 120_000,
			maxBuffer: MB,
		});
		const report = JSON.parse(stdout) as { records: CsvRecord[]; longest: number };
		expect(report.records).toEqual([
			{ kind: 'broken', row: 2, problem: 'it is longer than 2,048,000 characters', tooLongAt: 2 },
			{ kind: 'cells', row: 3, cells: ['after@example.com', 'After', 'Agent'] },
		]);
		expect(report.longest).toBeLessThanOrEqual(MAX_CSV_RECORD_CHARS);
	});
});

describe('two columns for one user field', () => {
	it('is a file error naming the field and both columns; nothing of the file is added', () => {
		const collector = new RowCollector({ ...OPTIONS, inputSource: 'csv' });
		const problem = addCsvFile(collector, {
			itemIndex: 2,
			binaryPropertyName: 'data',
			data: Buffer.from('Name,Email,Title,Work Email\nA,a@example.com,Agent,a.work@example.com\n'),
		});
		expect(problem?.message).toBe(
			'The file in binary field "data" of item 2 has 2 columns for the user field Email (column 2 "Email", column 4 "Work Email"): which one to use cannot be told',
		);
		expect(problem?.hint).toMatch(/Keep one column per user field/);
		expect(collector.finish()).toEqual([]);
	});

	it('names every field that is repeated, also two columns with the same name', () => {
		const collector = new RowCollector({ ...OPTIONS, inputSource: 'csv' });
		const problem = addCsvFile(collector, {
			itemIndex: 0,
			binaryPropertyName: 'data',
			data: Buffer.from('email;phone;email;work phone\n'),
		});
		expect(problem?.message).toMatch(
			/2 columns for the user field Email \(column 1 "email", column 3 "email"\); 2 columns for the user field Work phone \(column 2 "phone", column 4 "work phone"\)/,
		);
	});
});

describe('UTF-16 without a BOM', () => {
	const text = 'email,name\r\nzoë@example.com,Zoë\r\n';

	it.each([
		['little endian', Buffer.from(text, 'utf16le'), 'utf-16le'],
		['big endian', Buffer.from(text, 'utf16le').swap16(), 'utf-16be'],
	])('%s is recognised and read', (_label, data, encoding) => {
		expect(detectUtf16(data)).toBe(encoding);
		expect(records(data)).toEqual([{ kind: 'cells', row: 2, cells: ['zoë@example.com', 'Zoë'] }]);
	});

	it('binary data with a few NUL bytes is not taken for UTF-16, and the error says what text it reads', () => {
		const data = Buffer.from([0x41, 0x00, 0x42, 0x0a, 0x43, 0x44, 0x00, 0x45]);
		expect(detectUtf16(data)).toBeUndefined();
		const error = openCsv(data);
		expect(error).toBeInstanceOf(CsvFileError);
		expect((error as CsvFileError).message).toMatch(/binary data \(it is not UTF-8, UTF-16 or Windows-1252 text\)/);
	});
});

describe('messages quote little input', () => {
	it('unmapped item keys, header names and bad values are clipped', () => {
		const longKey = 'k'.repeat(10_000);
		const [unmapped] = collect([{ [longKey]: 'v' }]);
		const [badRole] = collect([{ name: 'R', email: 'r@example.com', roles: `${'r'.repeat(5_000)}:a:b` }]);
		const [badEmail] = collect([{ name: 'M', email: `${'m'.repeat(50_000)}@` }]);
		const messages = [unmapped, badRole, badEmail].flatMap((row) => invalid(row).errors.map((error) => error.message));
		expectShortQuotes(messages, 'k');
		expectShortQuotes(messages, 'r');
		expectShortQuotes(messages, 'm');

		const collector = new RowCollector({ ...OPTIONS, inputSource: 'csv' });
		const problem = addCsvFile(collector, {
			itemIndex: 0,
			binaryPropertyName: 'b'.repeat(1_000),
			data: Buffer.from(`${'h'.repeat(100_000)},other\n1,2\n`),
		});
		expectShortQuotes([problem?.message ?? ''], 'h');
		expectShortQuotes([problem?.message ?? ''], 'b');
	});
});
