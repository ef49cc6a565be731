#!/usr/bin/env node
/**
 * `npm run demo` (after `npm run build`): runs example 1 through n8n's execution engine against the
 * embedded Genesys Cloud emulator, or a real org when GENESYS_* variables are set. `--help` for options.
 *
 * The demo and the harness are TypeScript under test/; they are transpiled on load with the project's own
 * TypeScript compiler (as test/emulator/bin.js does), so only the nodes themselves come from dist/.
 */
'use strict';

const path = require('node:path');
require('../register-ts');

const argv = process.argv.slice(2);
// Help and usage errors are answered before the harness, the emulator and n8n are loaded.
const early = require(path.join(__dirname, 'options.ts')).preflight(argv, process.env);
if (early) {
	process.stdout.write(`${early.text}\n`);
	process.exit(early.code);
}

require(path.join(__dirname, 'demo.ts'))
	.main(argv)
	.then((code) => {
		// n8n-core keeps timers and sockets of its own; the demo is done once main returns.
		process.exit(code);
	})
	.catch((error) => {
		process.stderr.write(`demo: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
