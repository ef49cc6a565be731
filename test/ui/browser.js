'use strict';
/**
 * Headless Chromium from Debian's packages, driven by puppeteer-core. Collects console errors and failed
 * n8n API calls for the final check, and saves a screenshot per step under test/ui/screenshots/.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SCREENSHOTS = path.resolve(__dirname, 'screenshots');
const CANDIDATES = [
	process.env.CHROMIUM_PATH,
	'/usr/bin/chromium-headless-shell',
	'/usr/lib/chromium/chromium-headless-shell',
	'/usr/bin/chromium',
].filter(Boolean);

function chromiumPath() {
	const found = CANDIDATES.find((candidate) => fs.existsSync(candidate));
	if (!found) {
		throw new Error(`no Chromium found (looked at ${CANDIDATES.join(', ')}); install the Debian package chromium-headless-shell`);
	}
	return found;
}

async function launchBrowser() {
	const puppeteer = require('puppeteer-core');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesys-ui-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		userDataDir,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--window-size=1440,900',
		],
		defaultViewport: { width: 1440, height: 900 },
		protocolTimeout: 120_000,
	});
	const close = async () => {
		try {
			await browser.close();
		} catch {
			browser.process()?.kill('SIGKILL');
		}
		fs.rmSync(userDataDir, { recursive: true, force: true });
	};
	return { browser, close };
}

/** Console errors, uncaught page errors and n8n API answers >= 400, as seen during the whole run. */
function watchPage(page, baseUrl) {
	const problems = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push({ kind: 'console', text: message.text() });
	});
	page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.message }));
	page.on('response', (response) => {
		const url = response.url();
		if (url.startsWith(`${baseUrl}/rest/`) && response.status() >= 400) {
			problems.push({ kind: 'http', text: `${response.status()} ${response.request().method()} ${url.slice(baseUrl.length)}` });
		}
	});
	return problems;
}

async function screenshot(page, name) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const file = path.join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

module.exports = { launchBrowser, watchPage, screenshot, SCREENSHOTS };
