/**
 * Input items or CSV files to InputRow[]: exactly one row per item or CSV record, in input order,
 * validated before any write. RowCollector, addItems and addCsvFile are pure; collectRows reads the node's
 * parameters and binary data and hands them to them.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ResourceMapperValue,
} from 'n8n-workflow';

import { CsvFileError, openCsv, type CsvBroken } from './csv';
import {
	applyDefaults,
	AutoMapper,
	fieldOfColumn,
	hasAnyValue,
	mapCsvCells,
	mapCsvHeader,
	mapDefinedValues,
	type CsvColumnMap,
	type MappedRecord,
	type RepeatedField,
} from './fields';
import { clip, formatCount, MAX_CSV_RECORD_CHARS, MAX_VALUE_CHARS } from './limits';
import type { FieldError } from '../../GenesysCloud/resultError';
import type { BulkCreateSettings, InputRow, RowOrigin } from '../types';
import { FIELD_LABELS, ListMemo, quote, ROW_FIELD, validateRecord, type ValidationOptions } from './validate';

export interface RowBuildOptions extends ValidationOptions {
	inputSource: BulkCreateSettings['inputSource'];
}

/** Where a row sits before it gets its output position. */
export type RowPlace = Omit<RowOrigin, 'index'>;

const MAX_LISTED_NAMES = 10;

/** Input names for a message: the first few, each clipped, so a message never carries much input. */
function listNames(names: readonly string[]): string {
	const shown = clip(
		names
			.slice(0, MAX_LISTED_NAMES)
			.map((name) => clip(name, MAX_NAME_CHARS))
			.join(', '),
	);
	return names.length > MAX_LISTED_NAMES ? `${shown}, …` : shown;
}

const MAX_NAME_CHARS = 40;

/**
 * Validates rows one by one, in input order, and marks repeated emails: the first occurrence of an email
 * (case-insensitive) keeps it, every later one is invalid with a reason naming the first row.
 */
export class RowCollector {
	private readonly rows: InputRow[] = [];
	/** Lower-cased email -> index of the first row holding it. */
	private readonly firstByEmail = new Map<string, number>();
	private readonly memo = new ListMemo();

	constructor(private readonly options: RowBuildOptions) {}

	/** `defaults` (CSV mode, define-below values) fill fields the record leaves empty. */
	addRecord(
		place: RowPlace,
		record: MappedRecord,
		defaults?: MappedRecord,
		emptyMessage?: string,
	): void {
		if (!hasAnyValue(record)) {
			this.addInvalid(place, [
				{ field: ROW_FIELD, message: emptyMessage ?? 'Empty row: no value for any user field' },
			]);
			return;
		}
		const merged = defaults ? applyDefaults(record, defaults) : record;
		const check = validateRecord(merged, this.options, this.memo);
		const duplicate = check.email === undefined ? undefined : this.claimEmail(check.email, place);
		if (check.ok && !duplicate) {
			this.rows.push({
				kind: 'valid',
				index: this.rows.length,
				...place,
				email: check.email,
				create: check.create,
				followUps: check.followUps,
			});
			return;
		}
		const errors = check.ok ? [] : check.errors;
		if (duplicate) errors.push(duplicate);
		this.addInvalid(place, errors, check.email);
	}

	addInvalid(place: RowPlace, errors: FieldError[], email?: string): void {
		const row: InputRow = { kind: 'invalid', index: this.rows.length, ...place, errors };
		if (email !== undefined) row.email = email;
		this.rows.push(row);
	}

	finish(): InputRow[] {
		return this.rows;
	}

	private claimEmail(email: string, place: RowPlace): FieldError | undefined {
		const key = email.toLowerCase();
		const firstIndex = this.firstByEmail.get(key);
		if (firstIndex === undefined) {
			this.firstByEmail.set(key, this.rows.length);
			return undefined;
		}
		const first = this.rows[firstIndex];
		const where =
			this.options.inputSource === 'csv' && first.itemIndex !== place.itemIndex
				? `row ${first.row} of the CSV file in item ${first.itemIndex}`
				: `row ${first.row}`;
		return {
			field: 'email',
			message: `Email ${quote(email)} repeats ${where} (emails are compared ignoring case); each email may appear only once`,
		};
	}
}

