/**
 * The node's execute(): reads settings and rows, runs the provisioning with one shared Genesys client, and
 * returns one item per input row on "Success" or "Failure" (plus the optional summary).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { GenesysClient } from '../GenesysCloud/transport';
import { sleep } from '../GenesysCloud/sleep';
import { routeResults, SUCCESS_OUTPUT, toJson } from './outputs';
import { runBulkCreate } from './pipeline';
import { collectRows } from './rows';
import { LOOKUP_CONCURRENCY, readSettings } from './settings';
import { buildSummary } from './summary';
import type { Clock } from './timing';

export async function executeBulkCreateUsers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const startedAt = Date.now();
	const settings = readSettings(this);
	const rows = await collectRows(this, settings);
	const client = await GenesysClient.forContext(this, {
		rateLimit: { limit: settings.requestsPerMinute, windowMs: settings.rateLimitWindowSeconds * 1000 },
		// Provisioning keeps to `concurrency` through its own pools; the lookup searches may run wider.
		maxConcurrency: Math.max(settings.concurrency, LOOKUP_CONCURRENCY),
	});
	const outcome = await runBulkCreate(
		{ api: client, settings, clock: executionClock(this.getExecutionCancelSignal()), log: this.logger },
		rows,
	);
	const outputs = routeResults(rows, outcome.results);
	if (settings.includeSummary) {
		const summary = buildSummary(
			outcome.results,
			client.stats(),
			outcome.counters,
			Date.now() - startedAt,
			settings.dryRun,
		);
		outputs[SUCCESS_OUTPUT].push({ json: { summary: toJson(summary) }, pairedItem: { item: 0 } });
	}
	return outputs;
}

/** Wall-clock time and n8n's cancellation: a cancelled sleep just returns, callers check `cancelled()`. */
function executionClock(signal: AbortSignal | undefined): Clock {
	return {
		now: () => Date.now(),
		cancelled: () => signal?.aborted === true,
		sleep: async (ms: number) => {
			if (signal?.aborted) return;
			await sleep(ms, signal).catch((error: unknown) => {
				if (!signal?.aborted) throw error;
			});
		},
	};
}
