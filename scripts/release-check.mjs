/**
 * Checks that this checkout can be published: version and tag, CHANGELOG entry, built files, packed contents,
 * documentation links, and the publisher's facts (repository, author) that npm provenance and n8n's
 * verification need. The publish workflow runs it before `npm publish`; it needs a build (`npm run build`).
 *
 * Usage: npm run release:check [-- --tag 1.2.3] [-- --allow-unset-publisher]
 *   --tag                    the pushed git tag; must equal the package version (a leading "v" is accepted)
 *   --allow-unset-publisher  report missing repository/author without failing (CI before the first release)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'n8n-nodes-genesys-cloud';
/** Where the README is read once the package is published: n8n shows these links only for installed packages. */
const README_URL = `https://www.npmjs.com/package/${NAME}`;
/** Files a tarball may hold outside dist/ (npm always adds package.json, README and LICENSE). */
const PACKED_OUTSIDE_DIST = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
/** Reserved names (RFC 2606) and the markers used while the publisher is unknown: never a real address. */
const UNSET = /(^|[.@])(invalid|example|test|localhost)$|^example\.(com|org|net)$|^unset\b/i;

const args = process.argv.slice(2);
const tag = args.includes('--tag') ? args[args.indexOf('--tag') + 1] : undefined;
const allowUnsetPublisher = args.includes('--allow-unset-publisher');

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const results = [];

function check(label, problems, { soft = false } = {}) {
	results.push({ label, problems, soft });
}

function versionProblems() {
	const problems = [];
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(manifest.version)) problems.push(`"${manifest.version}" is not a semver version`);
	if (tag !== undefined && tag.replace(/^v/, '') !== manifest.version) {
		problems.push(`tag ${tag} does not match package.json version ${manifest.version}`);
	}
	return problems;
}

function changelogProblems() {
	const file = path.join(ROOT, 'CHANGELOG.md');
	if (!existsSync(file)) return ['CHANGELOG.md is missing'];
	const escaped = manifest.version.replace(/[.+-]/g, '\\$&');
	const heading = new RegExp(`^## \\[?${escaped}\\]?( |$)`, 'm');
	const text = readFileSync(file, 'utf8');
	const match = heading.exec(text);
	if (!match) return [`CHANGELOG.md has no "## ${manifest.version}" section`];
	const body = text.slice(match.index + match[0].length).split(/^## /m)[0];
	return /^\s*[-*] \S/m.test(body) ? [] : [`the CHANGELOG.md section of ${manifest.version} lists no change`];
}

/** The files n8n loads (package.json "n8n"), with each node's codex file and the icons they name. */
function n8nFiles() {
	const entries = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
	const files = new Set(entries);
	for (const node of manifest.n8n.nodes) files.add(node.replace(/\.js$/, '.json'));
	for (const entry of entries) {
		const file = path.join(ROOT, entry);
		if (!existsSync(file)) continue;
		for (const [, icon] of readFileSync(file, 'utf8').matchAll(/["']file:([^"']+)["']/g)) {
			files.add(path.posix.join(path.posix.dirname(entry), icon));
		}
	}
	return [...files];
}

function builtProblems() {
	return n8nFiles()
		.filter((file) => !existsSync(path.join(ROOT, file)))
		.map((file) => `${file} is not built (run npm run build)`);
}

function packedProblems() {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8' }));
	const files = packed.files.map((file) => file.path);
	const problems = [];
	for (const file of n8nFiles()) if (!files.includes(file)) problems.push(`${file} is not in the tarball`);
	for (const file of files) {
		if (!file.startsWith('dist/') && !PACKED_OUTSIDE_DIST.includes(file)) problems.push(`${file} should not be packed`);
		if (/\.test\.|(^|\/)test\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts'))) problems.push(`${file} is a source or test file`);
	}
	if (!files.includes('dist/THIRD_PARTY_NOTICES.md')) problems.push('dist/THIRD_PARTY_NOTICES.md (licences of bundled code) is not packed');
	if (Object.keys(manifest.dependencies ?? {}).length > 0) problems.push('package.json has runtime dependencies');
	return problems;
}

/** GitHub-style heading ids, as npm renders the README too. */
function headingIds() {
	return readFileSync(path.join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) =>
			line
				.replace(/^#+ /, '')
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		);
}

function documentationUrls() {
	const urls = [];
	for (const node of manifest.n8n.nodes) {
		const codex = JSON.parse(readFileSync(path.join(ROOT, node.replace(/\.js$/, '.json')), 'utf8'));
		for (const { url } of codex.resources?.primaryDocumentation ?? []) urls.push({ where: node, url });
		for (const { url } of codex.resources?.credentialDocumentation ?? []) urls.push({ where: node, url });
	}
	for (const credential of manifest.n8n.credentials) {
		const text = readFileSync(path.join(ROOT, credential), 'utf8');
		const url = /documentationUrl\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
		urls.push({ where: credential, url });
	}
	urls.push({ where: 'package.json homepage', url: manifest.homepage });
	return urls;
}

function linkProblems() {
	const ids = headingIds();
	const problems = [];
	for (const { where, url } of documentationUrls()) {
		if (url === undefined) {
			problems.push(`${where}: no documentation URL`);
			continue;
		}
		const [page, anchor] = url.split('#');
		if (page !== README_URL) problems.push(`${where}: ${url} is not the package README (${README_URL})`);
		if (anchor !== undefined && !ids.includes(anchor)) problems.push(`${where}: README.md has no heading #${anchor}`);
	}
	return problems;
}

function isUnset(value) {
	return typeof value !== 'string' || value.trim() === '' || UNSET.test(value.trim()) || UNSET.test(value.split('@')[1] ?? '');
}

function publisherProblems() {
	const problems = [];
	const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
	const github = /^(git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(\.git)?$/.exec(repository ?? '');
	if (!github) {
		problems.push('package.json "repository" must be the public GitHub repository the package is published from (npm provenance checks it)');
	} else if (process.env.GITHUB_REPOSITORY && `${github[2]}/${github[3]}`.toLowerCase() !== process.env.GITHUB_REPOSITORY.toLowerCase()) {
		problems.push(`package.json "repository" is ${github[2]}/${github[3]}, but this workflow runs in ${process.env.GITHUB_REPOSITORY}`);
	}
	const author = manifest.author ?? {};
	if (isUnset(author.name) || isUnset(author.email)) {
		problems.push('package.json "author" must be the publishing maintainer\'s real name and email (n8n verification matches it)');
	}
	return problems;
}

check(`version ${manifest.version}${tag ? ` = tag ${tag}` : ''}`, versionProblems());
check('CHANGELOG.md entry', changelogProblems());
check('built files n8n loads', builtProblems());
check('packed contents', packedProblems());
check(`documentation links point to the README (${README_URL})`, linkProblems());
check('publisher facts (repository, author)', publisherProblems(), { soft: allowUnsetPublisher });

let failed = false;
for (const { label, problems, soft } of results) {
	const state = problems.length === 0 ? 'ok' : soft ? 'not set (publishing refused)' : 'FAILED';
	console.log(`${state}: ${label}`);
	for (const problem of problems) console.log(`  - ${problem}`);
	if (problems.length > 0 && !soft) failed = true;
}
if (failed) {
	console.log('\nNot releasable: fix the items above (README.md, "Releasing").');
	process.exitCode = 1;
}
