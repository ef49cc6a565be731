/**
 * Validation of one mapped record, before anything is written: type checks and trimming here, the Genesys
 * models through their zod schemas. Every problem of a row is reported, each naming its field. Pure.
 */
import type { z } from 'zod';

import {
	buildCreateUser,
	buildFollowUps,
	type CleanValues,
	type MappedRecord,
	type PhoneField,
	type UserFieldId,
} from './fields';
import {
	CreateUserSchema,
	RoleDivisionPairSchema,
	UserRoutingSkillPostSchema,
	type CreateUserBody,
} from './schema';
import type { FieldError } from '../../GenesysCloud/resultError';
import { readPhone, type PhoneParts } from './phone';
import type { FollowUps, RoleGrant, SkillGrant } from '../types';
import { formatCount, MAX_REQUEST_BODY_BYTES, MAX_VALUE_CHARS, valueLength } from './limits';

/** `field` of an error about the whole row (empty row, malformed CSV record, duplicate). */
export const ROW_FIELD = 'row';

export const FIELD_LABELS: Readonly<Record<UserFieldId, string>> = {
	name: 'Name',
	firstName: 'First name',
	lastName: 'Last name',
	email: 'Email',
	divisionId: 'Division ID',
	department: 'Department',
	title: 'Title',
	state: 'State',
	password: 'Password',
	workPhone: 'Work phone',
	mobilePhone: 'Mobile phone',
	manager: 'Manager',
	externalKey: 'External key',
	roles: 'Roles',
	skills: 'Skills',
	queues: 'Queues',
};

export interface ValidationOptions {
	/**
	 * Division for role grants written without one (`roleId` rather than `roleId:divisionId`). Absent, such a
	 * grant keeps no division and the engine uses the user's own.
	 */
	roleDivisionId?: string;
	/** Country calling code (digits) for phone numbers written without one; absent: they need `+`. */
	defaultCountryCode?: string;
}

export type RecordCheck =
	| { ok: true; email: string; create: CreateUserBody; followUps: FollowUps }
	| { ok: false; email?: string; errors: FieldError[] };

const MAX_SHOWN = 60;

