'use strict';
/**
 * Browser test: the package in a real n8n (`n8n start` on loopback) with the Genesys emulator, driven in
 * headless Chromium. It asserts what a user sees: the credential modal and its test, node search, the
 * Bulk Create Users panel and its pickers, the CSV example run from the editor (counts against the
 * emulator), Wait for Job's panel and output schema, and no console error from our nodes.
 *
 * Usage: npm run test:ui   (N8N_E2E_CACHE: where the n8n install is cached, shared with test:e2e)
 * Screenshots: test/ui/screenshots/ (git-ignored). The whole run is bounded by RUN_TIMEOUT_MS.
 */
const fs = require('node:fs');
const path = require('node:path');
const { launchBrowser, watchPage, SCREENSHOTS } = require('./browser');
const { startStack } = require('./stack');
const { STEPS, PACKAGE } = require('./steps');
const { log } = require('../e2e/install-n8n');

/** Screenshots the README shows, refreshed with `npm run test:ui -- --readme-images` after a passing run. */
const README_IMAGES = ['02-credential-ok', '06-picker-roles', '08-example-after'];
const README_IMAGE_DIR = path.resolve(__dirname, '..', '..', 'docs', 'images');

/** Install (first time only), start and every step, with room for a busy machine; then everything is stopped. */
const RUN_TIMEOUT_MS = 30 * 60_000;
/** Console output counted as ours: anything naming the package, its nodes or its credential. */
const OURS = new RegExp(`${PACKAGE}|genesysCloud|Genesys Cloud`, 'i');

async function main() {
	const started = Date.now();
	const results = [];
	let stack;
	let browser;
	const cleanup = async () => {
		await browser?.close();
		stack?.stop();
	};
	const watchdog = setTimeout(() => {
		process.stderr.write(`[ui] the run took over ${RUN_TIMEOUT_MS / 60_000} minutes: stopping\n`);
		cleanup().finally(() => process.exit(1));
	}, RUN_TIMEOUT_MS);
	try {
		stack = await startStack();
		log(`stack up after ${seconds(started)} s`);
		browser = await launchBrowser();
		const page = await browser.browser.newPage();
		await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
		const problems = watchPage(page, stack.n8n.url);
		const [name, value] = stack.rest.cookie.split('=');
		await page.setCookie({ name, value, domain: '127.0.0.1', path: '/' });
		const ctx = { page, stack, shots: [], log: (message) => log(message) };
		let stopped = false;
		for (const step of STEPS) {
			if (stopped) {
				results.push({ name: step.name, skipped: true });
				continue;
			}
			const stepStart = Date.now();
			try {
				await step.run(ctx);
				results.push({ name: step.name, ok: true, seconds: seconds(stepStart) });
			} catch (error) {
				results.push({ name: step.name, ok: false, seconds: seconds(stepStart), error: error instanceof Error ? error.message : String(error) });
				await require('./browser').screenshot(page, `failed-${results.length}`).catch(() => undefined);
				if (step.required) stopped = true;
			}
		}
		results.push(consoleCheck(problems));
		log(`screenshots in ${SCREENSHOTS}`);
	} catch (error) {
		results.push({ name: 'start n8n, emulator and Chromium', ok: false, error: error instanceof Error ? error.stack : String(error) });
	} finally {
		clearTimeout(watchdog);
		await cleanup();
	}
	const ok = report(results, seconds(started));
	if (ok && process.argv.includes('--readme-images')) copyReadmeImages();
	if (stack) {
		if (ok) removeLater(stack.work);
		else log(`kept for inspection: ${stack.work} (n8n log: ${stack.n8n?.logFile ?? 'none'})`);
	}
}

function copyReadmeImages() {
	fs.mkdirSync(README_IMAGE_DIR, { recursive: true });
	for (const name of README_IMAGES) {
		fs.copyFileSync(path.join(SCREENSHOTS, `${name}.png`), path.join(README_IMAGE_DIR, `editor-${name.replace(/^\d+-/, '')}.png`));
	}
	log(`README images refreshed in ${README_IMAGE_DIR}`);
}

/** The temporary n8n user folder and emulator files, once the processes had time to exit. */
function removeLater(dir) {
	setTimeout(() => fs.rmSync(dir, { recursive: true, force: true }), 3000);
}

/** No console error, page error or failed n8n API call that names our package, nodes or credential. */
function consoleCheck(problems) {
	const ours = problems.filter((problem) => OURS.test(problem.text) || /dynamic-node-parameters|credentials\/test/.test(problem.text));
	for (const other of problems.filter((problem) => !ours.includes(problem))) log(`(not ours) ${other.kind}: ${other.text.slice(0, 200)}`);
	if (ours.length === 0) return { name: 'no console error from our nodes', ok: true };
	return { name: 'no console error from our nodes', ok: false, error: ours.map((problem) => `${problem.kind}: ${problem.text}`).join('\n') };
}

function seconds(since) {
	return Math.round((Date.now() - since) / 100) / 10;
}

function report(results, totalSeconds) {
	let passed = 0;
	let failed = 0;
	for (const result of results) {
		if (result.skipped) {
			log(`SKIP ${result.name} (an earlier required step failed)`);
			failed++;
		} else if (result.ok) {
			passed++;
			log(`PASS ${result.name}${result.seconds === undefined ? '' : ` (${result.seconds} s)`}`);
		} else {
			failed++;
			log(`FAIL ${result.name}\n  ${String(result.error).split('\n').join('\n  ')}`);
		}
	}
	process.stdout.write(`ui: ${passed} passed, ${failed} failed in ${totalSeconds} s\n`);
	const ok = failed === 0 && passed > 0;
	process.exitCode = ok ? 0 : 1;
	return ok;
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`[ui] ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}
