/**
 * Credentials for in-process runs: an in-memory store standing in for n8n's credentials table, and an
 * ICredentialsHelper with the semantics of n8n's CLI helper (packages/cli/src/credentials-helper.ts):
 * type defaults, `$self` / `$credentials` expressions, preAuthentication with the expirable field and
 * persistence, generic and function `authenticate`.
 *
 * Not reproduced: credential overwrites, external secrets, dynamic (per-user) credentials, the AI gateway,
 * policy checks, and the OAuth2 pinned-field handling (no `oAuth2Api` base type is loaded).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialsHelper,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { harnessEnvironment } from './environment';
import {
	credentialPropertiesOf,
	getCredentialType,
	parentTypesOf,
	type TypeRegistry,
} from './registry';

export interface CredentialInput {
	id?: string;
	name?: string;
	data: Record<string, unknown>;
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** A persisted change: which fields were written, never their values. */
export interface CredentialUpdate {
	type: string;
	fields: string[];
}

function copy<T>(value: T): T {
	return structuredClone(value);
}

/** In-memory credentials table, one credential per type. Reads return fresh copies, like a DB read. */
export class CredentialStore {
	private readonly byType = new Map<string, StoredCredential>();

	readonly updates: CredentialUpdate[] = [];

	constructor(initial: Record<string, CredentialInput> = {}) {
		for (const [type, input] of Object.entries(initial)) {
			this.byType.set(type, {
				id: input.id ?? `${type}-id`,
				name: input.name ?? `${type} (harness)`,
				type,
				data: copy(input.data) as ICredentialDataDecryptedObject,
			});
		}
	}

	has(type: string): boolean {
		return this.byType.has(type);
	}

	reference(type: string): { id: string; name: string } | undefined {
		const stored = this.byType.get(type);
		return stored ? { id: stored.id, name: stored.name } : undefined;
	}

	/** The credential of that type; like n8n, a reference whose id names another credential is not found. */
	get(type: string, reference?: INodeCredentialsDetails): StoredCredential {
		const stored = this.byType.get(type);
		if (stored === undefined || (reference?.id && reference.id !== stored.id)) {
			const id = reference?.id ?? 'none';
			throw new Error(`Credential with ID "${id}" does not exist for type "${type}".`);
		}
		return copy(stored);
	}

	write(type: string, data: ICredentialDataDecryptedObject): void {
		const stored = this.byType.get(type);
		if (stored === undefined) throw new Error(`Credential of type "${type}" does not exist.`);
		const fields = Object.keys(data).filter(
			(key) => JSON.stringify(data[key]) !== JSON.stringify(stored.data[key]),
		);
		stored.data = copy(data);
		this.updates.push({ type, fields });
	}

	snapshot(): Record<string, Record<string, unknown>> {
		const result: Record<string, Record<string, unknown>> = {};
		for (const [type, stored] of this.byType) result[type] = copy(stored.data);
		return result;
	}
}

/**
 * What the DB layer hands out. n8n-core's Credentials class would encrypt with the instance key provider,
 * which only the CLI configures; the data here is kept as plain JSON instead.
 */
class StoredCredentials implements ICredentials {
	id?: string;
	name: string;
	type: string;
	data: string | undefined;

	constructor(stored: StoredCredential) {
		this.id = stored.id;
		this.name = stored.name;
		this.type = stored.type;
		this.data = JSON.stringify(stored.data);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return JSON.parse(this.data ?? '{}') as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate };
		for (const key of toDelete) delete data[key];
		await this.setData(data as ICredentialDataDecryptedObject);
	}
}

const MOCK_NODE: INode = {
	id: 'harness-credential-mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPE = {
	description: { properties: [] as INodeProperties[] },
} as unknown as INodeType;

const mockNodeTypes: INodeTypes = {
	getByName: () => MOCK_NODE_TYPE,
	getByNameAndVersion: () => MOCK_NODE_TYPE,
	getKnownTypes: () => ({}),
};

/** Node used by the credential test; n8n recognises a test by this type and a `temp` parameter of ''. */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

function isTestNode(node: INode | undefined): boolean {
	return node?.parameters?.temp === '' && node?.type === CREDENTIAL_TEST_NODE_TYPE;
}