/** Item JSON, mapped automatically or through the define-below values read for each item. */
export type ItemMapping =
	| { mode: 'auto' }
	| {
			mode: 'defined';
			valueAt: (itemIndex: number) => Readonly<Record<string, unknown>> | null | undefined;
	  };

function unmappedMessage(keys: readonly string[]): string | undefined {
	if (keys.length === 0) return undefined;
	return `No user field in this item (its fields: ${listNames(keys)}); name them like email, name or first_name and last_name, or define the fields below`;
}

/** Items mode: item i becomes row i + 1. */
export function addItems(
	collector: RowCollector,
	items: ReadonlyArray<Readonly<Record<string, unknown>>>,
	mapping: ItemMapping,
): void {
	const mapper = new AutoMapper();
	items.forEach((json, itemIndex) => {
		const place: RowPlace = { row: itemIndex + 1, itemIndex };
		if (mapping.mode === 'defined') {
			collector.addRecord(place, mapDefinedValues(mapping.valueAt(itemIndex)));
			return;
		}
		const record = mapper.map(json);
		const emptyMessage = hasAnyValue(record)
			? undefined
			: unmappedMessage(mapper.unmappedKeys(json));
		collector.addRecord(place, record, undefined, emptyMessage);
	});
}

/** A CSV file that cannot be read at all; names the item and binary field it came from. */
export class CsvInputError extends Error {
	constructor(
		readonly itemIndex: number,
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'CsvInputError';
	}
}

export interface CsvFileInput {
	itemIndex: number;
	/** Binary field name, for messages. */
	binaryPropertyName: string;
	data: Uint8Array;
	/** Define-below values applied where a row's column is empty. */
	defaults?: MappedRecord;
}

/** `column 3 "Work Email"`: columns are numbered from 1, as a user counts them. */
function columnName(header: readonly string[], column: number): string {
	const name = header[column];
	return name ? `column ${column + 1} "${clip(name, MAX_NAME_CHARS)}"` : `column ${column + 1}`;
}

function repeatedMessage(header: readonly string[], repeated: readonly RepeatedField[]): string {
	const parts = repeated.map(({ field, columns }) => {
		const names = columns.map(({ column }) => columnName(header, column));
		return `${columns.length} columns for the user field ${FIELD_LABELS[field]} (${names.join(', ')})`;
	});
	return `has ${parts.join('; ')}: which one to use cannot be told`;
}

const REPEATED_HINT =
	'Keep one column per user field: delete the others, or rename them to a name that is not a user field (such columns are ignored).';

/** A record too long to read: invalid, naming the user field of the column being read (or the column). */
function tooLongError(record: CsvBroken, column: number, header: readonly string[], map: CsvColumnMap): FieldError {
	const field = fieldOfColumn(map, column);
	const limits = `a row may hold at most ${formatCount(MAX_CSV_RECORD_CHARS)} characters and a value ${formatCount(MAX_VALUE_CHARS)} (no real one comes close: check the file)`;
	if (field) {
		return {
			field,
			message: `${FIELD_LABELS[field]} (${columnName(header, column)}) is too long: ${limits}`,
		};
	}
	return { field: ROW_FIELD, message: `Malformed CSV row: ${record.problem}, in ${columnName(header, column)}; ${limits}` };
}

const COLUMN_HINT =
	'Give the CSV a header row whose columns name user fields, e.g. email, name (or first_name and last_name), department, title.';

/**
 * CSV mode: every record of the file becomes one row, numbered as in a spreadsheet. A file that cannot be
 * read at all is returned as a CsvInputError (nothing of it is added) for the caller to raise.
 */
