/**
 * Bulk Create Users in the editor: documentation links that resolve to README headings, and the output schema
 * (`__schema__/v1.0.0.json`, served by n8n at /schemas/<type>/1.json) for the schema view before a run.
 */
import fs from 'node:fs';
import path from 'node:path';

import { GenesysCloudBulkCreateUsers } from '../../nodes/GenesysCloudBulkCreateUsers/GenesysCloudBulkCreateUsers.node';
import { buildSummary } from '../../nodes/GenesysCloudBulkCreateUsers/outputs/summary';
import type { UserResult } from '../../nodes/GenesysCloudBulkCreateUsers/types';
import { readmeHeadingIds } from '../support/readme';

const ROOT = path.resolve(__dirname, '..', '..');
const NODE_DIR = path.join(ROOT, 'nodes', 'GenesysCloudBulkCreateUsers');

interface SchemaNode {
	type?: string;
	properties?: Record<string, SchemaNode>;
	items?: SchemaNode;
}

describe('Bulk Create Users in the editor', () => {
	test('documentation links of the codex point at README sections that exist', () => {
		const codex = JSON.parse(fs.readFileSync(path.join(NODE_DIR, 'GenesysCloudBulkCreateUsers.node.json'), 'utf8'));
		const anchors = readmeHeadingIds();
		const urls: string[] = Object.values(codex.resources as Record<string, Array<{ url: string }>>)
			.flat()
			.map((entry) => entry.url);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) expect([url, anchors.has(new URL(url).hash.slice(1))]).toEqual([url, true]);
	});

	test('the output schema describes every key of a row item and of the summary item', () => {
		const schema = JSON.parse(fs.readFileSync(path.join(NODE_DIR, '__schema__', 'v1.0.0.json'), 'utf8')) as SchemaNode;
		expect(schema.type).toBe('object');
		const row: Required<UserResult> = {
			status: 'failed',
			row: 2,
			email: 'a@x.io',
			userId: 'u',
			user: {},
			steps: [{ step: 'create', status: 'done', detail: 'x' }],
			error: { message: 'm', code: 'c', httpStatus: 400, correlationId: 'k', field: 'f', fields: [{ field: 'f', message: 'm' }] },
			action: 'create',
			body: {},
		};
		const keys = Object.keys(schema.properties ?? {});
		for (const key of Object.keys(row)) expect(keys).toContain(key);
		for (const key of Object.keys(row.error)) expect(Object.keys(schema.properties?.error.properties ?? {})).toContain(key);
		for (const key of Object.keys(row.steps[0])) expect(Object.keys(schema.properties?.steps.items?.properties ?? {})).toContain(key);
		const summary = buildSummary([row], { requests: 1, retries: 0, throttled: 0 }, { consistencyRetries: 0, versionRetries: 0, reconciledCreates: 0 }, 1, false);
		for (const key of ['total', 'byStatus', 'requests', 'retries', 'throttled', 'durationMs', 'dryRun']) {
			expect([key, key in summary, key in (schema.properties?.summary.properties ?? {})]).toEqual([key, true, true]);
		}
	});

	test('one output: failed rows follow the On Error setting rather than a second output', () => {
		const { description } = new GenesysCloudBulkCreateUsers();
		expect(description.outputs).toEqual(['main']);
		expect(description.outputNames).toBeUndefined();
	});
});
