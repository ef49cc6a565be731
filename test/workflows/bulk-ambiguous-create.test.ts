/**
 * A create whose answer is lost (a gateway 503/502 after the write, a reset connection, a lost response) is
 * resolved by evidence, through n8n's engine: the user found afterwards is this run's only when it holds
 * exactly what was sent and is unchanged since (engine/ownership.ts). Ours: `created`, every follow-up done,
 * whatever `onExisting` says. Someone else's (created just before ours, unseen by the lookup): the
 * `onExisting` policy applies, and roles, skills, queues and the invite only reach it under `update`.
 */
import { DEFAULT_IDS } from '../emulator';
import type { Emulator, Faults, RivalCreate } from '../emulator';
import { closeBulkEmulators, createRequests, items, params, runBulk, startBulkEmulator, type Json } from './bulk-helpers';

const EMAIL = 'ann.lost@example.com';
const USERS_PATH = '^/api/v2/users$';
const ROLE = DEFAULT_IDS.roles[1];
const SKILL = DEFAULT_IDS.skills[0];
const QUEUE = DEFAULT_IDS.queues[0];
const ROW = { name: 'Ann Lost', email: EMAIL, state: 'active', department: 'Support', roles: ROLE, skills: `${SKILL}:3`, queues: QUEUE };
const POLICIES = ['skip', 'update', 'fail'] as const;

let emu: Emulator;

afterEach(closeBulkEmulators);

async function runRow(onExisting: (typeof POLICIES)[number], faults: Partial<Faults>) {
	emu = await startBulkEmulator();
	emu.setFaults(faults);
	const run = await runBulk(emu, params({ onExisting }, { sendInvite: true }), items([ROW]));
	expect(run.result.status).toBe('success');
	expect(run.rows).toHaveLength(1);
	return run.rows[0];
}

/** What Genesys ended up holding for the user with the email. */
function access(userId: string) {
	return {
		roles: (emu.state.grants.get(userId) ?? []).map((grant) => grant.roleId),
		skills: (emu.state.skills.get(userId) ?? []).map((skill) => skill.id),
		queued: emu.state.queueMembers.get(QUEUE)?.has(userId) === true,
		invited: emu.state.invites.includes(userId),
	};
}

function steps(row: Json): Record<string, string> {
	return Object.fromEntries((row.steps as Array<{ step: string; status: string }>).map((step) => [step.step, step.status]));
}

const OURS: Array<[string, Partial<Faults>]> = [
	['a gateway 503 after the write', { appliedThen5xx: { status: 503, pathFilter: USERS_PATH } }],
	['a gateway 502 after the write', { appliedThen5xx: { status: 502, pathFilter: USERS_PATH } }],
	['a connection reset after the write', { gatewayAfterRoute: { outcome: 'reset', times: 1, pathFilter: USERS_PATH } }],
	['a lost response', { lostResponse: 1, pathFilter: USERS_PATH }],
];

describe.each(POLICIES)('onExisting: %s', (onExisting) => {
	it.each(OURS)('ours, after %s: created, with every follow-up', async (_label, faults) => {
		const row = await runRow(onExisting, faults);
		expect(row.status).toBe('created');
		expect(emu.state.users.size).toBe(1);
		const user = emu.state.userByEmail(EMAIL);
		expect(row.userId).toBe(user?.id);
		expect(user).toMatchObject({ name: 'Ann Lost', department: 'Support' });
		expect(steps(row)).toMatchObject({ create: 'done', roles: 'done', skills: 'done', queues: 'done', invite: 'done' });
		expect(access(String(row.userId))).toEqual({ roles: [ROLE], skills: [SKILL], queued: true, invited: true });
		// The first POST was applied; nothing made a second user.
		expect(createRequests(emu).filter((req) => req.applied)).toHaveLength(1);
	});

	const THEIRS: Array<[string, Partial<Faults>, RivalCreate, RegExp]> = [
		[
			'a gateway 503 hides the 409; the rival has another name',
			{ gatewayAfterRoute: { outcome: 503, times: 1, pathFilter: USERS_PATH } },
			{ name: 'Ann Other', email: EMAIL, department: 'Support' },
			/its name differs from the row's/,
		],
		[
			'a gateway 502 hides the 409; the rival has the same values but was changed since',
			{ gatewayAfterRoute: { outcome: 502, times: 1, pathFilter: USERS_PATH } },
			{ name: 'Ann Lost', email: EMAIL, department: 'Support', state: 'active', version: 2 },
			/it was changed after its create \(version 2, a new user has 1\)/,
		],
		[
			'a reset hides the 409; the rival has a title the row does not give',
			{ gatewayAfterRoute: { outcome: 'reset', times: 1, pathFilter: USERS_PATH } },
			{ name: 'Ann Lost', email: EMAIL, department: 'Support', title: 'Team Lead' },
			/it has a title the row does not give/,
		],
	];

	it.each(THEIRS)('theirs, %s: the policy applies', async (_label, faults, rival, reason) => {
		const row = await runRow(onExisting, { ...faults, rivalCreates: [rival] });
		const user = emu.state.userByEmail(EMAIL);
		expect(emu.state.users.size).toBe(1);
		expect(row.userId).toBe(user?.id);
		// No POST of ours was applied: the rival's user is the only one.
		expect(createRequests(emu).filter((req) => req.applied)).toHaveLength(0);
		const create = (row.steps as Array<{ step: string; status: string; detail?: string }>).find((step) => step.step === 'create');
		expect(create).toMatchObject({ status: 'skipped', detail: expect.stringMatching(reason) });
		const granted = access(String(user?.id));
		if (onExisting === 'update') {
			expect(row.status).toBe('updated');
			expect(user?.name).toBe('Ann Lost');
			// Access follows the row under `update`; an invite is for new users only.
			expect(granted).toEqual({ roles: [ROLE], skills: [SKILL], queued: true, invited: false });
			return;
		}
		expect(row.status).toBe(onExisting === 'skip' ? 'existing' : 'failed');
		if (onExisting === 'fail') expect(row.error).toMatchObject({ code: 'user.exists', field: 'email' });
		expect(user).toMatchObject({ name: rival.name, version: rival.version ?? 1 });
		expect(granted).toEqual({ roles: [], skills: [], queued: false, invited: false });
	});
});