/** Quotes an input value for a message, shortened; never used for passwords. */
export function quote(value: string): string {
	return `'${value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value}'`;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return 'a number';
	if (typeof value === 'boolean') return 'true/false';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** Text fields; `integers` also accepts whole numbers (employee numbers and phones often arrive as numbers). */
const TEXT_FIELDS: ReadonlyArray<{ field: Exclude<keyof CleanValues, 'phones'>; integers: boolean }> = [
	{ field: 'name', integers: false },
	{ field: 'firstName', integers: false },
	{ field: 'lastName', integers: false },
	{ field: 'email', integers: false },
	{ field: 'divisionId', integers: false },
	{ field: 'department', integers: false },
	{ field: 'title', integers: false },
	{ field: 'state', integers: false },
	{ field: 'password', integers: false },
	{ field: 'workPhone', integers: true },
	{ field: 'mobilePhone', integers: true },
	{ field: 'manager', integers: false },
	{ field: 'externalKey', integers: true },
];

function readText(
	field: UserFieldId,
	value: unknown,
	integers: boolean,
	errors: FieldError[],
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (integers && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	const expected = integers ? 'text or a whole number' : 'text';
	errors.push({
		field,
		message: `${FIELD_LABELS[field]} must be ${expected}, not ${describeType(value)}`,
	});
	return undefined;
}

/** A phone cell to E.164 and extension (phone.ts); an unreadable one is an error naming the field. */
function readPhoneField(
	field: PhoneField,
	text: string,
	options: ValidationOptions,
	errors: FieldError[],
): PhoneParts | undefined {
	const reading = readPhone(text, options.defaultCountryCode);
	if (reading.ok) return reading.phone;
	errors.push({ field, message: `${FIELD_LABELS[field]} ${quote(text)} ${reading.problem}` });
	return undefined;
}

function hasSpace(id: string): boolean {
	return /\s/.test(id);
}

function idMessage(label: string, id: string): string {
	return `${label} ${quote(id)} is not an id (ids have no spaces: use the id, not the name)`;
}

const EmailCheck = CreateUserSchema.shape.email;

function checkManager(manager: string, email: string | undefined, errors: FieldError[]): void {
	if (manager.includes('@')) {
		if (!EmailCheck.safeParse(manager).success) {
			errors.push({
				field: 'manager',
				message: `Manager ${quote(manager)} is not a valid email address or user id`,
			});
		} else if (email !== undefined && manager.toLowerCase() === email.toLowerCase()) {
			errors.push({ field: 'manager', message: 'Manager cannot be the user themself' });
		}
	} else if (hasSpace(manager)) {
		errors.push({ field: 'manager', message: idMessage('Manager', manager) });
	}
}

function cleanValues(record: MappedRecord, options: ValidationOptions, errors: FieldError[]): CleanValues {
	const values: CleanValues = {};
	for (const { field, integers } of TEXT_FIELDS) {
		const text = readText(field, record[field], integers, errors);
		if (text !== undefined) values[field] = text;
	}
	// Spreadsheets write `Active`; Genesys wants `active`.
	if (values.state !== undefined) values.state = values.state.toLowerCase();
	for (const field of ['workPhone', 'mobilePhone'] as const) {
		const text = values[field];
		if (text === undefined) continue;
		const phone = readPhoneField(field, text, options, errors);
		if (phone) values.phones = { ...values.phones, [field]: phone };
	}
	if (values.divisionId !== undefined && hasSpace(values.divisionId)) {
		errors.push({
			field: 'divisionId',
			message: idMessage(FIELD_LABELS.divisionId, values.divisionId),
		});
	}
	if (values.manager !== undefined) checkManager(values.manager, values.email, errors);
	return values;
}

/** Items of a list field: comma (or `;`, `|`, newline) separated text, or an array. */
function listItems(
	field: 'roles' | 'skills' | 'queues',
	value: unknown,
	errors: FieldError[],
): unknown[] {
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') {
		return value
			.split(/[,;|\r\n]+/)
			.map((part) => part.trim())
			.filter((part) => part !== '');
	}
	if (Array.isArray(value)) return value;
	errors.push({
		field,
		message: `${FIELD_LABELS[field]} must be text (comma-separated) or a list, not ${describeType(value)}`,
	});
	return [];
}

function textOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

function zodMessage(result: z.SafeParseError<unknown>): string {
	return result.error.issues.map((issue) => issue.message).join(', ');
}

/** A grant as read from the input: its division may still be left to the engine. */
const RoleInputSchema = RoleDivisionPairSchema.partial({ divisionId: true });

function parseRole(
	item: unknown,
	defaultDivision: string | undefined,
): { grant?: RoleGrant; problem?: string } {
	let roleId: string | undefined;
	let divisionId: string | undefined;
	if (typeof item === 'string') {
		const parts = item.split(':').map((part) => part.trim());
		if (parts.length > 2)
			return { problem: `Role ${quote(item)} must be written roleId or roleId:divisionId` };
		roleId = parts[0] === '' ? undefined : parts[0];
		divisionId = parts[1] === undefined || parts[1] === '' ? undefined : parts[1];
	} else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
		const entry = item as Record<string, unknown>;
		roleId = textOf(entry.roleId ?? entry.id);
		divisionId = textOf(entry.divisionId);
	} else {
		return { problem: `Role must be a role id, not ${describeType(item)}` };
	}
	const candidate = { roleId, divisionId: divisionId ?? defaultDivision };
	const result = RoleInputSchema.safeParse(candidate);
	if (!result.success) return { problem: `Role: ${zodMessage(result)}` };
	const grant: RoleGrant = { roleId: result.data.roleId };
	if (result.data.divisionId !== undefined) grant.divisionId = result.data.divisionId;
	if (hasSpace(grant.roleId)) return { problem: idMessage('Role', grant.roleId) };
	if (grant.divisionId !== undefined && hasSpace(grant.divisionId)) {
		return { problem: idMessage('Role division', grant.divisionId) };
	}
	return { grant };
}

