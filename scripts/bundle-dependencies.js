'use strict';
/**
 * Build step after tsc: inlines the few libraries the nodes need that n8n does not provide.
 *
 * n8n Cloud installs community packages without `dependencies`, so a library such as csv-parse must travel
 * inside dist. Each compiled file that requires a bundled library is rebuilt in place by esbuild with that
 * library inlined; every other import stays a plain require: relative modules (still separate files in dist)
 * and the packages n8n itself provides at run time (n8n-workflow, zod).
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const BUNDLED = ['csv-parse'];
const DIST = path.resolve(__dirname, '..', 'dist');

/** `csv-parse/sync` -> `csv-parse`, `@scope/name/x` -> `@scope/name`; undefined for relative or absolute paths. */
function packageOf(specifier) {
	if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const requiresBundled = new RegExp(`require\\("(${BUNDLED.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(/[^"]*)?"\\)`);

/** Marks everything external except the bundled libraries and what they import themselves. */
const keepOthersExternal = {
	name: 'keep-others-external',
	setup(build) {
		build.onResolve({ filter: /.*/ }, (args) => {
			if (args.kind === 'entry-point' || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
			const name = packageOf(args.path);
			if (name !== undefined && BUNDLED.includes(name)) return undefined;
			return { path: args.path, external: true };
		});
	},
};

function compiledFiles(dir) {
	return fs
		.readdirSync(dir, { recursive: true })
		.map((entry) => path.join(dir, String(entry)))
		.filter((file) => file.endsWith('.js'));
}

async function bundle(file) {
	await esbuild.build({
		entryPoints: [file],
		outfile: file,
		allowOverwrite: true,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		sourcemap: true,
		legalComments: 'inline',
		logLevel: 'warning',
		plugins: [keepOthersExternal],
	});
}

/** The bundled libraries' licences travel with the code that contains them (MIT asks for the notice). */
function writeNotices() {
	const sections = BUNDLED.map((name) => {
		const dir = path.resolve(__dirname, '..', 'node_modules', name);
		const { version, license } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const text = fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8').trim();
		return `## ${name} ${version} (${license})\n\n${text}\n`;
	});
	const header = '# Third-party code bundled into dist\n\n';
	fs.writeFileSync(path.join(DIST, 'THIRD_PARTY_NOTICES.md'), header + sections.join('\n'));
}

async function main() {
	const targets = compiledFiles(DIST).filter((file) => requiresBundled.test(fs.readFileSync(file, 'utf8')));
	if (targets.length === 0) throw new Error(`no compiled file in ${DIST} requires ${BUNDLED.join(', ')}: nothing to bundle`);
	for (const file of targets) {
		await bundle(file);
		if (requiresBundled.test(fs.readFileSync(file, 'utf8'))) throw new Error(`${file} still requires a bundled library`);
		process.stdout.write(`bundled ${BUNDLED.join(', ')} into ${path.relative(process.cwd(), file)}\n`);
	}
	writeNotices();
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
