/**
 * Runs a credential's test the way n8n's CredentialsTester does (packages/cli/src/services/
 * credentials-tester.service.ts): defaults and expressions applied, then the type's `test.request` sent by
 * RoutingNode from a temporary noOp node, so `authenticate` and `preAuthentication` take part. A node's
 * `testedBy` function is used when the credential type has no `test`.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	ITaskDataConnections,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import {
	CredentialStore,
	CREDENTIAL_TEST_NODE_TYPE,
	HarnessCredentialsHelper,
	type CredentialUpdate,
} from './credentials';
import { harnessEnvironment } from './environment';
import { withLogSink, type LogEntry } from './logs';
import { buildRegistry, getCredentialType, projectPackageDir, type TypeRegistry } from './registry';
import { buildAdditionalData } from './run';

export interface CredentialTestOptions {
	/** Package folders to load; default this repository. */
	packages?: string[];
}

export interface CredentialTestResult extends INodeCredentialTestResult {
	logs: LogEntry[];
	credentialsStore: Record<string, Record<string, unknown>>;
	credentialUpdates: CredentialUpdate[];
}

type TestDefinition =
	| { kind: 'request'; request: ICredentialTestRequest; nodeType?: INodeType }
	| { kind: 'function'; fn: ICredentialTestFunction };

function findTest(registry: TypeRegistry, type: string): TestDefinition | undefined {
	const credentialType = getCredentialType(registry, type);
	if (credentialType.test) return { kind: 'request', request: credentialType.test };
	for (const nodeName of registry.supportedNodes.get(type) ?? []) {
		const nodeType = registry.nodeTypes.getByNameAndVersion(nodeName);
		for (const { name, testedBy } of nodeType.description.credentials ?? []) {
			if (name !== type || !testedBy) continue;
			if (typeof testedBy !== 'string') return { kind: 'request', request: testedBy, nodeType };
			const fn = nodeType.methods?.credentialTest?.[testedBy];
			if (fn) return { kind: 'function', fn };
		}
	}
	return undefined;
}

function nodeTypesOf(type: INodeType): INodeTypes {
	return {
		getByName: () => type,
		getByNameAndVersion: () => type,
		getKnownTypes: () => ({}),
	};
}

/** Non-2xx is a failure unless a `responseCode` rule names it; `cause.code` covers network errors. */
function failureOf(error: unknown, request: ICredentialTestRequest): INodeCredentialTestResult {
	const cause = (
		error as { cause?: { response?: { status?: number; statusText?: string }; code?: string } }
	)?.cause;
	const status = cause?.response?.status;
	if (status !== undefined) {
		for (const rule of request.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (status < 199 || status > 299) {
			return {
				status: 'Error',
				message: cause?.response?.statusText || `Received HTTP status code: ${status}`,
			};
		}
	} else if (cause?.code) {
		return { status: 'Error', message: cause.code };
	}
	return { status: 'Error', message: String((error as Error)?.message ?? error) };
}

function successBodyRule(
	response: unknown,
	request: ICredentialTestRequest,
): INodeCredentialTestResult | undefined {
	const body = (response as Array<Array<{ json: IDataObject }>> | undefined)?.[0]?.[0]?.json ?? {};
	for (const rule of request.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = rule.properties.key
			.split('.')
			.reduce<unknown>((current, key) => (current as IDataObject | undefined)?.[key], body);
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return undefined;
}

async function runTestRequest(
	definition: Extract<TestDefinition, { kind: 'request' }>,
	registry: TypeRegistry,
	credentials: ICredentialsDecrypted,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<INodeCredentialTestResult> {
	const { core, workflow: wf } = harnessEnvironment();
	const base =
		definition.nodeType ?? registry.nodeTypes.getByNameAndVersion(CREDENTIAL_TEST_NODE_TYPE);
	const version = base.description.version;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		parameters: {},
		credentials: { [credentials.type]: { id: credentials.id, name: credentials.name } },
	};
	const testType: INodeType = {
		description: {
			...base.description,
			credentials: [{ name: credentials.type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: definition.request.request },
					default: '',
				},
			],
		},
	};
	// The Workflow constructor fills `temp: ''`, which is how preAuthentication recognises a test.
	const workflow = new wf.Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf(testType),
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const context = new core.ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new core.RoutingNode(context, testType, credentials);
	let response: unknown;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		return failureOf(error, definition.request);
	}
	return (
		successBodyRule(response, definition.request) ?? {
			status: 'OK',
			message: 'Connection successful!',
		}
	);
}

async function runTestFunction(
	fn: ICredentialTestFunction,
	credentials: ICredentialsDecrypted,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<INodeCredentialTestResult> {
	const { core } = harnessEnvironment();
	const Context = core.CredentialTestContext as unknown as new (data?: unknown) => unknown;
	return await fn.call(new Context(additionalData) as never, credentials);
}

/**
 * Tests credential data of `type` like the editor's "Test" button. `data` is what the user entered; the
 * result includes the credential data afterwards (a test runs preAuthentication and persists its output).
 */
export async function testCredential(
	type: string,
	data: Record<string, unknown>,
	options: CredentialTestOptions = {},
): Promise<CredentialTestResult> {
	const registry = await buildRegistry(options.packages ?? [projectPackageDir()]);
	const store = new CredentialStore({ [type]: { data } });
	const helper = new HarnessCredentialsHelper(registry, store);
	const logs: LogEntry[] = [];
	const outcome = await withLogSink(logs, async (): Promise<INodeCredentialTestResult> => {
		const definition = findTest(registry, type);
		if (definition === undefined)
			return { status: 'Error', message: 'No testing function found for this credential.' };
		const additionalData = buildAdditionalData(
			helper,
			undefined,
			'credential-test',
			'credential-test',
			undefined,
		);
		const reference = store.reference(type)!;
		let decrypted: ICredentialDataDecryptedObject;
		try {
			decrypted = await helper.applyDefaults(
				additionalData,
				store.get(type).data,
				type,
				'internal',
			);
		} catch (error) {
			return { status: 'Error', message: String((error as Error).message) };
		}
		const credentials: ICredentialsDecrypted = { ...reference, type, data: decrypted };
		if (definition.kind === 'function')
			return await runTestFunction(definition.fn, credentials, additionalData);
		return await runTestRequest(definition, registry, credentials, additionalData);
	});
	return { ...outcome, logs, credentialsStore: store.snapshot(), credentialUpdates: store.updates };
}
