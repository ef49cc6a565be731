/**
 * zod schemas of the Genesys request bodies this node sends, one per model (models.json; docs/GENESYS.md,
 * "Users" and "Follow-up requests");
 * the user search body is shared with the other node (../GenesysCloud/userSearch).
 * Every schema is strict: an unknown key is a bug on our side, never something to send to Genesys.
 */
import { z } from 'zod';

const id = (what: string) =>
	z
		.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be text` })
		.min(1, `${what} must not be empty`);

/** Contact (docs/GENESYS.md, "Users"). `display` is read-only, so it is not part of what we send. */
export const CONTACT_MEDIA_TYPES = ['PHONE', 'EMAIL', 'SMS'] as const;
export const CONTACT_TYPES = [
	'PRIMARY',
	'WORK',
	'WORK2',
	'WORK3',
	'WORK4',
	'HOME',
	'MOBILE',
	'MAIN',
	'OTHER',
] as const;

export const ContactSchema = z
	.object({
		address: z.string().min(1).optional(),
		mediaType: z.enum(CONTACT_MEDIA_TYPES).optional(),
		type: z.enum(CONTACT_TYPES).optional(),
		extension: z.string().min(1).optional(),
		countryCode: z.string().min(1).optional(),
		integration: z.string().min(1).optional(),
	})
	.strict();
export type Contact = z.infer<typeof ContactSchema>;

/** States a new user may be created in; `deleted` is in the Genesys enum but meaningless on create. */
export const CREATE_USER_STATES = ['active', 'inactive'] as const;

/**
 * CreateUser, body of POST /api/v2/users (docs/GENESYS.md, "Users"): the model's fields but `password`. A
 * password in the create can fail while the user is still created, and nothing in the answer says so (SDK
 * CreateUser doc), so the initial password is set afterwards with its own request (ChangePasswordRequest).
 */
export const CreateUserSchema = z
	.object({
		name: z
			.string({
				required_error: 'is required (give a name, or a first and a last name)',
				invalid_type_error: 'must be text',
			})
			.min(1, 'must not be empty'),
		email: z
			.string({ required_error: 'is required', invalid_type_error: 'must be text' })
			.email('is not a valid email address'),
		// Required in the swagger, but Genesys uses the home division when it is absent (docs/GENESYS.md,
		// "Users").
		divisionId: z.string().min(1).optional(),
		department: z.string().min(1).optional(),
		title: z.string().min(1).optional(),
		state: z
			.enum(CREATE_USER_STATES, {
				errorMap: () => ({ message: `must be one of: ${CREATE_USER_STATES.join(', ')}` }),
			})
			.optional(),
		addresses: z.array(ContactSchema).optional(),
	})
	.strict();
export type CreateUserBody = z.infer<typeof CreateUserSchema>;

function definedKeys(body: Record<string, unknown>): number {
	return Object.values(body).filter((value) => value !== undefined).length;
}

/**
 * UpdateUser, body of PATCH /api/v2/users/{userId}: the subset this node changes, plus the required `version`.
 * Genesys wants `state` alone in its PATCH (besides `version`); the refinement enforces that.
 */
export const UpdateUserSchema = z
	.object({
		name: z.string().min(1).optional(),
		email: z.string().email().optional(),
		department: z.string().optional(),
		title: z.string().optional(),
		addresses: z.array(ContactSchema).optional(),
		/** Manager's user id (a plain string in UpdateUser). */
		manager: z.string().min(1).optional(),
		state: z.enum(['active', 'inactive', 'deleted']).optional(),
		version: z.number().int().nonnegative(),
	})
	.strict()
	.refine((body) => body.state === undefined || definedKeys(body) === 2, {
		message: 'state must be the only field changed in its PATCH',
		path: ['state'],
	});
export type UpdateUserBody = z.infer<typeof UpdateUserSchema>;

/** ChangePasswordRequest, body of POST /api/v2/users/{userId}/password. */
export const ChangePasswordRequestSchema = z.object({ newPassword: z.string().min(1) }).strict();
export type ChangePasswordRequestBody = z.infer<typeof ChangePasswordRequestSchema>;

/** UserExternalIdentifier, body of POST /api/v2/users/{userId}/externalid. Both parts are case-sensitive. */
export const UserExternalIdentifierSchema = z
	.object({
		authorityName: id('authorityName'),
		externalKey: id('externalKey'),
	})
	.strict();
export type UserExternalIdentifierBody = z.infer<typeof UserExternalIdentifierSchema>;

/** RoleDivisionPair, item of RoleDivisionGrants.grants; divisionId `*` means all divisions. */
export const RoleDivisionPairSchema = z
	.object({
		roleId: id('role id'),
		divisionId: id('division id'),
	})
	.strict();
export type RoleDivisionPair = z.infer<typeof RoleDivisionPairSchema>;

/** RoleDivisionGrants, body of POST /api/v2/authorization/subjects/{subjectId}/bulkadd. */
export const RoleDivisionGrantsSchema = z
	.object({
		grants: z.array(RoleDivisionPairSchema).min(1),
	})
	.strict();
export type RoleDivisionGrantsBody = z.infer<typeof RoleDivisionGrantsSchema>;

export const MIN_PROFICIENCY = 0;
export const MAX_PROFICIENCY = 5;

/** UserRoutingSkillPost, item of the body of PATCH /api/v2/users/{userId}/routingskills/bulk. */
export const UserRoutingSkillPostSchema = z
	.object({
		id: id('skill id'),
		proficiency: z
			.number({ invalid_type_error: 'proficiency must be a number' })
			.min(MIN_PROFICIENCY, `proficiency must be between ${MIN_PROFICIENCY} and ${MAX_PROFICIENCY}`)
			.max(
				MAX_PROFICIENCY,
				`proficiency must be between ${MIN_PROFICIENCY} and ${MAX_PROFICIENCY}`,
			),
	})
	.strict();
export type UserRoutingSkillPost = z.infer<typeof UserRoutingSkillPostSchema>;

/** Terraform sends routing skills in chunks of 50; the body is an array, never empty. */
export const ROUTING_SKILLS_CHUNK = 50;
export const UserRoutingSkillsBulkSchema = z
	.array(UserRoutingSkillPostSchema)
	.min(1)
	.max(ROUTING_SKILLS_CHUNK);
export type UserRoutingSkillsBulkBody = z.infer<typeof UserRoutingSkillsBulkSchema>;

/** WritableEntity, item of the body of POST /api/v2/routing/queues/{queueId}/members (the user id). */
export const WritableEntitySchema = z.object({ id: id('user id') }).strict();
export type WritableEntity = z.infer<typeof WritableEntitySchema>;

/** The queue members body: up to 100 users per call. */
export const QUEUE_MEMBERS_CHUNK = 100;
export const QueueMembersBodySchema = z.array(WritableEntitySchema).min(1).max(QUEUE_MEMBERS_CHUNK);
export type QueueMembersBody = z.infer<typeof QueueMembersBodySchema>;

