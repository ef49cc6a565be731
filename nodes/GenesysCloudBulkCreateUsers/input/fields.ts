/**
 * The user fields the node maps and the input names recognised for each (HRIS exports, spreadsheets);
 * from input (item JSON, CSV cells, resourceMapper values) to a record keyed by user field, and from clean
 * values to the CreateUser body. Pure: no n8n, no HTTP. Type checks and validation live in validate.ts.
 * Input names are compared after normaliseKey(): lower case, without spaces, `_`, `-` and `.`.
 */
import type { PhoneParts } from './phone';
import type { Contact, CreateUserBody } from './schema';
import type { FollowUps } from '../types';

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

/** Raw values by user field, as found in the input (not yet trimmed or type-checked). */
export type MappedRecord = Partial<Record<UserFieldId, unknown>>;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(USER_FIELD_IDS);

/** Absent for mapping purposes: undefined, null, a blank string or an empty list. */
export function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}

export function hasAnyValue(record: MappedRecord): boolean {
	for (const field of USER_FIELD_IDS) {
		if (!isBlank(record[field])) return true;
	}
	return false;
}

/**
 * Auto-mapping of one object's top-level keys. Items of one run usually share their keys, so matches are
 * memoised per key; when several keys map to one field, the best-ranked non-blank value wins.
 */
export class AutoMapper {
	private readonly cache = new Map<string, AliasMatch | null>();

	map(source: Readonly<Record<string, unknown>>): MappedRecord {
		const record: MappedRecord = {};
		const ranks: Partial<Record<UserFieldId, number>> = {};
		for (const key of Object.keys(source)) {
			const match = this.match(key);
			if (!match) continue;
			const value = source[key];
			if (isBlank(value)) continue;
			const current = ranks[match.field];
			if (current !== undefined && current <= match.rank) continue;
			ranks[match.field] = match.rank;
			record[match.field] = value;
		}
		return record;
	}

	/** Keys of the source that are not user fields: reported when an item maps to nothing. */
	unmappedKeys(source: Readonly<Record<string, unknown>>): string[] {
		return Object.keys(source).filter((key) => !this.match(key));
	}

	private match(key: string): AliasMatch | undefined {
		let match = this.cache.get(key);
		if (match === undefined) {
			match = matchField(key) ?? null;
			this.cache.set(key, match);
		}
		return match ?? undefined;
	}
}

/** For one field: the CSV column indexes that may hold it, best first. */
export interface ColumnSource {
	field: UserFieldId;
	columns: number[];
}

export interface CsvColumnMap {
	sources: ColumnSource[];
	/** Header names that match no user field (ignored). */
	unmapped: string[];
	/** Fields that more than one column maps to: which value to use cannot be told, so the file is refused. */
	repeated: RepeatedField[];
}

/** A user field several CSV columns map to, with those columns (0-based) and their header names. */
export interface RepeatedField {
	field: UserFieldId;
	columns: Array<{ column: number; name: string }>;
}

/** Maps a CSV header once per file, so each record costs only array lookups. */
export function mapCsvHeader(header: readonly string[]): CsvColumnMap {
	const byField = new Map<UserFieldId, Array<{ column: number; rank: number }>>();
	const unmapped: string[] = [];
	header.forEach((name, column) => {
		const trimmed = name.trim();
		if (trimmed === '') return;
		const match = matchField(trimmed);
		if (!match) {
			unmapped.push(trimmed);
			return;
		}
		const list = byField.get(match.field) ?? [];
		list.push({ column, rank: match.rank });
		byField.set(match.field, list);
	});
	const sources: ColumnSource[] = [];
	const repeated: RepeatedField[] = [];
	for (const [field, list] of byField) {
		if (list.length > 1) {
			repeated.push({ field, columns: list.map(({ column }) => ({ column, name: header[column].trim() })) });
		}
		list.sort((a, b) => a.rank - b.rank || a.column - b.column);
		sources.push({ field, columns: list.map((entry) => entry.column) });
	}
	return { sources, unmapped, repeated };
}

/** The user field a CSV column (0-based) maps to. */
export function fieldOfColumn(map: CsvColumnMap, column: number): UserFieldId | undefined {
	return map.sources.find((source) => source.columns.includes(column))?.field;
}

