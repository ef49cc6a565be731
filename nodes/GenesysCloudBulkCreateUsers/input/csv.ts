/**
 * CSV reading: bytes to text, delimiter detection, and records read with csv-parse.
 *
 * csv-parse cannot carry on after a broken quote: it reads on in quoted mode (the rows after it are lost),
 * and with skip_records_with_error, text after a closing quote ends the parse without an error. So a
 * broken quote ends the csv-parse run; the record becomes one broken row and the next run starts on the
 * line after the one where its quote opened: a stray quote costs one row, not the rest of the file.
 *
 * Row numbers are spreadsheet rows: the header is row 1 (when it is the first line), a blank line still
 * takes a row, and a record whose quoted value spans lines takes one row.
 *
 * Memory is bounded by the file: other encodings are transcoded to UTF-8 chunk by chunk, csv-parse reads the
 * bytes, and a record over MAX_CSV_RECORD_CHARS is stepped over without building its values.
 *
 * Left to csv-parse: its `trim` takes tabs like spaces around a quoted value, and it reads `"" ""` (an empty
 * quoted value, spaces, another one) as one empty value rather than reporting text after a closing quote.
 */

import { CsvError, parse, type CsvErrorCode, type InfoRecord, type Options } from 'csv-parse/sync';

import { findRecordEnd } from './csvRecordEnd';
import { MAX_CSV_RECORD_CHARS } from './limits';

export type CsvDelimiter = ',' | ';' | '\t';

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** The file is not a CSV we can read at all (returned, not thrown); the caller adds which item it came from. */
export class CsvFileError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'CsvFileError';
	}
}

export interface CsvCells {
	kind: 'cells';
	row: number;
	cells: string[];
}

export interface CsvBroken {
	kind: 'broken';
	row: number;
	problem: string;
	/** The record is longer than MAX_CSV_RECORD_CHARS: the column (0-based) being read when it got there. */
	tooLongAt?: number;
}

export type CsvRecord = CsvCells | CsvBroken;

export interface CsvDocument {
	delimiter: CsvDelimiter;
	/** Header names, trimmed. */
	header: string[];
	headerRow: number;
	/** Data records after the header, blank lines skipped, in file order. */
	records(): Generator<CsvRecord>;
}

const SAVE_AS_CSV = 'Export or save the file as "CSV UTF-8 (comma delimited)" and run again.';

