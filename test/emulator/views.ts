/**
 * Response shapes built from state: the Genesys `User` (docs/GENESYS.md, "Users") and entity listings.
 */
import type { Catalog, NamedEntity } from './catalog';
import type { EmuUser } from './types';

export function userSelfUri(id: string): string {
	return `/api/v2/users/${id}`;
}

/** models.json User, with the fields the emulator knows. */
export function userJson(user: EmuUser, catalog: Catalog): Record<string, unknown> {
	const { username, ...extra } = user.extra ?? {};
	const json: Record<string, unknown> = {
		id: user.id,
		name: user.name,
		division: catalog.divisionRef(user.divisionId),
		email: user.email,
		primaryContactInfo: [{ address: user.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
		addresses: (user.addresses ?? []).map((contact) => ({ ...contact })),
		state: user.state,
		username: typeof username === 'string' ? username : user.email,
		version: user.version,
		acdAutoAnswer: false,
		...extra,
		selfUri: userSelfUri(user.id),
	};
	if (user.title !== undefined) json.title = user.title;
	if (user.department !== undefined) json.department = user.department;
	if (user.dateWelcomeSent !== undefined) json.dateWelcomeSent = new Date(user.dateWelcomeSent).toISOString();
	if (user.managerId !== undefined) json.manager = { id: user.managerId, selfUri: userSelfUri(user.managerId) };
	return json;
}

export interface Listing<T> {
	entities: T[];
	pageSize: number;
	pageNumber: number;
	total: number;
	pageCount: number;
}

/** Genesys entity listing with pageSize/pageNumber paging (default 25 per page). */
export function listing<T>(items: T[], query: Record<string, string> = {}): Listing<T> {
	const pageSize = Math.max(1, Number(query.pageSize ?? 25) || 25);
	const pageNumber = Math.max(1, Number(query.pageNumber ?? 1) || 1);
	const start = (pageNumber - 1) * pageSize;
	return {
		entities: items.slice(start, start + pageSize),
		pageSize,
		pageNumber,
		total: items.length,
		pageCount: Math.ceil(items.length / pageSize),
	};
}

export function entityJson(entity: NamedEntity, selfUriBase: string): Record<string, unknown> {
	return { id: entity.id, name: entity.name, selfUri: `${selfUriBase}/${entity.id}` };
}
