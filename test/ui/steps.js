'use strict';
/**
 * The browser test's steps, in order. Each takes the shared context, drives the editor, saves screenshots
 * and throws with a clear message when what the editor shows is not what it should be.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('csv-parse/sync');
const { screenshot } = require('./browser');
const { BULK_PANEL, PICKER_FIELDS } = require('./expectations');
const { clickText, elementWithText, expectInputValue, expectSelector, expectText, openDropdownOptions, pause, typeInto, WAIT_MS } = require('./editor');
const { prepareExample, EXAMPLES } = require('../e2e/examples');
const { emulatorState } = require('../e2e/run');

const ROOT = path.resolve(__dirname, '..', '..');
const CREDENTIAL_TYPE_NAME = 'Genesys Cloud OAuth2 API';
const BULK_NAME = 'Genesys Cloud Bulk Create Users';
const WAIT_NAME = 'Genesys Cloud Wait for Job';
const PACKAGE = 'n8n-nodes-genesys-cloud';
const CSV_EXAMPLE = EXAMPLES.find((example) => example.file.startsWith('01-'));
/** The CSV example calls Genesys a few hundred times and waits for search: generous on a busy machine. */
const EXAMPLE_RUN_TIMEOUT_MS = 5 * 60_000;

const MODAL = '[data-test-id="editCredential-modal"]';

async function openCredentialModal(page, n8nUrl) {
	await page.goto(`${n8nUrl}/home/credentials/create`, { waitUntil: 'networkidle2', timeout: 2 * WAIT_MS });
	const typeInput = '[data-test-id="new-credential-type-select"] input';
	await expectSelector(page, typeInput, 'credential type picker');
	await page.click(typeInput);
	await page.type(typeInput, 'Genesys Cloud');
	await clickText(page, '[data-test-id="new-credential-type-select-option"]', CREDENTIAL_TYPE_NAME, 'credential type search');
	// Continue opens the type the select holds: check it is ours first.
	await page
		.waitForFunction((selector, name) => document.querySelector(selector)?.value === name, { timeout: WAIT_MS }, typeInput, CREDENTIAL_TYPE_NAME)
		.catch(async () => {
			const chosen = await page.$eval(typeInput, (input) => input.value);
			throw new Error(`credential type picker holds "${chosen}", not "${CREDENTIAL_TYPE_NAME}"`);
		});
	// The list can stay open over the Continue button for a moment: wait until it is gone, then click.
	await page
		.waitForFunction(() => ![...document.querySelectorAll('[data-test-id="new-credential-type-select-option"]')].some((option) => option.offsetParent !== null), { timeout: 10_000 })
		.catch(() => page.click('[data-test-id="selectCredential-modal"] h1, [data-test-id="selectCredential-modal"] .el-dialog__title'));
	await page.$eval('[data-test-id="new-credential-type-button"]', (button) => button.click());
	await expectSelector(page, `${MODAL} [data-test-id="parameter-input-region"]`, 'Genesys credential form');
}

/** Clicks Save once the modal has unsaved changes, then waits for the connection test it triggers. */
async function saveAndTest(page) {
	const save = `${MODAL} [data-test-id="credential-save-button"]`;
	// Leaving the field commits its value; Save is enabled only once the modal sees a change.
	await page.keyboard.press('Tab');
	await page
		.waitForFunction((selector) => {
			const element = document.querySelector(selector);
			const button = element?.tagName === 'BUTTON' ? element : element?.querySelector('button');
			return button && !button.disabled && button.getAttribute('aria-disabled') !== 'true';
		}, { timeout: WAIT_MS }, save)
		.catch(() => {
			throw new Error('the credential Save button never became enabled after the fields were filled in');
		});
	await page.click(save);
}

