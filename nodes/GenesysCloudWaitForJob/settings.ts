/**
 * Node-level settings, read once from the first item: the polling schedule, the timeout, the not-found grace
 * period, how many items are waited on at a time, and the request rate.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { RATE_LIMIT_WINDOW_SECONDS } from '../GenesysCloud/parameters';
import { DEFAULTS } from './description';
import type { BackoffSettings } from './poll';
import { DEFAULT_BACKOFF } from './poll';
import type { WaitSettings } from './waitForJob';

export interface NodeSettings extends WaitSettings {
	maxResults: number;
	concurrency: number;
	requestsPerMinute: number;
	/** Window of requestsPerMinute: 60 s, shorter only to compress time in tests and benchmarks. */
	rateLimitWindowSeconds: number;
}

export function readSettings(context: IExecuteFunctions): NodeSettings {
	const options = context.getNodeParameter('options', 0, {}) as {
		concurrency?: number;
		notFoundGracePeriod?: number;
		requestsPerMinute?: number;
	};
	const backoff: BackoffSettings = {
		...DEFAULT_BACKOFF,
		pollIntervalMs: seconds(context, 'pollInterval', DEFAULTS.pollInterval),
		maxIntervalMs: seconds(context, 'maxInterval', DEFAULTS.maxInterval),
	};
	return {
		backoff,
		timeoutMs: seconds(context, 'timeout', DEFAULTS.timeout),
		notFoundGraceMs: 1000 * Math.max(0, options.notFoundGracePeriod ?? DEFAULTS.notFoundGracePeriod),
		maxResults: Number(context.getNodeParameter('maxResults', 0, DEFAULTS.maxResults)),
		concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULTS.concurrency)),
		requestsPerMinute: Math.max(1, Math.floor(options.requestsPerMinute ?? DEFAULTS.requestsPerMinute)),
		rateLimitWindowSeconds: rateLimitWindowSeconds(context),
	};
}

function seconds(context: IExecuteFunctions, name: string, fallback: number): number {
	const value = Number(context.getNodeParameter(name, 0, fallback));
	return Number.isFinite(value) && value >= 0 ? value * 1000 : fallback * 1000;
}

/** The hidden window; anything but a positive number falls back to Genesys's minute. */
function rateLimitWindowSeconds(context: IExecuteFunctions): number {
	const fallback = RATE_LIMIT_WINDOW_SECONDS.default;
	const value = Number(context.getNodeParameter('rateLimitWindowSeconds', 0, fallback));
	return Number.isFinite(value) && value > 0 ? value : fallback;
}