export function mapCsvCells(map: CsvColumnMap, cells: readonly string[]): MappedRecord {
	const record: MappedRecord = {};
	for (const source of map.sources) {
		for (const column of source.columns) {
			const cell = cells[column];
			if (cell !== undefined && cell.trim() !== '') {
				record[source.field] = cell;
				break;
			}
		}
	}
	return record;
}

/** Define-below values of the resourceMapper: keys are already field ids; unknown keys are dropped. */
export function mapDefinedValues(
	value: Readonly<Record<string, unknown>> | null | undefined,
): MappedRecord {
	const record: MappedRecord = {};
	if (!value) return record;
	for (const key of Object.keys(value)) {
		if (!KNOWN_FIELDS.has(key) || isBlank(value[key])) continue;
		record[key as UserFieldId] = value[key];
	}
	return record;
}

/**
 * CSV mode: define-below values fill the fields a row leaves empty. A default `name` does not override
 * a row that has its own first or last name (that row's name is composed from them).
 */
export function applyDefaults(record: MappedRecord, defaults: MappedRecord): MappedRecord {
	const merged: MappedRecord = { ...record };
	const rowHasNameParts = !isBlank(record.firstName) || !isBlank(record.lastName);
	for (const field of Object.keys(defaults) as UserFieldId[]) {
		if (!isBlank(merged[field])) continue;
		if (field === 'name' && rowHasNameParts) continue;
		merged[field] = defaults[field];
	}
	return merged;
}

/** Trimmed, type-checked values of one row (validate.ts produces them). */
export interface CleanValues {
	name?: string;
	firstName?: string;
	lastName?: string;
	email?: string;
	divisionId?: string;
	department?: string;
	title?: string;
	state?: string;
	password?: string;
	workPhone?: string;
	mobilePhone?: string;
	manager?: string;
	externalKey?: string;
	/** The phone fields read as E.164 and extension (phone.ts). */
	phones?: Partial<Record<PhoneField, PhoneParts>>;
}

/** `name`, or first and last name joined when there is no name. */
export function composeName(values: CleanValues): string | undefined {
	if (values.name !== undefined) return values.name;
	const parts = [values.firstName, values.lastName].filter(
		(part): part is string => part !== undefined,
	);
	return parts.length > 0 ? parts.join(' ') : undefined;
}

export type PhoneField = 'workPhone' | 'mobilePhone';

const PHONE_TYPES: ReadonlyArray<{ field: PhoneField; type: 'WORK' | 'MOBILE' }> = [
	{ field: 'workPhone', type: 'WORK' },
	{ field: 'mobilePhone', type: 'MOBILE' },
];

/** Phones become Contact entries, one per media type and label: E.164 `address`, `extension` apart. */
export function buildAddresses(values: CleanValues): {
	addresses: Contact[];
	fields: PhoneField[];
} {
	const addresses: Contact[] = [];
	const fields: PhoneField[] = [];
	for (const { field, type } of PHONE_TYPES) {
		const phone = values.phones?.[field];
		if (phone === undefined) continue;
		addresses.push({ ...phone, mediaType: 'PHONE', type });
		fields.push(field);
	}
	return { addresses, fields };
}

/** The CreateUser body: only the fields that have a value, so Genesys defaults apply to the rest. */
export function buildCreateUser(values: CleanValues): {
	body: Partial<CreateUserBody>;
	phoneFields: PhoneField[];
} {
	const body: Partial<CreateUserBody> = {};
	const name = composeName(values);
	if (name !== undefined) body.name = name;
	if (values.email !== undefined) body.email = values.email;
	if (values.divisionId !== undefined) body.divisionId = values.divisionId;
	if (values.department !== undefined) body.department = values.department;
	if (values.title !== undefined) body.title = values.title;
	if (values.state !== undefined) body.state = values.state as CreateUserBody['state'];
	const { addresses, fields } = buildAddresses(values);
	if (addresses.length > 0) body.addresses = addresses;
	return { body, phoneFields: fields };
}

export function buildFollowUps(
	values: CleanValues,
	lists: Omit<FollowUps, 'manager' | 'externalKey'>,
): FollowUps {
	const followUps: FollowUps = {
		roles: lists.roles,
		skills: lists.skills,
		queueIds: lists.queueIds,
	};
	if (values.manager !== undefined) followUps.manager = values.manager;
	if (values.externalKey !== undefined) followUps.externalKey = values.externalKey;
	if (values.password !== undefined) followUps.password = values.password;
	return followUps;
}