const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function parseProficiency(value: unknown): number | string {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && NUMBER_PATTERN.test(value.trim())) return Number(value.trim());
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return 'is missing (write skillId:proficiency, proficiency 0 to 5)';
	}
	return typeof value === 'string'
		? `${quote(value)} is not a number`
		: `is ${describeType(value)}, not a number`;
}

function parseSkill(item: unknown): { skill?: SkillGrant; problem?: string } {
	let id: string | undefined;
	let rawProficiency: unknown;
	if (typeof item === 'string') {
		const parts = item.split(':').map((part) => part.trim());
		if (parts.length > 2)
			return { problem: `Skill ${quote(item)} must be written skillId:proficiency` };
		id = parts[0] === '' ? undefined : parts[0];
		rawProficiency = parts[1];
	} else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
		const entry = item as Record<string, unknown>;
		id = textOf(entry.id ?? entry.skillId);
		rawProficiency = entry.proficiency;
	} else {
		return {
			problem: `Skill must be skillId:proficiency or {id, proficiency}, not ${describeType(item)}`,
		};
	}
	if (id === undefined) return { problem: 'Skill id is missing' };
	if (hasSpace(id)) return { problem: idMessage('Skill', id) };
	const proficiency = parseProficiency(rawProficiency);
	if (typeof proficiency === 'string')
		return { problem: `Skill ${quote(id)}: proficiency ${proficiency}` };
	const result = UserRoutingSkillPostSchema.safeParse({ id, proficiency });
	if (!result.success)
		return { problem: `Skill ${quote(id)}: ${zodMessage(result)} (got ${proficiency})` };
	return { skill: result.data };
}

function parseQueue(item: unknown): { queueId?: string; problem?: string } {
	let id: string | undefined;
	if (typeof item === 'string') id = textOf(item);
	else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
		id = textOf((item as Record<string, unknown>).id);
	} else return { problem: `Queue must be a queue id, not ${describeType(item)}` };
	if (id === undefined) return { problem: 'Queue id is missing' };
	if (hasSpace(id)) return { problem: idMessage('Queue', id) };
	return { queueId: id };
}

function readRoles(value: unknown, options: ValidationOptions, errors: FieldError[]): RoleGrant[] {
	const roles: RoleGrant[] = [];
	const seen = new Set<string>();
	listItems('roles', value, errors).forEach((item, index) => {
		const { grant, problem } = parseRole(item, options.roleDivisionId);
		if (!grant) {
			errors.push({ field: `roles[${index}]`, message: problem ?? 'Role is not valid' });
			return;
		}
		const key = `${grant.roleId}\u0000${grant.divisionId ?? ''}`;
		if (seen.has(key)) return;
		seen.add(key);
		roles.push(grant);
	});
	return roles;
}

function readSkills(value: unknown, errors: FieldError[]): SkillGrant[] {
	const skills = new Map<string, SkillGrant>();
	listItems('skills', value, errors).forEach((item, index) => {
		const { skill, problem } = parseSkill(item);
		if (!skill) {
			errors.push({ field: `skills[${index}]`, message: problem ?? 'Skill is not valid' });
			return;
		}
		const earlier = skills.get(skill.id);
		if (earlier && earlier.proficiency !== skill.proficiency) {
			errors.push({
				field: `skills[${index}]`,
				message: `Skill ${quote(skill.id)} is listed twice with different proficiencies`,
			});
			return;
		}
		skills.set(skill.id, skill);
	});
	return [...skills.values()];
}

