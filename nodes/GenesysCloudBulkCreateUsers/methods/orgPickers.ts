/**
 * The mapper's fields with pickers: Division, Roles, Skills and Queues list the org's entries by name (read
 * through the credential when the editor loads the fields), so nobody pastes IDs. The picked value is the
 * same text the field takes today (an ID; `skillId:proficiency` for skills), so the run reads it unchanged.
 *
 * A picker replaces the text field only when the whole list was read: an org with more entries than
 * MAX_PICKER_ENTRIES, a credential without the permission, or no credential yet keeps the text field for
 * that kind, which takes IDs, lists and expressions. In a picker, several values or a raw ID are given
 * with an expression (Define Below), and input columns (Map Automatically, CSV) are never limited to the
 * listed values.
 */
import type {
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { fetchOrgList, type OrgEntity, type OrgListKind, type OrgListResult } from '../../GenesysCloud/orgLists';
import { GenesysClient } from '../../GenesysCloud/transport';
import { getUserFields } from './resourceMapping';

/** Beyond this, a dropdown stops being usable and the list costs many requests: keep the text field. */
export const MAX_PICKER_ENTITIES = 500;
/** Proficiencies offered per skill (Genesys accepts 0 to 5). */
const PROFICIENCIES = [0, 1, 2, 3, 4, 5] as const;

interface PickerSpec {
	kind: OrgListKind;
	displayName: string;
	options: (entities: OrgEntity[]) => INodePropertyOptions[];
}

function byId(entities: OrgEntity[]): INodePropertyOptions[] {
	return entities.map((entity) => ({ name: entity.name, value: entity.id, description: `ID ${entity.id}` }));
}

function skillLevels(entities: OrgEntity[]): INodePropertyOptions[] {
	return entities.flatMap((skill) =>
		PROFICIENCIES.map((level) => ({
			name: `${skill.name} (proficiency ${level})`,
			value: `${skill.id}:${level}`,
			description: `ID ${skill.id}`,
		})),
	);
}

/** Field id -> the list its picker shows. */
export const PICKERS: Readonly<Record<'divisionId' | 'roles' | 'skills' | 'queues', PickerSpec>> = {
	divisionId: { kind: 'divisions', displayName: 'Division', options: byId },
	roles: { kind: 'roles', displayName: 'Role', options: byId },
	skills: { kind: 'skills', displayName: 'Skill', options: skillLevels },
	queues: { kind: 'queues', displayName: 'Queue', options: byId },
};

type Loaded = Partial<Record<OrgListKind, OrgListResult>>;

function withPicker(field: ResourceMapperField, loaded: Loaded): ResourceMapperField {
	const picker = PICKERS[field.id as keyof typeof PICKERS];
	if (picker === undefined) return field;
	const list = loaded[picker.kind];
	if (list === undefined || list.truncated) return field;
	return { ...field, displayName: picker.displayName, type: 'options', options: picker.options(list.entities) };
}

async function loadLists(ctx: ILoadOptionsFunctions): Promise<Loaded> {
	let client: GenesysClient;
	try {
		client = await GenesysClient.forContext(ctx);
	} catch (error) {
		ctx.logger.debug(`Genesys Cloud pickers: no credential to read the org (${(error as Error).message})`);
		return {};
	}
	const kinds: OrgListKind[] = ['divisions', 'roles', 'skills', 'queues'];
	const results = await Promise.allSettled(kinds.map(async (kind) => await fetchOrgList(client, kind, MAX_PICKER_ENTITIES)));
	const loaded: Loaded = {};
	results.forEach((result, index) => {
		if (result.status === 'fulfilled') {
			loaded[kinds[index]] = result.value;
		} else {
			ctx.logger.debug(`Genesys Cloud pickers: ${kinds[index]} not listed (${(result.reason as Error).message})`);
		}
	});
	return loaded;
}

/** resourceMapping method: the static user fields, with pickers where the org could be listed. */
export async function getUserFieldsWithPickers(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const { fields } = await getUserFields.call(this);
	const loaded = await loadLists(this);
	return { fields: fields.map((field) => withPicker(field, loaded)) };
}
