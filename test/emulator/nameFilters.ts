/**
 * The `name` query parameter of the org-level list endpoints. Each endpoint documents it differently
 * (purecloud-platform-client-v2 AuthorizationApi / RoutingApi), and the emulator follows each text:
 * - GET /api/v2/authorization/divisions: "Search term to filter by division name" -> contains;
 * - GET /api/v2/authorization/roles: undocumented -> contains, like divisions;
 * - GET /api/v2/routing/skills: "Filter for results that start with this value" -> prefix;
 * - GET /api/v2/routing/queues: "Include only queues with the given name (leading and trailing asterisks
 *   allowed)" -> the whole name, `*` at either end is a wildcard.
 * Comparisons ignore case. Lists come back sorted by name ("results are sorted by name" for queues).
 */
import type { NamedEntity } from './catalog';

export type NameFilterKind = 'contains' | 'prefix' | 'wildcard';

export function matchesName(kind: NameFilterKind, name: string, filter: string | undefined): boolean {
	if (filter === undefined || filter === '') return true;
	const value = name.toLowerCase();
	const term = filter.toLowerCase();
	if (kind === 'contains') return value.includes(term);
	if (kind === 'prefix') return value.startsWith(term);
	const leading = term.startsWith('*');
	const trailing = term.length > 1 && term.endsWith('*');
	const core = term.slice(leading ? 1 : 0, trailing ? -1 : undefined);
	if (leading && trailing) return value.includes(core);
	if (leading) return value.endsWith(core);
	if (trailing) return value.startsWith(core);
	return value === core;
}

/** The entities whose name matches, sorted by name. */
export function filterByName<T extends NamedEntity>(entities: Iterable<T>, kind: NameFilterKind, filter: string | undefined): T[] {
	return [...entities]
		.filter((entity) => matchesName(kind, entity.name, filter))
		.sort((a, b) => a.name.localeCompare(b.name));
}
