/**
 * The org-level objects users refer to: divisions, roles, routing skills, queues and outbound contact lists.
 * They come from the options; roles and divisions can also be added while the emulator runs, to model the
 * authorization cache that learns about them late (terraform's genesyscloud_user_roles retries bulkadd 404s
 * because "new roles or divisions have not yet been added to the auth service cache").
 */

const HOME_DIVISION_ID = '0d1f0000-0000-4000-8000-000000000001';

export const DEFAULT_IDS = {
	organizationId: '0a9a0000-0000-4000-8000-00000000a001',
	homeDivisionId: HOME_DIVISION_ID,
	divisions: [HOME_DIVISION_ID, '0d1f0000-0000-4000-8000-000000000002', '0d1f0000-0000-4000-8000-000000000003'],
	roles: [
		'0201e000-0000-4000-8000-000000000001',
		'0201e000-0000-4000-8000-000000000002',
		'0201e000-0000-4000-8000-000000000003',
	],
	skills: [
		'05c11100-0000-4000-8000-000000000001',
		'05c11100-0000-4000-8000-000000000002',
		'05c11100-0000-4000-8000-000000000003',
	],
	queues: ['0de0e000-0000-4000-8000-000000000001', '0de0e000-0000-4000-8000-000000000002'],
	contactLists: ['0c0a1150-0000-4000-8000-000000000001', '0c0a1150-0000-4000-8000-000000000002'],
} as const;

const DEFAULT_NAMES: Record<string, string> = {
	[DEFAULT_IDS.divisions[0]]: 'Home',
	[DEFAULT_IDS.divisions[1]]: 'Sales Division',
	[DEFAULT_IDS.divisions[2]]: 'Support Division',
	[DEFAULT_IDS.roles[0]]: 'employee',
	[DEFAULT_IDS.roles[1]]: 'Agent',
	[DEFAULT_IDS.roles[2]]: 'Supervisor',
	[DEFAULT_IDS.skills[0]]: 'English',
	[DEFAULT_IDS.skills[1]]: 'Billing',
	[DEFAULT_IDS.skills[2]]: 'Technical Support',
	[DEFAULT_IDS.queues[0]]: 'Support Queue',
	[DEFAULT_IDS.queues[1]]: 'Sales Queue',
	[DEFAULT_IDS.contactLists[0]]: 'Spring Campaign',
	[DEFAULT_IDS.contactLists[1]]: 'Renewals',
};

export const ORGANIZATION_NAME = 'Emulated Genesys Org';

export interface NamedEntity {
	id: string;
	name: string;
}

function named(ids: readonly string[], kind: string): Map<string, NamedEntity> {
	const map = new Map<string, NamedEntity>();
	ids.forEach((id, i) => map.set(id, { id, name: DEFAULT_NAMES[id] ?? `${kind} ${i + 1}` }));
	return map;
}

export interface CatalogIds {
	divisions?: string[];
	roles?: string[];
	skills?: string[];
	queues?: string[];
	contactLists?: string[];
}

export class Catalog {
	readonly divisions: Map<string, NamedEntity>;
	readonly roles: Map<string, NamedEntity>;
	readonly skills: Map<string, NamedEntity>;
	readonly queues: Map<string, NamedEntity>;
	readonly contactLists: Map<string, NamedEntity>;
	readonly homeDivisionId: string;
	readonly organizationId: string = DEFAULT_IDS.organizationId;
	/** Roles and divisions added at run time, with the time they were added (the options' ones are absent). */
	private readonly addedAt = new Map<string, number>();

	constructor(ids: CatalogIds) {
		const divisions = ids.divisions && ids.divisions.length > 0 ? ids.divisions : DEFAULT_IDS.divisions;
		this.divisions = named(divisions, 'Division');
		this.roles = named(ids.roles ?? DEFAULT_IDS.roles, 'Role');
		this.skills = named(ids.skills ?? DEFAULT_IDS.skills, 'Skill');
		this.queues = named(ids.queues ?? DEFAULT_IDS.queues, 'Queue');
		this.contactLists = named(ids.contactLists ?? DEFAULT_IDS.contactLists, 'Contact List');
		this.homeDivisionId = divisions[0];
	}

	addRole(id: string, name: string | undefined, now: number): void {
		this.add(this.roles, id, name ?? `Role ${this.roles.size + 1}`, now);
	}

	addDivision(id: string, name: string | undefined, now: number): void {
		this.add(this.divisions, id, name ?? `Division ${this.divisions.size + 1}`, now);
	}

	/** False while a role or division added at run time is still unknown to the authorization cache. */
	isAuthorizable(id: string, now: number, authCacheLagMs: number): boolean {
		const added = this.addedAt.get(id);
		return added === undefined || now >= added + authCacheLagMs;
	}

	/** Drops what was added at run time. */
	reset(): void {
		for (const id of this.addedAt.keys()) {
			this.roles.delete(id);
			this.divisions.delete(id);
		}
		this.addedAt.clear();
	}

	private add(map: Map<string, NamedEntity>, id: string, name: string, now: number): void {
		if (id.trim() === '' || id === '*') throw new RangeError(`not a usable id: '${id}'`);
		if (map.has(id)) throw new RangeError(`id already exists: ${id}`);
		map.set(id, { id, name });
		this.addedAt.set(id, now);
	}

	divisionRef(id: string): { id: string; name: string; selfUri: string } {
		const division = this.divisions.get(id);
		return { id, name: division?.name ?? id, selfUri: `/api/v2/authorization/divisions/${id}` };
	}
}
