/**
 * Parameters both nodes declare: the rate of requests and the hidden window it counts in.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { RateLimitSettings } from './transport';

/** Genesys allows 300 requests per minute per token; the cap is for orgs with a raised limit. */
export const REQUESTS_PER_MINUTE = { min: 1, max: 3000, default: 300 } as const;

/**
 * Hidden `rateLimitWindowSeconds`: the window "Requests per Minute" counts in. Users always get 60 s (Genesys
 * counts per minute); a shorter window is the time-compression knob of the emulator tests and benchmarks
 * (docs/GENESYS.md, "Rate limits", divided by a factor), so a node keeps pacing itself as in real time.
 */
export const RATE_LIMIT_WINDOW_SECONDS = { min: 0.001, max: 3600, default: 60 } as const;

export const rateLimitWindowParameter: INodeProperties = {
	displayName: 'Rate Limit Window (Seconds)',
	name: 'rateLimitWindowSeconds',
	type: 'hidden',
	// RATE_LIMIT_WINDOW_SECONDS.default, written out: n8n's lint rule reads a literal default.
	default: 60,
};

type TypeOptions = NonNullable<INodeProperties['typeOptions']>;

/** A node's "Options" collection. */
export function optionsParameter(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** The "Requests per Minute" option of a node's Options collection. */
export function requestsPerMinuteOption(description: string, typeOptions: TypeOptions = {}): INodeProperties {
	return {
		displayName: 'Requests per Minute',
		name: 'requestsPerMinute',
		type: 'number',
		typeOptions: { minValue: REQUESTS_PER_MINUTE.min, ...typeOptions },
		// REQUESTS_PER_MINUTE.default, written out: n8n's lint rule reads a literal default.
		default: 300,
		description,
	};
}

/** The transport's rate limit from the two parameters above. */
export function rateLimitOf(requestsPerMinute: number, windowSeconds: number): RateLimitSettings {
	return { limit: requestsPerMinute, windowMs: windowSeconds * 1000 };
}
