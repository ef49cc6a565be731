/**
 * The Genesys user requests, and only here: create, GET, PATCH with `version`, restore, the follow-up
 * requests (external id, roles, skills, queues, manager, invite) and the one-email search. Each carries
 * the retries the transport cannot know about: 404s while a user this run wrote propagates, stale
 * `version`s, and creates whose response was lost (docs/GENESYS.md, "Eventual consistency" and "Users").
 * Genesys errors are read only through the fields the transport puts on GenesysApiError, never from bodies.
 */
import { exponentialDelay, nextWait } from '../../GenesysCloud/backoff';
import { pathSegment } from '../../GenesysCloud/genesysApi';
import { chunk } from '../../GenesysCloud/pool';
import { messageOf, OutcomeUnknownError } from '../../GenesysCloud/resultError';
import { settle } from '../../GenesysCloud/settle';
import { isGenesysError, redactSecrets } from '../../GenesysCloud/transport';
import type { UserState } from '../../GenesysCloud/userSearch';
import { searchUsers, searchValues, USER_STATES } from '../../GenesysCloud/userSearch';
import { clip } from '../input/limits';
import type { CreateUserBody, UpdateUserBody } from '../input/schema';
import {
	ChangePasswordRequestSchema,
	CreateUserSchema,
	QueueMembersBodySchema,
	RoleDivisionGrantsSchema,
	ROUTING_SKILLS_CHUNK,
	UpdateUserSchema,
	UserExternalIdentifierSchema,
	UserRoutingSkillsBulkSchema,
} from '../input/schema';
import type { FollowUpStep, ValidRow } from '../types';
import type { RowWork, RunContext } from './context';
import { isCancelled, pause } from './context';
import { judgeOwnership, NEW_USER_VERSION } from './ownership';
import type { HomeDivision } from './divisions';
import { grantDivision } from './divisions';
import { newUserBody } from './newUser';
import { inviteDetail, inviteForced, outcomeAction } from './policy';

// ---- The user as Genesys returns it ----------------------------------------------------------------------

export interface UserContact {
	address?: string;
	mediaType?: string;
	type?: string;
	extension?: string;
	[key: string]: unknown;
}

/** Typed loosely: Genesys adds fields, and only the few fields used here are relied upon. */
export interface GenesysUser {
	id: string;
	name?: string;
	email?: string;
	state?: string;
	version?: number;
	title?: string;
	department?: string;
	addresses?: UserContact[];
	division?: { id?: string; name?: string };
	manager?: { id?: string } | string | null;
	[key: string]: unknown;
}

/** Emails are compared case-insensitively: Genesys logins are. */
export function emailKey(email: string): string {
	return email.trim().toLowerCase();
}

/** Managers may be given as an email or as a user id; ids never contain `@`. */
export function isEmail(value: string): boolean {
	return value.includes('@');
}

export function isDeleted(user: GenesysUser): boolean {
	return user.state === 'deleted';
}