async function credentialStep(ctx) {
	const { page, stack } = ctx;
	await openCredentialModal(page, stack.n8n.url);
	await page.click(`${MODAL} [data-test-id="parameter-input-region"]`);
	await clickText(page, '.el-select-dropdown__item', 'Custom', 'region list');
	await expectSelector(page, `${MODAL} [data-test-id="parameter-input-apiBaseUrl"] input`, 'custom API base URL field');
	await expectText(page, MODAL, /API Base URL\s*\*[\s\S]*Login Base URL\s*\*/, 'the Custom region URLs are marked required');
	await typeInto(page, `${MODAL} [data-test-id="parameter-input-apiBaseUrl"] input`, stack.emulator.url);
	await typeInto(page, `${MODAL} [data-test-id="parameter-input-loginBaseUrl"] input`, stack.emulator.url);
	await typeInto(page, `${MODAL} [data-test-id="parameter-input-clientId"] input`, stack.client.clientId);
	await typeInto(page, `${MODAL} [data-test-id="parameter-input-clientSecret"] input`, 'not-the-secret');
	await saveAndTest(page);
	await expectText(page, MODAL, /Couldn.t connect with these settings/, 'a wrong secret fails the credential test');
	await clickText(page, `${MODAL} *`, 'More details', 'error details link', 10_000).catch(() => undefined);
	await expectText(page, MODAL, /Genesys Cloud token request failed: HTTP 401 invalid_client/, 'the token error is shown');
	ctx.shots.push(await screenshot(page, '01-credential-wrong-secret'));

	await typeInto(page, `${MODAL} [data-test-id="parameter-input-clientSecret"] input`, stack.client.clientSecret);
	await saveAndTest(page);
	await expectText(page, MODAL, /Connection tested successfully/, 'the right secret passes the credential test');
	ctx.shots.push(await screenshot(page, '02-credential-ok'));
	const credentials = await stack.rest.call('GET', '/credentials');
	const created = credentials.filter((credential) => credential.type === 'genesysCloudOAuth2Api');
	if (created.length !== 1) throw new Error(`expected one Genesys credential saved, found ${created.length}`);
	ctx.credential = { id: created[0].id, name: created[0].name };
	await page.keyboard.press('Escape');
}

async function createWorkflow(stack, workflow) {
	return await stack.rest.call('POST', '/workflows', workflow);
}

async function openWorkflow(page, stack, id) {
	await page.goto(`${stack.n8n.url}/workflow/${id}`, { waitUntil: 'networkidle2', timeout: 2 * WAIT_MS });
	await expectSelector(page, '[data-test-id="canvas-node"]', `workflow ${id} on the canvas`, 2 * WAIT_MS);
}

