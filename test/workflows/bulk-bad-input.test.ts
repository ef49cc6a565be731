/**
 * Bad input through n8n's engine: a field of megabytes in an item or a CSV cell is one invalid row naming the
 * field (the other rows are created, no large request is sent), two CSV columns for one field stop the node
 * before any request, and a UTF-16 CSV without BOM is read.
 */
import type { Emulator } from '../emulator';
import type { StartItem } from '../harness';
import {
	closeBulkEmulators,
	createRequests,
	csvItem,
	items,
	params,
	runBulk,
	startBulkEmulator,
	writes,
	type Json,
} from './bulk-helpers';

const MB = 1024 * 1024;

let emu: Emulator;

afterEach(closeBulkEmulators);

function binaryItem(data: Buffer): StartItem {
	return { json: {}, binary: { data: { data: data.toString('base64'), mimeType: 'text/csv', fileName: 'users.csv' } } };
}

function errorOf(row: Json): { message: string; field?: string; fields?: Array<{ field: string; message: string }> } {
	return row.error as { message: string; field?: string; fields?: Array<{ field: string; message: string }> };
}

/** Every request body the emulator received is small: nothing of the huge value was sent. */
function expectSmallRequests(): void {
	for (const req of emu.requests) expect(JSON.stringify(req.body ?? '').length).toBeLessThan(10_000);
}

test('an item field of 4 MB: that row is invalid naming the field, the others are created', async () => {
	emu = await startBulkEmulator();
	const run = await runBulk(
		emu,
		params(),
		items([
			{ name: 'Before', email: 'before@example.com' },
			{ name: 'Huge', email: 'huge@example.com', department: 'D'.repeat(4 * MB) },
			{ name: 'After', email: 'after@example.com' },
		]),
	);
	expect(run.result.status).toBe('success');
	expect(run.rows.map((row) => row.status)).toEqual(['created', 'invalid', 'created']);
	const error = errorOf(run.rows[1]);
	expect(error.field).toBe('department');
	expect(error.message).toMatch(/Department is 4,194,304 characters long; a value may hold at most 64,000/);
	expect(JSON.stringify(run.rows[1])).not.toContain('D'.repeat(201));
	expect(emu.state.userByEmail('huge@example.com')).toBeUndefined();
	expect(createRequests(emu)).toHaveLength(2);
	expectSmallRequests();
});

test('a CSV cell of 5 MB: that row is invalid naming the field, rows after it are read and created', async () => {
	emu = await startBulkEmulator();
	const csv = [
		'email,name,title',
		'a@example.com,A,Agent',
		`b@example.com,B,"${'t'.repeat(5 * MB)}"`,
		'c@example.com,C,Lead',
	].join('\n');
	const run = await runBulk(emu, params({ inputSource: 'csv' }), [csvItem(csv)]);
	expect(run.result.status).toBe('success');
	expect(run.rows.map((row) => [row.row, row.status])).toEqual([
		[2, 'created'],
		[3, 'invalid'],
		[4, 'created'],
	]);
	const error = errorOf(run.rows[1]);
	expect(error.field).toBe('title');
	expect(error.message).toMatch(/Title \(column 3 "title"\) is too long/);
	expect(JSON.stringify(run.rows)).not.toContain('t'.repeat(201));
	expect([...emu.state.users.values()].map((user) => user.email).sort()).toEqual(['a@example.com', 'c@example.com']);
	expectSmallRequests();
});

test('two CSV columns for the email: the node stops before any request, naming both columns', async () => {
	emu = await startBulkEmulator();
	const csv = 'Name,Email,Work Email\nA,a.personal@example.com,a@example.com\n';
	const run = await runBulk(emu, params({ inputSource: 'csv' }), [csvItem(csv)]);
	expect(run.result.status).toBe('error');
	expect(run.result.errorMessage).toMatch(
		/has 2 columns for the user field Email \(column 2 "Email", column 3 "Work Email"\): which one to use cannot be told/,
	);
	expect(writes(emu)).toEqual([]);
	expect(emu.requests.filter((req) => req.path.startsWith('/api/v2/'))).toEqual([]);
});

test('a UTF-16 LE CSV without BOM is recognised and its users created', async () => {
	emu = await startBulkEmulator();
	const csv = 'email;name;title\r\nzoe@example.com;Zoë Müller;Agent\r\nli@example.com;李 雷;Lead\r\n';
	const run = await runBulk(emu, params({ inputSource: 'csv' }), [binaryItem(Buffer.from(csv, 'utf16le'))]);
	expect(run.result.status).toBe('success');
	expect(run.rows.map((row) => row.status)).toEqual(['created', 'created']);
	expect(emu.state.userByEmail('zoe@example.com')?.name).toBe('Zoë Müller');
	expect(emu.state.userByEmail('li@example.com')?.name).toBe('李 雷');
});
