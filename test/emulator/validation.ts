/**
 * zod schemas of the request bodies the emulator accepts, one per Genesys model (models.json). They are strict:
 * a field that is not in the model is a 400, so a client that sends, say, `manager` on create is caught here
 * (docs/GENESYS.md, "Users") rather than by a silently ignoring server.
 */
import { z } from 'zod';

import { badRequest, type ErrorDetail, type RouteResult } from './errors';

export const USER_STATES = ['active', 'inactive', 'deleted'] as const;
export const CONTACT_MEDIA_TYPES = ['PHONE', 'EMAIL', 'SMS'] as const;
export const CONTACT_TYPES = ['PRIMARY', 'WORK', 'WORK2', 'WORK3', 'WORK4', 'HOME', 'MOBILE', 'MAIN', 'OTHER'] as const;
export const SEARCH_TYPES = [
	'EXACT',
	'STARTS_WITH',
	'CONTAINS',
	'REGEX',
	'TERM',
	'TERMS',
	'REQUIRED_FIELDS',
	'MATCH_ALL',
	'QUERY_STRING',
	'RANGE',
	'LESS_THAN',
	'LESS_THAN_EQUAL_TO',
	'GREATER_THAN',
	'GREATER_THAN_EQUAL_TO',
] as const;

const nonBlank = z.string().refine((value) => value.trim().length > 0, { message: 'must not be empty' });
const objectLike = z.record(z.unknown());

/** models.json Contact. */
export const ContactSchema = z
	.object({
		address: z.string().optional(),
		display: z.string().optional(),
		mediaType: z.enum(CONTACT_MEDIA_TYPES).optional(),
		type: z.enum(CONTACT_TYPES).optional(),
		extension: z.string().optional(),
		countryCode: z.string().optional(),
		integration: z.string().optional(),
	})
	.strict();

/** models.json CreateUser; `divisionId` may be omitted (docs/GENESYS.md, "Users": home division). */
export const CreateUserSchema = z
	.object({
		name: nonBlank,
		email: z.string().email(),
		department: z.string().optional(),
		title: z.string().optional(),
		password: z.string().optional(),
		divisionId: nonBlank.optional(),
		state: z
			.enum(USER_STATES)
			.refine((state) => state !== 'deleted', { message: "state 'deleted' is not allowed on create" })
			.optional(),
		addresses: z.array(ContactSchema).optional(),
	})
	.strict();

/** models.json UpdateUser. */
export const UpdateUserSchema = z
	.object({
		name: nonBlank.optional(),
		department: z.string().optional(),
		email: z.string().email().optional(),
		addresses: z.array(ContactSchema).optional(),
		title: z.string().optional(),
		username: z.string().optional(),
		preferredName: z.string().optional(),
		manager: z.string().optional(),
		version: z.number().int(),
		profileSkills: z.array(z.string()).optional(),
		locations: z.array(objectLike).optional(),
		groups: z.array(objectLike).optional(),
		state: z.enum(USER_STATES).optional(),
		acdAutoAnswer: z.boolean().optional(),
		certifications: z.array(z.string()).optional(),
		biography: objectLike.optional(),
		employerInfo: objectLike.optional(),
	})
	.strict();

/** models.json UserExternalIdentifier. */
export const UserExternalIdentifierSchema = z
	.object({ authorityName: nonBlank, externalKey: nonBlank, selfUri: z.string().optional() })
	.strict();

/** models.json RoleDivisionGrants / RoleDivisionPair. */
export const RoleDivisionGrantsSchema = z
	.object({ grants: z.array(z.object({ roleId: nonBlank, divisionId: nonBlank }).strict()).min(1) })
	.strict();

/** models.json UserRoutingSkillPost[]. */
export const UserRoutingSkillPostListSchema = z.array(
	z
		.object({
			id: nonBlank,
			proficiency: z.number().min(0).max(5),
			skillUri: z.string().optional(),
			selfUri: z.string().optional(),
		})
		.strict(),
);

/** models.json UserQueue[] (only id and joined matter in a request). */
export const UserQueueListSchema = z.array(
	z
		.object({
			id: nonBlank,
			joined: z.boolean().optional(),
			name: z.string().optional(),
			division: objectLike.optional(),
			selfUri: z.string().optional(),
		})
		.strict(),
);

/** models.json WritableEntity[]: "Bulk add or delete up to 100 queue members". */
export const WritableEntityListSchema = z.array(z.object({ id: nonBlank }).strict()).min(1).max(100);

/** models.json ChangePasswordRequest. */
export const ChangePasswordRequestSchema = z.object({ newPassword: nonBlank }).strict();

