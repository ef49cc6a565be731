#!/usr/bin/env node
/**
 * Child process of the benchmark: runs one contender task sent by the parent over IPC and answers with
 * a report, then exits, so each contender's peak RSS is its own. See child.ts.
 */
'use strict';

require('./tsHook');
require('./child.ts').main();
