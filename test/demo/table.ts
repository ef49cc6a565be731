/**
 * Plain-text layout of the demo's per-row table: fixed columns, the last one wrapped, within a given width.
 */

export interface Column {
	header: string;
	/** Characters; the last column takes what is left of the line. */
	width: number;
	align?: 'left' | 'right';
}

const GAP = '  ';

/** Cuts a value to `width`, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
	if (text.length <= width) return text;
	return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** Splits text into lines of at most `width`, at spaces when it can. */
export function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let rest = text.replace(/\s+/g, ' ').trim();
	while (rest.length > width) {
		let cut = rest.lastIndexOf(' ', width);
		if (cut <= 0) cut = width;
		lines.push(rest.slice(0, cut).trimEnd());
		rest = rest.slice(cut).trimStart();
	}
	if (rest !== '' || lines.length === 0) lines.push(rest);
	return lines;
}

function cell(text: string, column: Column): string {
	const value = fit(text, column.width);
	return column.align === 'right' ? value.padStart(column.width) : value.padEnd(column.width);
}

/** Header, rule and rows; the last column wraps onto continuation lines. No line is longer than `lineWidth`. */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, lineWidth: number): string[] {
	const fixed = columns.slice(0, -1);
	const indent = fixed.reduce((sum, column) => sum + column.width + GAP.length, 0);
	const lastWidth = Math.max(10, lineWidth - indent);
	const last: Column = { ...columns[columns.length - 1], width: lastWidth };
	const line = (cells: string[]): string => cells.join(GAP).trimEnd();
	const out = [
		line([...fixed.map((column) => cell(column.header, column)), last.header]),
		line([...fixed.map((column) => '-'.repeat(column.width)), '-'.repeat(Math.min(lastWidth, 40))]),
	];
	for (const row of rows) {
		const [first, ...more] = wrap(row[columns.length - 1] ?? '', lastWidth);
		out.push(line([...fixed.map((column, index) => cell(row[index] ?? '', column)), first]));
		for (const continuation of more) out.push(`${' '.repeat(indent)}${continuation}`);
	}
	return out;
}
