/**
 * Phone cells to E.164 and extension, and the merge of a row's contacts into the user's list.
 */
import { readPhone } from '../../nodes/GenesysCloudBulkCreateUsers/input/phone';
import { mergeAddresses } from '../../nodes/GenesysCloudBulkCreateUsers/engine/policy';

describe('readPhone', () => {
	test.each([
		['+1 (317) 555-0100', undefined, { address: '+13175550100' }],
		['+44 20 7946 0958', undefined, { address: '+442079460958' }],
		['0044 20 7946 0958', undefined, { address: '+442079460958' }],
		['+1 317 555 0100 x12', undefined, { address: '+13175550100', extension: '12' }],
		['+1-317-555-0100 ext. 4021', undefined, { address: '+13175550100', extension: '4021' }],
		['+1 317 555 0100 Extension 7', undefined, { address: '+13175550100', extension: '7' }],
		['+1 317 555 0100 #99', undefined, { address: '+13175550100', extension: '99' }],
		['x4021', undefined, { extension: '4021' }],
		['020 7946 0958', '44', { address: '+442079460958' }],
		['030 901820', '49', { address: '+4930901820' }],
		['(317) 555-0100', '1', { address: '+13175550100' }],
		['1-317-555-0100', '1', { address: '+13175550100' }],
		['+33 1 23 45 67 89', '1', { address: '+33123456789' }],
	])('%s (default country %s)', (text, country, phone) => {
		expect(readPhone(text, country)).toEqual({ ok: true, phone });
	});

	test.each([
		['317-555-0100', undefined, /^has no country code/],
		['call me', '1', /^is not a phone number$/],
		['+1 555', undefined, /^is not a valid international number/],
		['+0 123 456 789', undefined, /^is not a valid international number/],
		['+1 317 555 0100 1234 5678', undefined, /^is not a valid international number/],
		['+1 317 555 0100 ext', undefined, /^is not a phone number$/],
	])('%s (default country %s) is refused', (text, country, problem) => {
		const reading = readPhone(text, country);
		expect(reading.ok).toBe(false);
		if (!reading.ok) expect(reading.problem).toMatch(problem);
	});
});

describe('mergeAddresses', () => {
	const held = [
		{ address: '+15555550101', mediaType: 'PHONE', type: 'WORK', extension: '4021', display: '(555) 555-0101', countryCode: 'US' },
		{ address: '+15555550102', mediaType: 'PHONE', type: 'MOBILE', display: '(555) 555-0102' },
		{ address: 'private@example.org', mediaType: 'EMAIL', type: 'HOME' },
	];

	test('replaces only the slots the row sets, keeps the rest in place, drops read-only fields', () => {
		expect(mergeAddresses(held, [{ address: '+15555550199', mediaType: 'PHONE', type: 'WORK' }])).toEqual([
			// A new number: the extension stays, the old number's country goes.
			{ address: '+15555550199', mediaType: 'PHONE', type: 'WORK', extension: '4021' },
			{ address: '+15555550102', mediaType: 'PHONE', type: 'MOBILE' },
			{ address: 'private@example.org', mediaType: 'EMAIL', type: 'HOME' },
		]);
	});

	test('an extension the row sets replaces the held one; a slot the user lacks is added at the end', () => {
		expect(
			mergeAddresses(held, [
				{ address: '+15555550101', extension: '12', mediaType: 'PHONE', type: 'WORK' },
				{ address: '+15555550300', mediaType: 'PHONE', type: 'HOME' },
			]),
		).toEqual([
			{ address: '+15555550101', mediaType: 'PHONE', type: 'WORK', extension: '12', countryCode: 'US' },
			{ address: '+15555550102', mediaType: 'PHONE', type: 'MOBILE' },
			{ address: 'private@example.org', mediaType: 'EMAIL', type: 'HOME' },
			{ address: '+15555550300', mediaType: 'PHONE', type: 'HOME' },
		]);
	});

	test('a second entry of a replaced slot is folded into the one the row sets', () => {
		const twoWork = [
			{ address: '+15555550101', mediaType: 'PHONE', type: 'WORK' },
			{ address: '+15555550111', mediaType: 'PHONE', type: 'WORK' },
		];
		expect(mergeAddresses(twoWork, [{ address: '+15555550199', mediaType: 'PHONE', type: 'WORK' }])).toEqual([
			{ address: '+15555550199', mediaType: 'PHONE', type: 'WORK' },
		]);
	});
});
