/**
 * Rows from plain items or CSV bytes, through the same RowCollector, addItems and addCsvFile that the node's
 * collectRows uses, without an n8n execution context.
 */
import type { CsvFileInput, ItemMapping } from '../../nodes/GenesysCloudBulkCreateUsers/input/rows';
import { addCsvFile, addItems, RowCollector } from '../../nodes/GenesysCloudBulkCreateUsers/input/rows';
import type { ValidationOptions } from '../../nodes/GenesysCloudBulkCreateUsers/input/validate';
import type { InputRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

export function rowsFromItems(
	items: ReadonlyArray<Readonly<Record<string, unknown>>>,
	mapping: ItemMapping,
	options: ValidationOptions,
): InputRow[] {
	const collector = new RowCollector({ ...options, inputSource: 'items' });
	addItems(collector, items, mapping);
	return collector.finish();
}

/** Throws the CsvInputError of a file that cannot be read at all, as collectRows does. */
export function rowsFromCsv(files: readonly CsvFileInput[], options: ValidationOptions): InputRow[] {
	const collector = new RowCollector({ ...options, inputSource: 'csv' });
	for (const file of files) {
		const problem = addCsvFile(collector, file);
		if (problem) throw problem;
	}
	return collector.finish();
}
