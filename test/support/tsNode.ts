/**
 * How a child process runs this project's TypeScript: plain `node` with tsx's require hook (the same
 * transpile-on-load `npm run demo`, `npm run bench` and `npm run emulator` use through the tsx command).
 * Type checking stays with `npm run typecheck`.
 */
export const TS_NODE_ARGS: readonly string[] = ['--require', require.resolve('tsx/cjs')];
