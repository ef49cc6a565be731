/**
 * The contract between the three stages: input/ (settings and rows), engine/ (provisioning) and outputs/
 * (one result per row). CreateUser itself is typed from its zod schema in input/schema.ts.
 */
import type { FieldError, ResultError } from '../GenesysCloud/resultError';
import type { CreateUserBody } from './input/schema';

export type OnExisting = 'skip' | 'update' | 'fail';

/** State of a new user whose row gives none (CreateUser without `state` makes an inactive user). */
export type NewUserState = 'active' | 'inactive';

export type UserStatus =
	| 'created'
	| 'updated'
	| 'restored'
	| 'existing'
	| 'planned'
	| 'invalid'
	| 'failed';

/** Node-level settings read once per execution. */
export interface BulkCreateSettings {
	inputSource: 'items' | 'csv';
	onExisting: OnExisting;
	restoreDeleted: boolean;
	dryRun: boolean;
	concurrency: number;
	requestsPerMinute: number;
	/**
	 * The window `requestsPerMinute` is counted in: 60 s for every user (a hidden parameter). Only the
	 * emulator and the benchmarks shorten it, to compress time with the node pacing itself as in real time.
	 */
	rateLimitWindowSeconds: number;
	includeSummary: boolean;
	/**
	 * How long a create refused with 409 waits for search to show the user holding the email before the row
	 * fails (search can lag minutes behind writes).
	 */
	reconcileWindowSeconds: number;
	sendInvite: boolean;
	/** Send the invitation again (force) to existing users a row updates, even while one is outstanding. */
	resendInvite: boolean;
	/** Sent as `state` when a row to create gives none. */
	newUserState: NewUserState;
	externalIdAuthority?: string;
	/**
	 * Division for role grants a row gives without one; `*` means all divisions. Absent: the row's division,
	 * else the org's home division.
	 */
	roleDivisionId?: string;
	/** Country calling code (digits, no `+`) for phone numbers written without one; absent: they need `+`. */
	defaultCountryCode?: string;
}

export interface RoleGrant {
	roleId: string;
	/** Absent: the user's division (the row's divisionId, else the org's home division), decided by the engine. */
	divisionId?: string;
}

export interface SkillGrant {
	id: string;
	proficiency: number;
}

/** Work done after the create (or on an existing user under `update`). */
export interface FollowUps {
	/** Manager as an email or a user id, resolved at provisioning time. */
	manager?: string;
	externalKey?: string;
	/** Initial password of a new user, set right after the create (never echoed in outputs). */
	password?: string;
	roles: RoleGrant[];
	skills: SkillGrant[];
	queueIds: string[];
}

/** Where a row came from: drives `row` in the output and pairedItem. */
export interface RowOrigin {
	/** Position in the output, 0-based, in input order. */
	index: number;
	/** Row number shown to users: item index + 1 for items; for CSV the spreadsheet row number (header = 1, first data row = 2). */
	row: number;
	/** n8n input item that carried the row (the CSV file's item for CSV rows). */
	itemIndex: number;
}

export interface ValidRow extends RowOrigin {
	kind: 'valid';
	email: string;
	create: CreateUserBody;
	followUps: FollowUps;
}

export interface InvalidRow extends RowOrigin {
	kind: 'invalid';
	email?: string;
	errors: FieldError[];
}

export type InputRow = ValidRow | InvalidRow;

/** Work on a user after its main step, each with its own request. */
export type FollowUpStep = 'password' | 'externalId' | 'roles' | 'skills' | 'queues' | 'manager' | 'invite';

/** One step of the work done for a user, reported in `steps`. */
export interface StepResult {
	step: 'lookup' | 'create' | 'restore' | 'update' | FollowUpStep;
	status: 'done' | 'skipped' | 'failed' | 'planned';
	detail?: string;
}

/** The JSON of one output item: exactly one per input row. */
export interface UserResult {
	status: UserStatus;
	row: number;
	email?: string;
	userId?: string;
	user?: Record<string, unknown>;
	steps: StepResult[];
	error?: ResultError;
	/** Dry run: what a real run would do. */
	action?: 'create' | 'update' | 'restore' | 'skip' | 'fail';
	/** Dry run: the body of the main write a real run would send (passwords redacted). */
	body?: Record<string, unknown>;
}
