/**
 * Everything checked before any write: existing users by email, in every state (soft-deleted included:
 * docs/GENESYS.md, "Deleted users"), found by batched searches (../../GenesysCloud/userSearch); and the
 * ids rows refer to (division, roles, skills, queues, manager), each distinct id once, so a typo makes its
 * rows `invalid` instead of leaving half-provisioned users behind.
 */
import type { GenesysApi } from '../../GenesysCloud/genesysApi';
import { pathSegment } from '../../GenesysCloud/genesysApi';
import { runPool } from '../../GenesysCloud/pool';
import type { FieldError } from '../../GenesysCloud/resultError';
import { searchUserBatches, userSearchBatches } from '../../GenesysCloud/userSearch';
import { clip } from '../input/limits';
import type { ValidRow } from '../types';
import type { GenesysUser } from './userApi';
import {
	ANY_STATE,
	emailKey,
	errorFacts,
	indexByEmail,
	isAccessFailure,
	isDeleted,
	isEmail,
	isNotFound,
	isRunStopper,
} from './userApi';

// ---- Existing users ------------------------------------------------------------------------------------

export interface LookupResult {
	/** Lower-cased email -> user, any state. */
	users: Map<string, GenesysUser>;
	/** Lower-cased email -> the error of the search that should have covered it. */
	errors: Map<string, unknown>;
}

/** Looks up many emails in batched searches (see userSearch.ts for their size), `concurrency` at a time. */
export async function lookupUsersByEmail(
	api: GenesysApi,
	emails: Iterable<string>,
	concurrency: number,
	shouldStart: () => boolean = () => true,
): Promise<LookupResult> {
	const outcomes = await searchUserBatches<GenesysUser>(api, userSearchBatches('email', emails), {
		states: ANY_STATE,
		concurrency,
		shouldStart,
	});
	const found: GenesysUser[] = [];
	const errors = new Map<string, unknown>();
	for (const outcome of outcomes) {
		if (outcome.ok) found.push(...outcome.users);
		else for (const value of outcome.batch.values) errors.set(emailKey(value), outcome.error);
	}
	const users = indexByEmail(found);
	for (const key of users.keys()) errors.delete(key);
	return { users, errors };
}

/** True when a lookup error is about who may call, not about one email: the run cannot go on. */
export function isAccessError(error: unknown): boolean {
	return isAccessFailure(errorFacts(error));
}

// ---- References ----------------------------------------------------------------------------------------

export type ReferenceKind = 'division' | 'role' | 'skill' | 'queue' | 'user';

export interface Reference {
	kind: ReferenceKind;
	id: string;
	/** Where the row names it, for the row's error. */
	field: string;
}

/** `*` grants a role in every division (docs/GENESYS.md, "Follow-up requests"): nothing to check. */
const ALL_DIVISIONS = '*';

const LABELS: Record<ReferenceKind, string> = {
	division: 'Division',
	role: 'Role',
	skill: 'Routing skill',
	queue: 'Queue',
	user: 'Manager',
};

export function referencePath(kind: ReferenceKind, id: string): string {
	switch (kind) {
		case 'division':
			return `/api/v2/authorization/divisions/${pathSegment(id)}`;
		case 'role':
			return `/api/v2/authorization/roles/${pathSegment(id)}`;
		case 'skill':
			return `/api/v2/routing/skills/${pathSegment(id)}`;
		case 'queue':
			return `/api/v2/routing/queues/${pathSegment(id)}`;
		case 'user':
			return `/api/v2/users/${pathSegment(id)}`;
	}
}

export function referenceKey(kind: ReferenceKind, id: string): string {
	return `${kind}:${id}`;
}

/** Every id a row refers to. Managers given by email are checked against the lookup instead. */
export function rowReferences(row: ValidRow): Reference[] {
	const refs: Reference[] = [];
	const divisionId = row.create.divisionId;
	if (divisionId) refs.push({ kind: 'division', id: divisionId, field: 'divisionId' });
	row.followUps.roles.forEach((grant, i) => {
		refs.push({ kind: 'role', id: grant.roleId, field: `roles[${i}]` });
		if (grant.divisionId && grant.divisionId !== ALL_DIVISIONS) {
			refs.push({ kind: 'division', id: grant.divisionId, field: `roles[${i}].divisionId` });
		}
	});
	row.followUps.skills.forEach((skill, i) => refs.push({ kind: 'skill', id: skill.id, field: `skills[${i}]` }));
	row.followUps.queueIds.forEach((id, i) => refs.push({ kind: 'queue', id, field: `queues[${i}]` }));
	const manager = row.followUps.manager;
	if (manager && !isEmail(manager)) refs.push({ kind: 'user', id: manager, field: 'manager' });
	return refs;
}

export type ReferenceState = 'exists' | 'missing' | 'unchecked';

export interface ReferenceCheck {
	states: Map<string, ReferenceState>;
	/** Set when a check hit an error no other request would escape (credentials, daily limit). */
	stopError?: unknown;
}

/**
 * GETs each distinct reference once. Only 404 counts as missing: any other failure (say, a missing view
 * permission) leaves the id unchecked, and the follow-up itself will report what Genesys says.
 */
export async function checkReferences(
	api: GenesysApi,
	refs: Iterable<Reference>,
	concurrency: number,
	shouldStart: () => boolean = () => true,
): Promise<ReferenceCheck> {
	const distinct = new Map<string, Reference>();
	for (const ref of refs) distinct.set(referenceKey(ref.kind, ref.id), ref);
	const check: ReferenceCheck = { states: new Map() };
	await runPool(
		[...distinct.entries()],
		concurrency,
		async ([key, ref]) => {
			check.states.set(key, await checkOne(api, ref, check));
		},
		() => check.stopError === undefined && shouldStart(),
	);
	return check;
}

async function checkOne(api: GenesysApi, ref: Reference, check: ReferenceCheck): Promise<ReferenceState> {
	try {
		await api.request<unknown>({ method: 'GET', path: referencePath(ref.kind, ref.id), idempotent: true });
		return 'exists';
	} catch (error) {
		const facts = errorFacts(error);
		if (isNotFound(facts)) return 'missing';
		if (isRunStopper(facts)) check.stopError ??= error;
		return 'unchecked';
	}
}

/** Field errors of a row whose references were found missing. */
export function referenceErrors(row: ValidRow, states: ReadonlyMap<string, ReferenceState>): FieldError[] {
	return rowReferences(row)
		.filter((ref) => states.get(referenceKey(ref.kind, ref.id)) === 'missing')
		.map((ref) => ({ field: ref.field, message: `${LABELS[ref.kind]} ${clip(ref.id)} does not exist in Genesys Cloud` }));
}

/**
 * A manager given by email must be a live user found by the lookup, or another valid row of this input
 * (created or restored by the run).
 */
export function managerErrors(
	row: ValidRow,
	existing: ReadonlyMap<string, GenesysUser>,
	inputEmails: ReadonlySet<string>,
): FieldError[] {
	const manager = row.followUps.manager;
	if (!manager || !isEmail(manager)) return [];
	const key = emailKey(manager);
	if (inputEmails.has(key)) return [];
	const found = existing.get(key);
	if (found && !isDeleted(found)) return [];
	const reason = found ? 'is a deleted Genesys Cloud user' : 'was not found in Genesys Cloud or in the input';
	return [{ field: 'manager', message: `The manager ${clip(manager)} ${reason}` }];
}
