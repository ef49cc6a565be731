/**
 * Provisioning done after a user exists (docs/GENESYS.md, "Follow-up requests"): external ids, role grants, routing skills, queues,
 * invite and password; plus the org-level reads (roles, divisions, skills, queues, organization, token).
 */
import type { NamedEntity } from '../catalog';
import { ORGANIZATION_NAME } from '../catalog';
import type { EmulatorCore } from '../core';
import { applied, badRequest, conflict, fail, noContent, notFound, ok, type RouteResult } from '../errors';
import { route, type RequestInfo, type Route } from '../router';
import {
	ChangePasswordRequestSchema,
	parseBody,
	RoleDivisionGrantsSchema,
	UserExternalIdentifierSchema,
	UserQueueListSchema,
	UserRoutingSkillPostListSchema,
	WritableEntityListSchema,
} from '../validation';
import { entityJson, listing, userJson } from '../views';
import { filterByName, type NameFilterKind } from '../nameFilters';
import { bumpUser, configurePassword, scopedUser } from './common';

const MAX_EXTERNAL_IDS = 100;

function externalIdJson(userId: string, authorityName: string, externalKey: string): Record<string, unknown> {
	const path = `${encodeURIComponent(authorityName)}/${encodeURIComponent(externalKey)}`;
	return { authorityName, externalKey, selfUri: `/api/v2/users/${userId}/externalid/${path}` };
}

/** Answers a single object, as the live API does (the Terraform caveat), not the swagger's array. */
function postExternalId(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	const parsed = parseBody(UserExternalIdentifierSchema, req.body);
	if (parsed.error) return parsed.error;
	const { authorityName, externalKey } = parsed.data;
	const owner = core.state.externalOwner(authorityName, externalKey);
	if (owner !== undefined && owner !== found.user.id) {
		return conflict(`External id ${authorityName}/${externalKey} already belongs to another user`, owner);
	}
	const current = core.state.externalIds.get(found.user.id) ?? [];
	if (owner === undefined && current.length >= MAX_EXTERNAL_IDS) {
		return badRequest(`Limit of ${MAX_EXTERNAL_IDS} external ids per user reached`);
	}
	core.state.addExternalId(found.user.id, authorityName, externalKey);
	return applied(externalIdJson(found.user.id, authorityName, externalKey));
}

function listExternalIds(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	const ids = core.state.externalIds.get(found.user.id) ?? [];
	return ok(ids.map((e) => externalIdJson(found.user.id, e.authorityName, e.externalKey)));
}

/** Case-sensitive lookup, path segment `externalid` (SDK `UsersApi.getUsersExternalidAuthorityNameExternalKey`). */
function userByExternalId(core: EmulatorCore, req: RequestInfo): RouteResult {
	const owner = core.state.externalOwner(req.params.authorityName, req.params.externalKey);
	if (owner === undefined) return notFound(`No user with external id ${req.params.authorityName}/${req.params.externalKey}`);
	const found = scopedUser(core, owner);
	if (found.error) return found.error;
	return ok(userJson(found.user, core.catalog));
}

function getEntity(map: Map<string, NamedEntity>, id: string, kind: string, base: string): RouteResult {
	const entity = map.get(id);
	if (entity === undefined) return notFound(`${kind} ${id} not found`, id);
	return ok(entityJson(entity, base));
}

/** A paged list filtered by the `name` query parameter, as each endpoint documents it (nameFilters.ts). */
function listEntities(map: Map<string, NamedEntity>, base: string, kind: NameFilterKind, req: RequestInfo): RouteResult {
	const matching = filterByName(map.values(), kind, req.query.name);
	return ok(listing(matching.map((entity) => entityJson(entity, base)), req.query));
}

function divisionJson(core: EmulatorCore, id: string): Record<string, unknown> {
	return { ...core.catalog.divisionRef(id), description: '', homeDivision: id === core.catalog.homeDivisionId };
}

/**
 * The first role or division of the grants the authorization service does not know: missing, or added less
 * than `authCacheLagMs` ago. Terraform's genesyscloud_user_roles retries this 404 on bulkadd for any user
 * ("new roles or divisions have not yet been added to the auth service cache causing 404s").
 */
