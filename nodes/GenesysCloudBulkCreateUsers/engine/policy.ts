/**
 * The existing-user policy and every other pure decision of a row, shared by real runs and dry runs so a dry
 * run predicts exactly what a real run does; and the dry run's plan of a row.
 */
import type { ResultError } from '../../GenesysCloud/resultError';
import type { Contact } from '../input/schema';
import type { BulkCreateSettings, FollowUpStep, StepResult, UserResult, ValidRow } from '../types';
import type { GenesysUser, UserContact } from './userApi';
import { isDeleted } from './userApi';

export type Action = 'create' | 'update' | 'restore' | 'skip' | 'fail';

/** Done right after the main stage, row by row. */
export const FIRST_PHASE: readonly FollowUpStep[] = ['externalId', 'roles', 'skills', 'queues'];
/** Done once every row's main stage is over, so a manager created by this run is known whatever the order. */
export const SECOND_PHASE: readonly FollowUpStep[] = ['manager', 'invite'];

export type PolicySettings = Pick<BulkCreateSettings, 'onExisting' | 'restoreDeleted'>;

/** What to do with a row given the user (if any) that already holds its email. */
export function decideAction(found: GenesysUser | undefined, settings: PolicySettings): Action {
	if (!found) return 'create';
	if (isDeleted(found)) return settings.restoreDeleted ? 'restore' : 'fail';
	if (settings.onExisting === 'skip') return 'skip';
	if (settings.onExisting === 'update') return 'update';
	return 'fail';
}

/** Why a row with an existing user fails, saying how to get past it. */
export function existingUserError(found: GenesysUser, email: string): ResultError {
	if (isDeleted(found)) {
		return {
			message:
				`The email ${email} belongs to a deleted Genesys Cloud user (${found.id}). ` +
				'Turn on the "Restore Deleted Users" option to restore that user, or restore it in Genesys Cloud Admin > People.',
			code: 'user.deleted',
			field: 'email',
		};
	}
	return {
		message:
			`A Genesys Cloud user with the email ${email} already exists (${found.id}, ${found.state ?? 'unknown state'}). ` +
			'Set "If User Exists" to "Skip" or "Update" to accept existing users.',
		code: 'user.exists',
		field: 'email',
	};
}

/** State a restored user gets: the row's state when it asks for inactive, else active. */
export function restoreState(row: ValidRow): 'active' | 'inactive' {
	return row.create.state === 'inactive' ? 'inactive' : 'active';
}

/** The UpdateUser fields to PATCH on an existing user: only mapped fields that differ from what it holds. */
export interface UserFieldChanges {
	name?: string;
	department?: string;
	title?: string;
	addresses?: Contact[];
}

export function fieldChanges(row: ValidRow, current: GenesysUser | undefined): UserFieldChanges {
	const { create } = row;
	const changes: UserFieldChanges = {};
	if (create.name !== undefined && create.name !== current?.name) changes.name = create.name;
	if (create.department !== undefined && create.department !== current?.department) {
		changes.department = create.department;
	}
	if (create.title !== undefined && create.title !== current?.title) changes.title = create.title;
	if (create.addresses !== undefined && !sameContacts(create.addresses, current?.addresses)) {
		changes.addresses = create.addresses.map((contact) => ({ ...contact }));
	}
	return changes;
}

/** `state` must be the only field of its PATCH (docs/GENESYS.md, "Users"): decided apart from the others. */
export function stateChange(row: ValidRow, current: GenesysUser | undefined): 'active' | 'inactive' | undefined {
	const wanted = row.create.state;
	if (wanted !== 'active' && wanted !== 'inactive') return undefined;
	return wanted === current?.state ? undefined : wanted;
}

function contactKey(contact: UserContact): string {
	return JSON.stringify([contact.mediaType ?? '', contact.type ?? '', contact.address ?? '', contact.extension ?? '']);
}

function sameContacts(wanted: readonly UserContact[], current: readonly UserContact[] | undefined): boolean {
	const held = new Set((current ?? []).map(contactKey));
	return wanted.length === held.size && wanted.every((contact) => held.has(contactKey(contact)));
}

/** Follow-up steps a row asks for, in the order they run. Invites go to new and restored users only. */
export function followUpsFor(
	row: ValidRow,
	settings: Pick<BulkCreateSettings, 'sendInvite'>,
	action: Action,
): FollowUpStep[] {
	if (action !== 'create' && action !== 'update' && action !== 'restore') return [];
	const { followUps } = row;
	const steps: FollowUpStep[] = [];
	if (followUps.externalKey) steps.push('externalId');
	if (followUps.roles.length > 0) steps.push('roles');
	if (followUps.skills.length > 0) steps.push('skills');
	if (followUps.queueIds.length > 0) steps.push('queues');
	if (followUps.manager) steps.push('manager');
	if (settings.sendInvite && action !== 'update') steps.push('invite');
	return steps;
}

