#!/usr/bin/env node
/**
 * Starts the emulator CLI straight from its TypeScript sources, so no build step is needed:
 * `.ts` files under this folder are transpiled on load with the project's own TypeScript compiler.
 * Usage and flags: see cli.ts or `node test/emulator/bin.js --help`.
 */
'use strict';

const path = require('node:path');
require('../register-ts');

require(path.join(__dirname, 'cli.ts'))
	.main(process.argv.slice(2))
	.catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(2);
	});
