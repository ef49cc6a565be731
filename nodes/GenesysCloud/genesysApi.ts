/**
 * What nodes use of the transport's GenesysClient: `request` only. Every request of a run goes through one
 * client, so its rate limiter and concurrency cap see the whole run; tests hand in any object with `request`.
 */
import type { GenesysClient } from './transport';

export type GenesysApi = Pick<GenesysClient, 'request'>;

/** Path segment for an id coming from input data. */
export function pathSegment(id: string): string {
	return encodeURIComponent(id);
}
