'use strict';
/**
 * The services the browser test drives: the Genesys emulator and a real `n8n start` on loopback with the
 * packed package installed the way n8n installs community packages, in a fresh user folder. Both are
 * child processes of this one and are stopped by `stop()`, whatever happened.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { installN8n, log } = require('../e2e/install-n8n');
const { installPackage, startEmulator, n8nEnv, CLIENT } = require('../e2e/run');

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Owner',
	// n8n demands 8+ characters, a number and a capital letter.
	password: 'Browser-Test-Passw0rd',
};

/** n8n compiles its front end and migrates the database on first start: generous on a busy machine. */
const N8N_START_TIMEOUT_MS = 6 * 60_000;

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

async function waitFor(description, check, timeoutMs, intervalMs = 1000) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${description}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/** Starts n8n; resolves once its REST API answers. Output goes to a log file kept for failures. */
async function startN8n({ nodeBin, n8nBin, userFolder, work }) {
	const port = await freePort();
	const env = {
		...n8nEnv(userFolder, work),
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		// Plain http on loopback: the auth cookie must not demand https.
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_ONBOARDING_FLOW_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_AI_ENABLED: 'false',
	};
	const logFile = path.join(work, 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	// Its own process group, so the task runner it spawns stops with it.
	const child = spawn(nodeBin, [n8nBin, 'start'], { env, stdio: ['ignore', out, out], detached: true });
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const url = `http://127.0.0.1:${port}`;
	const stop = () => stopGroup(child);
	try {
		await waitFor(
			`n8n on ${url} (log: ${logFile})`,
			async () => {
				if (exited) throw new Error(`n8n exited ${JSON.stringify(exited)}; log tail:\n${tail(logFile)}`);
				// Until n8n is up, every path answers a plain "n8n is starting up" page, with status 200.
				const response = await fetch(`${url}/rest/settings`);
				const body = await response.text();
				return response.ok && body.startsWith('{') && JSON.parse(body).data !== undefined;
			},
			N8N_START_TIMEOUT_MS,
			2000,
		);
	} catch (error) {
		stop();
		throw error;
	}
	log(`n8n at ${url}`);
	return { url, logFile, stop };
}

function stopGroup(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		// already gone
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}, 10_000);
	timer.unref();
}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Minimal REST client holding the owner's auth cookie. */
class N8nRest {
	constructor(url) {
		this.url = url;
		this.cookie = '';
	}

	async call(method, endpoint, body) {
		const response = await fetch(`${this.url}/rest${endpoint}`, {
			method,
			headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((entry) => entry.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${endpoint} answered ${response.status}: ${text.slice(0, 300)}`);
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : {};
		} catch {
			throw new Error(`${method} /rest${endpoint} answered ${response.status} with something else than JSON: ${text.slice(0, 300)}`);
		}
		return parsed.data ?? parsed;
	}

	/** The owner account, created through the API as a fresh instance allows once. */
	async setupOwner() {
		await this.call('POST', '/owner/setup', OWNER);
		if (!this.cookie) await this.login();
	}

	async login() {
		await this.call('POST', '/login', { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password });
	}
}

/** Everything the test needs, started; `stop()` ends it all. */
async function startStack() {
	const { nodeBin, n8nBin } = installN8n();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesys-ui-'));
	const stoppers = [];
	const stop = () => {
		for (const stopOne of stoppers.reverse()) {
			try {
				stopOne();
			} catch {
				// keep stopping the others
			}
		}
	};
	try {
		const emulator = await startEmulator(work);
		stoppers.push(emulator.stop);
		const userFolder = path.join(work, 'user');
		installPackage(userFolder);
		const n8n = await startN8n({ nodeBin, n8nBin, userFolder, work });
		stoppers.push(n8n.stop);
		const rest = new N8nRest(n8n.url);
		await rest.setupOwner();
		return { work, emulator, n8n, rest, owner: OWNER, client: CLIENT, stop };
	} catch (error) {
		stop();
		throw error;
	}
}

module.exports = { startStack, waitFor, OWNER, tail };