export function isUser(value: unknown): value is GenesysUser {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/** The user as returned by Genesys, as a plain JSON object for the output item. */
export function userJson(user: GenesysUser | undefined): Record<string, unknown> | undefined {
	return user ? { ...user } : undefined;
}

export function userPath(userId: string): string {
	return `/api/v2/users/${pathSegment(userId)}`;
}

// ---- What a failure means ----------------------------------------------------------------------------------

/** Status and code of a Genesys error, when it is one. */
export interface ErrorFacts {
	status?: number;
	code?: string;
	/** The transport's classification: 'dailyLimit', 'token', 'deadline', 'network' or 'response'. */
	kind?: string;
	message: string;
	maybeApplied: boolean;
}

export function errorFacts(error: unknown): ErrorFacts {
	if (isGenesysError(error, {})) {
		return {
			status: error.status,
			code: error.code,
			kind: error.kind,
			message: redactSecrets(error.message),
			maybeApplied: error.maybeApplied === true,
		};
	}
	return { message: redactSecrets(messageOf(error)), maybeApplied: false };
}

/** An email (or other unique value) already held by a user, possibly a soft-deleted one. */
export function isConflict(facts: ErrorFacts): boolean {
	return facts.status === 409 || facts.code === 'general.conflict';
}

/** Genesys answers a stale `version` with a 409, or a 400 saying so (docs/GENESYS.md, "Errors"). */
export function isVersionMismatch(facts: ErrorFacts): boolean {
	if (facts.status === 409) return true;
	return facts.status === 400 && /does not match the current version/i.test(facts.message);
}

export function isNotFound(facts: ErrorFacts): boolean {
	return facts.status === 404;
}

/**
 * Errors after which no other request can succeed either: a 429 the transport gave up on (a daily limit,
 * Retry-After over 180 s) or credentials that no longer authenticate.
 */
export function isRunStopper(facts: ErrorFacts): boolean {
	if (facts.kind === 'dailyLimit' || facts.kind === 'token') return true;
	return facts.status === 429 || facts.status === 401;
}

/** Credentials or permissions refused: when it happens before any write, the node fails as a whole. */
export function isAccessFailure(facts: ErrorFacts): boolean {
	return facts.kind === 'token' || facts.status === 401 || facts.status === 403;
}

// ---- Search of one email -----------------------------------------------------------------------------------

/** Every state: what makes soft-deleted users visible to the search. */
export const ANY_STATE: readonly UserState[] = USER_STATES;

/** Users by lower-cased email. A live user wins over a soft-deleted one (only one can hold the email). */
export function indexByEmail(users: Iterable<GenesysUser>): Map<string, GenesysUser> {
	const index = new Map<string, GenesysUser>();
	for (const user of users) {
		if (typeof user.email !== 'string') continue;
		const key = emailKey(user.email);
		const known = index.get(key);
		if (!known || (isDeleted(known) && !isDeleted(user))) index.set(key, user);
	}
	return index;
}

export interface FindOptions {
	/** Keep searching this long while the user is not found: it is known to exist (409) but search lags. */
	waitForLag: boolean;
	/** Return as soon as a user in one of these states is found (default: any state). */
	accept?: (user: GenesysUser) => boolean;
}

/**
 * One email, with bounded retries while the search index lags behind a write (docs/GENESYS.md,
 * "Eventual consistency").
 */
export async function findUserByEmail(
	ctx: Pick<RunContext, 'api' | 'clock' | 'signal' | 'timing'>,
	email: string,
	options: FindOptions,
): Promise<GenesysUser | undefined> {
	const { clock, timing } = ctx;
	const accept = options.accept ?? (() => true);
	const deadline = clock.now() + (options.waitForLag ? timing.searchLagWindowMs : 0);
	let last: GenesysUser | undefined;
	for (let attempt = 0; ; attempt++) {
		const users = await searchUsers<GenesysUser>(ctx.api, 'email', searchValues('email', [email]), {
			states: ANY_STATE,
		});
		last = indexByEmail(users).get(emailKey(email));
		if (last && accept(last)) return last;
		const wait = nextWait(attempt, clock.now(), deadline, timing);
		if (wait === undefined || isCancelled(ctx)) return last;
		await pause(ctx, wait);
	}
}

/** When the user was written by this run, if it was: user-scoped 404s are "not visible yet" for a while. */
export type FreshUser = Pick<RowWork, 'freshSince'>;

// ---- Consistency and version -------------------------------------------------------------------------------

/**
 * Runs `send`, re-sending it while it answers 404 and the user was created or restored by this run less than
 * `consistencyWindowMs` ago (terraform retries reads and role grants on 404). Any other failure, or a 404 on
 * an older user, is thrown.
 */
async function withConsistency<T>(ctx: RunContext, work: FreshUser, send: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		const sent = await settle(send);
		if (sent.ok) return sent.value;
		const wait = consistencyWait(ctx, work, sent.error, attempt);
		if (wait === undefined) throw sent.error;
		ctx.counters.consistencyRetries++;
		await pause(ctx, wait);
	}
}

function consistencyWait(ctx: RunContext, work: FreshUser, error: unknown, attempt: number): number | undefined {
	if (work.freshSince === undefined || isCancelled(ctx)) return undefined;
	if (!isNotFound(errorFacts(error))) return undefined;
	return nextWait(attempt, ctx.clock.now(), work.freshSince + ctx.timing.consistencyWindowMs, ctx.timing);
}

