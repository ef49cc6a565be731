/**
 * Finds where a CSV record ends by scanning its bytes, without building any of its values: the reader uses it
 * to step over a record too long to read (csv-parse stops at its max_record_size), so a cell of hundreds of
 * megabytes costs one invalid row and no more memory than the file itself.
 *
 * The rules are csv-parse's as the reader configures it: a value is quoted only when a quote opens it (after
 * spaces or tabs, which `trim` allows), a doubled quote inside quotes is one quote, a quote elsewhere is text,
 * and a record ends at a CR, LF or CRLF outside quotes.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export type RecordEnd =
	/** `next`: the first byte after the record and its line break. */
	| { kind: 'end'; next: number }
	/** The quote at `quote` is never closed: everything after it would be one value. */
	| { kind: 'unclosed'; quote: number };

function skipBlanks(input: Buffer, from: number, lineBreaks: boolean): number {
	let index = from;
	while (index < input.length) {
		const byte = input[index];
		if (byte === SPACE || byte === TAB || (lineBreaks && (byte === CR || byte === LF))) index++;
		else break;
	}
	return index;
}

/** First CR or LF at or after `from`, or the end of the input. */
function lineBreakFrom(input: Buffer, from: number): number {
	const lf = input.indexOf(LF, from);
	const cr = input.indexOf(CR, from);
	if (lf === -1 && cr === -1) return input.length;
	if (lf === -1) return cr;
	if (cr === -1) return lf;
	return Math.min(lf, cr);
}

function afterLineBreak(input: Buffer, index: number): number {
	if (index >= input.length) return input.length;
	return input[index] === CR && input[index + 1] === LF ? index + 2 : index + 1;
}

/** The closing quote of a value opened at `open`, or -1. */
function closingQuote(input: Buffer, open: number): number {
	let index = open + 1;
	for (;;) {
		const quote = input.indexOf(QUOTE, index);
		if (quote === -1) return -1;
		if (input[quote + 1] !== QUOTE) return quote;
		index = quote + 2;
	}
}

/**
 * The end of the record whose field starts at byte `fieldStart`. `firstField`: the field is the record's
 * first, so blank lines before it are skipped (they are not records).
 */
export function findRecordEnd(input: Buffer, fieldStart: number, delimiter: number, firstField: boolean): RecordEnd {
	let index = skipBlanks(input, fieldStart, firstField);
	let lineBreak = -1;
	for (;;) {
		index = skipBlanks(input, index, false);
		if (input[index] === QUOTE) {
			const close = closingQuote(input, index);
			if (close === -1) return { kind: 'unclosed', quote: index };
			index = close + 1;
		}
		// Outside quotes up to the next delimiter or line break, whichever comes first.
		if (lineBreak < index) lineBreak = lineBreakFrom(input, index);
		const next = input.indexOf(delimiter, index);
		if (next === -1 || next > lineBreak) return { kind: 'end', next: afterLineBreak(input, lineBreak) };
		index = next + 1;
	}
}
