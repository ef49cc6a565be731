import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's community-node rules. The cloud variant is not used: this package ships csv-parse and zod.
export default configWithoutCloudSupport;