function readQueues(value: unknown, errors: FieldError[]): string[] {
	const queueIds = new Set<string>();
	listItems('queues', value, errors).forEach((item, index) => {
		const { queueId, problem } = parseQueue(item);
		if (queueId === undefined) {
			errors.push({ field: `queues[${index}]`, message: problem ?? 'Queue is not valid' });
			return;
		}
		queueIds.add(queueId);
	});
	return [...queueIds];
}

type ListField = 'roles' | 'skills' | 'queues';

interface MemoEntry {
	items: readonly unknown[];
	errors: readonly FieldError[];
}

const MAX_MEMO_ENTRIES = 1000;
const NO_ITEMS: readonly never[] = Object.freeze([]);

/**
 * Parsed list cells by their text. Large files repeat a few role and skill combinations on every row, so
 * each is parsed once and its (frozen) result shared by those rows. Bounded: past the limit, new texts are
 * parsed without being kept.
 */
export class ListMemo {
	private readonly entries = new Map<string, MemoEntry>();

	read<T>(
		field: ListField,
		text: string,
		parse: (value: unknown, errors: FieldError[]) => T[],
	): MemoEntry {
		const key = `${field}\u0000${text}`;
		let entry = this.entries.get(key);
		if (!entry) {
			const errors: FieldError[] = [];
			const items = Object.freeze(
				parse(text, errors).map((item) => (typeof item === 'object' ? Object.freeze(item) : item)),
			);
			entry = { items, errors };
			if (this.entries.size < MAX_MEMO_ENTRIES) this.entries.set(key, entry);
		}
		return entry;
	}
}

/**
 * Follow-up lists. A row without a list shares one frozen empty array, and with a memo, rows with the same
 * text share a frozen result: provisioning reads these lists and must not modify them.
 */
function readList<T>(
	field: ListField,
	value: unknown,
	parse: (value: unknown, errors: FieldError[]) => T[],
	errors: FieldError[],
	memo: ListMemo | undefined,
): T[] {
	if (value === undefined || value === null) return NO_ITEMS as unknown as T[];
	if (!memo || typeof value !== 'string') return parse(value, errors);
	const entry = memo.read(field, value, parse);
	for (const error of entry.errors) errors.push({ ...error });
	return entry.items as T[];
}

// Fields whose offending value helps the user find the mistake; passwords are never echoed.
const SHOWN_VALUE_FIELDS: ReadonlySet<string> = new Set(['email', 'state']);

function createUserErrors(
	result: z.SafeParseError<unknown>,
	body: Partial<CreateUserBody>,
	phoneFields: readonly PhoneField[],
	reported: ReadonlySet<string>,
): FieldError[] {
	const errors: FieldError[] = [];
	for (const issue of result.error.issues) {
		const [top, index] = issue.path;
		const field =
			top === 'addresses' && typeof index === 'number'
				? (phoneFields[index] ?? 'addresses')
				: String(top);
		// A field already reported by the type checks would only repeat itself ("is required").
		if (reported.has(field)) continue;
		const value = (body as Record<string, unknown>)[field];
		const label = FIELD_LABELS[field as UserFieldId] ?? field;
		let message = `${label} ${issue.message}`;
		if (SHOWN_VALUE_FIELDS.has(field) && typeof value === 'string') {
			message += ` (got ${quote(value)})`;
		}
		errors.push({ field, message });
	}
	return errors;
}

/**
 * Values over MAX_VALUE_CHARS become errors and are left out of the record, before anything copies them
 * (trimming a value of megabytes would). Returns the record without them, and the characters it still holds.
 */