export function addCsvFile(collector: RowCollector, file: CsvFileInput): CsvInputError | undefined {
	const label = `The file in binary field "${clip(file.binaryPropertyName, MAX_NAME_CHARS)}" of item ${file.itemIndex}`;
	const document = openCsv(file.data);
	if (document instanceof CsvFileError) {
		return new CsvInputError(file.itemIndex, `${label} ${document.message}`, document.hint);
	}
	const columns = mapCsvHeader(document.header);
	if (columns.sources.length === 0) {
		const found = listNames(document.header.filter((name) => name !== ''));
		return new CsvInputError(
			file.itemIndex,
			`${label} has no column for a user field (columns found: ${found})`,
			COLUMN_HINT,
		);
	}
	if (columns.repeated.length > 0) {
		return new CsvInputError(
			file.itemIndex,
			`${label} ${repeatedMessage(document.header, columns.repeated)}`,
			REPEATED_HINT,
		);
	}
	for (const record of document.records()) {
		const place: RowPlace = { row: record.row, itemIndex: file.itemIndex };
		if (record.kind === 'broken' && record.tooLongAt !== undefined) {
			collector.addInvalid(place, [tooLongError(record, record.tooLongAt, document.header, columns)]);
		} else if (record.kind === 'broken') {
			collector.addInvalid(place, [
				{ field: ROW_FIELD, message: `Malformed CSV row: ${record.problem}` },
			]);
		} else {
			collector.addRecord(
				place,
				mapCsvCells(columns, record.cells),
				file.defaults,
				'Empty row: no value in any user column',
			);
		}
	}
	return undefined;
}

const AUTO_MAPPING: ResourceMapperValue = {
	mappingMode: 'autoMapInputData',
	value: null,
	matchingColumns: [],
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
};

/**
 * The whole resourceMapper value, not `fields.value`: n8n type-checks `fields.value` against the field
 * schema and throws for the whole node, while a wrong type must only make its own row invalid.
 */
function readMapper(ctx: IExecuteFunctions, itemIndex: number): ResourceMapperValue {
	return ctx.getNodeParameter('fields', itemIndex, AUTO_MAPPING) as ResourceMapperValue;
}

function isDefineBelow(ctx: IExecuteFunctions): boolean {
	return readMapper(ctx, 0).mappingMode === 'defineBelow';
}

async function readCsvItem(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	defineBelow: boolean,
): Promise<CsvFileInput> {
	const binaryPropertyName = String(
		ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
	).trim();
	if (!item.binary?.[binaryPropertyName]) {
		const present = Object.keys(item.binary ?? {});
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has no binary field "${clip(binaryPropertyName, MAX_NAME_CHARS)}"`,
			{
				itemIndex,
				description: present.length
					? `Its binary fields are: ${listNames(present)}. Set "Input Binary Field" to the one holding the CSV file.`
					: 'The item carries no file. Read the CSV first (e.g. with "Read/Write Files from Disk" or an HTTP Request node) and set "Input Binary Field" to its binary field.',
			},
		);
	}
	// getBinaryDataBuffer reads both in-memory data and files kept by the binary data service (binaryData.id).
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	const defaults = defineBelow ? mapDefinedValues(readMapper(ctx, itemIndex).value) : undefined;
	return { itemIndex, binaryPropertyName, data, defaults };
}

/** Reads every input item (or CSV record) into exactly one InputRow, in input order. */
export async function collectRows(
	ctx: IExecuteFunctions,
	settings: BulkCreateSettings,
): Promise<InputRow[]> {
	const items = ctx.getInputData();
	if (items.length === 0) return [];
	const options: RowBuildOptions = {
		inputSource: settings.inputSource,
		roleDivisionId: settings.roleDivisionId,
		defaultCountryCode: settings.defaultCountryCode,
	};
	const collector = new RowCollector(options);
	const defineBelow = isDefineBelow(ctx);
	if (settings.inputSource === 'items') {
		const mapping: ItemMapping = defineBelow
			? { mode: 'defined', valueAt: (itemIndex) => readMapper(ctx, itemIndex).value }
			: { mode: 'auto' };
		addItems(
			collector,
			items.map((item) => item.json),
			mapping,
		);
		return collector.finish();
	}
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const file = await readCsvItem(ctx, items[itemIndex], itemIndex, defineBelow);
		const problem = addCsvFile(collector, file);
		if (problem) {
			throw new NodeOperationError(ctx.getNode(), problem.message, {
				itemIndex,
				description: problem.hint,
			});
		}
	}
	return collector.finish();
}
