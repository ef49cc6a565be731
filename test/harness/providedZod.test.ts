/**
 * zod is not in this package's dependencies: n8n provides it (n8n-workflow 2.x declares it as a peer and n8n
 * installs it beside n8n-workflow; 1.x ships its own copy). The nodes must run on exactly that copy, so this
 * checks that the zod the nodes load here is the one the chosen engine's n8n-workflow brings, and that the
 * schema features the nodes use work on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

interface Manifest {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
}

/** The package.json above a resolved entry file. */
function manifestOf(entry: string, name: string): Manifest {
	let dir = path.dirname(entry);
	while (dir !== path.dirname(dir)) {
		try {
			const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
			if (manifest.name === name) return manifest;
		} catch {
			// no package.json at this level: keep walking up
		}
		dir = path.dirname(dir);
	}
	throw new Error(`no package.json of ${name} above ${entry}`);
}

describe('zod comes from n8n', () => {
	const workflow = manifestOf(require.resolve('n8n-workflow'), 'n8n-workflow');
	const zod = manifestOf(require.resolve('zod'), 'zod');

	it('is the version the engine’s n8n-workflow declares', () => {
		const wanted = workflow.dependencies?.zod ?? workflow.peerDependencies?.zod;
		expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
		expect(zod.version).toBe(wanted);
	});

	it('is not a runtime dependency of this package', () => {
		const own = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
		expect(own.dependencies ?? {}).toEqual({});
		expect(own.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('parses and reports issues the way the nodes read them', () => {
		const schema = z.object({ email: z.string().email(), state: z.enum(['active', 'inactive']).optional() }).strict();
		expect(schema.parse({ email: 'a@example.com' })).toEqual({ email: 'a@example.com' });
		const result = schema.safeParse({ email: 'nope', extra: 1 });
		expect(result.success).toBe(false);
		const paths = result.success ? [] : result.error.issues.map((issue) => issue.path.join('.') || issue.code);
		expect(paths).toEqual(expect.arrayContaining(['email', 'unrecognized_keys']));
	});
});
