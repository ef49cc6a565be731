/**
 * `npm run demo` (after `npm run build`; `tsx test/demo/run.ts` uses the existing dist/): runs example 1
 * through n8n's execution engine against the embedded Genesys Cloud emulator, or a real org when GENESYS_*
 * variables are set. `--help` for options. Only the nodes themselves come from dist/.
 */
import { preflight } from './options';

const argv = process.argv.slice(2);
// Help and usage errors are answered before the harness, the emulator and n8n are loaded.
const early = preflight(argv, process.env);
if (early) {
	process.stdout.write(`${early.text}\n`);
	process.exit(early.code);
}

// Loaded only now, so the answers above need none of n8n.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./demo') as typeof import('./demo'))
	.main(argv)
	.then((code) => {
		// n8n-core keeps timers and sockets of its own; the demo is done once main returns.
		process.exit(code);
	})
	.catch((error: unknown) => {
		process.stderr.write(`demo: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
