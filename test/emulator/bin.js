#!/usr/bin/env node
/**
 * Starts the emulator CLI straight from its TypeScript sources, so no build step is needed:
 * `.ts` files under this folder are transpiled on load with the project's own TypeScript compiler.
 * Usage and flags: see cli.ts or `node test/emulator/bin.js --help`.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	inlineSourceMap: true,
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};

require(path.join(__dirname, 'cli.ts'))
	.main(process.argv.slice(2))
	.catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(2);
	});