export interface UserSearchCriteria {
	type: (typeof SEARCH_TYPES)[number];
	fields?: string[];
	value?: string;
	values?: string[];
	startValue?: string;
	endValue?: string;
	operator?: 'AND' | 'OR' | 'NOT';
	group?: UserSearchCriteria[];
	dateFormat?: string;
}

/** models.json UserSearchCriteria. */
export const UserSearchCriteriaSchema: z.ZodType<UserSearchCriteria> = z.lazy(() =>
	z
		.object({
			type: z.enum(SEARCH_TYPES),
			fields: z.array(z.string()).optional(),
			value: z.string().optional(),
			values: z.array(z.string()).optional(),
			startValue: z.string().optional(),
			endValue: z.string().optional(),
			operator: z.enum(['AND', 'OR', 'NOT']).optional(),
			group: z.array(UserSearchCriteriaSchema).optional(),
			dateFormat: z.string().optional(),
		})
		.strict(),
);

/** models.json UserSearchRequest. */
export const UserSearchRequestSchema = z
	.object({
		sortOrder: z.enum(['ASC', 'DESC', 'SCORE']).optional(),
		sortBy: z.string().optional(),
		pageSize: z.number().int().min(1).max(100).optional(),
		pageNumber: z.number().int().min(1).optional(),
		sort: z.array(objectLike).optional(),
		expand: z.array(z.string()).optional(),
		query: z.array(UserSearchCriteriaSchema).optional(),
		integrationPresenceSource: z.enum(['MicrosoftTeams', 'ZoomPhone', 'EightByEight', 'RingCentral']).optional(),
		enforcePermissions: z.boolean().optional(),
	})
	.strict();

/** AsyncUserDetailsQuery / AsyncConversationQuery: only `interval` is required; the rest is not modelled. */
export const AsyncDetailsQuerySchema = z.object({ interval: nonBlank }).passthrough();

/** Aggregates job bodies (AsyncConversationAggregateQuery and its siblings): only `interval` is checked. */
export const AsyncAggregatesQuerySchema = z.object({ interval: nonBlank }).passthrough();

/** UsageApi postUsageSimplesearch: ApiUsageSimpleSearch. */
export const ApiUsageSimpleSearchSchema = z
	.object({
		interval: nonBlank,
		metrics: z.array(z.string()).optional(),
		oauthClientNames: z.array(z.string()).optional(),
		httpMethods: z.array(z.string()).optional(),
		templateUris: z.array(z.string()).optional(),
	})
	.strict();

/**
 * OutboundApi postOutboundContactlistContactsSearch: ContactListingRequest. The SDK marks pageNumber and
 * pageSize required, yet terraform sends an empty body to read `contactsCount`; both are accepted.
 */
export const ContactListingRequestSchema = z
	.object({
		contactListFilterId: z.string().optional(),
		criteria: z.record(z.unknown()).optional(),
		pageNumber: z.number().int().min(1).optional(),
		pageSize: z.number().int().min(1).max(100).optional(),
		contactSorts: z.array(z.record(z.unknown())).optional(),
	})
	.strict();

export type CreateUserBody = z.infer<typeof CreateUserSchema>;
export type UpdateUserBody = z.infer<typeof UpdateUserSchema>;
export type UserSearchRequest = z.infer<typeof UserSearchRequestSchema>;

function issueDetails(issue: z.ZodIssue): ErrorDetail[] {
	const base = issue.path.map(String).join('.');
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => ({ errorCode: 'unknown.field', fieldName: base ? `${base}.${key}` : key }));
	}
	return [{ errorCode: issue.code, fieldName: base === '' ? 'body' : base }];
}

function describe(issue: z.ZodIssue): string {
	const field = issue.path.map(String).join('.');
	if (issue.code === 'invalid_type' && field === '') {
		return `The request body must be a single JSON ${issue.expected}, received ${issue.received}`;
	}
	if (issue.code === 'unrecognized_keys') return `Unknown field(s): ${issue.keys.join(', ')}`;
	return field ? `Invalid value for field '${field}': ${issue.message}` : issue.message;
}

/** Parses a body or answers Genesys's 400 with one detail per offending field. */
export type Parsed<T> = { data: T; error?: undefined } | { data?: undefined; error: RouteResult };

export function parseBody<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): Parsed<T> {
	const result = schema.safeParse(body);
	if (result.success) return { data: result.data };
	const details = result.error.issues.flatMap(issueDetails);
	return { error: badRequest(describe(result.error.issues[0]), details) };
}
