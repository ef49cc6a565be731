// N8N_ENGINE=1 runs the same tests against the last n8n 1.x engine (n8n-core 1.122 / n8n-workflow 1.120),
// installed side by side under npm aliases. zod is not a dependency of this package: n8n provides it (n8n-workflow
// 2.x declares it as a peer, 1.x ships its own copy), so the 1.x run uses the copy that comes with n8n-workflow 1.x.
const v1 = process.env.N8N_ENGINE === '1';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
	},
	moduleNameMapper: v1
		? {
				'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-v1',
				'^n8n-workflow/(.*)$': '<rootDir>/node_modules/n8n-workflow-v1/$1',
				'^n8n-core$': '<rootDir>/node_modules/n8n-core-v1',
				'^n8n-core/(.*)$': '<rootDir>/node_modules/n8n-core-v1/$1',
				'^zod$': '<rootDir>/node_modules/n8n-workflow-v1/node_modules/zod',
			}
		: {},
	testTimeout: 120000,
	maxWorkers: 2,
};
