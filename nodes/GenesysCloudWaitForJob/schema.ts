/**
 * The one Genesys model this node sends: the body of POST /api/v2/users/search (models.json UserSearchRequest,
 * UserSearchCriteria), restricted to what the node uses.
 */
import { z } from 'zod';

/** Genesys caps a search page at 100 results. */
export const SEARCH_PAGE_SIZE = 100;

export const UserSearchCriterionSchema = z.object({
	type: z.literal('EXACT'),
	fields: z.array(z.enum(['id', 'email', 'state'])).length(1),
	values: z.array(z.string().min(1)).min(1).max(SEARCH_PAGE_SIZE),
});

export const UserSearchRequestSchema = z.object({
	pageSize: z.number().int().min(1).max(SEARCH_PAGE_SIZE),
	pageNumber: z.number().int().min(1),
	query: z.array(UserSearchCriterionSchema).min(1),
});

export type UserSearchCriterion = z.infer<typeof UserSearchCriterionSchema>;
export type UserSearchRequest = z.infer<typeof UserSearchRequestSchema>;