/**
 * Runs `send`, re-sending it while it answers 404 for up to `authCacheWindowMs`, whoever the user is: new roles
 * and divisions reach Genesys's authorization cache late, and a new user is not visible at once either.
 */
async function withAuthorizationLag<T>(ctx: RunContext, send: () => Promise<T>): Promise<T> {
	const deadline = ctx.clock.now() + ctx.timing.authCacheWindowMs;
	for (let attempt = 0; ; attempt++) {
		const sent = await settle(send);
		if (sent.ok) return sent.value;
		if (!isNotFound(errorFacts(sent.error)) || isCancelled(ctx)) throw sent.error;
		const wait = nextWait(attempt, ctx.clock.now(), deadline, ctx.timing);
		if (wait === undefined) throw sent.error;
		ctx.counters.consistencyRetries++;
		await pause(ctx, wait);
	}
}

/** GET /api/v2/users/{id}; deleted users are only returned when asked for with ?state=deleted. */
export async function getUser(ctx: RunContext, work: FreshUser, userId: string, deleted = false): Promise<GenesysUser> {
	const user = await withConsistency(ctx, work, () =>
		ctx.api.request<GenesysUser>({
			method: 'GET',
			path: userPath(userId),
			...(deleted ? { qs: { state: 'deleted' } } : {}),
			idempotent: true,
		}),
	);
	if (!isUser(user)) throw new Error(`Genesys Cloud returned no user for ${userId}`);
	return user;
}

export type UserChanges = Omit<UpdateUserBody, 'version'>;

/** What to PATCH given the user as it is now; undefined when it already holds what is wanted. */
export type ChangeBuilder = (current: GenesysUser) => UserChanges | undefined;

/**
 * PATCH /api/v2/users/{id} with the user's current `version`. When Genesys says the version is stale, the
 * user is read again and the changes are worked out anew against it, so a stale copy (search lags behind
 * writes) neither loses nor repeats a change. Keeps `work.user` on the latest known copy; returns the
 * changes sent, or undefined when there was nothing to change.
 */
export async function patchUser(
	ctx: RunContext,
	work: RowWork,
	userId: string,
	build: ChangeBuilder,
	options: { deleted?: boolean; attempts?: number } = {},
): Promise<UserChanges | undefined> {
	const deleted = options.deleted === true;
	const attempts = options.attempts ?? ctx.timing.versionAttempts;
	let current = work.user?.id === userId && typeof work.user.version === 'number' ? work.user : undefined;
	for (let attempt = 1; ; attempt++) {
		if (!current) current = await getUser(ctx, work, userId, deleted);
		const changes = build(current);
		if (!changes) return undefined;
		const payload = UpdateUserSchema.parse({ ...changes, version: current.version });
		const patched = await settle(() =>
			withConsistency(ctx, work, () =>
				ctx.api.request<GenesysUser>({ method: 'PATCH', path: userPath(userId), body: payload, idempotent: true }),
			),
		);
		if (patched.ok) {
			work.user = isUser(patched.value) ? patched.value : await getUser(ctx, work, userId);
			return changes;
		}
		if (attempt >= attempts || !isVersionMismatch(errorFacts(patched.error))) throw patched.error;
		ctx.counters.versionRetries++;
		current = undefined;
	}
}

// ---- Create ------------------------------------------------------------------------------------------------

export const USERS_PATH = '/api/v2/users';

export type CreateOutcome =
	/** The user exists because of this run; `detail` says how it was confirmed when not by a plain 200. */
	| { kind: 'created'; user: GenesysUser; startedAt: number; detail?: string }
	/**
	 * Another user holds the email (a race, or a lookup that missed it), or a user found after a lost answer is
	 * not provably this run's (`detail` says why): the existing-user policy applies.
	 */
	| { kind: 'conflict'; user: GenesysUser; detail?: string }
	| { kind: 'failed'; error: unknown };

/**
 * POST /api/v2/users with one CreateUser, never creating a user twice and never claiming someone else's.
 *
 * The transport does not re-send a create whose outcome is unknown (a 5xx, a dropped connection, a lost
 * answer): it throws with `maybeApplied`. Re-posting is then safe because Genesys refuses a second user with
 * the same email (409 general.conflict, soft-deleted users included). A 200 on a re-POST is this run's user.
 * A 409 after such an attempt, or attempts running out, leaves two possibilities: the earlier attempt landed,
 * or someone else holds the email. The user is then found by email, read afresh, and claimed only on the
 * evidence of ownership.ts; otherwise it is a conflict and the existing-user policy applies.
 */
