import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	CsvFileError,
	detectDelimiter,
	openCsv,
	RecordReader,
	type CsvDocument,
	type CsvRecord,
} from '../../nodes/GenesysCloudBulkCreateUsers/input/csv';
import { Random } from '../emulator/random';

const fixture = (name: string): Buffer =>
	readFileSync(join(__dirname, '..', 'fixtures', 'csv', name));

function open(data: Buffer | string): CsvDocument {
	const document = openCsv(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
	if (document instanceof CsvFileError)
		throw new Error(`unexpected CsvFileError: ${document.message}`);
	return document;
}

function records(data: Buffer | string): CsvRecord[] {
	return [...open(data).records()];
}

function openError(data: Buffer | string): CsvFileError {
	const result = openCsv(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
	if (!(result instanceof CsvFileError)) throw new Error('expected a CsvFileError');
	return result;
}

describe('delimiter detection', () => {
	it.each([
		['a,b,c\n1,2,3', ','],
		['a;b;c\n1,2;3', ';'],
		['a\tb\tc\n1,2\t3', '\t'],
		['"x,y";b;c\n', ';'],
		['"a;b;c",d\n', ','],
		['single\n1', ','],
		['\n\n  \na;b\n', ';'],
		['"multi\nline;;;",x,y\n', ','],
	])('%j uses %j', (text, expected) => {
		expect(detectDelimiter(text)).toBe(expected);
	});
});

describe('decoding', () => {
	it('strips a UTF-8 BOM', () => {
		const document = open(fixture('bom-semicolon.csv'));
		expect(document.header[0]).toBe('email_address');
		expect(document.delimiter).toBe(';');
	});

	it('reads UTF-16 LE with BOM (Excel "Unicode text")', () => {
		const text = 'email\tname\nzoë@example.com\tZoë\n';
		const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
		const document = open(data);
		expect(document.delimiter).toBe('\t');
		expect([...document.records()]).toEqual([
			{ kind: 'cells', row: 2, cells: ['zoë@example.com', 'Zoë'] },
		]);
	});

	it('reads a Uint8Array that is a view into a larger buffer', () => {
		const bytes = new TextEncoder().encode('..email;name\nzo@example.com;Zo\n..');
		const view = openCsv(bytes.subarray(2, bytes.length - 2));
		if (view instanceof CsvFileError) throw new Error(view.message);
		expect(view.header).toEqual(['email', 'name']);
		expect([...view.records()]).toEqual([
			{ kind: 'cells', row: 2, cells: ['zo@example.com', 'Zo'] },
		]);
	});

	it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
		const data = Buffer.from([...Buffer.from('name\nRen'), 0xe9, 0x0a]);
		expect(open(data).header).toEqual(['name']);
		expect(records(data)).toEqual([{ kind: 'cells', row: 2, cells: ['René'] }]);
	});

	it.each([
		['an xlsx workbook', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /Excel workbook/],
		['a PDF', Buffer.from('%PDF-1.7\n...'), /PDF/],
		['binary bytes', Buffer.from([0x41, 0x00, 0x42, 0x0a]), /binary data/],
		['an empty file', Buffer.from(''), /empty/],
		['only blank lines', Buffer.from('\n  \n\r\n'), /empty/],
	])('refuses %s with a clear message', (_label, data, message) => {
		const error = openError(data);
		expect(error.message).toMatch(message);
		expect(error.hint).toMatch(/CSV UTF-8/);
	});

	it('refuses a header whose quote never closes', () => {
		expect(openError('email,"name\n1,2\n').message).toMatch(/malformed header row \(row 1\)/);
	});
});

describe('records and row numbers', () => {
	it('numbers rows as a spreadsheet does: header 1, blank lines keep their row', () => {
		const rows = records(fixture('blank-lines.csv')).map((record) => record.row);
		// Lines: 1 header, 2 blank, 3 a.one, 4 spaces, 5 b.two, 6 ",,", 7 c.three.
		expect(rows).toEqual([3, 5, 7]);
	});

	it('keeps quoted commas, line breaks and doubled quotes; a multi-line record is one row', () => {
		const result = records(fixture('quoted.csv'));
		expect(result).toEqual([
			{
				kind: 'cells',
				row: 2,
				cells: ['q.one@example.com', 'One, Quoted', 'Agent, Tier 2', 'Support\r\nEMEA'],
			},
			{
				kind: 'cells',
				row: 3,
				cells: ['q.two@example.com', 'Two "The Second" Quoted', 'Agent', 'Support'],
			},
		]);
	});

	it('accepts LF, CRLF and CR line ends, and a last line without one', () => {
		for (const text of ['h1,h2\n1,2\n3,4', 'h1,h2\r\n1,2\r\n3,4\r\n', 'h1,h2\r1,2\r3,4\r']) {
			expect(records(text)).toEqual([
				{ kind: 'cells', row: 2, cells: ['1', '2'] },
				{ kind: 'cells', row: 3, cells: ['3', '4'] },
			]);
		}
	});

	it('keeps a stray quote inside an unquoted value as text and allows spaces around quoted values', () => {
		expect(records('a,b,c\n5\'10",x"y, "q" \n')).toEqual([
			{ kind: 'cells', row: 2, cells: ['5\'10"', 'x"y', 'q'] },
		]);
	});

	it('trims the header and tolerates trailing empty cells', () => {
		const document = open(' Email , Name \nx@example.com,X,,\n');
		expect(document.header).toEqual(['Email', 'Name']);
		expect([...document.records()]).toEqual([
			{ kind: 'cells', row: 2, cells: ['x@example.com', 'X'] },
		]);
	});

	it('accepts different line ends in one file', () => {
		expect(records('h1,h2\r\n1,2\n3,4\r5,6')).toEqual([
			{ kind: 'cells', row: 2, cells: ['1', '2'] },
			{ kind: 'cells', row: 3, cells: ['3', '4'] },
			{ kind: 'cells', row: 4, cells: ['5', '6'] },
		]);
	});

	it('keeps an empty last cell', () => {
		expect(records('a,b\n1,\n')).toEqual([{ kind: 'cells', row: 2, cells: ['1', ''] }]);
	});
});