async function nodeSearchStep(ctx) {
	const { page, stack } = ctx;
	const workflow = await createWorkflow(stack, {
		name: 'Browser test: new workflow',
		nodes: [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		settings: {},
		active: false,
	});
	await openWorkflow(page, stack, workflow.id);
	await page.click('[data-test-id="node-creator-plus-button"]');
	await expectSelector(page, '[data-test-id="node-creator-search-bar"]', 'node search');
	await page.type('[data-test-id="node-creator-search-bar"]', 'Genesys');
	await elementWithText(page, '[data-test-id="node-creator-item-name"]', BULK_NAME, 'search finds Bulk Create Users');
	await elementWithText(page, '[data-test-id="node-creator-item-name"]', WAIT_NAME, 'search finds Wait for Job');
	ctx.shots.push(await screenshot(page, '03-node-search'));
}

/** The row of one mapper field: its label, required mark and input. */
/**
 * The mapper's fields in Define Below mode, by id, with their label text. Required fields have no remove
 * button (n8n hides it for required fields in "add" mode), so rows are found through the container of the
 * removable ones, and identified by their parameter input.
 */
async function mapperFieldLabels(page) {
	return await page.$$eval('[data-test-id^="remove-field-button-"]', (buttons) => {
		const container = buttons[0]?.closest('.parameter-item')?.parentElement;
		if (!container) return [];
		return [...container.children]
			.filter((row) => row.classList.contains('parameter-item'))
			.map((row) => {
				const input = row.querySelector('[data-test-id^="parameter-input-"]');
				const id = input?.getAttribute('data-test-id').slice('parameter-input-'.length) ?? '';
				const label = row.querySelector('label, [data-test-id="input-label"]') ?? row;
				// n8n marks a required mapper field by offering no remove button and, while empty, a
				// "required" issue; it draws no asterisk on mapper labels.
				const required = !row.querySelector('[data-test-id^="remove-field-button-"]') && !!row.querySelector('[data-test-id="parameter-issues"]');
				return { id, text: label.innerText.trim(), required };
			})
			.filter((field) => field.id !== '');
	});
}

async function bulkPanelStep(ctx) {
	const { page } = ctx;
	await clickText(page, '[data-test-id="node-creator-item-name"]', BULK_NAME, 'Bulk Create Users in the search');
	// A community node first shows its details panel with "Add to workflow".
	const ndv = await Promise.race([
		page.waitForSelector('[data-test-id="ndv"]', { visible: true, timeout: WAIT_MS }).then(() => 'ndv'),
		elementWithText(page, 'button', 'Add to workflow', 'node details').then(() => 'details'),
	]);
	if (ndv === 'details') await clickText(page, 'button', 'Add to workflow', 'Add to workflow');
	await expectSelector(page, '[data-test-id="ndv"]', 'Bulk Create Users panel');
	await page
		.waitForFunction(
			(name) => {
				const select = document.querySelector('[data-test-id="node-credentials-select"]');
				const input = select?.querySelector('input');
				return (input?.value ?? '') === name || (select?.innerText ?? '').includes(name);
			},
			{ timeout: WAIT_MS },
			ctx.credential.name,
		)
		.catch(() => {
			throw new Error(`the panel does not preselect the credential "${ctx.credential.name}"`);
		});
	await expectSelector(page, '[data-test-id="mapping-mode-select"]', 'the Fields mapper');
	await expectInputValue(page, '[data-test-id="mapping-mode-select"]', /^Map Automatically$/, 'Map Automatically is the default mapping mode');
	if (BULK_PANEL.autoMapNotice) {
		await expectText(page, '[data-test-id="ndv"]', BULK_PANEL.autoMapNotice, 'our Map Automatically rule is shown');
	} else {
		ctx.log('Bulk panel: no auto-map notice expected yet (BULK_PANEL.autoMapNotice is unset)');
	}
	ctx.shots.push(await screenshot(page, '04-bulk-panel'));

	await page.click('[data-test-id="mapping-mode-select"]');
	await clickText(page, '.el-select-dropdown__item', /^Map Each Column Manually/, 'Define Below mode');
	await expectSelector(page, '[data-test-id="parameter-input-email"]', 'the mapper fields after choosing Define Below');
	const labels = await mapperFieldLabels(page);
	const ids = labels.map((label) => label.id);
	for (const expected of BULK_PANEL.definedBelowFields) {
		if (!ids.includes(expected)) throw new Error(`Define Below does not list the field "${expected}" (it lists ${ids.join(', ')})`);
	}
	const marked = labels.filter((label) => label.required || /\*\s*$/.test(label.text.split('\n')[0])).map((label) => label.id).sort();
	const expectedMarks = [...BULK_PANEL.requiredFields].sort();
	if (JSON.stringify(marked) !== JSON.stringify(expectedMarks)) {
		throw new Error(`required marks on ${JSON.stringify(marked)}, expected on ${JSON.stringify(expectedMarks)}`);
	}
	ctx.shots.push(await screenshot(page, '05-bulk-define-below'));
}

async function emulatorToken(stack) {
	const basic = Buffer.from(`${stack.client.clientId}:${stack.client.clientSecret}`).toString('base64');
	const response = await fetch(`${stack.emulator.url}/oauth/token`, {
		method: 'POST',
		headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials',
	});
	return (await response.json()).access_token;
}

/** The names the emulator lists for one org list, read through its API. */
async function emulatorNames(stack, listPath) {
	const token = await emulatorToken(stack);
	const response = await fetch(`${stack.emulator.url}${listPath}?pageSize=500`, { headers: { authorization: `Bearer ${token}` } });
	const body = await response.json();
	return body.entities.map((entity) => entity.name);
}

async function pickersStep(ctx) {
	const { page, stack } = ctx;
	for (const picker of PICKER_FIELDS) {
		const input = `[data-test-id="parameter-input-${picker.field}"]`;
		await expectSelector(page, input, `${picker.field} picker`);
		await page.$eval(input, (element) => element.scrollIntoView({ block: 'center' }));
		await page.click(input);
		await page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown__item')].some((item) => item.offsetParent !== null), { timeout: WAIT_MS }).catch(() => {
			throw new Error(`${picker.field}: clicking the field opened no list (is it still a text field? the org could not be listed)`);
		});
		const shown = (await openDropdownOptions(page)).sort();
		const names = await emulatorNames(stack, picker.listPath);
		const expected = names.flatMap(picker.optionsFor).sort();
		if (JSON.stringify(shown) !== JSON.stringify(expected)) {
			throw new Error(`${picker.field} lists ${JSON.stringify(shown)}, the emulator has ${JSON.stringify(expected)}`);
		}
		if (picker.search) {
			await page.keyboard.type(picker.search.type);
			await pause(500);
			const filtered = await openDropdownOptions(page);
			if (filtered.length === 0 || !filtered.every((option) => picker.search.expect.test(option))) {
				throw new Error(`${picker.field}: typing "${picker.search.type}" shows ${JSON.stringify(filtered)}`);
			}
		}
		ctx.shots.push(await screenshot(page, `06-picker-${picker.field}`));
		await page.keyboard.press('Escape');
		await pause(300);
	}
	await page.click('[data-test-id="ndv-close-button"]').catch(() => page.keyboard.press('Escape'));
}

