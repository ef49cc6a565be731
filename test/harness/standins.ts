/**
 * TEST STAND-INS for the few n8n-nodes-base nodes example workflows use. n8n-nodes-base is not installed
 * (it is huge and not a dependency of a community package), so these minimal versions take their place in
 * the harness only. They are never shipped and do not try to be complete.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';

// NodeConnectionTypes.Main; a literal keeps this module free of runtime n8n imports.
const MAIN = 'main' as NodeConnectionType;

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const NO_OP_TYPE = 'n8n-nodes-base.noOp';
export const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

function passThrough(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return Promise.resolve([this.getInputData()]);
}

/**
 * Stand-in for "When clicking 'Execute workflow'". The harness puts it on the execution stack with the
 * run's start items as its input, and it emits them unchanged, so the next node receives exactly those.
 */
export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger (test stand-in)',
		name: MANUAL_TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Harness stand-in: emits the start items of the run',
		maxNodes: 1,
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [MAIN],
		properties: [],
	};

	execute = passThrough;
}

/** Stand-in for "No Operation, do nothing": passes items through. */
export class NoOpStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'No Operation (test stand-in)',
		name: NO_OP_TYPE,
		group: ['organization'],
		version: 1,
		description: 'Harness stand-in: passes items through',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [MAIN],
		outputs: [MAIN],
		properties: [],
	};

	execute = passThrough;
}

/** Stand-in for sticky notes, which exported workflows often contain; they never execute. */
export class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note (test stand-in)',
		name: STICKY_NOTE_TYPE,
		group: ['input'],
		version: [1, 2],
		description: 'Harness stand-in: a note on the canvas',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [
			{ displayName: 'Content', name: 'content', type: 'string', default: '' },
			{ displayName: 'Height', name: 'height', type: 'number', default: 160 },
			{ displayName: 'Width', name: 'width', type: 'number', default: 240 },
			{ displayName: 'Color', name: 'color', type: 'number', default: 1 },
		],
	};
}

export function standInNodeTypes(): Record<string, INodeType> {
	return {
		[MANUAL_TRIGGER_TYPE]: new ManualTriggerStandIn(),
		[NO_OP_TYPE]: new NoOpStandIn(),
		[STICKY_NOTE_TYPE]: new StickyNoteStandIn(),
	};
}
