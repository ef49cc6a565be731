/**
 * Phone numbers as Genesys stores them: E.164 (`+` country code and number, 15 digits at most) in `address`,
 * an extension apart in `extension` (Contact model, docs/GENESYS.md "Users"). Spreadsheets write numbers
 * every way; what cannot be read with certainty is refused, before anything is sent, rather than guessed.
 * Pure.
 */

export interface PhoneParts {
	/** E.164. Absent when the value is only an extension (`x4021`). */
	address?: string;
	extension?: string;
}

export type PhoneReading = { ok: true; phone: PhoneParts } | { ok: false; problem: string };

// A trailing extension: `x12`, `ext 12`, `ext. 12`, `extension 12`, `#12`.
const EXTENSION = /^(.*?)[\s,;]*(?:x|ext\.?|extension|#)\s*(\d{1,10})\s*$/i;
// Digits and the usual separators, with an optional leading `+`.
const NUMBER = /^\+?[0-9\s().\-/]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** ITU country calling codes: 1 to 3 digits, never starting with 0. */
export const COUNTRY_CODE = /^\+?([1-9]\d{0,2})$/;

/**
 * Reads one phone cell. A number written with `+` (or the international prefix `00`) is taken as it is; a
 * national number needs `defaultCountryCode` (digits only), and then loses its trunk prefix `0` (UK, DE, FR
 * ...) or, for country code 1, a leading `1`.
 */
export function readPhone(text: string, defaultCountryCode?: string): PhoneReading {
	const split = EXTENSION.exec(text);
	const main = (split ? split[1] : text).trim();
	const extension = split?.[2];
	if (main === '' && extension !== undefined) return { ok: true, phone: { extension } };
	if (!NUMBER.test(main)) return { ok: false, problem: 'is not a phone number' };
	const digits = main.replace(/\D/g, '');
	const international = international164(main, digits, defaultCountryCode);
	if (international === undefined) {
		return {
			ok: false,
			problem:
				'has no country code: write it with + and the country code (e.g. +44 20 7946 0958), or set the Default Country Calling Code option',
		};
	}
	if (!E164.test(international)) {
		return { ok: false, problem: 'is not a valid international number (+ and country code, 7 to 15 digits in all)' };
	}
	return { ok: true, phone: extension === undefined ? { address: international } : { address: international, extension } };
}

function international164(main: string, digits: string, defaultCountryCode: string | undefined): string | undefined {
	if (main.startsWith('+')) return `+${digits}`;
	if (digits.startsWith('00')) return `+${digits.slice(2)}`;
	if (defaultCountryCode === undefined) return undefined;
	let national = digits;
	if (national.startsWith('0')) national = national.slice(1);
	else if (defaultCountryCode === '1' && national.length === 11 && national.startsWith('1')) national = national.slice(1);
	return `+${defaultCountryCode}${national}`;
}
