/**
 * Workflow JSON as n8n exports it, and a builder for the small workflows tests need.
 */
import { MANUAL_TRIGGER_TYPE } from './standins';

export interface WorkflowConnectionJson {
	node: string;
	type: string;
	index: number;
}

/** Per source node, per connection type ('main'), per output index: the targets (null = unconnected). */
export type WorkflowConnectionsJson = Record<
	string,
	Record<string, Array<WorkflowConnectionJson[] | null>>
>;

export interface NodeCredentialReference {
	id?: string | null;
	name: string;
}

export interface WorkflowNodeJson {
	id?: string;
	name: string;
	type: string;
	/** Defaults to the newest version the node type declares. */
	typeVersion?: number;
	/** Loose (number[], string) so workflow files imported as JSON type-check without casts. */
	position?: number[];
	parameters: Record<string, unknown>;
	credentials?: Record<string, NodeCredentialReference>;
	disabled?: boolean;
	continueOnFail?: boolean;
	/** 'continueErrorOutput' | 'continueRegularOutput' | 'stopWorkflow' */
	onError?: string;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	notes?: string;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowNodeJson[];
	connections: WorkflowConnectionsJson;
	/** In n8n exports: data pinned per node name. See RunOptions.usePinData for how the harness treats it. */
	pinData?: Record<string, Array<{ json: Record<string, unknown>; [key: string]: unknown }>>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface TestNodeSpec {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	typeVersion?: number;
	credentials?: Record<string, { id: string; name: string }>;
	/** Any other node field (onError, continueOnFail, disabled...) */
	[key: string]: unknown;
}

export const MANUAL_TRIGGER_NAME = 'Manual Trigger';

function link(target: string): WorkflowConnectionJson[] {
	return [{ node: target, type: 'main', index: 0 }];
}

/** Trigger -> nodes[0] -> nodes[1] -> ... through output 0 / input 0. */
function chainConnections(names: string[]): WorkflowConnectionsJson {
	const connections: WorkflowConnectionsJson = {};
	const sequence = [MANUAL_TRIGGER_NAME, ...names];
	for (let i = 0; i + 1 < sequence.length; i++) {
		connections[sequence[i]] = { main: [link(sequence[i + 1])] };
	}
	return connections;
}

/**
 * A workflow starting with a manual trigger named `MANUAL_TRIGGER_NAME`.
 * `connections` 'chain' (default) links trigger -> nodes in order. An explicit connections object is used
 * as given, plus trigger -> nodes[0] unless it already has an entry for the trigger.
 */
export function manualTriggerWorkflow(
	nodes: TestNodeSpec[],
	connections: 'chain' | WorkflowJson['connections'] = 'chain',
): WorkflowJson {
	const names = nodes.map((node) => node.name);
	if (names.includes(MANUAL_TRIGGER_NAME)) {
		throw new Error(`node name "${MANUAL_TRIGGER_NAME}" is reserved for the trigger`);
	}
	let wiring: WorkflowConnectionsJson;
	if (connections === 'chain') {
		wiring = chainConnections(names);
	} else {
		wiring = { ...connections };
		if (wiring[MANUAL_TRIGGER_NAME] === undefined && names.length > 0) {
			wiring[MANUAL_TRIGGER_NAME] = { main: [link(names[0])] };
		}
	}
	const trigger: WorkflowNodeJson = {
		id: 'manual-trigger',
		name: MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const built: WorkflowNodeJson[] = nodes.map((spec, index) => ({
		id: `node-${index + 1}`,
		position: [(index + 1) * 220, 0],
		...spec,
	}));
	return { name: 'Harness workflow', nodes: [trigger, ...built], connections: wiring };
}
