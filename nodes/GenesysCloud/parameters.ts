/**
 * Parameters both nodes declare: the rate of requests, the hidden window it counts in, and the token pool.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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

/**
 * Tokens in the pool: Genesys limits requests per token, so N client-credentials tokens of one OAuth client
 * allow N times "Requests per Minute" (Genesys's Terraform provider pools 1 to 20 tokens the same way).
 */
export const TOKEN_POOL_SIZE = { min: 1, max: 20, default: 1 } as const;

/** The "Tokens in Pool" option of a node's Options collection (`tokenPoolSize`). */
export function tokenPoolSizeOption(): INodeProperties {
	return {
		displayName: 'Tokens in Pool',
		name: 'tokenPoolSize',
		type: 'number',
		typeOptions: { minValue: TOKEN_POOL_SIZE.min, maxValue: TOKEN_POOL_SIZE.max, numberPrecision: 0 },
		// TOKEN_POOL_SIZE.default, written out: n8n's lint rule reads a literal default.
		default: 1,
		description:
			'How many access tokens of the credential share the work (1 to 20). Genesys allows Requests per Minute per token, so 5 tokens allow 5 times as many requests. If Genesys enforces a lower limit across the tokens (for the org or an endpoint), the node notices the 429s and slows the pool down.',
	};
}

/** `options.tokenPoolSize` of the first item, whole and within 1 to 20 (1 when absent or not a number). */
export function tokenPoolSizeOf(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as { tokenPoolSize?: unknown };
	const value = Number(options.tokenPoolSize ?? TOKEN_POOL_SIZE.default);
	if (!Number.isFinite(value)) return TOKEN_POOL_SIZE.default;
	return Math.min(TOKEN_POOL_SIZE.max, Math.max(TOKEN_POOL_SIZE.min, Math.floor(value)));
}