function dropOversized(record: MappedRecord, errors: FieldError[]): { kept: MappedRecord; chars: number } {
	let kept = record;
	let chars = 0;
	for (const field of Object.keys(record) as UserFieldId[]) {
		const value = record[field];
		const length = valueLength(value, MAX_VALUE_CHARS);
		if (length <= MAX_VALUE_CHARS) {
			chars += length;
			continue;
		}
		const size =
			typeof value === 'string' ? `${formatCount(value.length)} characters long` : 'over the limit in size';
		errors.push({
			field,
			message: `${FIELD_LABELS[field]} is ${size}; a value may hold at most ${formatCount(MAX_VALUE_CHARS)} characters (no real one comes close: check the input)`,
		});
		if (kept === record) kept = { ...record };
		delete kept[field];
	}
	return { kept, chars };
}

/**
 * What a body adds to the characters it is built from: keys, quotes, the phones' types and E.164 prefixes
 * (a few dozen bytes per field; generous).
 */
const BODY_BYTES_BEYOND_INPUT = 8_192;

/**
 * Whether a body built from `inputChars` characters could reach Genesys's limit at all: a character is at most
 * 6 bytes of JSON (a \u escape). Below that, the body is not serialised just to be measured.
 */
function mayExceedBodyLimit(inputChars: number): boolean {
	return inputChars * 6 + BODY_BYTES_BEYOND_INPUT > MAX_REQUEST_BODY_BYTES;
}

/** UTF-8 bytes of a body as it is sent. */
function bodyBytes(body: unknown): number {
	return Buffer.byteLength(JSON.stringify(body), 'utf8');
}

/** Genesys refuses bodies over 512,000 bytes: the row is invalid, naming its longest field. */
function bodySizeError(body: CreateUserBody, phoneFields: readonly PhoneField[]): FieldError | undefined {
	const bytes = bodyBytes(body);
	if (bytes <= MAX_REQUEST_BODY_BYTES) return undefined;
	let longest: { field: string; bytes: number } = { field: ROW_FIELD, bytes: 0 };
	for (const [key, value] of Object.entries(body)) {
		if (key === 'addresses') {
			body.addresses?.forEach((contact, index) => {
				const size = bodyBytes(contact);
				if (size > longest.bytes) longest = { field: phoneFields[index] ?? 'addresses', bytes: size };
			});
		} else {
			const size = bodyBytes(value);
			if (size > longest.bytes) longest = { field: key, bytes: size };
		}
	}
	const label = FIELD_LABELS[longest.field as UserFieldId] ?? longest.field;
	return {
		field: longest.field,
		message: `The user would be sent as ${formatCount(bytes)} bytes, and Genesys Cloud accepts at most ${formatCount(MAX_REQUEST_BODY_BYTES)} per request; ${label} is its longest value`,
	};
}

/** Validates one mapped record and builds what provisioning sends for it; `memo` shares parsed list cells. */
export function validateRecord(
	input: MappedRecord,
	options: ValidationOptions,
	memo?: ListMemo,
): RecordCheck {
	const errors: FieldError[] = [];
	const { kept: record, chars } = dropOversized(input, errors);
	const values = cleanValues(record, options, errors);
	const roles = readList(
		'roles',
		record.roles,
		(value, found) => readRoles(value, options, found),
		errors,
		memo,
	);
	const skills = readList('skills', record.skills, readSkills, errors, memo);
	const queueIds = readList('queues', record.queues, readQueues, errors, memo);
	const { body, phoneFields } = buildCreateUser(values);
	const parsed = CreateUserSchema.safeParse(body);
	if (!parsed.success) {
		const reported = new Set(errors.map((error) => error.field));
		errors.push(...createUserErrors(parsed, body, phoneFields, reported));
	}
	if (parsed.success && mayExceedBodyLimit(chars)) {
		const tooLarge = bodySizeError(parsed.data, phoneFields);
		if (tooLarge) errors.push(tooLarge);
	}
	if (errors.length > 0 || !parsed.success) {
		return { ok: false, email: values.email, errors };
	}
	return {
		ok: true,
		email: parsed.data.email,
		create: parsed.data,
		followUps: buildFollowUps(values, { roles, skills, queueIds }),
	};
}
