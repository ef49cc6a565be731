/**
 * The evidence rule after a create whose answer was lost (engine/ownership.ts): a user is this run's only when
 * it holds exactly what was sent and nothing shows it was touched since.
 */
import { judgeOwnership } from '../../nodes/GenesysCloudBulkCreateUsers/engine/ownership';
import type { GenesysUser } from '../../nodes/GenesysCloudBulkCreateUsers/engine/userApi';
import type { CreateUserBody } from '../../nodes/GenesysCloudBulkCreateUsers/input/schema';

const SENT: CreateUserBody = {
	name: 'Ann Lost',
	email: 'Ann.Lost@example.com',
	department: 'Support',
	state: 'active',
	divisionId: 'div-1',
	addresses: [{ address: '+1 (555) 010-0200', mediaType: 'PHONE', type: 'WORK' }],
};

const MADE: GenesysUser = {
	id: 'u-1',
	name: 'Ann Lost',
	email: 'ann.lost@example.com',
	department: 'Support',
	state: 'active',
	division: { id: 'div-1' },
	addresses: [
		{ address: '+15550100200', mediaType: 'PHONE', type: 'WORK' },
		{ address: 'ann.lost@example.com', mediaType: 'EMAIL', type: 'PRIMARY' },
	],
	version: 1,
	manager: null,
};

it('the user the POST makes, as Genesys stores it, is ours', () => {
	expect(judgeOwnership(SENT, MADE)).toEqual({ ours: true });
	// The version a clean create of the run showed is the one expected.
	expect(judgeOwnership(SENT, { ...MADE, version: 2 }, 2)).toEqual({ ours: true });
});

it.each<[string, Partial<GenesysUser>, RegExp]>([
	['deleted', { state: 'deleted' }, /deleted/],
	['another email', { email: 'someone@example.com' }, /email differs/],
	['another name', { name: 'Ann Other' }, /name differs/],
	['a department changed', { department: 'Sales' }, /department differs/],
	['a title nobody sent', { title: 'Lead' }, /title the row does not give/],
	['another division', { division: { id: 'div-2' } }, /division differs/],
	['another state', { state: 'inactive' }, /state differs/],
	['another phone', { addresses: [{ address: '+15550100999', mediaType: 'PHONE', type: 'WORK' }] }, /phone numbers differ/],
	['an extra phone', { addresses: [...(MADE.addresses ?? []), { address: '123', mediaType: 'PHONE', type: 'MOBILE' }] }, /phone numbers differ/],
	['a later version', { version: 4 }, /changed after its create \(version 4, a new user has 1\)/],
	['a manager', { manager: { id: 'm-1' } }, /manager/],
	['a login', { dateLastLogin: '2024-01-01T00:00:00Z' }, /logged in/],
	['an invitation', { dateWelcomeSent: '2024-01-01T00:00:00Z' }, /invitation/],
])('a user with %s is not provably ours', (_label, change, reason) => {
	const verdict = judgeOwnership(SENT, { ...MADE, ...change });
	expect(verdict.ours).toBe(false);
	if (!verdict.ours) expect(verdict.reason).toMatch(reason);
});
