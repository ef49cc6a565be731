/**
 * What the editor shows of Wait for Job: a readable subtitle, seconds without forced decimals, sentence-case
 * "Add option", documentation links that point at existing README sections, and an output schema
 * (`__schema__/v1.0.0.json`, served by n8n at /schemas/<type>/1.json) that matches the output items.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { GenesysCloudWaitForJob } from '../../nodes/GenesysCloudWaitForJob/GenesysCloudWaitForJob.node';
import { jobTypeSubtitle, properties } from '../../nodes/GenesysCloudWaitForJob/description';
import { configErrorJson } from '../../nodes/GenesysCloudWaitForJob/outputs';
import { readmeHeadingIds } from '../support/readme';

const ROOT = path.resolve(__dirname, '..', '..');
const NODE_DIR = path.join(ROOT, 'nodes', 'GenesysCloudWaitForJob');

/** Evaluates the subtitle expression the way the editor does for a given parameter value. */
function subtitleFor(jobType: string): string {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(jobTypeSubtitle)?.[1];
	if (body === undefined) throw new Error(`not an expression: ${jobTypeSubtitle}`);
	return new Function('$parameter', `return (${body});`)({ jobType }) as string;
}

describe('Wait for Job in the editor', () => {
	test('the subtitle names the job type as the dropdown does', () => {
		const node = new GenesysCloudWaitForJob();
		expect(node.description.subtitle).toBe(jobTypeSubtitle);
		const jobType = properties.find((property) => property.name === 'jobType') as INodeProperties;
		for (const option of jobType.options as Array<{ name: string; value: string }>) {
			expect(subtitleFor(option.value)).toBe(option.name);
		}
		expect(subtitleFor('analyticsConversationDetails')).not.toBe('analyticsConversationDetails');
		expect(subtitleFor('={{ $json.kind }}')).toBe('={{ $json.kind }}');
	});

	test('second fields show whole numbers without decimals; the options collection says "Add option"', () => {
		const all = [...properties, ...properties.flatMap((property) => (property.options ?? []) as INodeProperties[])];
		const seconds = all.filter((property) => property.type !== 'hidden' && /\(Seconds\)/.test(property.displayName ?? ''));
		expect(seconds.map((property) => property.name).sort()).toEqual(['maxInterval', 'notFoundGracePeriod', 'pollInterval', 'timeout']);
		for (const property of seconds) expect(property.typeOptions?.numberPrecision).toBeUndefined();
		const collections = properties.filter((property) => property.type === 'collection');
		expect(collections.map((property) => property.placeholder)).toEqual(['Add option']);
	});

	test('documentation links of the codex point at README sections that exist', () => {
		const codex = JSON.parse(fs.readFileSync(path.join(NODE_DIR, 'GenesysCloudWaitForJob.node.json'), 'utf8'));
		const anchors = readmeHeadingIds();
		const urls: string[] = Object.values(codex.resources as Record<string, Array<{ url: string }>>).flat().map((entry) => entry.url);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) {
			const hash = new URL(url).hash.slice(1);
			if (hash) expect(anchors).toContain(hash);
		}
	});

	test('the output schema is valid JSON Schema whose properties are the output item keys', () => {
		const schema = JSON.parse(fs.readFileSync(path.join(NODE_DIR, '__schema__', 'v1.0.0.json'), 'utf8'));
		expect(schema.type).toBe('object');
		const keys = Object.keys(schema.properties);
		// Every key an item always has, and the optional ones the node documents.
		for (const key of Object.keys(configErrorJson('custom', null, 'x'))) expect(keys).toContain(key);
		for (const key of ['lastStatus', 'results', 'resultsTruncated', 'missing']) expect(keys).toContain(key);
		for (const [key, value] of Object.entries(schema.properties as Record<string, { type?: string }>)) {
			expect([key, typeof value.type]).toEqual([key, 'string']);
		}
	});
});
