/**
 * The user fields the node maps, and the input names (HRIS exports, spreadsheets) recognised for each.
 * Names are compared after normaliseKey(): lower case, without spaces, `_`, `-` and `.`.
 */

export const USER_FIELD_IDS = [
	'name',
	'firstName',
	'lastName',
	'email',
	'divisionId',
	'department',
	'title',
	'state',
	'password',
	'workPhone',
	'mobilePhone',
	'manager',
	'externalKey',
	'roles',
	'skills',
	'queues',
] as const;

export type UserFieldId = (typeof USER_FIELD_IDS)[number];

/**
 * Aliases per field, best first: when two input names map to the same field, the better-ranked one wins
 * (an exact field id always ranks first). Sources: Workday report names (Legal_Name, Email_Address,
 * Worker_ID, Business_Title), BambooHR (workEmail, jobTitle, supervisorEmail, employeeNumber), common sheets.
 */
export const FIELD_ALIASES: Readonly<Record<UserFieldId, readonly string[]>> = {
	name: ['full name', 'display name', 'employee name', 'worker name', 'legal name'],
	firstName: ['first name', 'given name', 'forename', 'first', 'legal first name'],
	lastName: ['last name', 'surname', 'family name', 'last', 'legal last name'],
	email: [
		'work email',
		'email address',
		'work email address',
		'business email',
		'primary email',
		'user email',
		'email work',
		'mail',
		'e-mail',
	],
	divisionId: ['division', 'division id', 'home division', 'genesys division'],
	department: ['dept', 'department name', 'dept name'],
	title: [
		'job title',
		'position',
		'position title',
		'business title',
		'job position',
		'designation',
	],
	state: ['user state', 'account state', 'account status', 'genesys state'],
	password: ['initial password', 'temporary password', 'temp password'],
	workPhone: [
		'phone',
		'work phone',
		'work phone number',
		'phone number',
		'business phone',
		'office phone',
		'telephone',
		'phone work',
		'tel',
	],
	mobilePhone: [
		'mobile',
		'mobile phone',
		'mobile number',
		'mobile phone number',
		'cell',
		'cell phone',
		'cell number',
		'phone mobile',
	],
	manager: [
		'manager email',
		'supervisor',
		'supervisor email',
		'manager id',
		'reports to',
		'reports to email',
		'line manager',
		'manager user id',
	],
	externalKey: [
		'employee id',
		'employee number',
		'employee no',
		'employee #',
		'emp id',
		'worker id',
		'personnel number',
		'staff id',
		'hris id',
		'external id',
		'external key',
	],
	roles: ['role', 'role ids', 'role id', 'genesys roles'],
	skills: ['skill', 'routing skills', 'skill ids', 'routing skill'],
	queues: ['queue', 'queue ids', 'queue id'],
};

/** Lower case, without spaces, `_`, `-` and `.`: `Work_Email`, `work-email` and `workEmail` all become `workemail`. */
export function normaliseKey(key: string): string {
	return key.toLowerCase().replace(/[\s_.-]+/g, '');
}

export interface AliasMatch {
	field: UserFieldId;
	/** 0 for the field id itself, then the alias position + 1; lower wins. */
	rank: number;
}

function buildAliasIndex(): ReadonlyMap<string, AliasMatch> {
	const index = new Map<string, AliasMatch>();
	for (const field of USER_FIELD_IDS) {
		index.set(normaliseKey(field), { field, rank: 0 });
	}
	for (const field of USER_FIELD_IDS) {
		FIELD_ALIASES[field].forEach((alias, position) => {
			const key = normaliseKey(alias);
			if (!index.has(key)) index.set(key, { field, rank: position + 1 });
		});
	}
	return index;
}

const ALIAS_INDEX = buildAliasIndex();

/** The field an input name maps to, or undefined when it is not a user field. */
export function matchField(inputName: string): AliasMatch | undefined {
	return ALIAS_INDEX.get(normaliseKey(inputName));
}
