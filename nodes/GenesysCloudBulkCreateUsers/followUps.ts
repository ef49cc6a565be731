/**
 * Work done on a user after the create (or on an existing user under update/restore), each with its own
 * endpoint (API.md 6). Every step here can be repeated safely, so a rerun completes a half-done row.
 */
import { chunk } from '../GenesysCloud/pool';
import { toResultError } from '../GenesysCloud/resultError';
import { segment } from './api';
import type { RowWork, RunContext } from './context';
import { errorFacts, isRunStopper } from './failures';
import { findUserByEmail } from './lookup';
import type { FollowUpStep } from './plan';
import {
	QueueMembersBodySchema,
	RoleDivisionGrantsSchema,
	ROUTING_SKILLS_CHUNK,
	UserExternalIdentifierSchema,
	UserRoutingSkillsBulkSchema,
} from './schema';
import { patchUser, userPath, withConsistency } from './userRequests';
import type { GenesysUser } from './users';
import { emailKey, isDeleted, isEmail } from './users';

/**
 * Runs the given steps in order, recording each. A failed step does not stop the others (they are
 * independent), unless the whole run has to stop.
 */
export async function runFollowUps(ctx: RunContext, work: RowWork, steps: readonly FollowUpStep[]): Promise<void> {
	for (const step of steps) {
		if (ctx.stop.error || ctx.clock.cancelled()) {
			work.result.steps.push({ step, status: 'skipped', detail: 'run stopped before this step' });
			work.failures.push({ ...(ctx.stop.error ?? cancelledError()), field: step });
			continue;
		}
		try {
			const detail = await runStep(ctx, work, step);
			work.result.steps.push({ step, status: 'done', detail });
		} catch (error) {
			const failure = toResultError(error, step);
			work.result.steps.push({ step, status: 'failed', detail: failure.message });
			work.failures.push(failure);
			if (isRunStopper(errorFacts(error))) ctx.stop.error ??= failure;
		}
	}
}

export function cancelledError(): { message: string; code: string } {
	return { message: 'The execution was cancelled before this work was done', code: 'execution.cancelled' };
}

async function runStep(ctx: RunContext, work: RowWork, step: FollowUpStep): Promise<string> {
	const userId = work.user?.id;
	if (!userId) throw new Error('No user id to work on');
	switch (step) {
		case 'externalId':
			return await addExternalId(ctx, work, userId);
		case 'roles':
			return await grantRoles(ctx, work, userId);
		case 'skills':
			return await addSkills(ctx, work, userId);
		case 'queues':
			return await joinQueues(ctx, work, userId);
		case 'manager':
			return await setManager(ctx, work, userId);
		case 'invite':
			return await sendInvite(ctx, work, userId);
	}
}

/** POST /api/v2/users/{id}/externalid; the answer may be one identifier or an array (API.md 5.2). */
async function addExternalId(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const authorityName = ctx.settings.externalIdAuthority;
	const externalKey = work.row.followUps.externalKey ?? '';
	if (!authorityName) {
		throw new Error('The row has an external ID but the node has no External ID Authority set');
	}
	const body = UserExternalIdentifierSchema.parse({ authorityName, externalKey });
	await withConsistency(ctx, work, () =>
		ctx.api.request<unknown>({
			method: 'POST',
			path: `${userPath(userId)}/externalid`,
			body,
			// Genesys keys identifiers by authority and key: adding the same one again changes nothing.
			idempotent: true,
		}),
	);
	return `${authorityName}: ${externalKey}`;
}

/** POST /api/v2/authorization/subjects/{id}/bulkadd: adds grants, keeps the ones the user has. */
async function grantRoles(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const body = RoleDivisionGrantsSchema.parse({
		grants: work.row.followUps.roles.map(({ roleId, divisionId }) => ({ roleId, divisionId })),
	});
	await withConsistency(ctx, work, () =>
		ctx.api.request<unknown>({
			method: 'POST',
			path: `/api/v2/authorization/subjects/${segment(userId)}/bulkadd`,
			body,
			idempotent: true,
		}),
	);
	return `${body.grants.length} role grant(s)`;
}

/** PATCH /api/v2/users/{id}/routingskills/bulk in chunks of 50 (terraform updateUserSkills). */
async function addSkills(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const skills = work.row.followUps.skills.map(({ id, proficiency }) => ({ id, proficiency }));
	for (const part of chunk(skills, ROUTING_SKILLS_CHUNK)) {
		const body = UserRoutingSkillsBulkSchema.parse(part);
		await withConsistency(ctx, work, () =>
			ctx.api.request<unknown>({
				method: 'PATCH',
				path: `${userPath(userId)}/routingskills/bulk`,
				body,
				idempotent: true,
			}),
		);
	}
	return `${skills.length} skill(s)`;
}

/** POST /api/v2/routing/queues/{queueId}/members, one queue at a time. */
async function joinQueues(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const queueIds = work.row.followUps.queueIds;
	for (const queueId of queueIds) {
		await withConsistency(ctx, work, () =>
			ctx.api.request<unknown>({
				method: 'POST',
				path: `/api/v2/routing/queues/${segment(queueId)}/members`,
				body: QueueMembersBodySchema.parse([{ id: userId }]),
				idempotent: true,
			}),
		);
	}
	return `${queueIds.length} queue(s)`;
}

/** PATCH { manager, version } unless already set; an email is resolved through this run's users, then search. */
async function setManager(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const value = work.row.followUps.manager ?? '';
	const managerId = await resolveManager(ctx, value);
	const sent = await patchUser(ctx, work, userId, (current) =>
		managerIdOf(current) === managerId ? undefined : { manager: managerId },
	);
	const shown = isEmail(value) ? `${value} (${managerId})` : managerId;
	return sent ? shown : `${shown}, already set`;
}

function managerIdOf(user: GenesysUser): string | undefined {
	const manager = user.manager;
	if (typeof manager === 'string') return manager;
	return typeof manager?.id === 'string' ? manager.id : undefined;
}

export async function resolveManager(ctx: RunContext, value: string): Promise<string> {
	if (!isEmail(value)) return value;
	const known = ctx.directory.get(emailKey(value));
	if (known) return known;
	const found = await findUserByEmail(ctx, value, { waitForLag: false, accept: (user) => !isDeleted(user) });
	if (!found || isDeleted(found)) throw new Error(`The manager ${value} was not found in Genesys Cloud`);
	ctx.directory.set(emailKey(value), found.id);
	return found.id;
}

/** POST /api/v2/users/{id}/invite: a repeat only re-sends the invitation email. */
async function sendInvite(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	await withConsistency(ctx, work, () =>
		ctx.api.request<unknown>({ method: 'POST', path: `${userPath(userId)}/invite`, idempotent: true }),
	);
	return 'invitation sent';
}
