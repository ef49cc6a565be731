'use strict';
/**
 * End-to-end run with the real n8n CLI: the built package is installed the way n8n installs community
 * packages (`~/.n8n/nodes/node_modules`), a credential and the example workflows are imported, each workflow
 * is run with `n8n execute --id`, and the Genesys emulator (a separate process) is asked what it ended up holding.
 *
 * Usage: npm run test:e2e   (N8N_E2E_CACHE chooses where n8n is cached; default .cache/e2e)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { installN8n, log } = require('./install-n8n');
const { prepareExample, EXAMPLES } = require('./examples');

const ROOT = path.resolve(__dirname, '..', '..');
const CLIENT = { clientId: 'e2e-client-id', clientSecret: 'e2e-client-secret-do-not-print' };

async function main() {
	const { nodeBin, n8nBin } = installN8n();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesys-e2e-'));
	const emulator = await startEmulator(work);
	const results = [];
	try {
		const userFolder = path.join(work, 'user');
		installPackage(userFolder);
		const env = n8nEnv(userFolder, work);
		const n8n = (args) => runN8n(nodeBin, n8nBin, args, env);

		const credentialFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credentialFile, JSON.stringify([credential(emulator.url)], null, 2));
		await n8n(['import:credentials', `--input=${credentialFile}`]);

		for (const example of EXAMPLES) {
			const workflowFile = path.join(work, `${example.id}.json`);
			fs.writeFileSync(workflowFile, JSON.stringify(prepareExample(example, { work, apiBaseUrl: emulator.url }), null, 2));
			try {
				await n8n(['import:workflow', `--input=${workflowFile}`]);
				const before = await emulatorState(emulator.url);
				const execution = await n8n(['execute', `--id=${example.id}`, '--rawOutput']);
				const after = await emulatorState(emulator.url);
				results.push(checkExample(example, execution, before, after));
			} catch (error) {
				results.push({ name: example.name, failures: [error instanceof Error ? error.message : String(error)] });
			}
		}
	} finally {
		emulator.stop();
	}
	report(results);
}

function credential(url) {
	return {
		id: 'genesysE2eCred01',
		name: 'Genesys Cloud (emulator)',
		type: 'genesysCloudOAuth2Api',
		data: { region: 'custom', apiBaseUrl: url, loginBaseUrl: url, ...CLIENT },
	};
}

/** Installs the packed package like n8n's community-package installer: runtime deps only, n8n's own n8n-workflow. */
function installPackage(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', userFolder], { cwd: ROOT, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	execFileSync(
		'npm',
		['install', '--omit=dev', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', path.join(userFolder, packed)],
		{ cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	log(`installed ${packed} into ${nodesDir}`);
}

function n8nEnv(userFolder, work) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-a-secret',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RESTRICT_FILE_ACCESS_TO: work,
		// `execute` prints the execution at info level.
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: String(5679 + Math.floor(Math.random() * 1000)),
	};
}

function runN8n(nodeBin, n8nBin, args, env) {
	return new Promise((resolve, reject) => {
		const child = spawn(nodeBin, [n8nBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (stdout.includes(CLIENT.clientSecret) || stderr.includes(CLIENT.clientSecret)) {
				reject(new Error(`n8n ${args[0]} printed the client secret`));
				return;
			}
			if (code !== 0) {
				reject(new Error(`n8n ${args.join(' ')} exited ${code}\n${tail(stdout)}\n${tail(stderr)}`));
				return;
			}
			resolve({ stdout, stderr });
		});
	});
}

function tail(text) {
	return text.split('\n').slice(-40).join('\n');
}

function startEmulator(work) {
	const seedFile = path.join(work, 'seed-users.json');
	fs.writeFileSync(seedFile, JSON.stringify(require('./examples').SEED_USERS));
	const child = spawn(
		process.execPath,
		[
			'--require',
			require.resolve('tsx/cjs'),
			path.join(ROOT, 'test', 'emulator', 'cli.ts'),
			'--port', '0',
			'--seed', '7',
			'--client', `${CLIENT.clientId}:${CLIENT.clientSecret}`,
			'--users', seedFile,
			'--job-complete-after', '1500',
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	return new Promise((resolve, reject) => {
		let buffer = '';
		child.on('error', reject);
		child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n')) {
				const { url } = JSON.parse(line);
				log(`emulator at ${url}`);
				resolve({ url, stop: () => child.kill('SIGTERM') });
			}
		});
	});
}

async function emulatorState(url) {
	const response = await fetch(`${url}/__emulator/state`);
	return response.json();
}

/**
 * `n8n execute --rawOutput` logs the IRun as pretty JSON at info level, among other log lines: take the
 * top-level object (a line `{` up to the next line `}`) that holds `data.resultData`.
 */
function parseRun(stdout) {
	const lines = stdout.split('\n');
	for (let start = lines.length - 1; start >= 0; start--) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start);
		if (end < 0) continue;
		try {
			const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
			if (parsed?.data?.resultData) return parsed;
		} catch {
			// not the execution object
		}
	}
	throw new Error(`no execution JSON in output:\n${tail(stdout)}`);
}

function checkExample(example, execution, before, after) {
	try {
		const run = parseRun(execution.stdout);
		const failures = example.check({ run, before, after });
		return { name: example.name, failures };
	} catch (error) {
		return { name: example.name, failures: [error instanceof Error ? error.message : String(error)] };
	}
}

function report(results) {
	let passed = 0;
	let failed = 0;
	for (const result of results) {
		if (result.failures.length === 0) {
			passed++;
			log(`PASS ${result.name}`);
		} else {
			failed++;
			log(`FAIL ${result.name}\n  - ${result.failures.join('\n  - ')}`);
		}
	}
	process.stdout.write(`e2e: ${passed} passed, ${failed} failed\n`);
	process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

module.exports = { installPackage, startEmulator, emulatorState, n8nEnv, CLIENT };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`[e2e] ${error instanceof Error ? error.stack : String(error)}\n`);
		process.stdout.write('e2e: 0 passed, 1 failed\n');
		process.exitCode = 1;
	});
}
