/** The benchmark runs its TypeScript (and the emulator and harness it drives) through the project's hook. */
'use strict';

require('../test/register-ts');
