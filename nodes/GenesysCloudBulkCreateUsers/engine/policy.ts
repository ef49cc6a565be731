/**
 * The existing-user policy and every other pure decision of a row, shared by real runs and dry runs so a dry
 * run predicts exactly what a real run does; and the dry run's plan of a row.
 */
import type { ResultError } from '../../GenesysCloud/resultError';
import { clip } from '../input/limits';
import type { Contact } from '../input/schema';
import type { BulkCreateSettings, FollowUpStep, StepResult, UserResult, ValidRow } from '../types';
import type { GenesysUser, UserContact } from './userApi';
import { isDeleted } from './userApi';
import type { HomeDivision } from './divisions';
import { grantDivision } from './divisions';
import { newUserBody, newUserState } from './newUser';

export type Action = 'create' | 'update' | 'restore' | 'skip' | 'fail';

/** Done right after the main stage, row by row. */
export const FIRST_PHASE: readonly FollowUpStep[] = ['password', 'externalId', 'roles', 'skills', 'queues'];
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
				`The email ${clip(email)} belongs to a deleted Genesys Cloud user (${found.id}). ` +
				'Turn on the "Restore Deleted Users" option to restore that user, or restore it in Genesys Cloud Admin > People.',
			code: 'user.deleted',
			field: 'email',
		};
	}
	return {
		message:
			`A Genesys Cloud user with the email ${clip(email)} already exists (${found.id}, ${found.state ?? 'unknown state'}). ` +
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
	if (create.addresses !== undefined) {
		const merged = mergeAddresses(current?.addresses ?? [], create.addresses);
		if (!sameContacts(merged, current?.addresses ?? [])) changes.addresses = merged;
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

/** Contacts are replaced by media type and type: a row's work phone replaces the user's work phone only. */
function slotOf(contact: UserContact): string {
	return `${contact.mediaType ?? ''}/${contact.type ?? ''}`;
}

/** What we may send back of a contact Genesys returned (`display` and the like are read-only). */
function writableContact(contact: UserContact): Contact {
	const writable: Record<string, unknown> = {};
	for (const key of CONTACT_FIELDS) if (contact[key] !== undefined) writable[key] = contact[key];
	return writable as Contact;
}

const CONTACT_FIELDS = ['address', 'mediaType', 'type', 'extension', 'countryCode', 'integration'] as const;

/**
 * The user's contact list with the row's entries over those of the same media type and type. PATCH
 * replaces the whole list (docs/GENESYS.md, "Users"), so sending only the row's phones would delete the
 * user's other phones, extensions and emails. The PRIMARY email is never in `addresses`, so it stays as it is.
 */
export function mergeAddresses(current: readonly UserContact[], wanted: readonly Contact[]): Contact[] {
	const bySlot = new Map(wanted.map((contact) => [slotOf(contact), contact]));
	const placed = new Set<string>();
	const merged: Contact[] = [];
	for (const contact of current) {
		const slot = slotOf(contact);
		const replacement = bySlot.get(slot);
		if (!replacement) merged.push(writableContact(contact));
		else if (!placed.has(slot)) {
			merged.push(replaceContact(contact, replacement));
			placed.add(slot);
		}
	}
	for (const [slot, contact] of bySlot) if (!placed.has(slot)) merged.push({ ...contact });
	return merged;
}

/**
 * The row's entry over the user's: what the row sets wins, what it leaves out stays (a work number without
 * an extension keeps the user's extension). A new number drops the old number's country.
 */
function replaceContact(current: UserContact, replacement: Contact): Contact {
	const base = writableContact(current);
	if (replacement.address !== undefined && replacement.address !== base.address) delete base.countryCode;
	return { ...base, ...replacement };
}

/** Same entries in the same order: a merge that changed nothing leaves the list as it was. */
function sameContacts(merged: readonly UserContact[], current: readonly UserContact[]): boolean {
	return merged.length === current.length && merged.every((contact, i) => contactKey(contact) === contactKey(current[i]));
}

/**
 * Follow-up steps a row asks for, in the order they run. Invites go to new and restored users, and to updated
 * users only when a resend is asked for: a plain rerun sends none.
 */
export function followUpsFor(
	row: ValidRow,
	settings: Pick<BulkCreateSettings, 'sendInvite' | 'resendInvite'>,
	action: Action,
): FollowUpStep[] {
	if (action !== 'create' && action !== 'update' && action !== 'restore') return [];
	const { followUps } = row;
	const steps: FollowUpStep[] = [];
	// An initial password is for a new user only: an update must not reset a password the user has changed.
	if (followUps.password && action === 'create') steps.push('password');
	if (followUps.externalKey) steps.push('externalId');
	if (followUps.roles.length > 0) steps.push('roles');
	if (followUps.skills.length > 0) steps.push('skills');
	if (followUps.queueIds.length > 0) steps.push('queues');
	if (followUps.manager) steps.push('manager');
	if (action === 'update' ? settings.resendInvite : settings.sendInvite) steps.push('invite');
	return steps;
}

/**
 * Why a follow-up the row asks for is not sent under these settings, known before any write; undefined when
 * it is sent. A real run and a dry run both record it as a skipped step with this note, and the row does not
 * fail for it.
 * - An External Key without an External ID Authority (typically an HRIS `employee_id` column that Map
 *   Automatically picked up) is not registered, rather than creating the user and then failing the row.
 * - An invitation activates an inactive user (docs/GENESYS.md, "Users"), so a user meant to stay inactive
 *   gets none.
 */
export function followUpSkipReason(
	row: ValidRow,
	settings: Pick<BulkCreateSettings, 'newUserState' | 'externalIdAuthority'>,
	action: Action | undefined,
	step: FollowUpStep,
): string | undefined {
	if (step === 'externalId' && !settings.externalIdAuthority) return NO_AUTHORITY_NOTE;
	if (step !== 'invite') return undefined;
	const wanted = action === 'create' ? newUserState(row, settings) : row.create.state;
	return wanted === 'inactive' ? 'not sent: the user is to stay inactive and an invitation would activate it' : undefined;
}

export const NO_AUTHORITY_NOTE =
	'External Key not registered: set Options > External ID Authority (the system of record, e.g. Workday) to register it';

/**
 * Whether the invitation is sent with `force=true`. Without it Genesys sends nothing while an earlier
 * invitation is outstanding (docs/GENESYS.md, "Follow-up requests"): right for a new user, who has none.
 * A restored user's old invitation may still count, and an update only invites when a resend is asked for.
 */
export function inviteForced(action: Action | undefined): boolean {
	return action === 'restore' || action === 'update';
}

/** The action a row's main stage carried out, from its outcome. */
export function outcomeAction(outcome: 'created' | 'updated' | 'restored' | 'existing' | undefined): Action | undefined {
	if (outcome === 'created') return 'create';
	if (outcome === 'updated') return 'update';
	if (outcome === 'restored') return 'restore';
	return undefined;
}

/** The invite step's detail, planned (`send`) or done (`sent`). */
export function inviteDetail(force: boolean, tense: 'send' | 'sent'): string {
	const base = tense === 'send' ? 'send invitation email' : 'invitation sent';
	return force ? `${base} with force=true (even if one is outstanding)` : base;
}

export function lookupStep(found: GenesysUser | undefined): StepResult {
	return {
		step: 'lookup',
		status: 'done',
		detail: found ? `found ${found.state ?? 'existing'} user ${found.id}` : 'no user with this email',
	};
}

/** Dry run: the result a real run is expected to produce, without sending anything. */
export function planRow(
	row: ValidRow,
	found: GenesysUser | undefined,
	settings: Pick<
		BulkCreateSettings,
		'onExisting' | 'restoreDeleted' | 'sendInvite' | 'resendInvite' | 'externalIdAuthority' | 'newUserState'
	>,
	home?: HomeDivision,
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
			result.body = newUserBody(row, settings);
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
		const skip = followUpSkipReason(row, settings, action, step);
		if (skip) result.steps.push({ step, status: 'skipped', detail: skip });
		else planned(step, followUpDetail(row, step, action, settings.externalIdAuthority, home));
	}
	return result;
}

function planUpdate(row: ValidRow, found: GenesysUser | undefined, result: UserResult): void {
	// After a restore the user is in the state asked for: its state needs no second PATCH.
	const state = result.action === 'restore' ? undefined : stateChange(row, found);
	const changes = fieldChanges(row, found);
	const fields = Object.keys(changes);
	if (!state && fields.length === 0) {
		result.steps.push({ step: 'update', status: 'skipped', detail: 'unchanged' });
		return;
	}
	if (result.action === 'update') {
		// `state` goes alone in its own PATCH; the body shown is the one carrying the mapped fields.
		result.body = fields.length > 0 ? { ...changes, version: found?.version } : { state, version: found?.version };
	}
	const details = [...(state ? [`state: ${state}`] : []), ...fields];
	result.steps.push({ step: 'update', status: 'planned', detail: details.join(', ') });
}

function followUpDetail(
	row: ValidRow,
	step: FollowUpStep,
	action: Action,
	authority: string | undefined,
	home: HomeDivision | undefined,
): string {
	const { followUps } = row;
	switch (step) {
		case 'password':
			return 'set the initial password (POST /api/v2/users/{id}/password)';
		case 'externalId':
			return `${authority ?? ''}: ${followUps.externalKey}`;
		case 'roles':
			return followUps.roles
				.map((grant) => `${grant.roleId}@${grantDivision(grant, row, home) ?? '(home division unknown)'}`)
				.join(', ');
		case 'skills':
			return followUps.skills.map((skill) => `${skill.id}=${skill.proficiency}`).join(', ');
		case 'queues':
			return followUps.queueIds.join(', ');
		case 'manager':
			return followUps.manager ?? '';
		case 'invite':
			return inviteDetail(inviteForced(action), 'send');
	}
}