function unknownGrantTarget(core: EmulatorCore, grants: Array<{ roleId: string; divisionId: string }>): RouteResult | undefined {
	const now = core.now();
	const lag = core.faults.authCacheLagMs;
	for (const grant of grants) {
		if (!core.catalog.roles.has(grant.roleId) || !core.catalog.isAuthorizable(grant.roleId, now, lag)) {
			return notFound(`Role ${grant.roleId} not found`, grant.roleId);
		}
		const division = grant.divisionId;
		if (division !== '*' && (!core.catalog.divisions.has(division) || !core.catalog.isAuthorizable(division, now, lag))) {
			return notFound(`Division ${division} not found`, division);
		}
	}
	return undefined;
}

function bulkAddGrants(core: EmulatorCore, req: RequestInfo): RouteResult {
	if (req.query.subjectType !== undefined && req.query.subjectType !== 'PC_USER') {
		return badRequest('The emulator only models subjectType PC_USER', [{ errorCode: 'invalid.value', fieldName: 'subjectType' }]);
	}
	const found = scopedUser(core, req.params.subjectId);
	if (found.error) return found.error;
	const parsed = parseBody(RoleDivisionGrantsSchema, req.body);
	if (parsed.error) return parsed.error;
	const unknown = unknownGrantTarget(core, parsed.data.grants);
	if (unknown) return unknown;
	// Each grant is kept with the exact division asked: `*` stays `*` (every division, present and future).
	const grants = core.state.grants.get(found.user.id) ?? [];
	for (const grant of parsed.data.grants) {
		if (!grants.some((g) => g.roleId === grant.roleId && g.divisionId === grant.divisionId)) grants.push({ ...grant });
	}
	core.state.grants.set(found.user.id, grants);
	return noContent();
}

function getSubject(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.subjectId);
	if (found.error) return found.error;
	const grants = (core.state.grants.get(found.user.id) ?? []).map((g) => ({
		subjectId: found.user.id,
		role: { id: g.roleId, name: core.catalog.roles.get(g.roleId)?.name ?? g.roleId },
		division:
			g.divisionId === '*' ? { id: '*', name: 'All divisions' } : { id: g.divisionId, name: core.catalog.divisionRef(g.divisionId).name },
	}));
	return ok({ id: found.user.id, name: found.user.name, grants, version: 1, selfUri: `/api/v2/authorization/subjects/${found.user.id}` });
}

function skillListing(core: EmulatorCore, userId: string): Record<string, unknown> {
	const skills = (core.state.skills.get(userId) ?? []).map((s) => ({
		id: s.id,
		name: core.catalog.skills.get(s.id)?.name ?? s.id,
		proficiency: s.proficiency,
		state: 'active',
		skillUri: `/api/v2/routing/skills/${s.id}`,
		selfUri: `/api/v2/users/${userId}/routingskills/${s.id}`,
	}));
	return { ...listing(skills, { pageSize: String(Math.max(1, skills.length)) }) };
}

/** PATCH adds or updates the given skills; PUT replaces the whole set. */
function writeSkills(replace: boolean) {
	return (core: EmulatorCore, req: RequestInfo): RouteResult => {
		const found = scopedUser(core, req.params.userId);
		if (found.error) return found.error;
		const parsed = parseBody(UserRoutingSkillPostListSchema, req.body);
		if (parsed.error) return parsed.error;
		const unknown = parsed.data.find((s) => !core.catalog.skills.has(s.id));
		if (unknown !== undefined) return notFound(`Skill ${unknown.id} not found`, unknown.id);
		const skills = replace ? [] : [...(core.state.skills.get(found.user.id) ?? [])];
		for (const skill of parsed.data) {
			const existing = skills.find((s) => s.id === skill.id);
			if (existing) existing.proficiency = skill.proficiency;
			else skills.push({ id: skill.id, proficiency: skill.proficiency });
		}
		core.state.skills.set(found.user.id, skills);
		return applied(skillListing(core, found.user.id));
	};
}

function listSkills(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	return ok(skillListing(core, found.user.id));
}