const SIGNATURES: ReadonlyArray<{ bytes: number[]; kind: string }> = [
	{ bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'an Excel workbook (.xlsx) or another zip file' },
	{ bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: 'a legacy Excel (.xls) or other Office file' },
	{ bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
	{ bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
	{ bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
	{ bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
	{ bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
];

function startsWith(data: Uint8Array, bytes: readonly number[]): boolean {
	return bytes.length <= data.length && bytes.every((byte, index) => data[index] === byte);
}

const SNIFF_BYTES = 8192;

function notText(data: Uint8Array): CsvFileError | undefined {
	const signature = SIGNATURES.find((entry) => startsWith(data, entry.bytes));
	if (signature)
		return new CsvFileError(`is not a CSV file: it looks like ${signature.kind}`, SAVE_AS_CSV);
	const end = Math.min(data.length, SNIFF_BYTES);
	for (let index = 0; index < end; index++) {
		if (data[index] === 0)
			return new CsvFileError(
				'is not a CSV file: it contains binary data (it is not UTF-8, UTF-16 or Windows-1252 text)',
				SAVE_AS_CSV,
			);
	}
	return undefined;
}

/** The start of the text, for delimiter detection, and the whole file as UTF-8 bytes for csv-parse. */
interface DecodedCsv {
	head: string;
	utf8: Buffer;
}

function asBuffer(data: Uint8Array): Buffer {
	return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Bytes decoded for delimiter detection: the header line is looked at up to DETECT_LIMIT characters. */
const HEAD_BYTES = 256 * 1024;
/** Transcoding goes this many bytes at a time, so no string of the whole file is ever built. */
const TRANSCODE_CHUNK = 1024 * 1024;

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Other encodings to UTF-8, chunk by chunk (a streaming decoder keeps characters split across chunks). */
function toUtf8(data: Uint8Array, encoding: Encoding): Buffer {
	const decoder = new TextDecoder(encoding);
	const parts: Buffer[] = [];
	for (let start = 0; start < data.length; start += TRANSCODE_CHUNK) {
		const end = Math.min(data.length, start + TRANSCODE_CHUNK);
		parts.push(Buffer.from(decoder.decode(data.subarray(start, end), { stream: end < data.length }), 'utf8'));
	}
	parts.push(Buffer.from(decoder.decode(), 'utf8'));
	return Buffer.concat(parts);
}

/**
 * Whether the bytes are valid UTF-8, checked chunk by chunk with a fatal streaming decoder so no string of the
 * whole file is built (node:buffer's isUtf8 is not among the modules n8n Cloud lets a community node import).
 */
function isUtf8(data: Uint8Array): boolean {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	try {
		for (let start = 0; start < data.length; start += TRANSCODE_CHUNK) {
			const end = Math.min(data.length, start + TRANSCODE_CHUNK);
			decoder.decode(data.subarray(start, end), { stream: end < data.length });
		}
		decoder.decode();
		return true;
	} catch {
		return false;
	}
}

function decodeAs(data: Uint8Array, encoding: Encoding): DecodedCsv {
	const utf8 = encoding === 'utf-8' ? asBuffer(data) : toUtf8(data, encoding);
	// A character cut at the end of the head only spoils the last one, past the header line.
	return { head: utf8.subarray(0, HEAD_BYTES).toString('utf8'), utf8 };
}

/** Share of NUL bytes among the odd (or even) positions of the first SNIFF_BYTES that marks UTF-16. */
const UTF16_NUL_SHARE = 0.6;

/**
 * UTF-16 without a BOM: text that is mostly ASCII (headers, emails, ids, digits) has a NUL as the high byte
 * of nearly every character, on odd positions for little endian, on even ones for big endian, and never on
 * the others. Returns the encoding, or undefined for anything else.
 */
export function detectUtf16(data: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
	const end = Math.min(data.length, SNIFF_BYTES) & ~1;
	if (end < 4) return undefined;
	let evenNul = 0;
	let oddNul = 0;
	for (let index = 0; index < end; index++) {
		if (data[index] !== 0) continue;
		if (index % 2 === 0) evenNul++;
		else oddNul++;
	}
	const pairs = end / 2;
	if (evenNul === 0 && oddNul >= pairs * UTF16_NUL_SHARE) return 'utf-16le';
	if (oddNul === 0 && evenNul >= pairs * UTF16_NUL_SHARE) return 'utf-16be';
	return undefined;
}

/**
 * UTF-8 with or without BOM; UTF-16 with a BOM (Excel's "Unicode text") or recognised without one; bytes that
 * are not valid UTF-8 are read as Windows-1252, which is what Excel's plain "CSV" writes.
 */
function decodeCsv(data: Uint8Array): DecodedCsv | CsvFileError {
	if (startsWith(data, [0xff, 0xfe])) return decodeAs(data, 'utf-16le');
	if (startsWith(data, [0xfe, 0xff])) return decodeAs(data, 'utf-16be');
	const utf16 = detectUtf16(data);
	if (utf16) return decodeAs(data, utf16);
	const problem = notText(data);
	if (problem) return problem;
	// Valid UTF-8 goes to csv-parse unchanged (no copy); its `bom` option drops the BOM.
	if (isUtf8(data)) return decodeAs(data, 'utf-8');
	const hasBom = startsWith(data, [0xef, 0xbb, 0xbf]);
	return decodeAs(hasBom ? data.subarray(3) : data, 'windows-1252');
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

function isLineBreak(code: number): boolean {
	return code === LF || code === CR;
}

/** Index of the first character of the line after the one holding `from`. */
function nextLineStart(text: string, from: number): number {
	let index = from;
	while (index < text.length && !isLineBreak(text.charCodeAt(index))) index++;
	if (index >= text.length) return text.length;
	return text.charCodeAt(index) === CR && text.charCodeAt(index + 1) === LF ? index + 2 : index + 1;
}

/** Skips lines that hold only whitespace (they carry no header). */
function firstContentLine(text: string): number {
	let index = 0;
	while (index < text.length) {
		const end = nextLineStart(text, index);
		if (text.slice(index, end).trim() !== '') return index;
		index = end;
	}
	return text.length;
}

const DETECT_LIMIT = 65536;

/** The delimiter used most in the header line, counted outside quotes; a comma on a tie or none. */
export function detectDelimiter(text: string): CsvDelimiter {
	const counts = new Map<number, number>(
		DELIMITERS.map((delimiter) => [delimiter.charCodeAt(0), 0]),
	);
	let inQuotes = false;
	const start = firstContentLine(text);
	const end = Math.min(text.length, start + DETECT_LIMIT);
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code === QUOTE) inQuotes = !inQuotes;
		else if (!inQuotes && isLineBreak(code)) break;
		else if (!inQuotes && counts.has(code)) counts.set(code, (counts.get(code) ?? 0) + 1);
	}
	let best: CsvDelimiter = ',';
	let bestCount = 0;
	for (const delimiter of DELIMITERS) {
		const count = counts.get(delimiter.charCodeAt(0)) ?? 0;
		if (count > bestCount) {
			best = delimiter;
			bestCount = count;
		}
	}
	return best;
}

function isBlankRecord(cells: readonly string[]): boolean {
	return cells.every((cell) => cell.trim() === '');
}

/** Extra trailing cells are fine when empty (spreadsheets pad rows); anything else is a broken record. */
function fitToHeader(record: CsvCells, columns: number): CsvRecord {
	const count = record.cells.length;
	if (count === columns) return record;
	if (count > columns && record.cells.slice(columns).every((cell) => cell.trim() === '')) {
		record.cells.length = columns;
		return record;
	}
	return {
		kind: 'broken',
		row: record.row,
		problem: `it has ${count} value${count === 1 ? '' : 's'} but the header has ${columns} columns`,
	};
}

const AFTER_CLOSING_QUOTE =
	'unexpected text after a closing quote (quotes inside a value must be doubled)';

/** csv-parse errors that break one record; any other error is a fault of ours and is thrown. */
const QUOTE_PROBLEMS: Partial<Record<CsvErrorCode, string>> = {
	CSV_QUOTE_NOT_CLOSED: 'a quoted value opened on this row is never closed',
	CSV_INVALID_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
	CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
	// Only when the quote follows a closed quoted value ("a" "b"); see isQuoteInText.
	INVALID_OPENING_QUOTE: AFTER_CLOSING_QUOTE,
};

/** A quote inside an unquoted value (5'10"), which is text; `quoting` tells a quoted value came before it. */
function isQuoteInText(error: CsvError): boolean {
	return error.code === 'INVALID_OPENING_QUOTE' && error.quoting !== true;
}

/**
 * With relax_quotes, text right after a closing quote ("a"b) is kept as text with the quotes, so the value
 * starts with one; a value can only start with a quote that way or from a doubled one ("""a""").
 */
function mayHideClosingQuote(cells: readonly string[]): boolean {
	return cells.some((cell) => cell.charCodeAt(0) === QUOTE);
}

/** Where a parse starts: a byte offset into the UTF-8 input and the rows that come before it. */
interface Cursor {
	offset: number;
	row: number;
}

/** csv-parse reports bad input as a CsvError; anything else is a fault here and goes on up. */
function asCsvError(error: unknown): CsvError {
	if (error instanceof CsvError) return error;
	throw error;
}

/** csv-parse copies its counters onto the error, typed `unknown` there. */
function errorCounter(
	error: CsvError,
	name: 'bytes' | 'column' | 'empty_lines' | 'records',
): number {
	const value = error[name];
	return typeof value === 'number' ? value : 0;
}

/** Index of the first byte of the line after the one holding byte `from`. */
function byteLineAfter(input: Buffer, from: number): number {
	let index = from;
	while (index < input.length && !isLineBreak(input[index])) index++;
	if (index >= input.length) return input.length;
	return input[index] === CR && input[index + 1] === LF ? index + 2 : index + 1;
}

/**
 * All records of a file, blank ones left out (their rows still count). A file without broken quotes is read in
 * one csv-parse run (`readPlain`); a file with one is read again by `readCarefully`, where each broken quote
 * costs one more run, started after it (about 50 µs).
 */
export class RecordReader {
	private readonly records: CsvRecord[] = [];
	private readonly options: Options;

	private readonly delimiterByte: number;

	constructor(
		private readonly input: Buffer,
		delimiter: CsvDelimiter,
	) {
		this.delimiterByte = delimiter.charCodeAt(0);
		this.options = {
			bom: true,
			delimiter,
			// Any line end, also mixed in one file; CRLF first so it counts as one break.
			record_delimiter: ['\r\n', '\n', '\r'],
			// Counts are checked against the header by fitToHeader, with a message naming both.
			relax_column_count: true,
			// A quote inside an unquoted value is text (5'10"); see mayHideClosingQuote for the cost.
			relax_quotes: true,
			// Blank and whitespace-only lines: counted in info.empty_lines, which keeps the row numbers.
			skip_empty_lines: true,
			// Allows spaces around a quoted value; unquoted values come trimmed, as mapping trims them anyway.
			trim: true,
			// Bounds the memory of one record; a longer one is stepped over (see tooLong).
			max_record_size: MAX_CSV_RECORD_CHARS,
		};
	}

	read(): CsvRecord[] {
		return this.readPlain() ?? this.readCarefully();
	}

	/**
	 * The common file, in one csv-parse run without per-record info: csv-parse builds an info object for every
	 * record it hands to `on_record`, a fifth of the time of a large file. Blank lines stay records here, so a
	 * record's index gives its row. Undefined when the file needs `readCarefully`: csv-parse refused it (a broken
	 * quote, a record too long), or a value may hide a broken quote.
	 */
	readPlain(): CsvRecord[] | undefined {
		let all: string[][];
		try {
			all = parse(this.input, { ...this.options, skip_empty_lines: false }) as string[][];
		} catch {
			return undefined;
		}
		const records: CsvRecord[] = [];
		for (let index = 0; index < all.length; index++) {
			const cells = all[index];
			if (mayHideClosingQuote(cells)) return undefined;
			if (!isBlankRecord(cells)) records.push({ kind: 'cells', row: index + 1, cells });
		}
		return records;
	}

	/** Record by record, with where each one ends: broken quotes and overlong records are stepped over. */
	readCarefully(): CsvRecord[] {
		let cursor: Cursor | undefined = { offset: 0, row: 0 };
		while (cursor) cursor = this.readFrom(cursor);
		return this.records;
	}

	/** Reads to the end of the file (undefined) or to the first broken record (where to go on). */
	private readFrom(start: Cursor): Cursor | undefined {
		let last = start;
		let hidden: CsvError | undefined;
		try {
			parse(this.input.subarray(start.offset), {
				...this.options,
				on_record: (cells: string[], info: InfoRecord) => {
					const end: Cursor = {
						offset: start.offset + info.bytes,
						row: start.row + info.records + info.empty_lines,
					};
					hidden = mayHideClosingQuote(cells)
						? this.closingQuoteError(last.offset, end.offset)
						: undefined;
					// Stops this run: a stray opening quote may have swallowed the lines up to the next quote.
					if (hidden) throw hidden;
					this.add(end.row, cells);
					last = end;
					return null;
				},
			});
			return undefined;
		} catch (error) {
			const csvError = asCsvError(error);
			if (csvError.code === 'CSV_MAX_RECORD_SIZE') return this.tooLong(csvError, start);
			return csvError === hidden ? this.broken(csvError, last) : this.broken(csvError, start);
		}
	}

	/**
	 * A record over MAX_CSV_RECORD_CHARS: recorded as broken, naming the column being read, and stepped over
	 * by scanning its bytes. A quote that never closes is handled as csv-parse would have: the row is broken
	 * and reading goes on at the line after the quote.
	 */
	private tooLong(error: CsvError, start: Cursor): Cursor {
		const row = start.row + errorCounter(error, 'records') + errorCounter(error, 'empty_lines') + 1;
		const column = errorCounter(error, 'column');
		const fieldStart = start.offset + errorCounter(error, 'bytes') + (column > 0 ? 1 : 0);
		const end = findRecordEnd(this.input, fieldStart, this.delimiterByte, column === 0);
		if (end.kind === 'unclosed') {
			this.records.push({ kind: 'broken', row, problem: QUOTE_PROBLEMS.CSV_QUOTE_NOT_CLOSED ?? '' });
			return { offset: byteLineAfter(this.input, end.quote), row };
		}
		this.records.push({
			kind: 'broken',
			row,
			problem: `it is longer than ${MAX_CSV_RECORD_CHARS.toLocaleString('en-US')} characters`,
			tooLongAt: column,
		});
		return { offset: end.next, row };
	}

	/** The first quote error in input[from, to) read without relax_quotes, bar quotes inside unquoted values. */
	private closingQuoteError(from: number, to: number): CsvError | undefined {
		const errors: CsvError[] = [];
		parse(this.input.subarray(from, to), {
			...this.options,
			relax_quotes: false,
			skip_records_with_error: true,
			on_skip: (error: CsvError | undefined) => {
				if (error && !isQuoteInText(error)) errors.push(error);
				return undefined;
			},
		});
		return errors[0];
	}

	private add(row: number, cells: string[]): void {
		if (!isBlankRecord(cells)) this.records.push({ kind: 'cells', row, cells });
	}

	/**
	 * Records a broken row and returns the start of the line after the one where its quote opened.
	 * `start` is where the run that raised `error` began; the error's counters are relative to it.
	 */
	private broken(error: CsvError, start: Cursor): Cursor {
		const problem = QUOTE_PROBLEMS[error.code];
		if (problem === undefined) throw error;
		const row = start.row + errorCounter(error, 'records') + errorCounter(error, 'empty_lines') + 1;
		this.records.push({ kind: 'broken', row, problem });
		// csv-parse's byte count stops at the last field boundary: the end of the previous record for the
		// first field (blank lines may follow), else the delimiter before the failing field. The quote
		// that opened the failing value is the first one after it.
		const column = errorCounter(error, 'column');
		const fieldStart = start.offset + errorCounter(error, 'bytes') + (column > 0 ? 1 : 0);
		const quote = this.input.indexOf(QUOTE, fieldStart);
		return { offset: byteLineAfter(this.input, quote === -1 ? fieldStart : quote), row };
	}
}

/**
 * Opens a CSV: decodes, detects the delimiter and reads the header (first non-blank record).
 * Returns a CsvFileError when the bytes are not a CSV or there is no header.
 */
export function openCsv(data: Uint8Array, delimiter?: CsvDelimiter): CsvDocument | CsvFileError {
	const decoded = decodeCsv(data);
	if (decoded instanceof CsvFileError) return decoded;
	const chosen = delimiter ?? detectDelimiter(decoded.head);
	const all = new RecordReader(decoded.utf8, chosen).read();
	const first = all[0];
	if (!first) return new CsvFileError('is empty: a header row is needed', SAVE_AS_CSV);
	if (first.kind === 'broken') {
		return new CsvFileError(
			`has a malformed header row (row ${first.row}): ${first.problem}`,
			SAVE_AS_CSV,
		);
	}
	const header = first.cells.map((cell) => cell.trim());
	const columns = header.length;
	return {
		delimiter: chosen,
		header,
		headerRow: first.row,
		*records(): Generator<CsvRecord> {
			for (let index = 1; index < all.length; index++) {
				const record = all[index];
				yield record.kind === 'cells' ? fitToHeader(record, columns) : record;
			}
		},
	};
}
