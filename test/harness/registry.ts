/**
 * Node and credential types for a run: community packages loaded from disk with n8n-core's
 * PackageDirectoryLoader (the loader n8n uses for installed packages), the real n8n-nodes-base nodes a
 * workflow uses (baseNodes.ts), and the harness stand-ins for base nodes that cannot be loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';

import { baseNodeName, loadBaseNode, type AnyNodeType } from './baseNodes';
import { harnessEnvironment } from './environment';
import { standInNodeTypes } from './standins';

/** Where a node type came from: a loaded package, the real n8n-nodes-base, or a harness stand-in. */
export type NodeTypeSource = 'package' | 'n8n-nodes-base' | 'stand-in';

export interface TypeRegistry {
	nodeTypes: HarnessNodeTypes;
	credentialTypes: Map<string, ICredentialType>;
	/** Full node type names ('pkg.shortName') that list a credential type, by credential type. */
	supportedNodes: Map<string, string[]>;
	packageNames: string[];
}

interface LoadedPackage {
	name: string;
	nodes: Record<string, AnyNodeType>;
	credentials: Record<string, ICredentialType>;
}

const cache = new Map<string, Promise<LoadedPackage>>();

/** The repository root: the nearest package.json above this folder that declares an `n8n` section. */
export function projectPackageDir(start: string = __dirname): string {
	let dir = start;
	for (;;) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file)) {
			const json = JSON.parse(readFileSync(file, 'utf8')) as { n8n?: unknown };
			if (json.n8n !== undefined) return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`no package.json with an "n8n" section above ${start}`);
		dir = parent;
	}
}

/** Files listed in package.json `n8n` that do not exist: almost always "npm run build" not run yet. */
function missingFiles(dir: string): string[] {
	const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const listed = [...(json.n8n?.nodes ?? []), ...(json.n8n?.credentials ?? [])];
	return listed.filter((file) => !existsSync(path.resolve(dir, file)));
}

async function loadPackage(dir: string): Promise<LoadedPackage> {
	const missing = missingFiles(dir);
	if (missing.length > 0) {
		throw new Error(
			`package ${dir} lists files that do not exist (${missing.join(', ')}); run "npm run build" first`,
		);
	}
	const { core } = harnessEnvironment();
	const loader = new core.PackageDirectoryLoader(dir);
	await loader.loadAll();
	const nodes: Record<string, AnyNodeType> = {};
	for (const [shortName, loaded] of Object.entries(loader.nodeTypes)) {
		nodes[`${loader.packageName}.${shortName}`] = loaded.type;
	}
	const credentials: Record<string, ICredentialType> = {};
	for (const [name, loaded] of Object.entries(loader.credentialTypes))
		credentials[name] = loaded.type;
	return { name: loader.packageName, nodes, credentials };
}

function loadPackageCached(dir: string): Promise<LoadedPackage> {
	const key = path.resolve(dir);
	let pending = cache.get(key);
	if (!pending) {
		pending = loadPackage(key);
		cache.set(key, pending);
		pending.catch(() => cache.delete(key));
	}
	return pending;
}

let standIns: Record<string, INodeType> | undefined;

function standInFor(nodeType: string): INodeType | undefined {
	standIns ??= standInNodeTypes();
	return standIns[nodeType];
}

function passInputThrough(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return Promise.resolve([this.getInputData()]);
}

/**
 * A trigger that hands its input on instead of running its trigger function: what n8n's engine does with
 * every trigger outside manual mode (WorkflowExecute.executeTriggerNode returns the input). The real
 * description, version and methods stay; only `trigger` is replaced by a pass-through `execute`.
 */