export async function createUser(ctx: RunContext, row: ValidRow): Promise<CreateOutcome> {
	const outcome = await settle(() => sendCreate(ctx, row));
	if (outcome.ok) return outcome.value;
	if (isCancelled(ctx) && !isDefiniteAnswer(outcome.error)) return { kind: 'failed', error: createStopped(ctx) };
	throw outcome.error;
}

/**
 * The execution was stopped while the create was on the wire (or being reconciled): whether Genesys made the
 * user is unknown. A rerun looks the email up, so it finds the user if it was made.
 */
const RERUN =
	'Run the workflow again to finish the row: the rerun looks the email up first (set "If User Exists" to ' +
	'"Update" to complete the follow-ups of a user that was created).';

export function createStopped(ctx: Pick<RunContext, 'stop'>): OutcomeUnknownError {
	const rerun = RERUN;
	const stop = ctx.stop.error;
	if (stop?.code !== undefined && stop.code !== STOPPED_CODE) {
		// The run stopped on its own (Genesys unavailable, a daily limit): say why.
		return new OutcomeUnknownError(
			`The run stopped while this user was being created (${stop.message}): Genesys Cloud may have created it. ${rerun}`,
			stop.code,
		);
	}
	return new OutcomeUnknownError(`Stopped while this user was being created: Genesys Cloud may have created it. ${rerun}`, STOPPED_CODE);
}

export const STOPPED_CODE = 'execution.cancelled';

/** A Genesys answer that says what happened (a 4xx, a 5xx given up on is not): no stop changes it. */
function isDefiniteAnswer(error: unknown): boolean {
	const facts = errorFacts(error);
	return facts.status !== undefined && facts.status > 0 && !facts.maybeApplied;
}

async function sendCreate(ctx: RunContext, row: ValidRow): Promise<CreateOutcome> {
	// One CreateUser object, always with a `state`, checked against its schema whatever built it.
	const body = CreateUserSchema.parse(newUserBody(row, ctx.settings));
	const startedAt = ctx.clock.now();
	let lost: unknown;
	for (let attempt = 1; ; attempt++) {
		try {
			const user = await ctx.api.request<GenesysUser>({
				method: 'POST',
				path: USERS_PATH,
				body,
				idempotent: false,
			});
			if (isUser(user)) {
				if (typeof user.version === 'number') ctx.newUserVersion ??= user.version;
				if (lost !== undefined) ctx.counters.reconciledCreates++;
				return {
					kind: 'created',
					user,
					startedAt,
					detail: lost !== undefined ? 'created on a retry after a lost response' : undefined,
				};
			}
			// A 2xx without a user body: the create happened, so find what it made.
			return await reconcileOrUnknown(ctx, body, startedAt, new Error('Genesys Cloud answered the create without a user'), true);
		} catch (error) {
			const facts = errorFacts(error);
			if (isConflict(facts)) {
				return lost === undefined
					? await resolveConflict(ctx, row, error)
					: await reconcileOrUnknown(ctx, body, startedAt, error, true);
			}
			// Stopped with the POST on the wire (or queued for it: the transport cannot say which): unknown.
			if (isCancelled(ctx) && !isDefiniteAnswer(error)) return { kind: 'failed', error: createStopped(ctx) };
			if (!facts.maybeApplied) return { kind: 'failed', error };
			lost = error;
			if (attempt >= ctx.timing.createAttempts) return await reconcileOrUnknown(ctx, body, startedAt, error, false);
		}
	}
}

/**
 * reconcileCreate, whose own requests may fail too: the create's outcome then stays unknown, and the row says
 * so (maybeApplied) rather than reporting the lookup's error as if nothing had been sent.
 */
