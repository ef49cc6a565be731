/**
 * Genesys Cloud regions, as listed by the official SDKs' PureCloudRegionHosts (18 entries).
 * Every region follows one rule: API host `api.<domain>`, token host `login.<domain>`.
 */
export interface GenesysRegion {
	/** SDK enum key, e.g. `us_east_1`. */
	key: string;
	/** Bare domain, the credential's stored value. */
	domain: string;
	/** Label shown in the credential dropdown. */
	label: string;
}

export const GENESYS_REGIONS: readonly GenesysRegion[] = [
	{ key: 'us_east_1', domain: 'mypurecloud.com', label: 'Americas (US East)' },
	{ key: 'us_east_2', domain: 'use2.us-gov-pure.cloud', label: 'Americas (US East 2, FedRAMP)' },
	{ key: 'us_west_2', domain: 'usw2.pure.cloud', label: 'Americas (US West)' },
	{ key: 'ca_central_1', domain: 'cac1.pure.cloud', label: 'Americas (Canada)' },
	{ key: 'sa_east_1', domain: 'sae1.pure.cloud', label: 'Americas (São Paulo)' },
	{ key: 'mx_central_1', domain: 'mxc1.pure.cloud', label: 'Americas (Mexico)' },
	{ key: 'eu_west_1', domain: 'mypurecloud.ie', label: 'EMEA (Dublin)' },
	{ key: 'eu_west_2', domain: 'euw2.pure.cloud', label: 'EMEA (London)' },
	{ key: 'eu_central_1', domain: 'mypurecloud.de', label: 'EMEA (Frankfurt)' },
	{ key: 'eu_central_2', domain: 'euc2.pure.cloud', label: 'EMEA (Zurich)' },
	{ key: 'eusc_de_east_1', domain: 'edee1.eusc-pure.cloud', label: 'EMEA (EU Sovereign Cloud, Germany)' },
	{ key: 'me_central_1', domain: 'mec1.pure.cloud', label: 'EMEA (UAE)' },
	{ key: 'ap_south_1', domain: 'aps1.pure.cloud', label: 'Asia Pacific (Mumbai)' },
	{ key: 'ap_southeast_1', domain: 'apse1.pure.cloud', label: 'Asia Pacific (Singapore)' },
	{ key: 'ap_southeast_2', domain: 'mypurecloud.com.au', label: 'Asia Pacific (Sydney)' },
	{ key: 'ap_northeast_1', domain: 'mypurecloud.jp', label: 'Asia Pacific (Tokyo)' },
	{ key: 'ap_northeast_2', domain: 'apne2.pure.cloud', label: 'Asia Pacific (Seoul)' },
	{ key: 'ap_northeast_3', domain: 'apne3.pure.cloud', label: 'Asia Pacific (Osaka)' },
];

/** Credential value that switches to explicit base URLs (emulator, future regions). */
export const CUSTOM_REGION = 'custom';

export interface GenesysHosts {
	/** e.g. `https://api.mypurecloud.com`, no trailing slash. */
	apiBaseUrl: string;
	/** e.g. `https://login.mypurecloud.com`, no trailing slash. */
	loginBaseUrl: string;
}

export interface RegionSettings {
	region?: unknown;
	apiBaseUrl?: unknown;
	loginBaseUrl?: unknown;
}

/** Resolves the API and token hosts of a credential. Throws a plain Error on a bad custom URL. */
export function resolveHosts(settings: RegionSettings): GenesysHosts {
	const region = typeof settings.region === 'string' ? settings.region : '';
	if (region === CUSTOM_REGION) {
		return {
			apiBaseUrl: normaliseBaseUrl(settings.apiBaseUrl, 'API Base URL'),
			loginBaseUrl: normaliseBaseUrl(settings.loginBaseUrl, 'Login Base URL'),
		};
	}
	const known = GENESYS_REGIONS.find((r) => r.domain === region);
	if (!known) {
		throw new Error(`Unknown Genesys Cloud region "${region}"`);
	}
	return { apiBaseUrl: `https://api.${known.domain}`, loginBaseUrl: `https://login.${known.domain}` };
}

function normaliseBaseUrl(value: unknown, label: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const url = parseUrl(text);
	if (!url) throw new Error(`${label} "${text}" is not a valid URL`);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(`${label} must use https`);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new Error(
			`${label} "${url.protocol}//${url.host}" uses http, which would send the client secret and access tokens unencrypted: use https (http is only accepted for this machine: localhost, 127.0.0.0/8, ::1)`,
		);
	}
	if (url.username !== '' || url.password !== '') {
		throw new Error(`${label} must not contain a user name or password`);
	}
	return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * This machine only: `localhost`, 127.0.0.0/8 and ::1. The WHATWG parser has already normalised the host
 * (`127.1` is `127.0.0.1`, IPv6 is bracketed), so look-alikes such as `127.0.0.1.example.com` do not pass.
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	if (host === 'localhost' || host === '[::1]') return true;
	const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	return octets !== null && Number(octets[1]) === 127 && octets.slice(2).every((part) => Number(part) <= 255);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}
