/**
 * Bulk Create Users through n8n's engine against the emulator: what Genesys ends up holding, what it was
 * sent, and one output item per input row.
 */
import { DEFAULT_IDS } from '../emulator';
import type { Emulator } from '../emulator';
import {
	CLIENT,
	closeBulkEmulators,
	createRequests,
	csvItem,
	everythingSaid,
	items,
	params,
	runBulk,
	startBulkEmulator,
	writes,
} from './bulk-helpers';

let emu: Emulator;

afterEach(closeBulkEmulators);

test('each user is one CreateUser object, follow-ups land, one item per row paired to its input', async () => {
	emu = await startBulkEmulator();
	const [agentRole, supervisorRole] = [DEFAULT_IDS.roles[1], DEFAULT_IDS.roles[2]];
	const input = [
		{
			full_name: 'Jane Doe',
			Work_Email: 'jane.doe@example.com',
			job_title: 'Agent',
			dept: 'Support',
			mobile: '+15555550101',
			roles: `${agentRole}, ${supervisorRole}:${DEFAULT_IDS.divisions[1]}`,
			skills: `${DEFAULT_IDS.skills[0]}:4`,
			queues: DEFAULT_IDS.queues[0],
			employee_id: 'E-100',
			password: 'Init!al-Pa55',
		},
		{
			first_name: 'John',
			last_name: 'Roe',
			email: 'john.roe@example.com',
			manager_email: 'jane.doe@example.com',
			state: 'Active',
		},
	];
	const run = await runBulk(
		emu,
		params({}, { includeSummary: true, sendInvite: true, externalIdAuthority: 'HRIS' }),
		items(input),
	);
	expect(run.result.status).toBe('success');

	// What Genesys was sent: one object per POST, never an array, exactly the mapped fields.
	const bodies = createRequests(emu).map((req) => req.body);
	expect(bodies).toEqual([
		{
			name: 'Jane Doe',
			email: 'jane.doe@example.com',
			title: 'Agent',
			department: 'Support',
			state: 'active',
			addresses: [{ address: '+15555550101', mediaType: 'PHONE', type: 'MOBILE' }],
		},
		{ name: 'John Roe', email: 'john.roe@example.com', state: 'active' },
	]);
	expect(bodies.some((body) => Array.isArray(body))).toBe(false);

	// What Genesys holds.
	const jane = emu.state.userByEmail('jane.doe@example.com');
	const john = emu.state.userByEmail('john.roe@example.com');
	// The row gives no state: the New User State default (active) is sent.
	expect(jane).toMatchObject({ name: 'Jane Doe', title: 'Agent', department: 'Support', state: 'active' });
	expect(john).toMatchObject({ name: 'John Roe', state: 'active', managerId: jane?.id });
	expect(emu.state.passwords.has(jane?.id ?? '')).toBe(true);
	expect(emu.state.externalIds.get(jane?.id ?? '')).toEqual([{ authorityName: 'HRIS', externalKey: 'E-100' }]);
	expect(emu.state.grants.get(jane?.id ?? '')).toEqual([
		// A role without a division goes to the user's own (here the home division), never to `*` unasked.
		{ roleId: agentRole, divisionId: emu.catalog.homeDivisionId },
		{ roleId: supervisorRole, divisionId: DEFAULT_IDS.divisions[1] },
	]);
	expect(emu.state.skills.get(jane?.id ?? '')).toEqual([{ id: DEFAULT_IDS.skills[0], proficiency: 4 }]);
	expect([...(emu.state.queueMembers.get(DEFAULT_IDS.queues[0]) ?? [])]).toEqual([jane?.id]);
	expect([...emu.state.invites].sort()).toEqual([jane?.id, john?.id].sort());

	// What the workflow gets.
	expect(run.failure).toEqual([]);
	expect(run.rows).toMatchObject([
		{ status: 'created', row: 1, email: 'jane.doe@example.com', userId: jane?.id, user: { id: jane?.id } },
		{ status: 'created', row: 2, email: 'john.roe@example.com', userId: john?.id },
	]);
	expect(run.rows[0].steps).toEqual([
		{ step: 'lookup', status: 'done', detail: 'no user with this email' },
		{ step: 'create', status: 'done' },
		{ step: 'password', status: 'done', detail: 'initial password set' },
		{ step: 'externalId', status: 'done', detail: 'HRIS: E-100' },
		{ step: 'roles', status: 'done', detail: '2 role grant(s)' },
		{ step: 'skills', status: 'done', detail: '1 skill(s)' },
		{ step: 'queues', status: 'done', detail: '1 queue(s)' },
		{ step: 'invite', status: 'done', detail: 'invitation sent' },
	]);
	const success = run.result.output('Create', 0);
	expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 0 }]);
	expect(run.summary).toMatchObject({ total: 2, byStatus: { created: 2 }, dryRun: false });
	expect(run.summary?.requests).toBe(emu.requests.filter((req) => req.path.startsWith('/api/v2/')).length);
});

