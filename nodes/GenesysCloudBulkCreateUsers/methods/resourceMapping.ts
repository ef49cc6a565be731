import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { UserFieldId } from '../input/fields';

interface FieldSpec {
	id: UserFieldId;
	/** Short: the mapper's label column is narrow. Formats are explained in the mapper's description. */
	displayName: string;
	/** Needed for every user: marked required when the fields are set per item (not CSV defaults). */
	needed?: boolean;
	/** Hidden until added from "Add field": alternatives and rarely used fields. */
	removed?: boolean;
	options?: ResourceMapperField['options'];
}

const FIELDS: readonly FieldSpec[] = [
	{ id: 'name', displayName: 'Name', needed: true },
	{ id: 'firstName', displayName: 'First Name', removed: true },
	{ id: 'lastName', displayName: 'Last Name', removed: true },
	{ id: 'email', displayName: 'Email', needed: true },
	{ id: 'divisionId', displayName: 'Division ID' },
	{ id: 'department', displayName: 'Department' },
	{ id: 'title', displayName: 'Title' },
	{
		id: 'state',
		displayName: 'State',
		options: [
			{ name: 'Active', value: 'active' },
			{ name: 'Inactive', value: 'inactive' },
		],
	},
	{ id: 'password', displayName: 'Password', removed: true },
	{ id: 'workPhone', displayName: 'Work Phone' },
	{ id: 'mobilePhone', displayName: 'Mobile Phone' },
	{ id: 'manager', displayName: 'Manager' },
	{ id: 'externalKey', displayName: 'External Key' },
	{ id: 'roles', displayName: 'Roles' },
	{ id: 'skills', displayName: 'Skills' },
	{ id: 'queues', displayName: 'Queues' },
];

/** What each field takes, for the mapper's description (a mapper field has no description of its own). */
export const FIELD_FORMATS =
	'Manager: email or user ID. External Key: e.g. the employee ID, registered under Options > External ID Authority. Roles: role IDs, comma-separated, roleId:divisionId allowed. Skills: skillId:proficiency (0-5), comma-separated. Queues: queue IDs, comma-separated. First Name and Last Name (Add Field) make the name when Name is empty.';

function toField(spec: FieldSpec, markRequired: boolean): ResourceMapperField {
	const field: ResourceMapperField = {
		id: spec.id,
		displayName: spec.displayName,
		// Only a mark in the editor: the node reads the mapper whole, and reports a missing value on its row.
		required: markRequired && spec.needed === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: spec.options ? 'options' : 'string',
	};
	if (spec.options) field.options = spec.options;
	if (spec.removed) field.removed = true;
	return field;
}

/**
 * The user fields offered by the "Fields" mapper; a static list, no API call. Name and Email are marked
 * required for input items; for a CSV file the values set here are defaults, so nothing is.
 */
export async function getUserFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const markRequired = inputSourceOf(this) !== 'csv';
	return { fields: FIELDS.map((spec) => toField(spec, markRequired)) };
}

function inputSourceOf(context: ILoadOptionsFunctions): unknown {
	try {
		return context.getCurrentNodeParameter?.('inputSource');
	} catch {
		// Not known outside the editor's panel: the default source.
		return 'items';
	}
}
