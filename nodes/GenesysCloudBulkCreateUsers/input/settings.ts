/**
 * Node-level settings, read once per execution (from the first item when a parameter is an expression)
 * and checked, so a bad value stops the run before any request with a message naming the parameter.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
} from 'n8n-workflow';

import { RATE_LIMIT_WINDOW_SECONDS, REQUESTS_PER_MINUTE } from '../../GenesysCloud/parameters';
import type { BulkCreateSettings, NewUserState, OnExisting } from '../types';
import { clip } from './limits';
import { COUNTRY_CODE } from './phone';

export const CONCURRENCY_RANGE = { min: 1, max: 20, default: 5 } as const;
/** Genesys's own tools wait up to 3 minutes for search to catch up (Terraform, deleted users). */
export const RECONCILE_WINDOW_SECONDS = { min: 0, max: 900, default: 180 } as const;
/** Searches at a time while looking up existing users, whatever the provisioning concurrency (read-only). */
export const LOOKUP_CONCURRENCY = 10;
/** Blank: a role given without a division is granted in the user's own division, never in `*` unasked. */
export const DEFAULT_ROLE_DIVISION = '';

const INPUT_SOURCES: ReadonlyArray<BulkCreateSettings['inputSource']> = ['items', 'csv'];
const ON_EXISTING: readonly OnExisting[] = ['skip', 'update', 'fail'];
export const NEW_USER_STATES: readonly NewUserState[] = ['active', 'inactive'];
export const DEFAULT_NEW_USER_STATE: NewUserState = 'active';

/** Raw parameter values as n8n hands them over (expressions already resolved). */
export interface RawSettings {
	inputSource: unknown;
	onExisting: unknown;
	restoreDeleted: unknown;
	dryRun: unknown;
	options: IDataObject;
	/** Hidden parameter; absent means the default. */
	rateLimitWindowSeconds?: unknown;
}

/** A parameter value for a message, clipped: expressions can hand over anything. */
function shown(value: unknown): string {
	return clip(JSON.stringify(value) ?? String(value));
}

/** Checks raw values; every failure is a NodeOperationError naming the parameter as the user sees it. */
class SettingsChecker {
	constructor(private readonly node: INode) {}

	fail(parameter: string, message: string, hint: string): never {
		throw new NodeOperationError(this.node, `${parameter}: ${message}`, { description: hint });
	}

	oneOf<T extends string>(
		parameter: string,
		value: unknown,
		allowed: readonly T[],
		fallback: T,
	): T {
		if (value === undefined || value === null || value === '') return fallback;
		if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
			return value as T;
		return this.fail(
			parameter,
			`must be one of ${allowed.map((entry) => `"${entry}"`).join(', ')} (got ${shown(value)})`,
			`Choose one of the listed values for "${parameter}".`,
		);
	}

	flag(parameter: string, value: unknown): boolean {
		if (value === undefined || value === null || value === '') return false;
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		return this.fail(
			parameter,
			`must be true or false (got ${shown(value)})`,
			`Turn "${parameter}" on or off.`,
		);
	}

	wholeNumber(parameter: string, value: unknown, range: NumberRange): number {
		if (value === undefined || value === null || value === '') return range.default;
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
		if (
			typeof number === 'number' &&
			Number.isInteger(number) &&
			number >= range.min &&
			number <= range.max
		) {
			return number;
		}
		return this.fail(
			parameter,
			`must be a whole number from ${range.min} to ${range.max} (got ${shown(value)})`,
			`Set "${parameter}" between ${range.min} and ${range.max}; the default is ${range.default}.`,
		);
	}

	positiveNumber(parameter: string, value: unknown, range: NumberRange): number {
		if (value === undefined || value === null || value === '') return range.default;
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
		if (typeof number === 'number' && number >= range.min && number <= range.max) return number;
		return this.fail(
			parameter,
			`must be a number from ${range.min} to ${range.max} (got ${shown(value)})`,
			`Set "${parameter}" between ${range.min} and ${range.max}; the default is ${range.default}.`,
		);
	}

