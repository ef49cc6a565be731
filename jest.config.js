// N8N_ENGINE=1 runs the same tests against the last n8n 1.x engine (n8n-core 1.122 / n8n-workflow 1.120),
// installed side by side under the npm aliases of test/harness/engines.json (the harness applies the same
// switch outside jest: test/harness/engine.ts).
const engines = require('./test/harness/engines.json');

const v1 = process.env[engines.env] === '1';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
	},
	moduleNameMapper: v1
		? Object.fromEntries(
				Object.entries(engines.v1Aliases).flatMap(([name, alias]) => [
					[`^${name}$`, `<rootDir>/node_modules/${alias}`],
					[`^${name}/(.*)$`, `<rootDir>/node_modules/${alias}/$1`],
				]),
			)
		: {},
	// Ceilings, not speed targets: a test that hangs fails, a busy machine (2 shared cores) does not.
	testTimeout: 300_000,
	maxWorkers: 2,
};
