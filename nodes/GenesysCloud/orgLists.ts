/**
 * The org's divisions, roles, routing skills and queues, read page by page for the editor's pickers.
 * The `name` filter means something different on each endpoint (purecloud-platform-client-v2
 * AuthorizationApi.getAuthorizationDivisions / getAuthorizationRoles, RoutingApi.getRoutingSkills /
 * getRoutingQueues): a search term for divisions and roles, a prefix for skills, the whole name with `*`
 * wildcards at either end for queues.
 */
import type { GenesysApi } from './genesysApi';

export type OrgListKind = 'divisions' | 'roles' | 'skills' | 'queues';

export interface OrgEntity {
	id: string;
	name: string;
}

interface EntityListing {
	entities?: Array<{ id?: unknown; name?: unknown }>;
	pageCount?: number;
	pageNumber?: number;
}

const PATHS: Readonly<Record<OrgListKind, string>> = {
	divisions: '/api/v2/authorization/divisions',
	roles: '/api/v2/authorization/roles',
	skills: '/api/v2/routing/skills',
	queues: '/api/v2/routing/queues',
};

/** Accepted by every one of the four endpoints. */
export const ORG_LIST_PAGE_SIZE = 100;

/** The `name` query value that finds `filter` anywhere in a name where the endpoint allows it. */
export function nameQuery(kind: OrgListKind, filter: string | undefined): string | undefined {
	const term = filter?.trim();
	if (!term) return undefined;
	return kind === 'queues' ? `*${term}*` : term;
}

export interface OrgListPage {
	entities: OrgEntity[];
	/** The next page number, or undefined on the last page. */
	nextPage?: number;
}

function toEntities(listing: EntityListing): OrgEntity[] {
	const entities: OrgEntity[] = [];
	for (const entry of listing.entities ?? []) {
		if (typeof entry.id !== 'string' || entry.id === '') continue;
		entities.push({ id: entry.id, name: typeof entry.name === 'string' && entry.name !== '' ? entry.name : entry.id });
	}
	return entities;
}

/** One page of a list, optionally filtered by name. */
export async function fetchOrgListPage(
	client: GenesysApi,
	kind: OrgListKind,
	options: { filter?: string; pageNumber?: number } = {},
): Promise<OrgListPage> {
	const pageNumber = options.pageNumber ?? 1;
	const listing = await client.request<EntityListing>({
		method: 'GET',
		path: PATHS[kind],
		qs: { pageSize: ORG_LIST_PAGE_SIZE, pageNumber, name: nameQuery(kind, options.filter) },
	});
	const entities = toEntities(listing);
	const pageCount = typeof listing.pageCount === 'number' ? listing.pageCount : pageNumber;
	const more = pageNumber < pageCount && entities.length > 0;
	return { entities, nextPage: more ? pageNumber + 1 : undefined };
}

export interface OrgListResult {
	entities: OrgEntity[];
	/** True when the list had more than `limit` entries: the entities are only the first ones. */
	truncated: boolean;
}

/** Every entry of a list, up to `limit`, sorted by name. */
export async function fetchOrgList(client: GenesysApi, kind: OrgListKind, limit: number): Promise<OrgListResult> {
	const entities: OrgEntity[] = [];
	let pageNumber: number | undefined = 1;
	while (pageNumber !== undefined && entities.length <= limit) {
		const page: OrgListPage = await fetchOrgListPage(client, kind, { pageNumber });
		entities.push(...page.entities);
		pageNumber = page.nextPage;
	}
	const truncated = entities.length > limit || pageNumber !== undefined;
	entities.sort((a, b) => a.name.localeCompare(b.name));
	return { entities: entities.slice(0, limit), truncated };
}
