import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { jobTypeSubtitle, properties } from './description';
import { executeWaitForJob } from './execute';

export class GenesysCloudWaitForJob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Genesys Cloud Wait for Job',
		name: 'genesysCloudWaitForJob',
		icon: { light: 'file:genesysCloudWaitForJob.svg', dark: 'file:genesysCloudWaitForJob.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: jobTypeSubtitle,
		description: 'Wait until a Genesys Cloud asynchronous job completes, fails or times out',
		defaults: { name: 'Genesys Cloud Wait for Job' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Completed', 'Failed'],
		credentials: [{ name: 'genesysCloudOAuth2Api', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeWaitForJob.call(this);
	}
}
