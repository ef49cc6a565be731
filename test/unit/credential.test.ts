import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { GenesysCloudOAuth2Api } from '../../credentials/GenesysCloudOAuth2Api.credentials';
import { CUSTOM_REGION, GENESYS_REGIONS, resolveHosts } from '../../nodes/GenesysCloud/regions';

/** The SDKs' PureCloudRegionHosts, key -> domain (docs/GENESYS.md, "Authentication"). */
const SDK_REGIONS: Record<string, string> = {
	us_east_1: 'mypurecloud.com',
	eu_west_1: 'mypurecloud.ie',
	ap_southeast_2: 'mypurecloud.com.au',
	ap_northeast_1: 'mypurecloud.jp',
	eu_central_1: 'mypurecloud.de',
	us_west_2: 'usw2.pure.cloud',
	ca_central_1: 'cac1.pure.cloud',
	ap_northeast_2: 'apne2.pure.cloud',
	eu_west_2: 'euw2.pure.cloud',
	ap_south_1: 'aps1.pure.cloud',
	us_east_2: 'use2.us-gov-pure.cloud',
	sa_east_1: 'sae1.pure.cloud',
	me_central_1: 'mec1.pure.cloud',
	ap_northeast_3: 'apne3.pure.cloud',
	eu_central_2: 'euc2.pure.cloud',
	mx_central_1: 'mxc1.pure.cloud',
	ap_southeast_1: 'apse1.pure.cloud',
	eusc_de_east_1: 'edee1.eusc-pure.cloud',
};

describe('resolveHosts', () => {
	it('knows all 18 SDK regions', () => {
		expect(GENESYS_REGIONS).toHaveLength(18);
		expect(Object.fromEntries(GENESYS_REGIONS.map((r) => [r.key, r.domain]))).toEqual(SDK_REGIONS);
	});

	it.each(Object.entries(SDK_REGIONS))('%s -> api./login. hosts of %s', (_key, domain) => {
		expect(resolveHosts({ region: domain })).toEqual({
			apiBaseUrl: `https://api.${domain}`,
			loginBaseUrl: `https://login.${domain}`,
		});
	});

	it('uses the explicit URLs for custom, normalised', () => {
		expect(
			resolveHosts({ region: CUSTOM_REGION, apiBaseUrl: ' http://127.0.0.1:4010/ ', loginBaseUrl: 'http://127.0.0.1:4011' }),
		).toEqual({ apiBaseUrl: 'http://127.0.0.1:4010', loginBaseUrl: 'http://127.0.0.1:4011' });
		expect(resolveHosts({ region: CUSTOM_REGION, apiBaseUrl: 'https://api.new.pure.cloud/', loginBaseUrl: 'https://login.new.pure.cloud' }).apiBaseUrl).toBe(
			'https://api.new.pure.cloud',
		);
	});

	it('refuses unknown regions and bad custom URLs', () => {
		expect(() => resolveHosts({ region: 'example.com' })).toThrow(/Unknown Genesys Cloud region/);
		expect(() => resolveHosts({})).toThrow(/Unknown Genesys Cloud region/);
		expect(() => resolveHosts({ region: CUSTOM_REGION, apiBaseUrl: 'nope', loginBaseUrl: 'http://x' })).toThrow(/API Base URL/);
		expect(() => resolveHosts({ region: CUSTOM_REGION, apiBaseUrl: 'http://localhost', loginBaseUrl: 'ftp://x' })).toThrow(/Login Base URL/);
	});

	it('refuses http:// unless the host is this machine, and says why', () => {
		const custom = (apiBaseUrl: string, loginBaseUrl = 'https://login.example.com') =>
			resolveHosts({ region: CUSTOM_REGION, apiBaseUrl, loginBaseUrl });
		for (const url of ['http://127.0.0.1:4010', 'http://127.9.8.7', 'http://127.1:80', 'http://localhost:8080', 'http://[::1]:4010']) {
			expect(() => custom(url)).not.toThrow();
		}
		for (const url of [
			'http://api.mypurecloud.com',
			'http://127.0.0.1.example.com',
			'http://128.0.0.1',
			'http://10.0.0.1',
			'http://[::2]',
			'http://localhost.example.com',
			'http://0.0.0.0',
		]) {
			expect(() => custom(url)).toThrow(/API Base URL .*uses http, which would send the client secret and access tokens unencrypted: use https/);
		}
		expect(() => custom('https://api.example.com', 'http://login.example.com')).toThrow(/Login Base URL "http:\/\/login.example.com" uses http/);
		expect(() => custom('https://user:pw@api.example.com')).toThrow(/must not contain a user name or password/);
	});
});

describe('GenesysCloudOAuth2Api', () => {
	const credential = new GenesysCloudOAuth2Api();
	const field = (name: string) => credential.properties.find((p) => p.name === name);

	it('has the agreed identity', () => {
		expect(credential.name).toBe('genesysCloudOAuth2Api');
		expect(credential.displayName).toBe('Genesys Cloud OAuth2 API');
		expect(credential.icon).toBe('file:genesysCloud.svg');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect((credential as ICredentialType).extends).toBeUndefined();
	});

	it('offers every region by domain, plus custom', () => {
		const region = field('region');
		const values = (region?.options ?? []).map((o) => ('value' in o ? o.value : undefined));
		expect(values).toEqual([...GENESYS_REGIONS.map((r) => r.domain), CUSTOM_REGION]);
		expect(region?.default).toBe('mypurecloud.com');
	});

	it('shows the base URLs only for custom, and hides the secret', () => {
		for (const name of ['apiBaseUrl', 'loginBaseUrl']) {
			expect(field(name)?.displayOptions).toEqual({ show: { region: [CUSTOM_REGION] } });
		}
		expect(field('clientSecret')?.typeOptions?.password).toBe(true);
		expect(field('clientId')?.required).toBe(true);
	});

	it('keeps the token in a hidden, expirable, password field beside its expiry', () => {
		expect(field('accessToken')).toMatchObject({ type: 'hidden', default: '', typeOptions: { expirable: true, password: true } });
		expect(field('tokenExpiresAt')).toMatchObject({ type: 'hidden', default: 0 });
		// n8n calls preAuthentication for the FIRST expirable hidden field: there must be exactly one
		expect(credential.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable)).toHaveLength(1);
	});

	it('authenticates with a Bearer header, leaving the caller\'s options and other headers alone', async () => {
		const authenticate = credential.authenticate as (
			credentials: ICredentialDataDecryptedObject,
			options: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const options: IHttpRequestOptions = { url: '/api/v2/users', headers: { 'Content-Type': 'application/json' } };
		const sent = await authenticate({ accessToken: 'tok-123', clientSecret: 's3cret' }, options);
		expect(sent.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer tok-123' });
		expect(sent.url).toBe('/api/v2/users');
		expect(options.headers).toEqual({ 'Content-Type': 'application/json' });
		expect(JSON.stringify(sent)).not.toContain('s3cret');
	});

	it('tests against organizations/me on the API host', () => {
		expect(credential.test.request.url).toBe('/api/v2/organizations/me');
		expect(credential.test.request.baseURL).toContain('"https://api." + $credentials.region');
		expect(credential.test.request.baseURL).toContain('$credentials.apiBaseUrl');
	});
});
