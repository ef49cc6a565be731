import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { CUSTOM_REGION, GENESYS_REGIONS } from '../nodes/GenesysCloud/regions';
import { ACCESS_TOKEN_FIELD, requestToken, TOKEN_EXPIRES_AT_FIELD } from '../nodes/GenesysCloud/transport/token';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

const regionOptions: INodePropertyOptions[] = [
	...GENESYS_REGIONS.map((region) => ({ name: `${region.label} - ${region.domain}`, value: region.domain })),
	{ name: 'Custom', value: CUSTOM_REGION },
];

/**
 * Genesys Cloud OAuth client (client-credentials grant).
 *
 * Built on `preAuthentication` with a hidden expirable token rather than by extending `oAuth2Api`:
 * - the region picks explicit hosts (`login.<domain>` for the token, `api.<domain>` for calls), in plain code
 *   instead of `$self` expressions inside a generic OAuth2 form;
 * - the token's expiry is stored beside it, so the transport renews it shortly before it lapses instead of
 *   waiting for a 401;
 * - one code path serves n8n's HTTP Request node (Bearer header, re-fetch on 401) and this package's nodes;
 * - it runs and is tested in-process without n8n-nodes-base's oAuth2Api type.
 */
export class GenesysCloudOAuth2Api implements ICredentialType {
	name = 'genesysCloudOAuth2Api';

	displayName = 'Genesys Cloud OAuth2 API';

	icon = 'file:genesysCloud.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-genesys-cloud#credential-genesys-cloud-oauth2-api';

	httpRequestNode = {
		name: 'Genesys Cloud',
		docsUrl: 'https://developer.genesys.cloud/platform/api/',
		apiBaseUrlPlaceholder: 'https://api.mypurecloud.com/api/v2/',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: regionOptions,
			default: 'mypurecloud.com',
			description: 'Genesys Cloud region of the organization (the domain of its login page)',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.mypurecloud.com',
			required: true,
			description: 'Base URL of the Platform API, without /api/v2. Must use https (http only for localhost).',
			displayOptions: { show: { region: [CUSTOM_REGION] } },
		},
		{
			displayName: 'Login Base URL',
			name: 'loginBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://login.mypurecloud.com',
			required: true,
			description: 'Base URL of the OAuth server, without /oauth/token. Must use https (http only for localhost).',
			displayOptions: { show: { region: [CUSTOM_REGION] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of a Client Credentials OAuth client (Admin > Integrations > OAuth)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Secret of that OAuth client',
		},
		{
			displayName: 'Access Token',
			name: ACCESS_TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: TOKEN_EXPIRES_AT_FIELD,
			type: 'hidden',
			default: 0,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return { ...(await requestToken(this, credentials)) };
	}

	/**
	 * A function rather than a generic `{{$credentials.accessToken}}` template: n8n resolves a template through
	 * its expression engine on every request (a data proxy, `$now` and all), which cost more CPU per request than
	 * the rest of the client put together.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = credentials[ACCESS_TOKEN_FIELD];
		const authorization = `Bearer ${typeof token === 'string' ? token : ''}`;
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: authorization } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{$credentials.region === "${CUSTOM_REGION}" ? $credentials.apiBaseUrl : "https://api." + $credentials.region}}`,
			url: '/api/v2/organizations/me',
			method: 'GET',
			// A redirect is a failed test, never followed: the bearer token would go along to its Location.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		rules: REDIRECT_STATUSES.map((status) => ({
			type: 'responseCode' as const,
			properties: {
				value: status,
				message: `Genesys Cloud answered HTTP ${status}, a redirect: redirects are never followed, so the token was not sent on. Check the Region (or the API Base URL).`,
			},
		})),
	};
}