describe('malformed CSV keeps the good records', () => {
	it('reports each broken record on its row and reads on', () => {
		const result = records(fixture('malformed.csv'));
		expect(result).toEqual([
			{ kind: 'cells', row: 2, cells: ['m1@example.com', 'M One', 'Support'] },
			{ kind: 'broken', row: 3, problem: 'it has 4 values but the header has 3 columns' },
			{ kind: 'broken', row: 4, problem: expect.stringMatching(/text after a closing quote/) },
			{ kind: 'broken', row: 5, problem: 'it has 2 values but the header has 3 columns' },
			{ kind: 'cells', row: 6, cells: ['m5@example.com', 'M Five', 'Support'] },
			{ kind: 'broken', row: 7, problem: expect.stringMatching(/never closed/) },
			{ kind: 'cells', row: 8, cells: ['m7@example.com', 'M Seven', 'Support'] },
		]);
	});

	it('reports text right after a closing quote, also in a row with a quote inside an unquoted value', () => {
		expect(records('a,b\n"x"y,1\n5\'10","q"z\n"""q""",ok\n')).toEqual([
			{ kind: 'broken', row: 2, problem: expect.stringMatching(/text after a closing quote/) },
			{ kind: 'broken', row: 3, problem: expect.stringMatching(/text after a closing quote/) },
			{ kind: 'cells', row: 4, cells: ['"q"', 'ok'] },
		]);
	});

	it('does not let one stray opening quote swallow the rows up to the next quote', () => {
		const result = records(fixture('stray-quotes.csv'));
		expect(result.map((record) => [record.row, record.kind])).toEqual([
			[2, 'broken'],
			[3, 'cells'],
			[4, 'broken'],
			[5, 'cells'],
		]);
		expect(result[1]).toEqual({
			kind: 'cells',
			row: 3,
			cells: ['x2@example.com', 'X Two', 'Support'],
		});
		expect(result[3]).toEqual({
			kind: 'cells',
			row: 5,
			cells: ['x4@example.com', 'X Four', 'Support'],
		});
	});
});

describe('the one-pass reader agrees with the careful one', () => {
	// Seeded, so a failure names a reproducible case.
	function random(seed: number): () => number {
		const stream = new Random(seed, 'csv');
		return () => stream.next();
	}
	const CLEAN_CELLS = ['a', 'Ann Lee', '', ' padded ', '"quoted, comma"', '"two\nlines"', '"say ""hi"""', 'é€', '"  "'];
	const STRAY_CELLS = ['5\'10"', '"open', '"a"b', 'x"y', '"""'];
	const LINE_ENDS = ['\n', '\r\n', '\r'];

	function csv(next: () => number, cells: readonly string[]): string {
		const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
		const lines: string[] = [];
		const rows = 1 + Math.floor(next() * 8);
		for (let row = 0; row < rows; row++) {
			const roll = next();
			if (roll < 0.1) lines.push('');
			else if (roll < 0.15) lines.push('   ');
			else if (roll < 0.2) lines.push(',,');
			else lines.push(Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(cells)).join(','));
		}
		const end = pick(LINE_ENDS);
		return (next() < 0.1 ? '\uFEFF' : '') + lines.join(end) + (next() < 0.5 ? end : '');
	}

	function bothReaders(text: string): { plain: CsvRecord[] | undefined; careful: CsvRecord[] } {
		const input = Buffer.from(text, 'utf8');
		return {
			plain: new RecordReader(input, ',').readPlain(),
			careful: new RecordReader(input, ',').readCarefully(),
		};
	}

	it('reads 2,000 well-formed files alone, with the same records and rows', () => {
		const next = random(20261207);
		for (let i = 0; i < 2_000; i++) {
			const text = csv(next, CLEAN_CELLS);
			const { plain, careful } = bothReaders(text);
			expect({ text, records: plain }).toEqual({ text, records: careful });
		}
	});

	it('on 2,000 files with stray and broken quotes, hands over or agrees', () => {
		const next = random(7);
		let handedOver = 0;
		for (let i = 0; i < 2_000; i++) {
			const text = csv(next, [...CLEAN_CELLS, ...STRAY_CELLS]);
			const { plain, careful } = bothReaders(text);
			if (plain === undefined) handedOver++;
			else expect({ text, records: plain }).toEqual({ text, records: careful });
		}
		// Most of these files hold a broken quote somewhere: the careful reader must have had them.
		expect(handedOver).toBeGreaterThan(500);
	});
});