/** "Bulk add or delete up to 100 queue members" (RoutingApi docs); `?delete=true` removes. */
function queueMembers(core: EmulatorCore, req: RequestInfo): RouteResult {
	const queueId = req.params.queueId;
	if (!core.catalog.queues.has(queueId)) return notFound(`Queue ${queueId} not found`, queueId);
	const parsed = parseBody(WritableEntityListSchema, req.body);
	if (parsed.error) return parsed.error;
	for (const { id } of parsed.data) {
		const found = scopedUser(core, id);
		if (found.error) return found.error;
	}
	const members = core.state.queueMembers.get(queueId) ?? new Set<string>();
	core.state.queueMembers.set(queueId, members);
	for (const { id } of parsed.data) {
		const joined = core.state.joinedQueues.get(id) ?? new Set<string>();
		core.state.joinedQueues.set(id, joined);
		if (req.query.delete === 'true') {
			members.delete(id);
			joined.delete(queueId);
		} else {
			members.add(id);
			joined.add(queueId);
		}
	}
	return noContent();
}

function listQueueMembers(core: EmulatorCore, req: RequestInfo): RouteResult {
	const queueId = req.params.queueId;
	if (!core.catalog.queues.has(queueId)) return notFound(`Queue ${queueId} not found`, queueId);
	const members = [...(core.state.queueMembers.get(queueId) ?? [])].map((userId) => ({
		id: userId,
		name: core.state.users.get(userId)?.name,
		joined: core.state.joinedQueues.get(userId)?.has(queueId) ?? false,
		memberBy: 'user',
	}));
	return ok(listing(members, req.query));
}

function userQueueJson(core: EmulatorCore, userId: string, queueId: string): Record<string, unknown> {
	return {
		...entityJson(core.catalog.queues.get(queueId) ?? { id: queueId, name: queueId }, '/api/v2/routing/queues'),
		division: core.catalog.divisionRef(core.catalog.homeDivisionId),
		joined: core.state.joinedQueues.get(userId)?.has(queueId) ?? false,
	};
}

/** Join/unjoin; "Users can only be joined to queues where they have membership" (UsersApi docs). */
function patchUserQueues(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	const parsed = parseBody(UserQueueListSchema, req.body);
	if (parsed.error) return parsed.error;
	const userId = found.user.id;
	for (const queue of parsed.data) {
		if (!core.catalog.queues.has(queue.id)) return notFound(`Queue ${queue.id} not found`, queue.id);
		if (!core.state.queueMembers.get(queue.id)?.has(userId)) {
			return badRequest(`User ${userId} is not a member of queue ${queue.id}`, [{ errorCode: 'invalid.value', fieldName: 'id', entityId: queue.id }]);
		}
	}
	const joined = core.state.joinedQueues.get(userId) ?? new Set<string>();
	core.state.joinedQueues.set(userId, joined);
	for (const queue of parsed.data) {
		if (queue.joined === false) joined.delete(queue.id);
		else if (queue.joined === true) joined.add(queue.id);
	}
	return applied(listing(parsed.data.map((queue) => userQueueJson(core, userId, queue.id)), { pageSize: '100' }));
}

/** Genesys help "Invite people to your organization": "Invitation emails expire 30 days after you send them." */
const INVITE_VALIDITY_MS = 30 * 86_400_000;

/**
 * POST /users/{id}/invite?force=: UsersApi postUserInvite, `force` "Resend the invitation even if one is
 * already outstanding (default to false)". So without force a repeat inside the validity sends nothing
 * (still 204). Sending an invitation to an inactive user makes it active (Genesys help "Invite people to your
 * organization": "when you send the invitations, Genesys Cloud automatically changes their status to active").
 */
function invite(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	const force = req.query.force;
	if (force !== undefined && force !== 'true' && force !== 'false') {
		return badRequest(`Invalid force '${force}'`, [{ errorCode: 'invalid.value', fieldName: 'force' }]);
	}
	const user = found.user;
	const now = core.now();
	const outstanding = user.dateWelcomeSent !== undefined && now - user.dateWelcomeSent < INVITE_VALIDITY_MS;
	const sent = force === 'true' || !outstanding;
	core.state.inviteRequests.push({ userId: user.id, force: force === 'true', sent, at: now });
	// Nothing changed: a 204 like any other, but not a write.
	if (!sent) return ok(undefined, 204);
	core.state.invites.push(user.id);
	user.dateWelcomeSent = now;
	if (user.state === 'inactive') {
		user.state = 'active';
		bumpUser(core, user);
	}
	return noContent();
}

