/**
 * The lint steps of n8n's community-package scanner (@n8n/scan-community-package), run offline.
 *
 * The scanner (`npx @n8n/scan-community-package <name>`) checks the npm provenance of a published version,
 * fetches the source commit the provenance names, downloads the tarball, then lints twice with one config:
 * the source's package.json + nodes/ + credentials/, and every .js file + package.json of the tarball. This
 * script runs those two lint steps with the scanner's own code (same config, same file patterns) on this
 * checkout and on the tarball `npm pack` makes now; only the registry and provenance steps are left out, since
 * nothing is published yet. It also refuses a tarball whose package.json has runtime dependencies, and a
 * checkout that `n8n-node cloud-support` does not report eligible for n8n Cloud (strict mode, default config).
 *
 * Usage: npm run lint:package   (builds first)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SOURCE_FILE_PATTERNS, analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The file patterns the scanner lints in the downloaded tarball (scanner.mjs, analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function pack(destination) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output);
	return path.join(destination, filename);
}

function unpack(tarball, destination) {
	mkdirSync(destination, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', destination, '--strip-components=1']);
	return destination;
}

/** n8n's own verdict: strict mode on and eslint.config.mjs unchanged from n8n's default. */
function cloudSupport() {
	const output = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
	});
	// eslint-disable-next-line no-control-regex -- strips terminal colour codes
	const status = output.replace(/\u001b\[[0-9;]*m/g, '').match(/Status: (.*)/)?.[1]?.trim() ?? 'no status printed';
	return { passed: status.startsWith('eligible'), message: status };
}

function report(label, result) {
	console.log(`${result.passed ? 'passed' : 'FAILED'}: ${label}${result.message ? ` (${result.message})` : ''}`);
	if (result.details) console.log(result.details);
	return result.passed;
}

async function main() {
	const work = mkdtempSync(path.join(os.tmpdir(), 'lint-package-'));
	try {
		const tarball = pack(work);
		const packageDir = unpack(tarball, path.join(work, 'package'));
		const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		const dependencies = Object.keys(manifest.dependencies ?? {});
		const checks = [
			report('n8n-node cloud-support', cloudSupport()),
			report('packed package.json has no runtime dependencies', {
				passed: dependencies.length === 0,
				message: dependencies.length === 0 ? undefined : `dependencies: ${dependencies.join(', ')}`,
			}),
			report(`scanner lint of the source (${SOURCE_FILE_PATTERNS.join(', ')})`, await analyzePackage(ROOT, SOURCE_FILE_PATTERNS)),
			report(
				`scanner lint of ${path.basename(tarball)} (${TARBALL_FILE_PATTERNS.join(', ')})`,
				await analyzePackage(packageDir, TARBALL_FILE_PATTERNS),
			),
		];
		if (checks.includes(false)) process.exitCode = 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

await main();