async function reconcileOrUnknown(
	ctx: RunContext,
	sent: CreateUserBody,
	startedAt: number,
	cause: unknown,
	known: boolean,
): Promise<CreateOutcome> {
	const reconciled = await settle(() => reconcileCreate(ctx, sent, startedAt, cause, known));
	if (reconciled.ok) return reconciled.value;
	if (isCancelled(ctx)) return { kind: 'failed', error: createStopped(ctx) };
	const facts = errorFacts(reconciled.error);
	return {
		kind: 'failed',
		error: new OutcomeUnknownError(
			`The create's answer was lost and looking the user up failed too (${facts.message}): Genesys Cloud may have created it. ${RERUN}`,
			facts.code ?? 'create.unconfirmed',
		),
	};
}

/** 409 on a first create, whose answer was clear: someone else holds the email. */
async function resolveConflict(ctx: RunContext, row: ValidRow, conflict: unknown): Promise<CreateOutcome> {
	const found = await findUserByEmail(ctx, row.email, { waitForLag: true });
	if (!found) return { kind: 'failed', error: conflict };
	return { kind: 'conflict', user: found };
}

/**
 * A create whose answer was lost: the user holding the email is this run's only on the evidence of
 * ownership.ts, read afresh by id (the search index lags behind writes, a PATCH by someone else included).
 * `known`: Genesys said the email is held (409), so search is waited on while it lags.
 */
async function reconcileCreate(
	ctx: RunContext,
	sent: CreateUserBody,
	startedAt: number,
	cause: unknown,
	known: boolean,
): Promise<CreateOutcome> {
	// A 409 says the email is held, by a live or a deleted user; otherwise only a live user is of use.
	const found = await findUserByEmail(ctx, sent.email, {
		waitForLag: true,
		accept: known ? undefined : (user) => !isDeleted(user),
	});
	if (!found) return { kind: 'failed', error: cause };
	if (isDeleted(found)) {
		return known ? { kind: 'conflict', user: found } : { kind: 'failed', error: cause };
	}
	const current = await getUser(ctx, { freshSince: startedAt }, found.id);
	const verdict = judgeOwnership(sent, current, ctx.newUserVersion ?? NEW_USER_VERSION);
	if (!verdict.ours) {
		return {
			kind: 'conflict',
			user: current,
			detail: `the create's answer was lost and user ${current.id} holds the email, but it is not provably this run's: ${verdict.reason}`,
		};
	}
	ctx.counters.reconciledCreates++;
	return {
		kind: 'created',
		user: current,
		startedAt,
		detail: 'response lost; the user found by email holds exactly what was sent and is unchanged since',
	};
}

// ---- Restore -----------------------------------------------------------------------------------------------

/**
 * Restores a soft-deleted user (Terraform's restoreDeletedUser; docs/GENESYS.md, "Deleted users"): its
 * current version comes from GET ?state=deleted, then `state` is PATCHed alone. A user found live again (a
 * lost response of our own PATCH, or someone else) counts as restored. Returns the step's detail.
 */
export async function restoreUser(
	ctx: RunContext,
	work: RowWork,
	found: GenesysUser,
	target: 'active' | 'inactive',
): Promise<string> {
	for (let attempt = 1; ; attempt++) {
		const current = await currentUser(ctx, work, found.id);
		work.user = current;
		if (!isDeleted(current)) return `already ${current.state ?? 'live'}`;
		// One attempt per loop: a stale version is re-read above, in whatever state the user is now.
		const restored = await settle(() =>
			patchUser(ctx, work, found.id, () => ({ state: target }), { deleted: true, attempts: 1 }),
		);
		if (restored.ok) return `state: ${target}`;
		if (attempt >= ctx.timing.versionAttempts || !isVersionMismatch(errorFacts(restored.error))) throw restored.error;
		ctx.counters.versionRetries++;
	}
}

/** The user in whatever state it is: deleted users need ?state=deleted, live ones are not found that way. */
async function currentUser(ctx: RunContext, work: RowWork, userId: string): Promise<GenesysUser> {
	const deleted = await settle(() => getUser(ctx, work, userId, true));
	if (deleted.ok) return deleted.value;
	if (!isNotFound(errorFacts(deleted.error))) throw deleted.error;
	return await getUser(ctx, work, userId, false);
}

// ---- Follow-ups --------------------------------------------------------------------------------------------