function csvRecordCount() {
	const text = fs.readFileSync(path.join(ROOT, 'examples', 'data', 'new-hires.csv'));
	return parse(text, { columns: true, skip_empty_lines: true }).length;
}

/** "44 items" on the edge between two nodes; 0 when the edge shows no count. */
async function edgeCount(page, source, target) {
	const label = await page.$(`[data-test-id="edge-label"][data-source-node-name="${source}"][data-target-node-name="${target}"]`);
	if (!label) return 0;
	const text = await label.evaluate((element) => element.textContent.trim());
	const match = /^(\d+) items?$/.exec(text);
	if (!match) throw new Error(`edge ${source} -> ${target} shows "${text}"`);
	return Number(match[1]);
}

async function exampleRunStep(ctx) {
	const { page, stack } = ctx;
	const workflow = prepareExample(CSV_EXAMPLE, { work: stack.work, apiBaseUrl: stack.emulator.url });
	delete workflow.id;
	for (const node of workflow.nodes) {
		if (node.credentials?.genesysCloudOAuth2Api) node.credentials.genesysCloudOAuth2Api = { ...ctx.credential };
	}
	const saved = await createWorkflow(stack, workflow);
	await openWorkflow(page, stack, saved.id);
	ctx.shots.push(await screenshot(page, '07-example-before'));

	const before = await emulatorState(stack.emulator.url);
	await page.click('[data-test-id="execute-workflow-button"]');
	const last = '[data-test-id="edge-label"][data-source-node-name="Wait Until Searchable"][data-target-node-name="Summary"]';
	try {
		await page.waitForSelector(`${last}, [data-test-id="canvas-node-status-error"]`, { visible: true, timeout: EXAMPLE_RUN_TIMEOUT_MS });
	} catch {
		throw new Error(`the example did not finish within ${EXAMPLE_RUN_TIMEOUT_MS / 60_000} minutes`);
	}
	if (await page.$('[data-test-id="canvas-node-status-error"]')) {
		ctx.shots.push(await screenshot(page, '08-example-after'));
		throw new Error('a node of the example ended with an error');
	}
	const after = await emulatorState(stack.emulator.url);
	ctx.shots.push(await screenshot(page, '08-example-after'));

	// Bulk Create Users runs with On Error "Continue (using error output)": failed rows leave on n8n's error
	// output, connected to "Rows to Fix".
	const bulkNode = workflow.nodes.find((node) => node.name === 'Bulk Create Users');
	if (bulkNode?.onError !== 'continueErrorOutput') throw new Error('the example does not route failed rows to the error output');
	const shown = {
		success: await edgeCount(page, 'Bulk Create Users', 'Wait Until Searchable'),
		failure: await edgeCount(page, 'Bulk Create Users', 'Rows to Fix'),
		searchable: await edgeCount(page, 'Wait Until Searchable', 'Summary'),
	};
	const created = after.users.length - before.users.length;
	const preExisting = before.users.length;
	const rows = csvRecordCount();
	const problems = [];
	// Success holds the created users and those that already existed (If User Exists: Skip).
	const existingRows = shown.success - created;
	if (created <= 0) problems.push(`the emulator gained ${created} users`);
	if (existingRows < 0 || existingRows > preExisting) problems.push(`Success shows ${shown.success} items but the emulator gained ${created} users`);
	if (shown.success + shown.failure !== rows) problems.push(`Success ${shown.success} + Error ${shown.failure} != ${rows} CSV rows`);
	if (shown.searchable !== shown.success) problems.push(`Wait for Job passed ${shown.searchable} of ${shown.success} users`);
	const emails = after.users.map((user) => user.email.toLowerCase());
	if (new Set(emails).size !== emails.length) problems.push('the emulator holds duplicate emails');
	ctx.log(`example: shown ${JSON.stringify(shown)}, emulator gained ${created} users, ${rows} CSV rows`);
	if (problems.length > 0) throw new Error(problems.join('; '));
	ctx.example = { workflowId: saved.id, shown, created };
}

