/**
 * Fault knobs and the per-request fault decision. Every /api/v2 request draws the same number of values from
 * the fault stream whatever knobs are on, so a seed yields the same decisions for the same request order.
 */
import type { Random } from './random';
import type { Faults } from './types';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export const DEFAULT_FAULTS: Readonly<Faults> = {
	latencyMs: 0,
	rate429: 0,
	retryAfterSec: 1,
	retryAfterHeader: undefined,
	tokenFilter: undefined,
	dailyLimit: false,
	rate5xx: 0,
	dropConnection: 0,
	lostResponse: 0,
	consistencyDelayMs: 0,
	searchLagMs: 0,
	authCacheLagMs: 0,
	passwordFailure: 0,
	pathFilter: undefined,
	redirect: undefined,
	trickle: undefined,
	stall: undefined,
	malformed: undefined,
	appliedThen5xx: undefined,
	gatewayAfterRoute: undefined,
	rivalCreates: undefined,
};

export type InjectedFault = 'drop' | 'daily' | 'r429' | 'r5xx';

export interface FaultDecision {
	/** Answered by a fault instead of the route (not applied). */
	before?: InjectedFault;
	/** 502, 503 or 504 when before === 'r5xx'. */
	status5xx?: number;
	/** Apply the write, then destroy the socket. */
	loseResponse: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const STATUSES_5XX = [502, 503, 504] as const;

function checkProbability(name: string, value: number): void {
	if (!(value >= 0 && value <= 1)) throw new RangeError(`fault ${name} must be a probability in 0..1, got ${value}`);
}

/** Merges and validates, so a typo in a test fails loudly instead of silently doing nothing. */
export function mergeFaults(current: Faults, patch: Partial<Faults>): Faults {
	const known = new Set(Object.keys(DEFAULT_FAULTS));
	for (const key of Object.keys(patch)) {
		if (!known.has(key)) throw new RangeError(`unknown fault knob: ${key}`);
	}
	const merged: Faults = { ...current, ...patch };
	checkProbability('rate429', merged.rate429);
	checkProbability('rate5xx', merged.rate5xx);
	checkProbability('dropConnection', merged.dropConnection);
	checkProbability('lostResponse', merged.lostResponse);
	checkProbability('passwordFailure', merged.passwordFailure);
	if (merged.pathFilter !== undefined) new RegExp(merged.pathFilter);
	if (merged.tokenFilter !== undefined) new RegExp(merged.tokenFilter);
	checkShapedKnobs(merged);
	return merged;
}

function checkShapedKnobs(faults: Faults): void {
	for (const knob of [faults.redirect, faults.trickle, faults.stall, faults.malformed, faults.appliedThen5xx]) {
		if (knob?.pathFilter !== undefined) new RegExp(knob.pathFilter);
	}
	const { redirect, trickle, stall, malformed, appliedThen5xx } = faults;
	if (redirect && (!REDIRECT_STATUSES.has(redirect.status) || typeof redirect.location !== 'string')) {
		throw new RangeError('fault redirect needs a status of 301, 302, 303, 307 or 308 and a location');
	}
	if (trickle && !(trickle.intervalMs > 0 && (trickle.bytesPerInterval ?? 1) >= 1 && (trickle.padBytes ?? 0) >= 0)) {
		throw new RangeError('fault trickle needs intervalMs > 0, bytesPerInterval >= 1 and padBytes >= 0');
	}
	if (stall && stall.phase !== 'headers' && stall.phase !== 'body') {
		throw new RangeError("fault stall phase must be 'headers' or 'body'");
	}
	if (malformed && malformed.kind !== 'notJson' && malformed.kind !== 'missingFields') {
		throw new RangeError("fault malformed kind must be 'notJson' or 'missingFields'");
	}
	if (appliedThen5xx && ![502, 503, 504].includes(appliedThen5xx.status)) {
		throw new RangeError('fault appliedThen5xx status must be 502, 503 or 504');
	}
	const gateway = faults.gatewayAfterRoute;
	if (gateway?.pathFilter !== undefined) new RegExp(gateway.pathFilter);
	if (gateway && ![502, 503, 504, 'reset'].includes(gateway.outcome)) {
		throw new RangeError("fault gatewayAfterRoute outcome must be 502, 503, 504 or 'reset'");
	}
	if (gateway?.times !== undefined && !(Number.isInteger(gateway.times) && gateway.times >= 0)) {
		throw new RangeError('fault gatewayAfterRoute times must be a whole number >= 0');
	}
}

/** The knob when it is on and its own path filter lets `path` through. */
export function scoped<T extends { pathFilter?: string }>(knob: T | undefined, path: string): T | undefined {
	return knob !== undefined && pathMatches(knob.pathFilter, path) ? knob : undefined;
}

const filters = new Map<string, RegExp>();

function pathMatches(filter: string | undefined, path: string): boolean {
	if (filter === undefined) return true;
	let regex = filters.get(filter);
	if (regex === undefined) {
		regex = new RegExp(filter);
		filters.set(filter, regex);
	}
	return regex.test(path);
}

export function decideFaults(faults: Faults, method: string, path: string, random: Random): FaultDecision {
	const rolls = { drop: random.next(), r429: random.next(), r5xx: random.next(), kind: random.next(), lost: random.next() };
	if (!pathMatches(faults.pathFilter, path)) return { loseResponse: false };
	if (rolls.drop < faults.dropConnection) return { before: 'drop', loseResponse: false };
	if (faults.dailyLimit) return { before: 'daily', loseResponse: false };
	if (rolls.r429 < faults.rate429) return { before: 'r429', loseResponse: false };
	if (rolls.r5xx < faults.rate5xx) {
		return { before: 'r5xx', status5xx: STATUSES_5XX[Math.floor(rolls.kind * 3)], loseResponse: false };
	}
	return { loseResponse: WRITE_METHODS.has(method) && rolls.lost < faults.lostResponse };
}

export function latencyFor(faults: Faults, random: Random): number {
	const latency = faults.latencyMs;
	if (typeof latency === 'number') return latency;
	return latency.min + random.next() * Math.max(0, latency.max - latency.min);
}

/** Seconds until the next UTC midnight, at least an hour: the shape of a daily limit's Retry-After. */
export function dailyRetryAfterSec(now: number): number {
	const day = 86_400_000;
	const untilMidnight = Math.ceil((day - (now % day)) / 1000);
	return Math.max(3600, untilMidnight);
}

/** Retry-After as Genesys sends it: integer seconds rounded up, or milliseconds precision when compressed. */
export function formatRetryAfter(seconds: number, fractional: boolean): string {
	if (!fractional) return String(Math.max(1, Math.ceil(seconds)));
	const rounded = Math.max(0.001, Math.ceil(seconds * 1000) / 1000);
	return String(rounded);
}
