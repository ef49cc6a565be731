/**
 * Lets plain `node` load this project's TypeScript (emulator, harness, demo, benchmarks) without a build step:
 * `.ts` files are transpiled on load with the project's own TypeScript compiler. Type checking stays with
 * `tsc -p tsconfig.json`. Only the nodes themselves are loaded from the built dist/.
 */
'use strict';

const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	inlineSourceMap: true,
};

if (!require.extensions['.ts']) {
	require.extensions['.ts'] = function compileTypeScript(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
		module._compile(outputText, filename);
	};
}
