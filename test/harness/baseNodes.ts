/**
 * Real n8n-nodes-base node types, loaded one at a time when a workflow uses them.
 *
 * n8n-nodes-base (a devDependency) ships `dist/known/nodes.json`: node name -> class name and source file. A
 * node is loaded from that entry by n8n-core's own PackageDirectoryLoader (`getNode`, the path n8n's lazy
 * loader takes), so it gets what n8n adds at load time (codex, special parameters, description checks).
 * Nothing else of the package is read: not its 8 MB `dist/types`, not the other 440 nodes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

import { harnessEnvironment } from './environment';

export const BASE_PACKAGE = 'n8n-nodes-base';

export type AnyNodeType = INodeType | IVersionedNodeType;

interface KnownNode {
	className: string;
	sourcePath: string;
}

/** The part of n8n-core's PackageDirectoryLoader used here (same in 1.x and 2.x). */
interface NodeLoader {
	known: { nodes: Record<string, KnownNode> };
	getNode(name: string): { type: AnyNodeType };
}

export type BaseNodeOutcome = { loaded: true; type: AnyNodeType } | { loaded: false; reason: string };

interface BasePackage {
	dir: string;
	known: Record<string, KnownNode>;
	loader?: NodeLoader;
}

let basePackage: BasePackage | string | undefined;
const outcomes = new Map<string, BaseNodeOutcome>();

function findBasePackage(): BasePackage | string {
	let dir: string;
	try {
		dir = path.dirname(require.resolve(`${BASE_PACKAGE}/package.json`, { paths: [__dirname] }));
	} catch {
		return `${BASE_PACKAGE} is not installed`;
	}
	const knownFile = path.join(dir, 'dist', 'known', 'nodes.json');
	if (!existsSync(knownFile)) return `${BASE_PACKAGE} has no dist/known/nodes.json`;
	return { dir, known: JSON.parse(readFileSync(knownFile, 'utf8')) as Record<string, KnownNode> };
}

function basePackageOrReason(): BasePackage | string {
	basePackage ??= findBasePackage();
	return basePackage;
}

function loaderFor(pkg: BasePackage): NodeLoader {
	if (pkg.loader === undefined) {
		const { core } = harnessEnvironment();
		const loader = new core.PackageDirectoryLoader(pkg.dir) as unknown as NodeLoader;
		// Known entries are added one by one in load(), so getNode can only reach nodes a workflow asked for.
		loader.known.nodes = {};
		pkg.loader = loader;
	}
	return pkg.loader;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * n8n-core's loader reports any TypeError while loading as "Class could not be found"; the plain require
 * shows what actually broke (typically an n8n-workflow export the selected engine does not have).
 */
function underlyingError(pkg: BasePackage, entry: KnownNode): string | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
		const exported = require(path.join(pkg.dir, entry.sourcePath)) as Record<string, unknown>;
		const NodeClass = exported[entry.className] as (new () => unknown) | undefined;
		if (NodeClass === undefined) return `${entry.className} is not exported`;
		new NodeClass();
		return undefined;
	} catch (error) {
		return messageOf(error);
	}
}

function descriptionsOf(type: AnyNodeType): INodeTypeDescription[] {
	if ('nodeVersions' in type) return Object.values(type.nodeVersions).map((version) => version.description);
	return [type.description];
}

/**
 * Resolves every version's parameter defaults the way `new Workflow()` does for each node. A description
 * the engine's parameter resolver cannot handle would fail every run, so it is found here, once.
 */
function engineRejects(type: AnyNodeType): string | undefined {
	const { NodeHelpers } = harnessEnvironment().workflow;
	for (const description of descriptionsOf(type)) {
		try {
			NodeHelpers.getNodeParameters(description.properties, {}, true, false, null, null);
		} catch (error) {
			return `the engine cannot resolve its parameters (version ${String(description.version)}): ${messageOf(error)}`;
		}
	}
	return undefined;
}

function load(shortName: string): BaseNodeOutcome {
	const pkg = basePackageOrReason();
	if (typeof pkg === 'string') return { loaded: false, reason: pkg };
	const entry = pkg.known[shortName];
	if (entry === undefined) return { loaded: false, reason: `${BASE_PACKAGE} has no node "${shortName}"` };
	let type: AnyNodeType;
	try {
		const loader = loaderFor(pkg);
		loader.known.nodes[shortName] = entry;
		type = loader.getNode(shortName).type;
	} catch (error) {
		const cause = underlyingError(pkg, entry);
		const detail = cause === undefined || cause === messageOf(error) ? '' : ` (${cause})`;
		return { loaded: false, reason: `${entry.sourcePath}: ${messageOf(error)}${detail}` };
	}
	const rejected = engineRejects(type);
	if (rejected !== undefined) return { loaded: false, reason: `${entry.sourcePath}: ${rejected}` };
	return { loaded: true, type };
}

/** 'n8n-nodes-base.set' -> 'set'; undefined for types of other packages. */
export function baseNodeName(type: string): string | undefined {
	const prefix = `${BASE_PACKAGE}.`;
	return type.startsWith(prefix) ? type.slice(prefix.length) : undefined;
}

/**
 * The real node type for 'n8n-nodes-base.<name>', loaded on first use and cached for the process (n8n also
 * shares one instance per type between executions). A failure is cached too, with its reason.
 */
export function loadBaseNode(type: string): BaseNodeOutcome {
	const shortName = baseNodeName(type);
	if (shortName === undefined) return { loaded: false, reason: `${type} is not an ${BASE_PACKAGE} type` };
	let outcome = outcomes.get(shortName);
	if (outcome === undefined) {
		outcome = load(shortName);
		outcomes.set(shortName, outcome);
	}
	return outcome;
}

/** What was asked for so far in this process: loaded types, and the reason for each one that was not. */
export function baseNodeReport(): { loaded: string[]; failed: Record<string, string> } {
	const loaded: string[] = [];
	const failed: Record<string, string> = {};
	for (const [name, outcome] of outcomes) {
		if (outcome.loaded) loaded.push(`${BASE_PACKAGE}.${name}`);
		else failed[`${BASE_PACKAGE}.${name}`] = outcome.reason;
	}
	return { loaded: loaded.sort(), failed };
}
