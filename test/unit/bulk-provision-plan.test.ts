import {
	decideAction,
	existingUserError,
	fieldChanges,
	followUpsFor,
	planRow,
	restoreState,
	stateChange,
} from '../../nodes/GenesysCloudBulkCreateUsers/engine/policy';
import { settings, user, validRow } from './bulk-provision-fixtures';

describe('decideAction', () => {
	const found = {
		none: undefined,
		active: user({ id: 'u1', state: 'active' }),
		inactive: user({ id: 'u2', state: 'inactive' }),
		deleted: user({ id: 'u3', state: 'deleted' }),
	};

	test.each([
		['skip', false, 'none', 'create'],
		['skip', false, 'active', 'skip'],
		['skip', false, 'inactive', 'skip'],
		['update', false, 'active', 'update'],
		['update', false, 'inactive', 'update'],
		['fail', false, 'active', 'fail'],
		['skip', false, 'deleted', 'fail'],
		['update', false, 'deleted', 'fail'],
		['fail', false, 'deleted', 'fail'],
		['skip', true, 'deleted', 'restore'],
		['update', true, 'deleted', 'restore'],
		['fail', true, 'deleted', 'restore'],
		['fail', true, 'active', 'fail'],
	] as const)(
		'onExisting=%s restoreDeleted=%s existing user=%s -> %s',
		(onExisting, restoreDeleted, state, expected) => {
			expect(decideAction(found[state], { onExisting, restoreDeleted })).toBe(expected);
		},
	);
});

describe('existingUserError', () => {
	test('a deleted user: says so and how to restore', () => {
		const error = existingUserError(user({ id: 'u9', state: 'deleted' }), 'a@example.com');
		expect(error.field).toBe('email');
		expect(error.code).toBe('user.deleted');
		expect(error.message).toContain('deleted');
		expect(error.message).toContain('u9');
		expect(error.message).toContain('Restore Deleted Users');
	});

	test('a live user: names it and the option to change', () => {
		const error = existingUserError(user({ id: 'u8', state: 'inactive' }), 'a@example.com');
		expect(error.code).toBe('user.exists');
		expect(error.message).toContain('u8');
		expect(error.message).toContain('inactive');
		expect(error.message).toContain('If User Exists');
	});
});

describe('fieldChanges and stateChange', () => {
	const row = validRow(0, {
		email: 'a@example.com',
		name: 'Ann Example',
		title: 'Agent',
		department: 'Support',
		addresses: [{ address: '+15555550100', mediaType: 'PHONE', type: 'WORK' }],
	});

	test('every mapped field for a user holding none of them', () => {
		expect(fieldChanges(row, user({ id: 'u', name: 'Old' }))).toEqual({
			name: 'Ann Example',
			title: 'Agent',
			department: 'Support',
			addresses: [{ address: '+15555550100', mediaType: 'PHONE', type: 'WORK' }],
		});
	});

	test('nothing when the user already holds the values (server-added contact fields ignored)', () => {
		const current = user({
			id: 'u',
			name: 'Ann Example',
			title: 'Agent',
			department: 'Support',
			addresses: [{ address: '+15555550100', mediaType: 'PHONE', type: 'WORK', display: '(555) 555-0100' }],
		});
		expect(fieldChanges(row, current)).toEqual({});
	});

	test('fields the row does not map are never sent', () => {
		const bare = validRow(0, { email: 'a@example.com', name: 'Ann' });
		expect(fieldChanges(bare, user({ id: 'u', name: 'Ann', title: 'Boss', department: 'X' }))).toEqual({});
	});

	test('state only when the row asks for another one', () => {
		expect(stateChange(validRow(0, { email: 'a@x.io', state: 'inactive' }), user({ id: 'u', state: 'active' }))).toBe(
			'inactive',
		);
		expect(
			stateChange(validRow(0, { email: 'a@x.io', state: 'active' }), user({ id: 'u', state: 'active' })),
		).toBeUndefined();
		expect(stateChange(validRow(0, { email: 'a@x.io' }), user({ id: 'u', state: 'inactive' }))).toBeUndefined();
	});

	test('a restored user is active unless the row wants it inactive', () => {
		expect(restoreState(validRow(0, { email: 'a@x.io' }))).toBe('active');
		expect(restoreState(validRow(0, { email: 'a@x.io', state: 'active' }))).toBe('active');
		expect(restoreState(validRow(0, { email: 'a@x.io', state: 'inactive' }))).toBe('inactive');
	});
});

