import { rowsFromCsv, rowsFromItems } from './bulk-input';
import type { ValidRow } from '../../nodes/GenesysCloudBulkCreateUsers/types';

const ROWS = 100_000;
const BAD_EVERY = 997;
const DUPLICATE_EVERY = 1009;

/** Row i (0-based data row) of a generated HRIS export: a few bad emails and repeated emails on purpose. */
function emailOf(index: number): string {
	if (index % BAD_EVERY === 0) return `broken-${index}`;
	if (index % DUPLICATE_EVERY === 0 && index > 0) return `User.${index - 1}@Example.com`;
	return `user.${index}@example.com`;
}

function generateCsv(): Buffer {
	const lines = [
		'\uFEFFEmployee ID;First Name;Last Name;Work Email;Job Title;Department;Mobile;Skills;Roles',
	];
	for (let index = 0; index < ROWS; index++) {
		lines.push(
			[
				`E${index}`,
				`First${index}`,
				`"Last; ${index}"`,
				emailOf(index),
				'Agent',
				`Dept ${index % 50}`,
				`+1 555 ${String(index).padStart(7, '0')}`,
				`skill-${index % 7}:${index % 6}`,
				'role-agent',
			].join(';'),
		);
	}
	return Buffer.from(lines.join('\r\n'), 'utf8');
}

function expectedInvalid(): number {
	let invalid = 0;
	for (let index = 0; index < ROWS; index++) {
		const bad = index % BAD_EVERY === 0;
		// A repeat of a bad row's email is bad anyway; a repeat of a good one is a duplicate.
		const duplicate = index % DUPLICATE_EVERY === 0 && index > 0;
		if (bad || duplicate) invalid++;
	}
	return invalid;
}

describe('100,000 rows', () => {
	it('parses, maps and validates a 100k-row CSV into one row per record', () => {
		const rows = rowsFromCsv([{ itemIndex: 0, binaryPropertyName: 'data', data: generateCsv() }], {
			roleDivisionId: '*',
		});
		expect(rows).toHaveLength(ROWS);
		expect(rows[ROWS - 1]).toMatchObject({ index: ROWS - 1, row: ROWS + 1 });
		expect(rows.filter((row) => row.kind === 'invalid')).toHaveLength(expectedInvalid());
		const sample = rows[12345] as ValidRow;
		expect(sample.create).toEqual({
			name: 'First12345 Last; 12345',
			email: 'user.12345@example.com',
			title: 'Agent',
			department: 'Dept 45',
			addresses: [{ address: '+15550012345', mediaType: 'PHONE', type: 'MOBILE' }],
		});
		expect(sample.followUps).toEqual({
			externalKey: 'E12345',
			roles: [{ roleId: 'role-agent', divisionId: '*' }],
			skills: [{ id: 'skill-4', proficiency: 3 }],
			queueIds: [],
		});
		const duplicate = rows[DUPLICATE_EVERY * 2];
		expect(duplicate.kind === 'invalid' && duplicate.errors[0].message).toMatch(
			new RegExp(`repeats row ${DUPLICATE_EVERY * 2 + 1} `),
		);
	});

	it('maps 100k items', () => {
		const items = Array.from({ length: ROWS }, (_, index) => ({
			email_address: `item.${index}@example.com`,
			full_name: `Item ${index}`,
			employee_id: index,
		}));
		const rows = rowsFromItems(items, { mode: 'auto' }, { roleDivisionId: '*' });
		expect(rows).toHaveLength(ROWS);
		expect(rows.every((row) => row.kind === 'valid')).toBe(true);
	});
});
