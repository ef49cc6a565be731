import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { bulkCreateUsersProperties } from './description';
import { executeBulkCreateUsers } from './engine/run';
import { getUserFieldsWithPickers } from './methods/orgPickers';
import { getUserFields } from './methods/resourceMapping';

export class GenesysCloudBulkCreateUsers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Genesys Cloud Bulk Create Users',
		name: 'genesysCloudBulkCreateUsers',
		icon: { light: 'file:genesysCloudBulkCreateUsers.svg', dark: 'file:genesysCloudBulkCreateUsers.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["dryRun"] ? "Dry run" : "Create users" }}',
		description: 'Create many Genesys Cloud users, one request per user, within the API rate limits',
		defaults: {
			name: 'Genesys Cloud Bulk Create Users',
		},
		inputs: [NodeConnectionTypes.Main],
		// One output. Failed rows fail the node, or go to n8n's error output, or stay here with their `error`,
		// as the node's On Error setting says (outputs/failures.ts).
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'genesysCloudOAuth2Api',
				required: true,
			},
		],
		usableAsTool: true,
		properties: bulkCreateUsersProperties,
	};

	methods = {
		resourceMapping: {
			getUserFields,
			getUserFieldsWithPickers,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeBulkCreateUsers.call(this);
	}
}
