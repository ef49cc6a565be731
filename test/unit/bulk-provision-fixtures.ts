/**
 * Hand-made rows and settings for the provisioning unit tests.
 */
import type {
	BulkCreateSettings,
	FollowUps,
	InvalidRow,
	ValidRow,
} from '../../nodes/GenesysCloudBulkCreateUsers/types';
import type { CreateUserBody } from '../../nodes/GenesysCloudBulkCreateUsers/input/schema';
import type { GenesysUser } from '../../nodes/GenesysCloudBulkCreateUsers/engine/userApi';

export function settings(overrides: Partial<BulkCreateSettings> = {}): BulkCreateSettings {
	return {
		inputSource: 'items',
		onExisting: 'skip',
		restoreDeleted: false,
		dryRun: false,
		concurrency: 4,
		requestsPerMinute: 6000,
		rateLimitWindowSeconds: 60,
		includeSummary: false,
		reconcileWindowSeconds: 180,
		sendInvite: false,
		resendInvite: false,
		newUserState: 'active',
		roleDivisionId: '*',
		...overrides,
	};
}

export function validRow(
	position: number,
	create: Partial<CreateUserBody> & { email: string },
	followUps: Partial<FollowUps> = {},
): ValidRow {
	return {
		kind: 'valid',
		index: position,
		row: position + 1,
		itemIndex: position,
		email: create.email,
		create: { name: `User ${position + 1}`, ...create },
		followUps: { roles: [], skills: [], queueIds: [], ...followUps },
	};
}

export function invalidRow(position: number, field: string, message: string, email?: string): InvalidRow {
	return {
		kind: 'invalid',
		index: position,
		row: position + 1,
		itemIndex: position,
		email,
		errors: [{ field, message }],
	};
}

export function user(overrides: Partial<GenesysUser> & { id: string }): GenesysUser {
	return { name: 'Someone', email: 'someone@example.com', state: 'active', version: 3, ...overrides };
}
