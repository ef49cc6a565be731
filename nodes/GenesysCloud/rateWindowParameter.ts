import type { INodeProperties } from 'n8n-workflow';

/**
 * Not shown to users: the window "Requests per Minute" counts in, 60 s as Genesys counts. Tests and benchmarks
 * shorten it to compress time against the emulator, so a node paces itself exactly as it would in real time.
 */
export const rateLimitWindowParameter: INodeProperties = {
	displayName: 'Rate Limit Window (Seconds)',
	name: 'rateLimitWindowSeconds',
	type: 'hidden',
	default: 60,
};