	optionalText(parameter: string, value: unknown): string | undefined {
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string') {
			return this.fail(
				parameter,
				`must be text (got ${shown(value)})`,
				`Enter "${parameter}" as text.`,
			);
		}
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}

	countryCode(value: unknown): string | undefined {
		const parameter = 'Default Country Calling Code';
		const code = this.optionalText(parameter, typeof value === 'number' ? String(value) : value);
		if (code === undefined) return undefined;
		const digits = COUNTRY_CODE.exec(code)?.[1];
		if (digits !== undefined) return digits;
		return this.fail(
			parameter,
			`must be a country calling code such as 1, 44 or +49 (got ${JSON.stringify(code)})`,
			'Enter the digits dialled after + for your country, or leave it empty to require + on every number.',
		);
	}

	roleDivision(value: unknown): string | undefined {
		const parameter = 'Default Role Division';
		const division = this.optionalText(parameter, value);
		if (division === undefined || !/\s/.test(division)) return division;
		return this.fail(
			parameter,
			`must be a division ID or * (got ${shown(division)})`,
			'Use a division ID (not its name), or * for all divisions.',
		);
	}
}

interface NumberRange {
	readonly min: number;
	readonly max: number;
	readonly default: number;
}

/** Raw values to checked settings; `node` is only used to build errors. */
export function parseSettings(raw: RawSettings, node: INode): BulkCreateSettings {
	const check = new SettingsChecker(node);
	const options = raw.options ?? {};
	const settings: BulkCreateSettings = {
		inputSource: check.oneOf('Input Source', raw.inputSource, INPUT_SOURCES, 'items'),
		onExisting: check.oneOf('If User Exists', raw.onExisting, ON_EXISTING, 'skip'),
		restoreDeleted: check.flag('Restore Deleted Users', raw.restoreDeleted),
		dryRun: check.flag('Dry Run', raw.dryRun),
		concurrency: check.wholeNumber('Concurrency', options.concurrency, CONCURRENCY_RANGE),
		requestsPerMinute: check.wholeNumber(
			'Requests per Minute',
			options.requestsPerMinute,
			REQUESTS_PER_MINUTE,
		),
		rateLimitWindowSeconds: check.positiveNumber(
			'Rate Limit Window (Seconds)',
			raw.rateLimitWindowSeconds,
			RATE_LIMIT_WINDOW_SECONDS,
		),
		includeSummary: check.flag('Include Summary Item', options.includeSummary),
		reconcileWindowSeconds: check.wholeNumber(
			'Reconcile Window (Seconds)',
			options.reconcileWindowSeconds,
			RECONCILE_WINDOW_SECONDS,
		),
		sendInvite: check.flag('Send Invite Email', options.sendInvite),
		resendInvite: check.flag('Resend Invite to Updated Users', options.resendInvite),
		newUserState: check.oneOf('New User State', options.newUserState, NEW_USER_STATES, DEFAULT_NEW_USER_STATE),
	};
	const roleDivisionId = check.roleDivision(options.roleDivisionId);
	if (roleDivisionId !== undefined) settings.roleDivisionId = roleDivisionId;
	const countryCode = check.countryCode(options.defaultCountryCode);
	if (countryCode !== undefined) settings.defaultCountryCode = countryCode;
	const authority = check.optionalText('External ID Authority', options.externalIdAuthority);
	if (authority !== undefined) settings.externalIdAuthority = authority;
	return settings;
}

/** Reads the node's settings from the first item and checks them before anything is sent. */
export function readSettings(ctx: IExecuteFunctions): BulkCreateSettings {
	const raw: RawSettings = {
		inputSource: ctx.getNodeParameter('inputSource', 0, 'items'),
		onExisting: ctx.getNodeParameter('onExisting', 0, 'skip'),
		restoreDeleted: ctx.getNodeParameter('restoreDeleted', 0, false),
		dryRun: ctx.getNodeParameter('dryRun', 0, false),
		options: ctx.getNodeParameter('options', 0, {}) as IDataObject,
		rateLimitWindowSeconds: ctx.getNodeParameter(
			'rateLimitWindowSeconds',
			0,
			RATE_LIMIT_WINDOW_SECONDS.default,
		),
	};
	return parseSettings(raw, ctx.getNode());
}