function isExpressionValue(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

function mockWorkflow(): Workflow {
	const { Workflow } = harnessEnvironment().workflow;
	return new Workflow({
		nodes: [{ ...MOCK_NODE }],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes,
	});
}

/** The n8n-workflow 2.x helper lives on newer engines only; 1.x passed helpers through unchanged. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	const { workflow } = harnessEnvironment();
	const allowedDomainsOf = (
		workflow as unknown as {
			getCredentialOwnRequestAllowedDomains?: (
				data: ICredentialDataDecryptedObject,
			) => string | undefined;
		}
	).getCredentialOwnRequestAllowedDomains;
	if (allowedDomainsOf === undefined) return helpers;
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				const allowedDomains = allowedDomainsOf(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(options);
				if (options.allowedDomains !== undefined) {
					throw new Error(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...options, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}

async function withIsolate<T>(workflow: Workflow, fn: () => T): Promise<T> {
	const expression = workflow.expression as unknown as {
		acquireIsolate?: () => Promise<unknown>;
		releaseIsolate?: () => Promise<void>;
	};
	await expression.acquireIsolate?.();
	try {
		return fn();
	} finally {
		await expression.releaseIsolate?.();
	}
}

export class HarnessCredentialsHelper implements ICredentialsHelper {
	constructor(
		private readonly registry: TypeRegistry,
		readonly store: CredentialStore,
	) {}

	getParentTypes(name: string): string[] {
		return parentTypesOf(this.registry, name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.registry.credentialTypes.get(credentialType) as
			| { restrictToSupportedNodes?: boolean }
			| undefined;
		if (type?.restrictToSupportedNodes !== true) return true;
		return (this.registry.supportedNodes.get(credentialType) ?? []).includes(nodeType);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialPropertiesOf(this.registry, type);
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		return new StoredCredentials(this.store.get(type, nodeCredentials));
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const { data } = this.store.get(type, nodeCredentials);
		if (raw === true) return data;
		return await this.applyDefaults(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Type defaults first, then expressions (`$self` is the credential data itself). */
	async applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		stored: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const { core, workflow } = harnessEnvironment();
		const properties = this.getCredentialsProperties(type);
		let data = workflow.NodeHelpers.getNodeParameters(
			properties,
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) data.oauthTokenData = stored.oauthTokenData;
		const additionalKeys = core.getAdditionalKeys(additionalData, mode, null, {
			isCredential: true,
		});
		if (expressionResolveValues) {
			const values = expressionResolveValues;
			data = values.workflow.expression.getParameterValue(
				data as INodeParameters,
				values.runExecutionData,
				values.runIndex,
				values.itemIndex,
				values.node.name,
				values.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
			return data;
		}
		const resolver = mockWorkflow();
		return await withIsolate(
			resolver,
			() =>
				resolver.expression.getComplexParameterValue(
					MOCK_NODE,
					data as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					data,
				) as ICredentialDataDecryptedObject,
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = getCredentialType(this.registry, typeName);
		if (authenticate === undefined) return incoming as IHttpRequestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, incoming as IHttpRequestOptions);
		}
		const options = incoming as unknown as Record<string, Record<string, unknown> | undefined>;
		if (options.headers === undefined) options.headers = {};
		if (authenticate.type !== 'generic') return incoming as IHttpRequestOptions;
		const resolver = workflow ?? mockWorkflow();
		const contextNode = node ?? MOCK_NODE;
		const resolve = (value: string): string => {
			if (!isExpressionValue(value)) return value;
			const resolved = resolver.expression.getSimpleParameterValue(
				contextNode,
				value,
				'internal',
				{ $credentials: credentials } as IWorkflowDataProxyAdditionalKeys,
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			const target = options[outerKey] ?? {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[resolve(key)] = resolve(value);
			}
			options[outerKey] = target;
		}
		return incoming as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = getCredentialType(this.registry, typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const due = credentials[expirable.name] === '' || credentialsExpired || isTestNode(node);
		if (!due) return undefined;
		const output = await type.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const reference = node.credentials[type.name];
		const stored = await (await this.getCredentials(reference, type.name)).getData();
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
			// A field stored as an expression keeps its expression; only the token is always written.
			if (key === expirable.name || !isExpressionValue(stored[key])) toPersist[key] = value;
		}
		await this.updateCredentials(reference, type.name, toPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = getCredentialType(this.registry, typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.get(type, nodeCredentials); // throws, like the DB update, when the reference is unknown
		this.store.write(type, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.store.get(type, nodeCredentials);
		this.store.write(type, { ...stored.data, oauthTokenData: data.oauthTokenData });
	}
}