/**
 * Why a follow-up the row asks for is not sent under these settings, known before any write; undefined when
 * it is sent. A real run and a dry run both record it as a skipped step with this note, and the row does not
 * fail for it: an External Key without an External ID Authority (typically an HRIS `employee_id` column that
 * Map Automatically picked up) is not registered, rather than creating the user and then failing the row.
 */
export function followUpSkipReason(
	step: FollowUpStep,
	settings: Pick<BulkCreateSettings, 'externalIdAuthority'>,
): string | undefined {
	if (step === 'externalId' && !settings.externalIdAuthority) return NO_AUTHORITY_NOTE;
	return undefined;
}

export const NO_AUTHORITY_NOTE =
	'External Key not registered: set Options > External ID Authority (the system of record, e.g. Workday) to register it';

export function lookupStep(found: GenesysUser | undefined): StepResult {
	return {
		step: 'lookup',
		status: 'done',
		detail: found ? `found ${found.state ?? 'existing'} user ${found.id}` : 'no user with this email',
	};
}

/** Replaces values a dry-run output must not echo. */
export function redactBody<T extends object>(body: T): T {
	if (!('password' in body)) return body;
	return { ...body, password: '[redacted]' };
}

/** Dry run: the result a real run is expected to produce, without sending anything. */
export function planRow(
	row: ValidRow,
	found: GenesysUser | undefined,
	settings: Pick<BulkCreateSettings, 'onExisting' | 'restoreDeleted' | 'sendInvite' | 'externalIdAuthority'>,
): UserResult {
	const action = decideAction(found, settings);
	const result: UserResult = { status: 'planned', row: row.row, email: row.email, action, steps: [lookupStep(found)] };
	if (found) {
		result.userId = found.id;
		result.user = { ...found };
	}
	const planned = (step: StepResult['step'], detail?: string): void => {
		result.steps.push(detail === undefined ? { step, status: 'planned' } : { step, status: 'planned', detail });
	};
	switch (action) {
		case 'create':
			result.body = redactBody({ ...row.create });
			planned('create', 'POST /api/v2/users');
			break;
		case 'restore':
			result.body = { state: restoreState(row), version: found?.version };
			planned('restore', `PATCH /api/v2/users/${found?.id}`);
			planUpdate(row, found, result);
			break;
		case 'update':
			planUpdate(row, found, result);
			break;
		case 'skip':
			return result;
		case 'fail':
			if (found) result.error = existingUserError(found, row.email);
			return result;
	}
	for (const step of followUpsFor(row, settings, action)) {
		const skipped = followUpSkipReason(step, settings);
		if (skipped) result.steps.push({ step, status: 'skipped', detail: skipped });
		else planned(step, followUpDetail(row, step, settings.externalIdAuthority));
	}
	return result;
}

function planUpdate(row: ValidRow, found: GenesysUser | undefined, result: UserResult): void {
	// After a restore the user is in the state asked for: its state needs no second PATCH.
	const state = result.action === 'restore' ? undefined : stateChange(row, found);
	const changes = fieldChanges(row, found);
	const fields = Object.keys(changes);
	if (!state && fields.length === 0) {
		result.steps.push({ step: 'update', status: 'skipped', detail: 'no changes' });
		return;
	}
	if (result.action === 'update') {
		// `state` goes alone in its own PATCH; the body shown is the one carrying the mapped fields.
		result.body = fields.length > 0 ? { ...changes, version: found?.version } : { state, version: found?.version };
	}
	const details = [...(state ? [`state: ${state}`] : []), ...fields];
	result.steps.push({ step: 'update', status: 'planned', detail: details.join(', ') });
}

function followUpDetail(row: ValidRow, step: FollowUpStep, authority: string | undefined): string {
	const { followUps } = row;
	switch (step) {
		case 'externalId':
			return `${authority ?? ''}: ${followUps.externalKey}`;
		case 'roles':
			return followUps.roles.map((grant) => `${grant.roleId}@${grant.divisionId}`).join(', ');
		case 'skills':
			return followUps.skills.map((skill) => `${skill.id}=${skill.proficiency}`).join(', ');
		case 'queues':
			return followUps.queueIds.join(', ');
		case 'manager':
			return followUps.manager ?? '';
		case 'invite':
			return 'send invitation email';
	}
}
