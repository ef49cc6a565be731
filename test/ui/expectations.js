'use strict';
/**
 * What the browser test expects of the Bulk Create Users panel and pickers, in one place, so work on the
 * node changes the expectation next to the behaviour.
 */

const BULK_PANEL = {
	/**
	 * The notice that explains how Map Automatically matches input names (HRIS names such as work_email),
	 * shown above the mapper (description.ts, AUTO_MAP_NOTICES); the test asserts it is visible in Map
	 * Automatically mode. Unset: the test only logs that none is expected.
	 */
	autoMapNotice: /matches input names to user fields ignoring case[^]*HRIS names \(work_email/,
	/** Fields Define Below must list (mapper field ids). */
	definedBelowFields: ['name', 'email', 'divisionId', 'department', 'title', 'state', 'manager', 'externalKey', 'roles', 'skills', 'queues'],
	/** Fields n8n marks required (no remove button, a "required" issue while empty), and no others. */
	requiredFields: ['name', 'email'],
};

const PROFICIENCIES = [0, 1, 2, 3, 4, 5];

/** Each picker, the emulator list it must show, and how one org entry appears in it. */
const PICKER_FIELDS = [
	{ field: 'divisionId', listPath: '/api/v2/authorization/divisions', optionsFor: (name) => [name] },
	{ field: 'roles', listPath: '/api/v2/authorization/roles', optionsFor: (name) => [name] },
	{
		field: 'skills',
		listPath: '/api/v2/routing/skills',
		optionsFor: (name) => PROFICIENCIES.map((level) => `${name} (proficiency ${level})`),
		search: { type: 'Eng', expect: /^English / },
	},
	{ field: 'queues', listPath: '/api/v2/routing/queues', optionsFor: (name) => [name] },
];

module.exports = { BULK_PANEL, PICKER_FIELDS };