test('a CSV with bad rows between good ones: each bad row gets its row number and field, the rest succeed', async () => {
	emu = await startBulkEmulator();
	const csv = [
		'Name;Email;State;Roles',
		'Ada Lovelace;ada@example.com;active;',
		';nameless@example.com;;',
		'Bad State;badstate@example.com;sleeping;',
		'',
		'Grace Hopper;grace@example.com;inactive;',
		'Unknown Role;unknownrole@example.com;;no-such-role',
		'No Email;;;',
		'Ada Again;ADA@example.com;;',
		'Alan Turing;not-an-email;;',
		'Barbara Liskov;barbara@example.com;;',
	].join('\n');
	const run = await runBulk(emu, params({ inputSource: 'csv' }), [csvItem(csv)]);
	expect(run.result.status).toBe('success');

	const outcome = run.rows.map((row) => [row.row, row.status, (row.error as { field?: string } | undefined)?.field]);
	expect(outcome).toEqual([
		[2, 'created', undefined],
		[3, 'invalid', 'name'],
		[4, 'invalid', 'state'],
		[6, 'created', undefined],
		[7, 'invalid', 'roles[0]'],
		[8, 'invalid', 'email'],
		[9, 'invalid', 'email'],
		[10, 'invalid', 'email'],
		[11, 'created', undefined],
	]);
	expect(
		run.failure.every((json) => String((json.error as { message: string }).message).startsWith(`Row ${json.row}:`)),
	).toBe(true);
	// Every row of the file pairs to the item that carried it.
	const all = [...run.result.output('Create', 0), ...run.result.output('Create', 1)];
	expect(all.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	expect(createRequests(emu).map((req) => (req.body as { email: string }).email)).toEqual([
		'ada@example.com',
		'grace@example.com',
		'barbara@example.com',
	]);
	expect(emu.state.users.size).toBe(3);
});

test('secrets never reach output items, errors or logs', async () => {
	emu = await startBulkEmulator({ faults: { consistencyDelayMs: 200 } });
	const run = await runBulk(
		emu,
		// One row at a time: Sam's external id lands before Kim asks for the same one.
		params({}, { concurrency: 1, includeSummary: true, externalIdAuthority: 'HRIS' }),
		items([
			{ name: 'Sam Secret', email: 'sam@example.com', password: 'Pa55word-Sam!', employee_id: 'S-1' },
			// Taken by Sam's external id: Genesys refuses it (409), so an error item is produced too.
			{ name: 'Kim Clash', email: 'kim@example.com', employee_id: 'S-1' },
		]),
	);
	expect(run.result.status).toBe('success');
	expect(run.rows.map((row) => row.status)).toEqual(['created', 'failed']);
	expect(run.rows[1]).toMatchObject({ error: { field: 'externalId', httpStatus: 409 } });
	const token = run.result.credentialsStore.genesysCloudOAuth2Api?.accessToken;
	expect(typeof token).toBe('string');
	const said = everythingSaid(run);
	expect(said).not.toContain(CLIENT.clientSecret);
	expect(said).not.toContain(String(token));
	expect(said).not.toContain('Pa55word-Sam!');
	expect(said).not.toContain(Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64'));
	expect(writes(emu).filter((req) => req.path === '/api/v2/users')).toHaveLength(2);
});
