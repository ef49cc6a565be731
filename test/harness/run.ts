/**
 * Runs a workflow in-process through n8n-core's WorkflowExecute, the engine n8n itself runs.
 */
import type {
	IBinaryData,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IRun,
	ITaskData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import {
	CredentialStore,
	HarnessCredentialsHelper,
	type CredentialInput,
	type CredentialUpdate,
} from './credentials';
import { engineVersion } from './engine';
import { harnessEnvironment } from './environment';
import { allowFileAccess } from './fileAccess';
import { toPlain, withLogSink, type LogEntry } from './logs';
import {
	buildRegistry,
	projectPackageDir,
	type NodeTypeSource,
	type TypeRegistry,
} from './registry';
import { MANUAL_TRIGGER_TYPE } from './standins';
import type { WorkflowJson, WorkflowNodeJson } from './workflow';

export interface StartItem {
	json: Record<string, unknown>;
	binary?: Record<string, { data: string /* base64 */; mimeType: string; fileName?: string }>;
}

export interface RunOptions {
	/** { nodes, connections, pinData? } as n8n exports it; node types like 'n8n-nodes-genesys-cloud.<name>'. */
	workflow: WorkflowJson;
	/** By credential type name. Nodes declaring that type get it attached when their JSON has none. */
	credentials?: Record<string, CredentialInput>;
	/**
	 * Emitted by the start node (the manual trigger), so the node after it receives them. Default: the
	 * trigger runs as in the editor and emits one empty item.
	 */
	startItems?: StartItem[];
	/**
	 * Absolute folders file nodes may read and write (n8n's N8N_RESTRICT_FILE_ACCESS_TO). They are added to
	 * the process's list, which 2.x otherwise limits to ~/.n8n-files.
	 */
	fileAccess?: string[];
	/** Aborting cancels the execution the way n8n's Stop button does. */
	signal?: AbortSignal;
	/** Cancels the execution after this long (as n8n's execution timeout); the result says timedOut. */
	timeoutMs?: number;
	/** After a cancel, how long the node may take to stop before runWorkflow rejects. Default 10 s. */
	cancelGraceMs?: number;
	/** Package folders to load (package.json with an `n8n` section). Default: this repository (built dist/). */
	packages?: string[];
	/** Name of the start node when the workflow has no manual trigger. */
	startNode?: string;
	/** Called when the engine is about to run a node (n8n's nodeExecuteBefore hook). */
	onNodeStart?: (nodeName: string) => void;
	/** Called when a node run ended, with its execution status ('success', 'error', 'canceled'...). */
	onNodeEnd?: (nodeName: string, status: string | undefined) => void;
	/**
	 * false (default): pinData in the JSON is ignored, as n8n's own node tests treat it as expected output.
	 * true: pinned nodes return their pinned data instead of running, as in a manual run in the editor.
	 */
	usePinData?: boolean;
}

export interface OutputItem {
	json: Record<string, unknown>;
	binary?: Record<string, IBinaryData>;
	pairedItem?: unknown;
}

export interface RunResult {
	/** 'success' | 'error' | 'canceled' ... ('canceled' when signal or timeout stopped it before it succeeded). */
	status: string;
	/** The execution error (resultData.error), if any. */
	error?: unknown;
	/** Its message, for convenience. */
	errorMessage?: string;
	/** The raw IRun. */
	run: IRun;
	output(nodeName: string, outputIndex?: number, runIndex?: number): OutputItem[];
	/**
	 * Everything a workflow user or a log reader can see, as one string: logs, every node's output items and
	 * errors, the execution error. Tests search it for secrets and tokens.
	 */
	visibleText(): string;
	/** Names of the nodes that ran, in run-data order. */
	ranNodes: string[];
	/** For each node type of the workflow: a loaded package, the real n8n-nodes-base, or a stand-in. */
	nodeTypes: Record<string, NodeTypeSource>;
	/** What nodes logged via this.logger ('node') and the engine via LoggerProxy ('engine'). */
	logs: LogEntry[];
	/** Credential data after the run, by type (values persisted by preAuthentication included). */
	credentialsStore: Record<string, Record<string, unknown>>;
	/** Each persisted credential change, field names only. */
	credentialUpdates: CredentialUpdate[];
	timedOut: boolean;
	engine: 1 | 2;
}

const DEFAULT_CANCEL_GRACE_MS = 10_000;
let executionCounter = 0;

function latestVersion(registry: TypeRegistry, type: string): number {
	const nodeType = registry.nodeTypes.getByName(type);
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** n8n JSON -> INode, filling what exports may omit and attaching credentials supplied by type. */
function toNode(
	json: WorkflowNodeJson,
	index: number,
	registry: TypeRegistry,
	store: CredentialStore,
): INode {
	const typeVersion = json.typeVersion ?? latestVersion(registry, json.type);
	const node = {
		...structuredClone(json),
		id: json.id ?? `harness-node-${index}`,
		typeVersion,
		position: json.position ?? [index * 200, 0],
		parameters: structuredClone(json.parameters ?? {}),
	} as unknown as INode;
	const declared =
		registry.nodeTypes.getByNameAndVersion(json.type, typeVersion).description.credentials ?? [];
	for (const { name } of declared) {
		const reference = store.reference(name);
		if (reference === undefined || node.credentials?.[name] !== undefined) continue;
		node.credentials = { ...node.credentials, [name]: reference };
	}
	return node;
}

function findStartNode(nodes: INode[], requested: string | undefined): INode {
	if (requested !== undefined) {
		const node = nodes.find((candidate) => candidate.name === requested);
		if (!node) throw new Error(`startNode "${requested}" is not in the workflow`);
		return node;
	}
	const trigger = nodes.find((node) => node.type === MANUAL_TRIGGER_TYPE && node.disabled !== true);
	if (!trigger) {
		throw new Error(`the workflow needs a ${MANUAL_TRIGGER_TYPE} node (or pass startNode)`);
	}
	return trigger;
}

function toExecutionItems(items: StartItem[] | undefined): INodeExecutionData[] {
	if (items === undefined) return [{ json: {} }];
	return items.map((item) => {
		const converted: INodeExecutionData = { json: structuredClone(item.json) as IDataObject };
		if (item.binary) {
			converted.binary = {};
			for (const [key, value] of Object.entries(item.binary)) {
				const binary: IBinaryData = { data: value.data, mimeType: value.mimeType };
				if (value.fileName !== undefined) {
					binary.fileName = value.fileName;
					const dot = value.fileName.lastIndexOf('.');
					if (dot > 0) binary.fileExtension = value.fileName.slice(dot + 1);
				}
				binary.fileSize = `${Buffer.from(value.data, 'base64').length} B`;
				converted.binary[key] = binary;
			}
		}
		return converted;
	});
}

const URL_BASE = 'http://localhost:5678';

export function buildAdditionalData(
	helper: HarnessCredentialsHelper,
	hooks: unknown,
	executionId: string,
	workflowId: string,
	timeoutAt: number | undefined,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test harness`);
	};
	const data = {
		credentialsHelper: helper,
		hooks,
		executionId,
		workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: timeoutAt,
		variables: {},
		restApiUrl: `${URL_BASE}/rest`,
		instanceBaseUrl: `${URL_BASE}/`,
		formBaseUrl: `${URL_BASE}/form`,
		formWaitingBaseUrl: `${URL_BASE}/form-waiting`,
		formTestBaseUrl: `${URL_BASE}/form-test`,
		webhookBaseUrl: `${URL_BASE}/webhook`,
		webhookWaitingBaseUrl: `${URL_BASE}/webhook-waiting`,
		webhookTestBaseUrl: `${URL_BASE}/webhook-test`,
		mcpBaseUrl: `${URL_BASE}/mcp`,
		mcpTestBaseUrl: `${URL_BASE}/mcp-test`,
		executeWorkflow: unsupported('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('The Code node task runner'),
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	};
	return data as unknown as IWorkflowExecuteAdditionalData;
}

/** The node kept running after cancel; `finished` settles when it eventually stops (await it to clean up). */
export class ExecutionDidNotStopError extends Error {
	constructor(
		graceMs: number,
		readonly finished: Promise<unknown>,
	) {
		super(`the execution did not stop within ${graceMs} ms after it was canceled`);
		this.name = 'ExecutionDidNotStopError';
	}
}

type LifecycleHooks = InstanceType<
	ReturnType<typeof harnessEnvironment>['core']['ExecutionLifecycleHooks']
>;

function observeNodes(hooks: LifecycleHooks, options: RunOptions): void {
	const { onNodeStart, onNodeEnd } = options;
	if (onNodeStart)
		hooks.addHandler('nodeExecuteBefore', (nodeName: string) => onNodeStart(nodeName));
	if (onNodeEnd) {
		hooks.addHandler('nodeExecuteAfter', (nodeName: string, task: ITaskData) =>
			onNodeEnd(nodeName, task.executionStatus),
		);
	}
}

interface Cancellable extends Promise<IRun> {
	cancel(reason?: string): void;
}

interface Settled {
	run: IRun;
	canceled: boolean;
	timedOut: boolean;
}

/** Awaits the engine; signal and timeout call its cancel(); a node that ignores cancel fails the run. */
function settle(execution: Cancellable, options: RunOptions): Promise<Settled> {
	const graceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
	return new Promise<Settled>((resolve, reject) => {
		let canceled = false;
		let timedOut = false;
		let timeoutTimer: NodeJS.Timeout | undefined;
		let graceTimer: NodeJS.Timeout | undefined;
		const cleanup = (): void => {
			clearTimeout(timeoutTimer);
			clearTimeout(graceTimer);
			options.signal?.removeEventListener('abort', onAbort);
		};
		const cancel = (): void => {
			if (canceled) return;
			canceled = true;
			execution.cancel();
			graceTimer = setTimeout(() => {
				cleanup();
				reject(
					new ExecutionDidNotStopError(
						graceMs,
						execution.then(
							() => undefined,
							() => undefined,
						),
					),
				);
			}, graceMs);
		};
		function onAbort(): void {
			cancel();
		}
		if (options.timeoutMs !== undefined) {
			timeoutTimer = setTimeout(() => {
				timedOut = true;
				cancel();
			}, options.timeoutMs);
		}
		options.signal?.addEventListener('abort', onAbort, { once: true });
		if (options.signal?.aborted) cancel();
		execution.then(
			(run) => {
				cleanup();
				resolve({ run, canceled, timedOut });
			},
			(error: unknown) => {
				cleanup();
				reject(error);
			},
		);
	});
}

function outputAccessor(run: IRun): RunResult['output'] {
	return (nodeName, outputIndex = 0, runIndex = 0) => {
		const runs = run.data.resultData.runData[nodeName];
		if (runs === undefined) {
			const ran = Object.keys(run.data.resultData.runData).join(', ') || 'none';
			throw new Error(`node "${nodeName}" did not run (nodes that ran: ${ran})`);
		}
		const task = runs[runIndex];
		if (task === undefined)
			throw new Error(`node "${nodeName}" has no run ${runIndex} (runs: ${runs.length})`);
		return (task.data?.main?.[outputIndex] ?? []) as OutputItem[];
	};
}

function visibleTextOf(run: IRun, logs: LogEntry[]): string {
	const nodes = Object.entries(run.data.resultData.runData).map(([name, tasks]) => ({
		name,
		runs: tasks.map((task) => ({ data: task.data, error: task.error })),
	}));
	return JSON.stringify(toPlain({ logs, nodes, error: run.data.resultData.error }));
}

function messageOf(error: unknown): string | undefined {
	if (error && typeof error === 'object' && 'message' in error) return String(error.message);
	return undefined;
}

function createWorkflow(
	json: WorkflowJson,
	nodes: INode[],
	registry: TypeRegistry,
	pinData?: IPinData,
): Workflow {
	const { Workflow } = harnessEnvironment().workflow;
	return new Workflow({
		id: json.id ?? 'harness-workflow',
		name: json.name ?? 'Harness workflow',
		nodes,
		connections: structuredClone(json.connections) as Workflow['connectionsBySourceNode'],
		active: false,
		nodeTypes: registry.nodeTypes,
		settings: { executionOrder: 'v1', ...(json.settings ?? {}) },
		pinData,
	});
}

function workflowBase(workflow: Workflow, nodes: INode[]): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		settings: workflow.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
}

interface Prepared {
	execute(): Cancellable;
	nodeTypes: Record<string, NodeTypeSource>;
}

function typeSources(registry: TypeRegistry, nodes: INode[]): Record<string, NodeTypeSource> {
	const sources: Record<string, NodeTypeSource> = {};
	for (const { type } of nodes) {
		const source = registry.nodeTypes.sourceOf(type);
		if (source !== undefined) sources[type] = source;
	}
	return sources;
}

/** Builds what WorkflowExecute needs: workflow, hooks, additionalData, the start node on the stack. */
async function prepare(options: RunOptions, store: CredentialStore): Promise<Prepared> {
	const env = harnessEnvironment();
	const registry = await buildRegistry(options.packages ?? [projectPackageDir()]);
	const helper = new HarnessCredentialsHelper(registry, store);
	const nodes = options.workflow.nodes.map((node, index) => toNode(node, index, registry, store));
	const pinData = options.usePinData
		? (structuredClone(options.workflow.pinData) as IPinData)
		: undefined;
	const workflow = createWorkflow(options.workflow, nodes, registry, pinData);
	const startNode = findStartNode(Object.values(workflow.nodes), options.startNode);
	// Given start items reach the next node the way n8n feeds a trigger outside manual mode.
	if (options.startItems !== undefined) registry.nodeTypes.feedInputTo(startNode.type);
	if (options.fileAccess !== undefined) allowFileAccess(options.fileAccess);
	const executionId = `harness-${process.pid}-${++executionCounter}`;
	const hooks = new env.core.ExecutionLifecycleHooks(
		'manual',
		executionId,
		workflowBase(workflow, nodes),
	);
	observeNodes(hooks, options);
	const timeoutAt = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
	const additionalData = buildAdditionalData(helper, hooks, executionId, workflow.id, timeoutAt);
	const runExecutionData = env.workflow.createRunExecutionData({
		resultData: { runData: {}, pinData },
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [toExecutionItems(options.startItems)] }, source: null },
			],
		},
	});
	const executor = new env.core.WorkflowExecute(additionalData, 'manual', runExecutionData);
	return {
		execute: () => executor.processRunExecutionData(workflow) as unknown as Cancellable,
		nodeTypes: typeSources(registry, nodes),
	};
}

function toResult(
	settled: Settled,
	logs: LogEntry[],
	store: CredentialStore,
	nodeTypes: Record<string, NodeTypeSource>,
): RunResult {
	const { run } = settled;
	const error = run.data.resultData.error;
	return {
		// A cancel that arrived after the last node finished does not turn a success into a cancel.
		status: settled.canceled && run.status !== 'success' ? 'canceled' : run.status,
		error,
		errorMessage: messageOf(error),
		run,
		output: outputAccessor(run),
		visibleText: () => visibleTextOf(run, logs),
		ranNodes: Object.keys(run.data.resultData.runData),
		nodeTypes,
		logs,
		credentialsStore: store.snapshot(),
		credentialUpdates: store.updates,
		// The engine also checks the deadline between nodes and may stop before the timer fires.
		timedOut:
			settled.timedOut ||
			(error as { name?: string } | undefined)?.name === 'TimeoutExecutionCancelledError',
		engine: engineVersion(),
	};
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const store = new CredentialStore(options.credentials);
	const prepared = await prepare(options, store);
	const logs: LogEntry[] = [];
	const settled = await withLogSink(logs, () => settle(prepared.execute(), options));
	return toResult(settled, logs, store, prepared.nodeTypes);
}