/**
 * One follow-up on a user, each with its own endpoint (docs/GENESYS.md, "Follow-up requests"). Every one
 * of them can be repeated safely, so a rerun completes a half-done row. Returns the step's detail.
 */
export async function sendFollowUp(ctx: RunContext, work: RowWork, step: FollowUpStep): Promise<string> {
	const userId = work.user?.id;
	if (!userId) throw new Error('No user id to work on');
	switch (step) {
		case 'password':
			return await setPassword(ctx, work, userId);
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

/**
 * POST /api/v2/users/{id}/password, the way the SDK's CreateUser doc says to re-attempt a password that
 * failed. Setting the same password twice changes nothing, so a lost response is simply re-sent; a 500 is
 * re-tried a few times here (the transport only retries 502/503/504), then the row reports it.
 */
async function setPassword(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const body = ChangePasswordRequestSchema.parse({ newPassword: work.row.followUps.password ?? '' });
	for (let attempt = 0; ; attempt++) {
		const sent = await settle(() =>
			withConsistency(ctx, work, () =>
				ctx.api.request<unknown>({ method: 'POST', path: `${userPath(userId)}/password`, body, idempotent: true }),
			),
		);
		if (sent.ok) return attempt === 0 ? 'initial password set' : `initial password set on attempt ${attempt + 1}`;
		const status = errorFacts(sent.error).status ?? 0;
		if (status < 500 || attempt + 1 >= ctx.timing.passwordAttempts || isCancelled(ctx)) throw sent.error;
		await pause(ctx, exponentialDelay(attempt, ctx.timing));
	}
}

/** POST /api/v2/users/{id}/externalid; the answer may be one identifier or an array. */
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

/**
 * POST /api/v2/authorization/subjects/{id}/bulkadd: adds grants, keeps the ones the user has. A grant without
 * a division goes to the user's own (divisions.ts), never to `*` unasked.
 */
async function grantRoles(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const grants = work.row.followUps.roles.map((grant) => ({
		roleId: grant.roleId,
		divisionId: grantDivision(grant, work.row, ctx.homeDivision),
	}));
	if (grants.some((grant) => grant.divisionId === undefined)) throw homeDivisionUnknown(ctx.homeDivision);
	const body = RoleDivisionGrantsSchema.parse({ grants });
	await withAuthorizationLag(ctx, () =>
		ctx.api.request<unknown>({
			method: 'POST',
			path: `/api/v2/authorization/subjects/${pathSegment(userId)}/bulkadd`,
			body,
			idempotent: true,
		}),
	);
	return `${body.grants.length} role grant(s)`;
}

function homeDivisionUnknown(home: HomeDivision | undefined): Error {
	const reason = home && !home.ok ? `: ${redactSecrets(messageOf(home.error))}` : '';
	return new Error(
		`The org's home division could not be read${reason}. Give the role its division (roleId:divisionId), ` +
			'the row a divisionId, or set the Default Role Division option.',
	);
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
				path: `/api/v2/routing/queues/${pathSegment(queueId)}/members`,
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

async function resolveManager(ctx: RunContext, value: string): Promise<string> {
	if (!isEmail(value)) return value;
	const known = ctx.directory.get(emailKey(value));
	if (known) return known;
	const found = await findUserByEmail(ctx, value, { waitForLag: false, accept: (user) => !isDeleted(user) });
	if (!found || isDeleted(found)) throw new Error(`The manager ${clip(value)} was not found in Genesys Cloud`);
	ctx.directory.set(emailKey(value), found.id);
	return found.id;
}

/**
 * POST /api/v2/users/{id}/invite, with `force=true` for restored users and asked-for resends (policy.ts).
 * Without force a repeat sends nothing while an invitation is outstanding, so it may be retried; with force a
 * retry after a lost response would send a second email, so it is not.
 */
async function sendInvite(ctx: RunContext, work: RowWork, userId: string): Promise<string> {
	const force = inviteForced(outcomeAction(work.outcome));
	await withConsistency(ctx, work, () =>
		ctx.api.request<unknown>({
			method: 'POST',
			path: `${userPath(userId)}/invite`,
			...(force ? { qs: { force: 'true' } } : {}),
			idempotent: !force,
		}),
	);
	return inviteDetail(force, 'sent');
}
