/**
 * Dry run: validates, maps and looks up, writes nothing, and predicts what a real run then does.
 */
import { DEFAULT_IDS } from '../emulator';
import type { Emulator } from '../emulator';
import { closeBulkEmulators, createRequests, items, params, runBulk, startBulkEmulator, writes } from './bulk-helpers';
import type { Json } from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

const SEEDED = [
	{ name: 'Existing Person', email: 'existing@example.com', state: 'active' as const, title: 'Before' },
	{ name: 'Deleted Person', email: 'deleted@example.com', state: 'deleted' as const },
];

const INPUT = [
	{
		name: 'New Person',
		email: 'new@example.com',
		title: 'Agent',
		password: 'Dry-Run-Pa55!',
		roles: DEFAULT_IDS.roles[1],
		skills: `${DEFAULT_IDS.skills[1]}:2`,
		// Auto-mapped to External Key; no External ID Authority is set, so it is skipped with a note.
		employee_id: 'E-100',
	},
	{ name: 'Existing Person', email: 'existing@example.com', title: 'After' },
	{ name: 'Deleted Person', email: 'deleted@example.com', state: 'inactive' },
	{ name: 'Missing Email' },
	{ name: 'Wrong Role', email: 'wrongrole@example.com', roles: 'no-such-role' },
	{ name: 'Managed', email: 'managed@example.com', manager: 'new@example.com' },
];

/** Emulator state as plain data, to compare before and after. */
function snapshot(): string {
	const { state } = emu;
	return JSON.stringify({
		users: [...state.users.values()],
		externalIds: [...state.externalIds.entries()],
		grants: [...state.grants.entries()],
		skills: [...state.skills.entries()],
		queues: [...state.queueMembers.entries()].map(([queue, members]) => [queue, [...members]]),
		invites: state.invites,
		passwords: [...state.passwords],
	});
}

/** Each step's name and status, and the note of a skipped one. */
function stepsOf(row: Json): Array<[string, string, string | undefined]> {
	return (row.steps as Array<{ step: string; status: string; detail?: string }>)
		.filter((step) => step.step !== 'lookup')
		.map((step) => [step.step, step.status, step.status === 'skipped' ? step.detail : undefined]);
}

const REAL_STATUS: Record<string, string> = {
	create: 'created',
	update: 'updated',
	restore: 'restored',
	skip: 'existing',
	fail: 'failed',
};

describe.each([
	['update', true],
	['skip', false],
	['fail', false],
] as Array<['skip' | 'update' | 'fail', boolean]>)('onExisting=%s restoreDeleted=%s', (onExisting, restoreDeleted) => {
	test('writes nothing, then a real run does exactly what it predicted', async () => {
		emu = await startBulkEmulator({ users: SEEDED });
		const before = snapshot();
		const options = { sendInvite: true };
		const dry = await runBulk(emu, params({ onExisting, restoreDeleted, dryRun: true }, options), items(INPUT));
		expect(dry.result.status).toBe('success');
		expect(writes(emu)).toEqual([]);
		expect(snapshot()).toBe(before);
		expect(JSON.stringify(dry.rows)).not.toContain('Dry-Run-Pa55!');

		const predicted = dry.rows;
		expect(predicted.map((row) => row.status)).toEqual([
			'planned',
			'planned',
			'planned',
			'invalid',
			'invalid',
			'planned',
		]);
		expect(predicted[0]).toMatchObject({
			action: 'create',
			// The password is not part of the create: it is set afterwards, and never shown.
			body: { name: 'New Person', email: 'new@example.com', title: 'Agent', state: 'active' },
		});

		const real = await runBulk(emu, params({ onExisting, restoreDeleted }, options), items(INPUT));
		expect(real.result.status).toBe('success');
		for (const [i, plan] of predicted.entries()) {
			const outcome = real.rows[i];
			if (plan.status === 'invalid') {
				expect(outcome).toMatchObject({ status: 'invalid', error: { field: (plan.error as Json).field } });
				continue;
			}
			expect(outcome.status).toBe(REAL_STATUS[String(plan.action)]);
			if (plan.userId !== undefined) expect(outcome.userId).toBe(plan.userId);
			// Step by step: what was planned was done, what was to be skipped was skipped, with the same note.
			expect(stepsOf(outcome)).toEqual(stepsOf(plan).map(([step, status, note]) => [step, status === 'planned' ? 'done' : status, note]));
		}

		// The bodies shown are the bodies sent.
		expect(createRequests(emu).map((req) => req.body)).toEqual(
			predicted.filter((row) => row.action === 'create').map((row) => row.body),
		);
		for (const plan of predicted.filter((row) => row.action === 'update' || row.action === 'restore')) {
			const sent = writes(emu).filter((req) => req.method === 'PATCH' && req.path === `/api/v2/users/${plan.userId}`);
			expect(sent[0]?.body).toEqual(plan.body);
		}
	});
});

test('dry run predicts under-the-hood steps without sending them', async () => {
	emu = await startBulkEmulator();
	const dry = await runBulk(
		emu,
		params({ dryRun: true }, { sendInvite: true, externalIdAuthority: 'HRIS', includeSummary: true }),
		items([{ name: 'Planned', email: 'planned@example.com', employee_id: 'P-1', queues: DEFAULT_IDS.queues[0] }]),
	);
	expect(dry.rows[0].steps).toEqual([
		{ step: 'lookup', status: 'done', detail: 'no user with this email' },
		{ step: 'create', status: 'planned', detail: 'POST /api/v2/users' },
		{ step: 'externalId', status: 'planned', detail: 'HRIS: P-1' },
		{ step: 'queues', status: 'planned', detail: DEFAULT_IDS.queues[0] },
		{ step: 'invite', status: 'planned', detail: 'send invitation email' },
	]);
	expect(dry.summary).toMatchObject({ dryRun: true, byStatus: { planned: 1 } });
	// Only reads: the search and the queue check.
	expect(
		emu.requests.filter((req) => req.path.startsWith('/api/v2/')).map((req) => `${req.method} ${req.path}`),
	).toEqual(['POST /api/v2/users/search', `GET /api/v2/routing/queues/${DEFAULT_IDS.queues[0]}`]);
});

test('an External Key without an External ID Authority is skipped with a note, before any write, in both runs', async () => {
	emu = await startBulkEmulator();
	const input = items([{ name: 'Keyed', email: 'keyed@example.com', employee_id: 'E-7' }]);
	const dry = await runBulk(emu, params({ dryRun: true }), input, { onError: 'stopWorkflow' });
	const real = await runBulk(emu, params(), input, { onError: 'stopWorkflow' });
	expect(real.result.status).toBe('success');
	for (const run of [dry, real]) {
		expect(run.rows[0].steps).toContainEqual({
			step: 'externalId',
			status: 'skipped',
			detail: expect.stringContaining('External ID Authority') as unknown as string,
		});
	}
	expect(dry.rows[0]).toMatchObject({ status: 'planned', action: 'create' });
	expect(real.rows[0]).toMatchObject({ status: 'created' });
	expect(real.rows[0].error).toBeUndefined();
	expect(writes(emu).filter((req) => req.path.endsWith('/externalid'))).toEqual([]);
	expect(emu.state.externalIds.size).toBe(0);
});
