import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { properties } from '../../nodes/GenesysCloudWaitForJob/description';
import {
	AGGREGATES_FAMILIES,
	JOB_KINDS,
	placeholders,
	renderPath,
	resolveJobKind,
} from '../../nodes/GenesysCloudWaitForJob/jobKinds';
import type { ResolvedJobKind } from '../../nodes/GenesysCloudWaitForJob/jobKinds';

/** Every kind × variant. */
function allResolvedKinds(): ResolvedJobKind[] {
	return JOB_KINDS.flatMap((kind) =>
		kind.variants
			? kind.variants.options.map((variant) => resolveJobKind(kind, variant.value))
			: [resolveJobKind(kind)],
	);
}

interface TsvRow {
	path: string;
	model: string;
	field: string;
	values: string[];
}

/** jobs.tsv: every pollable status endpoint, from the SDK models (a copy of the shared Genesys jobs list). */
function readJobsTsv(): TsvRow[] {
	const file = join(__dirname, '../fixtures/genesys/jobs.tsv');
	const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
	expect(header.split('\t').slice(0, 4)).toEqual(['status_path', 'status_model', 'status_field', 'enum_values']);
	return lines.map((line) => {
		const [path, model, field, values] = line.split('\t');
		return { path, model, field, values: values.split(',') };
	});
}

/** `{anyName}` -> `{}`: the TSV names placeholders per model, the node calls the job's own id `jobId`. */
function shape(path: string): string {
	return path.replace(/\{[^}]+\}/g, '{}');
}

const rows = readJobsTsv();

describe('job kinds against jobs.tsv', () => {
	it('parses all 114 status endpoints', () => {
		expect(rows).toHaveLength(114);
	});

	const resolved = allResolvedKinds();

	it.each(resolved.map((kind) => [`${kind.value} ${kind.statusPath}`, kind] as const))(
		'%s: path, field and values match the TSV',
		(_label, kind) => {
			const row = rows.find((candidate) => shape(candidate.path) === shape(kind.statusPath));
			expect(row).toBeDefined();
			if (!row) return;
			expect(kind.status.field).toBe(row.field);
			const { success, failure, running } = kind.status;
			for (const value of [...success, ...failure, ...running]) expect(row.values).toContain(value);
			// Every documented value has a meaning, and none has two.
			expect(new Set([...success, ...failure, ...running])).toEqual(new Set(row.values));
			expect(success.length + failure.length + running.length).toBe(row.values.length);
			expect(success.length > 0 || kind.status.absentMeansDone !== undefined).toBe(true);
			expect(failure.length).toBeGreaterThan(0);
		},
	);

	it('offers every analytics aggregates family of the TSV', () => {
		const families = rows
			.map((row) => /^\/api\/v2\/analytics\/([a-z]+)\/aggregates\/jobs\/\{jobId\}$/.exec(row.path)?.[1])
			.filter((family): family is string => family !== undefined);
		expect(families).toHaveLength(18);
		expect(AGGREGATES_FAMILIES.map((family) => family.value).sort()).toEqual([...families].sort());
		const kind = JOB_KINDS.find((candidate) => candidate.value === 'analyticsAggregates');
		expect(kind?.variants?.options.map((option) => option.value).sort()).toEqual([...families].sort());
	});

	it('covers every family the brief names', () => {
		const paths = resolved.map((kind) => kind.statusPath);
		for (const fragment of [
			'/analytics/users/details/jobs/',
			'/analytics/conversations/details/jobs/',
			'/aggregates/jobs/',
			'/flows/datatables/{datatableId}/import/jobs/',
			'/flows/datatables/{datatableId}/export/jobs/',
			'/flows/jobs/',
			'/flows/export/jobs/',
			'/flows/validate/jobs/',
			'/externalcontacts/import/jobs/',
			'/assistants/{assistantId}/queues/{queueId}/users/jobs/',
			'/outbound/contactlists/{contactListId}/importstatus',
			'/usage/query/',
			'/usage/aggregates/query/jobs/',
			'/gdpr/requests/',
			'/taskmanagement/workitems/bulk/',
			'/recording/jobs/',
		]) {
			expect(paths.some((path) => path.includes(fragment))).toBe(true);
		}
	});
});

