/**
 * Failed rows under each of n8n's On Error settings, through n8n's engine (run on 2.x, and on 1.x with
 * N8N_ENGINE=1): the default fails the node with a message listing the rows, "Continue (using error output)"
 * sends them to the error output n8n adds, "Continue" keeps them on the output with their `error`.
 */
import type { Emulator } from '../emulator';
import { closeBulkEmulators, createRequests, items, params, runBulk, startBulkEmulator } from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

const SEEDED = [{ name: 'Already Here', email: 'here@example.com', state: 'active' as const }];

/** Row 1 is created, row 2 is invalid, row 3 fails (its user exists and If User Exists is Fail). */
const INPUT = [
	{ name: 'New Hire', email: 'new.hire@example.com', badge: 'B-1' },
	{ name: 'No Email', email: 'not-an-email', badge: 'B-2' },
	{ name: 'Already Here', email: 'here@example.com', badge: 'B-3' },
];

const FAILING = params({ onExisting: 'fail' });

describe('On Error', () => {
	test('Stop Workflow (the default): the node fails, counting and listing the failed rows; the created user stays', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const run = await runBulk(emu, FAILING, items(INPUT), { onError: 'stopWorkflow' });
		expect(run.result.status).toBe('error');
		expect(run.result.errorMessage).toBe('2 of 3 rows failed (rows 2, 3)');
		const description = String((run.result.error as { description?: string }).description);
		expect(description).toContain('Row 2 (not-an-email), invalid:');
		expect(description).toContain('Row 3 (here@example.com), failed:');
		expect(description).toMatch(/Running the same input again is safe/);
		// The write that succeeded is not undone.
		expect(emu.state.userByEmail('new.hire@example.com')).toBeDefined();
		expect(createRequests(emu)).toHaveLength(1);

		// Rerun after fixing nothing: the created user is found, never created twice.
		const again = await runBulk(emu, params({ onExisting: 'skip' }), items(INPUT), { onError: 'stopWorkflow' });
		expect(again.result.errorMessage).toBe('1 of 3 rows failed (row 2)');
		expect(createRequests(emu)).toHaveLength(1);
	});

	test('Stop Workflow without failed rows: the run succeeds with every row', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const run = await runBulk(emu, params({ onExisting: 'skip' }), items([INPUT[0], INPUT[2]]), { onError: 'stopWorkflow' });
		expect(run.result.status).toBe('success');
		expect(run.rows.map((row) => row.status)).toEqual(['created', 'existing']);
	});

	test('Continue (using error output): failed rows are n8n error items on the error output', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const run = await runBulk(emu, FAILING, items(INPUT), { onError: 'continueErrorOutput' });
		expect(run.result.status).toBe('success');
		expect(run.rows.map((row) => [row.row, row.status])).toEqual([[1, 'created']]);
		expect(run.errorOutput).toHaveLength(2);
		const [invalid, failed] = run.errorOutput;
		// n8n adds the fields of the input item each error item is paired with.
		expect(invalid).toMatchObject({
			name: 'No Email',
			badge: 'B-2',
			error: { row: 2, status: 'invalid', field: 'email', email: 'not-an-email' },
		});
		expect(String((invalid.error as { message: string }).message)).toMatch(/^Row 2: /);
		expect(failed).toMatchObject({
			badge: 'B-3',
			error: { row: 3, status: 'failed', email: 'here@example.com', userId: emu.state.userByEmail('here@example.com')?.id },
		});
		const pairs = run.result.output('Create', 1).map((item) => item.pairedItem);
		expect(pairs).toEqual([{ item: 1 }, { item: 2 }]);
	});

	test('Continue: failed rows stay on the output, in input order, with their error', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const run = await runBulk(emu, FAILING, items(INPUT), { onError: 'continueRegularOutput' });
		expect(run.result.status).toBe('success');
		expect(run.result.output('Create', 1)).toEqual([]);
		expect(run.rows.map((row) => [row.row, row.status])).toEqual([
			[1, 'created'],
			[2, 'invalid'],
			[3, 'failed'],
		]);
		expect(run.rows[1]).toMatchObject({ error: { field: 'email' } });
		expect(run.rows[2]).toMatchObject({ email: 'here@example.com', error: { field: 'email' } });
	});

	test('a dry run fails the same way, saying nothing was written', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const run = await runBulk(emu, params({ onExisting: 'fail', dryRun: true }), items(INPUT), { onError: 'stopWorkflow' });
		expect(run.result.errorMessage).toBe('Dry run: 2 of 3 rows would fail (rows 2, 3)');
		expect(String((run.result.error as { description?: string }).description)).toContain('Nothing was written');
		expect(createRequests(emu)).toHaveLength(0);
	});
});