function feedingInput(type: INodeType): INodeType {
	const fed = Object.create(type) as INodeType;
	fed.trigger = undefined;
	fed.execute = passInputThrough;
	return fed;
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly sources = new Map<string, NodeTypeSource>();
	private readonly fedTypes = new Set<string>();

	constructor(private readonly types: Map<string, AnyNodeType>) {
		for (const name of types.keys()) this.sources.set(name, 'package');
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType) ?? this.resolve(nodeType);
		if (type === undefined) {
			const known = [...this.types.keys()].join(', ');
			const base = baseNodeName(nodeType) === undefined ? undefined : loadBaseNode(nodeType);
			const why = base && !base.loaded ? `; ${base.reason}` : '';
			throw new Error(`Unrecognized node type: ${nodeType} (the harness knows: ${known}${why})`);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = harnessEnvironment().workflow.NodeHelpers.getVersionedNodeType(
			this.getByName(nodeType),
			version,
		);
		return this.fedTypes.has(nodeType) && type.trigger !== undefined ? feedingInput(type) : type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	/** Where the type came from; undefined when it has not been asked for (or cannot be loaded). */
	sourceOf(nodeType: string): NodeTypeSource | undefined {
		return this.sources.get(nodeType);
	}

	/** From now on this trigger type passes its input on (the harness's start items) for this registry. */
	feedInputTo(nodeType: string): void {
		this.fedTypes.add(nodeType);
	}

	/** Real n8n-nodes-base first; the stand-in only when the real node cannot be loaded. */
	private resolve(nodeType: string): AnyNodeType | undefined {
		let type: AnyNodeType | undefined;
		let source: NodeTypeSource = 'n8n-nodes-base';
		if (baseNodeName(nodeType) !== undefined) {
			const base = loadBaseNode(nodeType);
			if (base.loaded) type = base.type;
		}
		if (type === undefined) {
			type = standInFor(nodeType);
			source = 'stand-in';
		}
		if (type === undefined) return undefined;
		this.types.set(nodeType, type);
		this.sources.set(nodeType, source);
		return type;
	}
}

function credentialNamesOf(type: AnyNodeType): string[] {
	const versions: INodeType[] =
		'nodeVersions' in type ? Object.values(type.nodeVersions) : [type as INodeType];
	const names = versions.flatMap((version) =>
		(version.description.credentials ?? []).map((c) => c.name),
	);
	return [...new Set(names)];
}

export async function buildRegistry(packageDirs: string[]): Promise<TypeRegistry> {
	const packages = await Promise.all(packageDirs.map(loadPackageCached));
	const nodes = new Map<string, AnyNodeType>();
	const credentialTypes = new Map<string, ICredentialType>();
	for (const pkg of packages) {
		for (const [name, type] of Object.entries(pkg.nodes)) nodes.set(name, type);
		for (const [name, type] of Object.entries(pkg.credentials)) credentialTypes.set(name, type);
	}
	const supportedNodes = new Map<string, string[]>();
	for (const [nodeName, type] of nodes) {
		for (const credential of credentialNamesOf(type)) {
			supportedNodes.set(credential, [...(supportedNodes.get(credential) ?? []), nodeName]);
		}
	}
	return {
		nodeTypes: new HarnessNodeTypes(nodes),
		credentialTypes,
		supportedNodes,
		packageNames: packages.map((pkg) => pkg.name),
	};
}

export function getCredentialType(registry: TypeRegistry, name: string): ICredentialType {
	const type = registry.credentialTypes.get(name);
	if (type === undefined) {
		const known = [...registry.credentialTypes.keys()].join(', ') || 'none';
		throw new Error(`Unknown credential type: ${name} (the harness knows: ${known})`);
	}
	return type;
}

/** The `extends` chain, nearest parent first, like n8n's CredentialTypes.getParentTypes. */
export function parentTypesOf(registry: TypeRegistry, name: string): string[] {
	const parents = getCredentialType(registry, name).extends ?? [];
	return parents.flatMap((parent) =>
		registry.credentialTypes.has(parent) ? [parent, ...parentTypesOf(registry, parent)] : [parent],
	);
}

/** Properties merged along the `extends` chain; the child's own properties win. */
export function credentialPropertiesOf(registry: TypeRegistry, name: string): INodeProperties[] {
	const type = getCredentialType(registry, name);
	if (type.extends === undefined) return type.properties;
	const { NodeHelpers } = harnessEnvironment().workflow;
	const merged: INodeProperties[] = [];
	for (const parent of type.extends) {
		NodeHelpers.mergeNodeProperties(merged, credentialPropertiesOf(registry, parent));
	}
	NodeHelpers.mergeNodeProperties(merged, type.properties);
	return merged;
}
