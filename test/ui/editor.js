'use strict';
/**
 * Small helpers over puppeteer for n8n's editor: every wait is generous (the machine may be busy) and
 * fails with a message that says what was expected, never a bare timeout.
 */

/** Default wait for anything the editor renders after a request (seconds on an idle machine). */
const WAIT_MS = 60_000;

function pause(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function expectSelector(page, selector, description, timeout = WAIT_MS) {
	try {
		return await page.waitForSelector(selector, { visible: true, timeout });
	} catch {
		throw new Error(`${description}: ${selector} did not appear within ${timeout / 1000} s`);
	}
}

/** The first visible element matching `selector` whose text is exactly `text` (or matches a RegExp). */
async function elementWithText(page, selector, text, description, timeout = WAIT_MS) {
	const pattern = text instanceof RegExp ? { source: text.source, flags: text.flags } : null;
	try {
		const handle = await page.waitForFunction(
			(sel, exact, regex) =>
				[...document.querySelectorAll(sel)].find((element) => {
					if (element.offsetParent === null) return false;
					const content = element.textContent.trim();
					return regex ? new RegExp(regex.source, regex.flags).test(content) : content === exact;
				}),
			{ timeout },
			selector,
			pattern ? null : text,
			pattern,
		);
		return handle.asElement();
	} catch {
		throw new Error(`${description}: no visible ${selector} with text ${String(text)} within ${timeout / 1000} s`);
	}
}

/**
 * Clicks the element with that text. Dropdown items are clicked through the DOM: the list may still be
 * sliding in, and a click at the coordinates measured a moment ago can land on the neighbouring item.
 */
async function clickText(page, selector, text, description, timeout) {
	const element = await elementWithText(page, selector, text, description, timeout);
	if (/dropdown|option/.test(selector)) await element.evaluate((node) => node.click());
	else await element.click();
	return element;
}

/** Waits until the visible text of `selector` matches `pattern`; returns that text. */
async function expectText(page, selector, pattern, description, timeout = WAIT_MS) {
	try {
		const handle = await page.waitForFunction(
			(sel, source, flags) => {
				const element = document.querySelector(sel);
				return element && new RegExp(source, flags).test(element.innerText) ? element.innerText : false;
			},
			{ timeout },
			selector,
			pattern.source,
			pattern.flags,
		);
		return await handle.jsonValue();
	} catch {
		const seen = await page.$eval(selector, (element) => element.innerText).catch(() => '(element missing)');
		throw new Error(`${description}: ${selector} never showed ${pattern} within ${timeout / 1000} s; it shows:\n${seen.slice(0, 800)}`);
	}
}

/** Waits until the input inside `selector` (a select or text field) holds a value matching `pattern`. */
async function expectInputValue(page, selector, pattern, description, timeout = WAIT_MS) {
	try {
		await page.waitForFunction(
			(sel, source, flags) => {
				const element = document.querySelector(sel);
				const input = element?.tagName === 'INPUT' ? element : element?.querySelector('input');
				return input ? new RegExp(source, flags).test(input.value) : false;
			},
			{ timeout },
			selector,
			pattern.source,
			pattern.flags,
		);
	} catch {
		const seen = await page.$eval(selector, (element) => (element.tagName === 'INPUT' ? element : element.querySelector('input'))?.value).catch(() => '(missing)');
		throw new Error(`${description}: ${selector} holds "${seen}", expected ${pattern}`);
	}
}

/** Replaces the content of a text input, the way a user selects all and types. */
async function typeInto(page, selector, value) {
	await page.$eval(selector, (element) => element.scrollIntoView({ block: 'center' }));
	await page.click(selector, { clickCount: 3 });
	await page.keyboard.press('Backspace');
	await page.type(selector, value);
}

/** Texts of the options of the dropdown that is open now. */
async function openDropdownOptions(page) {
	return await page.$$eval('.el-select-dropdown__item', (items) =>
		items.filter((item) => item.offsetParent !== null).map((item) => item.innerText.split('\n')[0].trim()),
	);
}

module.exports = { WAIT_MS, pause, expectSelector, elementWithText, clickText, expectText, expectInputValue, typeInto, openDropdownOptions };
