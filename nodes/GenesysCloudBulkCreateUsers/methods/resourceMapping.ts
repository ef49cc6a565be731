import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { UserFieldId } from '../input/fields';

interface FieldSpec {
	id: UserFieldId;
	displayName: string;
	/** Hidden until added from "Add field": alternatives and rarely used fields. */
	removed?: boolean;
	options?: ResourceMapperField['options'];
}

// Nothing here is required: in CSV mode the values are defaults, and missing values are reported per row.
const FIELDS: readonly FieldSpec[] = [
	{ id: 'name', displayName: 'Name' },
	{ id: 'firstName', displayName: 'First Name (Used When Name Is Empty)', removed: true },
	{ id: 'lastName', displayName: 'Last Name (Used When Name Is Empty)', removed: true },
	{ id: 'email', displayName: 'Email' },
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
	{ id: 'manager', displayName: 'Manager (Email or User ID)' },
	{ id: 'externalKey', displayName: 'External Key (e.g. Employee ID)' },
	{ id: 'roles', displayName: 'Roles (Role IDs, Comma-Separated; roleId:divisionId Allowed)' },
	{ id: 'skills', displayName: 'Skills (skillId:proficiency 0-5, Comma-Separated)' },
	{ id: 'queues', displayName: 'Queues (Queue IDs, Comma-Separated)' },
];

function toField(spec: FieldSpec): ResourceMapperField {
	const field: ResourceMapperField = {
		id: spec.id,
		displayName: spec.displayName,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: spec.options ? 'options' : 'string',
	};
	if (spec.options) field.options = spec.options;
	if (spec.removed) field.removed = true;
	return field;
}

/** The user fields offered by the "Fields" mapper; a static list, no API call. */
export async function getUserFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return { fields: FIELDS.map(toField) };
}
