// N8N_ENGINE=1 runs the same tests against the last n8n 1.x engine (n8n-core 1.122 / n8n-workflow 1.120),
// installed side by side under the npm aliases of test/harness/engines.json (the harness applies the same
// switch outside jest: test/harness/engine.ts). zod is not a dependency of this package: n8n provides it
// (n8n-workflow 2.x declares it as a peer, 1.x ships its own copy), so the 1.x run uses n8n-workflow 1.x's copy.
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
		? Object.fromEntries([
				...Object.entries(engines.v1Aliases).flatMap(([name, alias]) => [
					[`^${name}$`, `<rootDir>/node_modules/${alias}`],
					[`^${name}/(.*)$`, `<rootDir>/node_modules/${alias}/$1`],
				]),
				// Only the bare name: mapping subpaths too breaks zod's own `zod/v4` entry points.
				['^zod$', '<rootDir>/node_modules/n8n-workflow-v1/node_modules/zod'],
			])
		: {},
	// Ceilings, not speed targets: a test that hangs fails, a busy machine (2 shared cores) does not.
	testTimeout: 300_000,
	maxWorkers: 2,
};
