// Lint for the code that is never published: tests, the emulator, benchmarks, e2e and build scripts.
// The published code (nodes/, credentials/, package.json) is linted by n8n's strict config in
// eslint.config.mjs, which must stay byte-for-byte n8n's. Its community-node rules (no timers, no process,
// only n8n's modules) are for code that runs inside n8n, so this config uses the general part of it:
// ESLint's and typescript-eslint's recommended rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['nodes/**', 'credentials/**', 'dist/**', 'build/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
	},
	{
		files: ['**/*.js', '**/*.cjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
	},
	{
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'module', globals: globals.node },
	},
);
