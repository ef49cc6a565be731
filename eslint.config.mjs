import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's community-node rules. The cloud variant is not used because this package ships two small runtime
// dependencies (zod for request schemas, csv-parse for CSV input); n8n installs them with the package.
export default [
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
];