/** Only the outcome is kept, never the password; `passwordFailure` makes it fail with a 500 (not applied). */
function setPassword(core: EmulatorCore, req: RequestInfo): RouteResult {
	const found = scopedUser(core, req.params.userId);
	if (found.error) return found.error;
	const parsed = parseBody(ChangePasswordRequestSchema, req.body);
	if (parsed.error) return parsed.error;
	if (!configurePassword(core, found.user.id, 'password')) {
		return fail(500, 'internal.server.error', 'Password configuration failed');
	}
	return noContent();
}

function organization(core: EmulatorCore): Record<string, unknown> {
	const id = core.catalog.organizationId;
	return { id, name: ORGANIZATION_NAME, selfUri: `/api/v2/organizations/${id}` };
}

function organizationMe(core: EmulatorCore): RouteResult {
	return ok({ ...organization(core), defaultLanguage: 'en-us', domain: 'emulated', version: 1, state: 'active', thirdPartyOrgName: 'emulated' });
}

function tokenMe(core: EmulatorCore, req: RequestInfo): RouteResult {
	const org = organization(core);
	return ok({
		name: req.clientId,
		organization: org,
		homeOrganization: org,
		OAuthClient: { id: req.clientId, name: req.clientId, organization: org },
	});
}

export const followupRoutes: Route[] = [
	route('GET', '/api/v2/users/externalid/{authorityName}/{externalKey}', userByExternalId),
	route('POST', '/api/v2/users/{userId}/externalid', postExternalId),
	route('GET', '/api/v2/users/{userId}/externalid', listExternalIds),
	route('GET', '/api/v2/authorization/roles', (core, req) => listEntities(core.catalog.roles, '/api/v2/authorization/roles', 'contains', req)),
	route('GET', '/api/v2/authorization/roles/{roleId}', (core, req) =>
		getEntity(core.catalog.roles, req.params.roleId, 'Role', '/api/v2/authorization/roles'),
	),
	route('POST', '/api/v2/authorization/subjects/{subjectId}/bulkadd', bulkAddGrants),
	route('GET', '/api/v2/authorization/subjects/{subjectId}', getSubject),
	route('GET', '/api/v2/authorization/divisions/home', (core) => ok(divisionJson(core, core.catalog.homeDivisionId))),
	route('GET', '/api/v2/authorization/divisions', (core, req) =>
		ok(
			listing(
				filterByName(core.catalog.divisions.values(), 'contains', req.query.name).map((division) => divisionJson(core, division.id)),
				req.query,
			),
		),
	),
	route('GET', '/api/v2/authorization/divisions/{divisionId}', (core, req) =>
		core.catalog.divisions.has(req.params.divisionId)
			? ok(divisionJson(core, req.params.divisionId))
			: notFound(`Division ${req.params.divisionId} not found`, req.params.divisionId),
	),
	route('PATCH', '/api/v2/users/{userId}/routingskills/bulk', writeSkills(false)),
	route('PUT', '/api/v2/users/{userId}/routingskills/bulk', writeSkills(true)),
	route('GET', '/api/v2/users/{userId}/routingskills', listSkills),
	route('GET', '/api/v2/routing/skills', (core, req) => listEntities(core.catalog.skills, '/api/v2/routing/skills', 'prefix', req)),
	route('GET', '/api/v2/routing/skills/{skillId}', (core, req) =>
		getEntity(core.catalog.skills, req.params.skillId, 'Skill', '/api/v2/routing/skills'),
	),
	route('GET', '/api/v2/routing/queues', (core, req) => listEntities(core.catalog.queues, '/api/v2/routing/queues', 'wildcard', req)),
	route('GET', '/api/v2/routing/queues/{queueId}', (core, req) =>
		getEntity(core.catalog.queues, req.params.queueId, 'Queue', '/api/v2/routing/queues'),
	),
	route('POST', '/api/v2/routing/queues/{queueId}/members', queueMembers),
	route('GET', '/api/v2/routing/queues/{queueId}/members', listQueueMembers),
	route('PATCH', '/api/v2/users/{userId}/queues', patchUserQueues),
	route('POST', '/api/v2/users/{userId}/invite', invite),
	route('POST', '/api/v2/users/{userId}/password', setPassword),
	route('GET', '/api/v2/organizations/me', organizationMe),
	route('GET', '/api/v2/tokens/me', tokenMe),
];
