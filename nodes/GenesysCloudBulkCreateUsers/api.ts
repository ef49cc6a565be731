/**
 * The part of the shared Genesys client the provisioning engine uses. Every request of a run goes through
 * one client, so its rate limiter and concurrency cap see the whole run.
 */
import type { GenesysClient } from '../GenesysCloud/transport';

export type GenesysApi = Pick<GenesysClient, 'request'>;

export type ApiRequest = Parameters<GenesysClient['request']>[0];

/** Path segment for an id coming from input data. */
export function segment(id: string): string {
	return encodeURIComponent(id);
}
