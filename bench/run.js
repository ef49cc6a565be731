#!/usr/bin/env node
/**
 * `npm run bench` entry (the script builds the package first): see main.ts for the flags and
 * bench/README.md for the method.
 */
'use strict';

require('./tsHook');

require('./main.ts')
	.main(process.argv.slice(2))
	.catch((error) => {
		process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
