/* eslint-disable @typescript-eslint/no-require-imports -- n8n is required lazily, after the engine (1.x or 2.x) is chosen */
/**
 * Picks which n8n engine (n8n-core + n8n-workflow) the harness and the loaded nodes use.
 *
 * One switch: `N8N_ENGINE=1` selects the last 1.x engine, installed side by side under the npm aliases of
 * engines.json. jest.config.js reads the same file for jest; this module applies it to plain node (demo,
 * benchmarks, child processes of tests), and engineFromEnv.ts applies it for an entry that loads n8n without
 * the harness.
 *
 * Under jest the choice is made by jest.config.js (`N8N_ENGINE=1` maps `n8n-core`/`n8n-workflow` to the
 * `-v1` aliases for every module, including the nodes under test), so this file only reports it.
 *
 * Under plain `node` (demo, benchmarks) `loadEngine(1)` installs a resolver redirect so that every
 * `require('n8n-workflow')` / `require('n8n-core')` in the process, including the built nodes' own requires
 * and n8n-core's internal ones, lands on the single aliased 1.x copy. That mirrors the jest mapping and what
 * the n8n CLI achieves with NODE_PATH: one n8n-workflow instance shared by engine and nodes. NODE_PATH
 * itself cannot do it here, because the 2.x packages installed at the top of node_modules would always be
 * found first.
 */
import Module from 'node:module';
import path from 'node:path';

import engines from './engines.json';

import type * as CoreModule from 'n8n-core';
import type * as WorkflowModule from 'n8n-workflow';

export type EngineVersion = 1 | 2;
export type N8nCore = typeof CoreModule;
export type N8nWorkflow = typeof WorkflowModule;

type ResolveFilename = (
	request: string,
	parent: unknown,
	isMain: boolean,
	options?: unknown,
) => string;

const V1_ALIASES: ReadonlyArray<readonly [string, string]> = Object.entries(engines.v1Aliases);

let selected: EngineVersion | undefined;
let redirectInstalled = false;

function underJest(): boolean {
	return process.env.JEST_WORKER_ID !== undefined;
}

/** The engine N8N_ENGINE asks for: 1, or 2 when unset. */
export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): EngineVersion {
	return env[engines.env] === '1' ? 1 : 2;
}

/** 'n8n-workflow/dist/x' -> 'n8n-workflow-v1/dist/x'; undefined when the request is not an n8n package. */
function aliasFor(request: string): string | undefined {
	for (const [name, alias] of V1_ALIASES) {
		if (request === name) return alias;
		if (request.startsWith(`${name}/`)) return alias + request.slice(name.length);
	}
	return undefined;
}

function packageDir(name: string): string {
	return path.dirname(require.resolve(`${name}/package.json`, { paths: [__dirname] }));
}

/** Refuses to switch when the other engine's copy is already in the module cache: two copies would mix. */
function assertNotLoaded(name: string, wanted: EngineVersion): void {
	const dir = packageDir(name) + path.sep;
	const loaded = Object.keys(require.cache).some((file) => file.startsWith(dir));
	if (loaded) {
		throw new Error(
			`loadEngine(${wanted}): ${name} from ${dir} is already loaded in this process. ` +
				'Call loadEngine before anything requires n8n-core, n8n-workflow or the built nodes.',
		);
	}
}

function installV1Redirect(): void {
	if (redirectInstalled) return;
	assertNotLoaded('n8n-workflow', 1);
	assertNotLoaded('n8n-core', 1);
	const resolved = new Map<string, string>();
	const loader = Module as unknown as { _resolveFilename: ResolveFilename };
	const original = loader._resolveFilename;
	loader._resolveFilename = function (this: unknown, request, parent, isMain, options) {
		const alias = aliasFor(request);
		if (alias === undefined) return original.call(this, request, parent, isMain, options);
		let target = resolved.get(alias);
		if (target === undefined) {
			// Resolved from the harness so nested copies (n8n-core-v1/node_modules/n8n-workflow) are bypassed.
			target = original.call(this, alias, module, false, undefined);
			resolved.set(alias, target);
		}
		return target;
	};
	redirectInstalled = true;
}

function jestEngine(): EngineVersion {
	const version = (require('n8n-core/package.json') as { version: string }).version;
	return version.startsWith('1.') ? 1 : 2;
}

/**
 * Selects the engine. Plain node: call it before anything requires n8n (N8N_ENGINE=1 in the environment
 * does the same on first use). Jest: the engine is fixed by N8N_ENGINE at jest start; asking for the
 * other one throws.
 */
export function loadEngine(version: EngineVersion): EngineVersion {
	if (underJest()) {
		const mapped = jestEngine();
		if (mapped !== version) {
			throw new Error(
				`jest runs n8n engine ${mapped}; start jest with N8N_ENGINE=${version === 1 ? '1' : '2'} instead`,
			);
		}
		selected = mapped;
		return mapped;
	}
	if (selected !== undefined && selected !== version) {
		throw new Error(
			`engine ${selected} is already loaded in this process; cannot switch to ${version}`,
		);
	}
	if (version === 1) installV1Redirect();
	else if (redirectInstalled) throw new Error('engine 1 redirect is installed; cannot switch to 2');
	selected = version;
	return version;
}

function ensureEngine(): EngineVersion {
	if (selected !== undefined) return selected;
	return loadEngine(underJest() ? jestEngine() : engineFromEnv());
}

/** The engine actually loaded, read from the n8n-core package the process resolves. */
export function engineVersion(): EngineVersion {
	ensureEngine();
	const core = (require('n8n-core/package.json') as { version: string }).version;
	const workflow = (require('n8n-workflow/package.json') as { version: string }).version;
	const major = core.startsWith('1.') ? 1 : 2;
	if (workflow.startsWith('1.') !== (major === 1)) {
		throw new Error(`mixed engines: n8n-core ${core} with n8n-workflow ${workflow}`);
	}
	return major;
}

/** Exact versions, for reports (benchmarks print them). */
export function engineVersions(): { core: string; workflow: string } {
	ensureEngine();
	return {
		core: (require('n8n-core/package.json') as { version: string }).version,
		workflow: (require('n8n-workflow/package.json') as { version: string }).version,
	};
}

export function n8nCore(): N8nCore {
	ensureEngine();
	return require('n8n-core') as N8nCore;
}

export function n8nWorkflow(): N8nWorkflow {
	ensureEngine();
	return require('n8n-workflow') as N8nWorkflow;
}

/** Requires a module inside n8n-core that its index does not export ('dist/execution-engine/...'). */
export function requireCoreInternal<T>(subpath: string): T {
	ensureEngine();
	return require(`n8n-core/${subpath}`) as T;
}

/** Requires a dependency of n8n-core as n8n-core itself sees it (its nested @n8n/di, @n8n/backend-common). */
export function requireFromCore<T>(request: string): T {
	ensureEngine();
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	return require(require.resolve(request, { paths: [coreDir] })) as T;
}