describe('followUpsFor', () => {
	const row = validRow(
		0,
		{ email: 'a@example.com' },
		{
			manager: 'boss@example.com',
			externalKey: 'E1',
			roles: [{ roleId: 'r1', divisionId: '*' }],
			skills: [{ id: 's1', proficiency: 2 }],
			queueIds: ['q1'],
		},
	);

	test('in order, invite for new and restored users, for updated ones only on a resend', () => {
		const all = ['externalId', 'roles', 'skills', 'queues', 'manager', 'invite'];
		expect(followUpsFor(row, { sendInvite: true, resendInvite: false }, 'create')).toEqual(all);
		expect(followUpsFor(row, { sendInvite: true, resendInvite: false }, 'restore')).toEqual(all);
		expect(followUpsFor(row, { sendInvite: true, resendInvite: false }, 'update')).toEqual(all.slice(0, 5));
		expect(followUpsFor(row, { sendInvite: false, resendInvite: false }, 'create')).toEqual(all.slice(0, 5));
		expect(followUpsFor(row, { sendInvite: false, resendInvite: true }, 'update')).toEqual(all);
	});

	test('none for skipped or failed rows, none asked for by a bare row', () => {
		expect(followUpsFor(row, { sendInvite: true, resendInvite: false }, 'skip')).toEqual([]);
		expect(followUpsFor(row, { sendInvite: true, resendInvite: false }, 'fail')).toEqual([]);
		expect(followUpsFor(validRow(1, { email: 'b@example.com' }), { sendInvite: false, resendInvite: false }, 'create')).toEqual([]);
	});
});

describe('planRow (dry run)', () => {
	const row = validRow(
		2,
		{ email: 'c@example.com', name: 'Cee', title: 'Lead' },
		{ roles: [{ roleId: 'r1', divisionId: '*' }], password: 'S3cret!pass' },
	);

	test('a new user: the CreateUser body (no password: it is set afterwards), follow-ups planned', () => {
		const planned = planRow(row, undefined, settings({ sendInvite: true, resendInvite: false }));
		expect(planned).toMatchObject({
			status: 'planned',
			action: 'create',
			row: 3,
			email: 'c@example.com',
		});
		expect(planned.body).toEqual({
			email: 'c@example.com',
			name: 'Cee',
			title: 'Lead',
			state: 'active',
		});
		expect(planned.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
			'lookup:done',
			'create:planned',
			'password:planned',
			'roles:planned',
			'invite:planned',
		]);
		expect(JSON.stringify(planned)).not.toContain('S3cret!pass');
	});

	test('an existing user under update: only the changed fields, with its version', () => {
		const found = user({ id: 'u5', email: 'c@example.com', name: 'Cee', title: 'Old', version: 7 });
		const planned = planRow(row, found, settings({ onExisting: 'update', sendInvite: true }));
		expect(planned).toMatchObject({ status: 'planned', action: 'update', userId: 'u5' });
		expect(planned.body).toEqual({ title: 'Lead', version: 7 });
		expect(planned.steps.map((s) => s.step)).toEqual(['lookup', 'update', 'roles']);
	});

	test('a deleted user: restore body when allowed, the failure reason otherwise', () => {
		const found = user({ id: 'u6', email: 'c@example.com', state: 'deleted', version: 4 });
		const restore = planRow(row, found, settings({ restoreDeleted: true }));
		expect(restore).toMatchObject({ action: 'restore', body: { state: 'active', version: 4 } });
		const fail = planRow(row, found, settings({ restoreDeleted: false }));
		expect(fail).toMatchObject({
			status: 'planned',
			action: 'fail',
			error: { code: 'user.deleted', field: 'email' },
		});
		expect(fail.steps.map((s) => s.step)).toEqual(['lookup']);
	});

	test('an existing user under skip: nothing planned after the lookup', () => {
		const found = user({ id: 'u7', email: 'c@example.com' });
		const planned = planRow(row, found, settings());
		expect(planned).toMatchObject({ action: 'skip', userId: 'u7', user: { id: 'u7' } });
		expect(planned.body).toBeUndefined();
		expect(planned.steps).toHaveLength(1);
	});
});
