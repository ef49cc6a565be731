/**
 * TEST STAND-INS for a few n8n-nodes-base nodes. The harness runs the real n8n-nodes-base nodes
 * (baseNodes.ts); a stand-in takes a node's place only when the real one cannot be loaded or cannot run
 * on the selected engine (n8n-nodes-base 2.x on the 1.x engine: Webhook needs n8n-workflow exports 1.x
 * lacks, Read/Write Files has a description 1.x cannot resolve). They are never shipped and only cover
 * what example workflows use.
 */
import type {
	IDataObject,
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
export const READ_WRITE_FILE_TYPE = 'n8n-nodes-base.readWriteFile';
export const WEBHOOK_TYPE = 'n8n-nodes-base.webhook';

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

/** Glob characters the real node would expand; the stand-in reads one plain path only. */
const GLOB_CHARACTERS = /[*?[\]{}()!]/;

/** Reads one file per item into binary data, through n8n's own file helpers (and so its access rules). */
async function readFiles(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (this.getNodeParameter('operation', itemIndex) !== 'read') {
			throw new Error('The Read/Write Files stand-in only reads files');
		}
		const filePath = String(this.getNodeParameter('fileSelector', itemIndex));
		if (GLOB_CHARACTERS.test(filePath)) {
			throw new Error(`The Read/Write Files stand-in reads one plain path, not a pattern: ${filePath}`);
		}
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const property = typeof options.dataPropertyName === 'string' ? options.dataPropertyName : 'data';
		const stream = await this.helpers.createReadStream(await this.helpers.resolvePath(filePath));
		const binary = await this.helpers.prepareBinaryData(stream, filePath);
		const { mimeType, fileType, fileName, fileExtension, fileSize } = binary;
		output.push({
			json: { mimeType, fileType, fileName, fileExtension, fileSize },
			binary: { [property]: binary },
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}

/** Stand-in for "Read/Write Files from Disk", read operation with a plain path. */
export class ReadWriteFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read/Write Files from Disk (test stand-in)',
		name: READ_WRITE_FILE_TYPE,
		group: ['input'],
		version: [1, 1.1],
		description: 'Harness stand-in: reads one file per item into binary data',
		defaults: { name: 'Read/Write Files from Disk' },
		inputs: [MAIN],
		outputs: [MAIN],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				options: [{ name: 'Read File(s) From Disk', value: 'read' }],
				default: 'read',
			},
			{ displayName: 'File(s) Selector', name: 'fileSelector', type: 'string', default: '' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Put Output File in Field', name: 'dataPropertyName', type: 'string', default: 'data' },
				],
			},
		],
	};

	execute = readFiles;
}

/**
 * Stand-in for the Webhook trigger. Outside webhook mode n8n's engine hands a webhook node's input on
 * without calling it, so this only has to look like one.
 */
export class WebhookStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook (test stand-in)',
		name: WEBHOOK_TYPE,
		group: ['trigger'],
		version: [1, 1.1, 2, 2.1],
		description: 'Harness stand-in: never receives HTTP calls',
		defaults: { name: 'Webhook' },
		inputs: [],
		outputs: [MAIN],
		webhooks: [],
		properties: [
			{ displayName: 'HTTP Method', name: 'httpMethod', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
			{ displayName: 'Respond', name: 'responseMode', type: 'string', default: 'onReceived' },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async webhook(): Promise<{ noWebhookResponse: true }> {
		return { noWebhookResponse: true };
	}
}

export function standInNodeTypes(): Record<string, INodeType> {
	return {
		[MANUAL_TRIGGER_TYPE]: new ManualTriggerStandIn(),
		[NO_OP_TYPE]: new NoOpStandIn(),
		[STICKY_NOTE_TYPE]: new StickyNoteStandIn(),
		[READ_WRITE_FILE_TYPE]: new ReadWriteFileStandIn(),
		[WEBHOOK_TYPE]: new WebhookStandIn(),
	};
}