describe('ids and paths', () => {
	it.each(allResolvedKinds().map((kind) => [`${kind.value} ${kind.statusPath}`, kind] as const))(
		'%s: every placeholder has an id parameter and every id is used',
		(_label, kind) => {
			const used = new Set([
				...placeholders(kind.statusPath),
				...(kind.results?.paging === 'cursor' || kind.results?.paging === 'after' ? placeholders(kind.results.path) : []),
				...(kind.contactCount ? placeholders(kind.contactCount.path) : []),
			]);
			const declared = new Set(kind.ids.map((id) => id.name));
			expect(declared).toEqual(used);
			expect(kind.ids[0].default.startsWith('={{')).toBe(true);
		},
	);

	it('encodes each id as one path segment and names an unusable one', () => {
		const template = '/api/v2/flows/datatables/{datatableId}/export/jobs/{jobId}';
		expect(renderPath(template, { datatableId: 'a b', jobId: ' x/y ' })).toEqual({
			ok: true,
			path: '/api/v2/flows/datatables/a%20b/export/jobs/x%2Fy',
		});
		expect(renderPath(template, { datatableId: 'a', jobId: '  ' })).toEqual({ ok: false, idName: 'jobId', value: '' });
		expect(renderPath(template, { jobId: 'j' })).toEqual({ ok: false, idName: 'datatableId', value: '' });
		expect(renderPath(template, { datatableId: 'a', jobId: '..' })).toEqual({ ok: false, idName: 'jobId', value: '..' });
		expect(renderPath(template, { datatableId: 'a', jobId: '...' })).toEqual({
			ok: true,
			path: '/api/v2/flows/datatables/a/export/jobs/...',
		});
	});

	it('applies variants and rejects unknown ones', () => {
		const recording = JOB_KINDS.find((kind) => kind.value === 'recordingJob');
		if (!recording) throw new Error('recordingJob missing');
		expect(resolveJobKind(recording).status.success).toEqual(['FULFILLED']);
		expect(resolveJobKind(recording, 'ready').status.success).toContain('READY');
		expect(() => resolveJobKind(recording, 'nope')).toThrow(/Unknown/);
		const usage = JOB_KINDS.find((kind) => kind.value === 'usageQuery');
		if (!usage) throw new Error('usageQuery missing');
		expect(resolveJobKind(usage, 'oauthClient').ids.map((id) => id.name)).toEqual(['jobId', 'clientId']);
	});
});

describe('node parameters', () => {
	const names = properties.map((property) => property.name);

	it('keeps the public parameter names', () => {
		for (const name of ['jobType', 'pollInterval', 'maxInterval', 'timeout', 'fetchResults', 'maxResults']) {
			expect(names).toContain(name);
		}
		for (const name of ['statusPath', 'statusField', 'successValues', 'failureValues', 'users', 'aggregatesFamily']) {
			expect(names).toContain(name);
		}
	});

	it('keeps the rate window hidden at Genesys\'s 60 s (only tests and benchmarks shorten it)', () => {
		expect(properties.find((property) => property.name === 'rateLimitWindowSeconds')).toMatchObject({
			type: 'hidden',
			default: 60,
		});
	});

	it('offers every preset plus custom and usersSearchable, sorted by name', () => {
		const jobType = properties.find((property) => property.name === 'jobType');
		const options = (jobType?.options ?? []) as Array<{ name: string; value: string }>;
		const values = options.map((option) => option.value);
		expect(values).toEqual(expect.arrayContaining([...JOB_KINDS.map((kind) => kind.value), 'custom', 'usersSearchable']));
		expect(values).toHaveLength(JOB_KINDS.length + 2);
		expect(options.map((option) => option.name)).toEqual([...options.map((option) => option.name)].sort((a, b) => a.localeCompare(b)));
	});

	it('asks each preset only for its own ids', () => {
		for (const kind of JOB_KINDS) {
			const shown = properties.filter((property) => property.displayOptions?.show?.jobType?.includes(kind.value));
			const idNames = new Set(
				[...kind.ids, ...(kind.variants?.options.flatMap((variant) => variant.ids ?? []) ?? [])].map((id) => id.name),
			);
			const shownIds = shown
				.map((property) => property.name)
				.filter((name) => !['fetchResults', 'maxResults', kind.variants?.param, kind.contactCount?.param].includes(name));
			expect(new Set(shownIds)).toEqual(idNames);
		}
	});

	it('asks the expected contact count only of the outbound contact-list import, 0 (off) by default', () => {
		const shown = properties.filter((property) => property.name === 'expectedContactCount');
		expect(shown).toHaveLength(1);
		expect(shown[0]).toMatchObject({ type: 'number', default: 0, displayOptions: { show: { jobType: ['outboundContactListImport'] } } });
	});
});
