/**
 * Users: create, read, update with optimistic `version`, soft delete and restore (docs/GENESYS.md, "Users",
 * "Deleted users").
 */
import type { EmulatorCore } from '../core';
import { applied, badRequest, conflict, notFound, ok, type RouteResult } from '../errors';
import { route, type RequestInfo, type Route } from '../router';
import type { EmuUser } from '../types';
import { CreateUserSchema, parseBody, UpdateUserSchema, type UpdateUserBody } from '../validation';
import { userJson } from '../views';
import { bumpUser, configurePassword, scopedUser } from './common';

function emailConflict(email: string): RouteResult {
	return conflict(`A user with email address ${email} already exists in this organization`);
}

function createUser(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(CreateUserSchema, req.body);
	if (parsed.error) return parsed.error;
	const body = parsed.data;
	const divisionId = body.divisionId ?? core.catalog.homeDivisionId;
	if (!core.catalog.divisions.has(divisionId)) {
		return badRequest(`Division ${divisionId} does not exist`, [
			{ errorCode: 'invalid.value', fieldName: 'divisionId', entityId: divisionId },
		]);
	}
	// docs/GENESYS.md, "Deleted users": deleted users keep their email, so any holder conflicts.
	if (core.state.userByEmail(body.email) !== undefined) return emailConflict(body.email);
	const now = core.now();
	const user: EmuUser = {
		id: core.random.userIds.uuid(),
		name: body.name,
		email: body.email,
		// CreateUser.state: "If not specified, state will be Active if invites are sent, otherwise Inactive".
		// No invite goes out with a create, so the user is inactive until an invite follows (see invite()).
		state: body.state ?? 'inactive',
		version: 1,
		divisionId,
		createdAt: now,
		updatedAt: now,
	};
	if (body.title !== undefined) user.title = body.title;
	if (body.department !== undefined) user.department = body.department;
	if (body.addresses !== undefined) user.addresses = body.addresses;
	core.state.addUser(user, now, core.faults.consistencyDelayMs, core.faults.searchLagMs);
	// postUsers doc: the user can be created while its password fails; POST /users/{id}/password re-attempts.
	if (body.password !== undefined) configurePassword(core, user.id, 'create');
	return applied(userJson(user, core.catalog));
}

function getUser(core: EmulatorCore, req: RequestInfo): RouteResult {
	const wanted = req.query.state ?? 'active';
	if (wanted !== 'active' && wanted !== 'deleted') {
		return badRequest(`Invalid state '${wanted}'`, [{ errorCode: 'invalid.value', fieldName: 'state' }]);
	}
	const found = scopedUser(core, req.params.userId, true);
	if (found.error) return found.error;
	// `state=active` (the default) reads active and inactive users; only `state=deleted` reads deleted ones.
	if ((found.user.state === 'deleted') !== (wanted === 'deleted')) {
		return notFound(`User ${req.params.userId} not found`, req.params.userId);
	}
	return ok(userJson(found.user, core.catalog));
}

const EXTRA_FIELDS = [
	'username',
	'preferredName',
	'profileSkills',
	'locations',
	'groups',
	'acdAutoAnswer',
	'certifications',
	'biography',
	'employerInfo',
] as const;

function checkManager(core: EmulatorCore, user: EmuUser, managerId: string): RouteResult | undefined {
	const manager = core.state.users.get(managerId);
	if (manager === undefined || manager.state === 'deleted' || managerId === user.id) {
		return badRequest(`Manager ${managerId} is not a valid user`, [
			{ errorCode: 'invalid.value', fieldName: 'manager', entityId: managerId },
		]);
	}
	return undefined;
}

/**
 * UpdateUser.addresses (.NET SDK 275 docs): "The PRIMARY email address cannot be changed through this field;
 * submitting a modified value for the PRIMARY entry returns a 400 error."
 */
function changedPrimaryEmail(user: EmuUser, body: UpdateUserBody): RouteResult | undefined {
	const primary = body.addresses?.find((contact) => contact.mediaType === 'EMAIL' && contact.type === 'PRIMARY');
	const email = (body.email ?? user.email).toLowerCase();
	if (primary === undefined || primary.address?.toLowerCase() === email) return undefined;
	return badRequest('The PRIMARY email address cannot be changed through addresses', [
		{ errorCode: 'invalid.value', fieldName: 'addresses' },
	]);
}

/** `addresses` replaces the whole contact list (terraform sends the full list to remove a number). */
function applyUpdate(core: EmulatorCore, user: EmuUser, body: UpdateUserBody): void {
	if (body.state !== undefined) user.state = body.state;
	if (body.name !== undefined) user.name = body.name;
	if (body.title !== undefined) user.title = body.title;
	if (body.department !== undefined) user.department = body.department;
	if (body.addresses !== undefined) user.addresses = body.addresses;
	if (body.manager !== undefined) user.managerId = body.manager;
	if (body.email !== undefined && body.email !== user.email) core.state.changeEmail(user, body.email);
	for (const field of EXTRA_FIELDS) {
		if (body[field] !== undefined) user.extra = { ...user.extra, [field]: body[field] };
	}
}

function patchUser(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId, true);
	if (found.error) return found.error;
	const user = found.user;
	const parsed = parseBody(UpdateUserSchema, req.body);
	if (parsed.error) return parsed.error;
	const body = parsed.data;
	const changed = Object.keys(body).filter((key) => key !== 'version');
	// UpdateUser doc: "If specified, it is the only modifiable field" (docs/GENESYS.md, "Users").
	if (body.state !== undefined && changed.length > 1) {
		return badRequest('state must be the only field when it is specified', [
			{ errorCode: 'invalid.value', fieldName: 'state' },
		]);
	}
	// A deleted user can only be restored (PATCH { state, version }), nothing else.
	if (user.state === 'deleted' && body.state === undefined) return notFound(`User ${user.id} not found`, user.id);
	if (body.version !== user.version) {
		return conflict(
			`The version supplied (${body.version}) does not match the current version of the user (${user.version})`,
			user.id,
		);
	}
	if (body.manager !== undefined) {
		const invalid = checkManager(core, user, body.manager);
		if (invalid) return invalid;
	}
	const primary = changedPrimaryEmail(user, body);
	if (primary) return primary;
	if (body.email !== undefined) {
		const holder = core.state.userByEmail(body.email);
		if (holder !== undefined && holder.id !== user.id) return emailConflict(body.email);
	}
	if (changed.length === 0) return ok(userJson(user, core.catalog));
	applyUpdate(core, user, body);
	bumpUser(core, user);
	return applied(userJson(user, core.catalog));
}

/** Soft delete: the user stays, with state `deleted`, and keeps its email (docs/GENESYS.md, "Deleted users"). */
function deleteUser(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	found.user.state = 'deleted';
	bumpUser(core, found.user);
	return applied({});
}

export const userRoutes: Route[] = [
	route('POST', '/api/v2/users', createUser),
	route('GET', '/api/v2/users/{userId}', getUser),
	route('PATCH', '/api/v2/users/{userId}', patchUser),
	route('DELETE', '/api/v2/users/{userId}', deleteUser),
];