async function waitForJobPanelStep(ctx) {
	const { page, stack } = ctx;
	const node = '[data-test-id="canvas-node"][data-node-name="Wait Until Searchable"]';
	await expectText(page, '[data-test-id="canvas"]', /Users Searchable/, 'Wait for Job subtitle names the job type');
	const handle = (await page.$(node)) ?? (await elementWithText(page, '[data-test-id="canvas-node"]', /Wait Until Searchable/, 'Wait for Job on the canvas'));
	await handle.click({ count: 2 });
	await expectSelector(page, '[data-test-id="ndv"]', 'Wait for Job panel');
	const pollInterval = await page.$eval('[data-test-id="parameter-input-pollInterval"] input', (input) => input.value);
	if (pollInterval !== '2') throw new Error(`Poll Interval shows "${pollInterval}", expected "2" (whole seconds without decimals)`);
	await expectSelector(page, '[data-test-id="collection-parameter-add"]', 'the Options collection');
	const addLabel = await page.$eval('[data-test-id="collection-parameter-add"]', (element) =>
		[element.innerText, ...[...element.querySelectorAll('input')].map((input) => input.placeholder)].join(' ').trim(),
	);
	if (!/\bAdd option\b/.test(addLabel)) throw new Error(`the Options collection says "${addLabel}", expected "Add option"`);
	ctx.shots.push(await screenshot(page, '09-wait-for-job-panel'));
	await page.click('[data-test-id="ndv-close-button"]').catch(() => page.keyboard.press('Escape'));

	const response = await fetch(`${stack.n8n.url}/schemas/${PACKAGE}.genesysCloudWaitForJob/1.json`, { headers: { cookie: stack.rest.cookie } });
	const schema = response.ok ? await response.json() : null;
	if (!schema?.properties?.status || !schema.properties.succeeded) {
		throw new Error(`n8n does not serve the Wait for Job output schema (HTTP ${response.status})`);
	}
	await schemaPreview(ctx);
}

/** Before anything ran, the next node's input shows Wait for Job's fields from the shipped schema. */
async function schemaPreview(ctx) {
	const { page, stack } = ctx;
	const waitNode = {
		id: 'wait',
		name: 'Wait for Export',
		type: `${PACKAGE}.genesysCloudWaitForJob`,
		typeVersion: 1,
		position: [220, 0],
		parameters: { jobType: 'analyticsConversationDetails', jobId: '={{ $json.jobId }}' },
		credentials: { genesysCloudOAuth2Api: { ...ctx.credential } },
	};
	const workflow = await createWorkflow(stack, {
		name: 'Browser test: schema preview',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			waitNode,
			{ id: 'next', name: 'After Wait', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Wait for Export', type: 'main', index: 0 }]] },
			'Wait for Export': { main: [[{ node: 'After Wait', type: 'main', index: 0 }], []] },
		},
		settings: {},
		active: false,
	});
	await openWorkflow(page, stack, workflow.id);
	const next = await elementWithText(page, '[data-test-id="canvas-node"]', /After Wait/, 'the node after Wait for Job');
	await next.click({ count: 2 });
	await expectSelector(page, '[data-test-id="ndv"]', 'the panel of the node after Wait for Job');
	await expectText(page, '[data-test-id="ndv-input-panel"]', /succeeded[\s\S]*elapsedMs|elapsedMs[\s\S]*succeeded/, "the input schema preview lists Wait for Job's output fields");
	ctx.shots.push(await screenshot(page, '10-wait-for-job-schema-preview'));
	await page.click('[data-test-id="ndv-close-button"]').catch(() => page.keyboard.press('Escape'));
}

module.exports = {
	STEPS: [
		{ name: 'credential modal: wrong secret fails, right secret passes', run: credentialStep, required: true },
		{ name: 'node search finds both nodes', run: nodeSearchStep, required: true },
		{ name: 'Bulk Create Users panel', run: bulkPanelStep, required: true },
		{ name: 'pickers list the org', run: pickersStep },
		{ name: 'CSV example runs from the editor; counts match the emulator', run: exampleRunStep, required: true },
		{ name: 'Wait for Job panel and output schema', run: waitForJobPanelStep },
	],
	PACKAGE,
};
