/**
 * Only relative `/api/v2/...` paths are sent, appended to the credential's API base: the bearer token can
 * never be sent to another host.
 */

const API_PREFIX = '/api/v2/';

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

export function checkApiPath(path: unknown): PathCheck {
	if (typeof path !== 'string' || path === '') return { ok: false, reason: 'the path is empty' };
	if (path.length > 4096) return { ok: false, reason: 'the path is too long' };
	if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return { ok: false, reason: 'absolute URLs are not allowed' };
	if (path.startsWith('//')) return { ok: false, reason: 'protocol-relative URLs are not allowed' };
	if (path.includes('\\')) return { ok: false, reason: 'backslashes are not allowed' };
	// eslint-disable-next-line no-control-regex
	if (/[\s\u0000-\u001f\u007f]/.test(path)) return { ok: false, reason: 'whitespace and control characters are not allowed' };
	if (path.includes('#')) return { ok: false, reason: 'fragments (#) are not allowed' };
	if (!path.startsWith(API_PREFIX)) return { ok: false, reason: `the path must start with ${API_PREFIX}` };
	const pathname = path.split('?')[0];
	for (const segment of pathname.split('/')) {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return { ok: false, reason: 'the path has an invalid percent-encoding' };
		}
		if (decoded === '.' || decoded === '..') return { ok: false, reason: 'dot segments (..) are not allowed' };
		if (decoded.includes('\\')) return { ok: false, reason: 'backslashes are not allowed' };
	}
	return { ok: true, path };
}

/**
 * Joins base and path and verifies the result is still on the base's origin and under its `/api/v2/`.
 * Returns undefined when it is not (belt and braces after checkApiPath).
 */
export function joinApiUrl(apiBaseUrl: string, path: string): string | undefined {
	const base = apiBaseUrl.replace(/\/+$/, '');
	let baseUrl: URL;
	let joined: URL;
	try {
		baseUrl = new URL(base);
		joined = new URL(base + path);
	} catch {
		return undefined;
	}
	if (joined.origin !== baseUrl.origin) return undefined;
	const basePath = baseUrl.pathname.replace(/\/+$/, '');
	if (!joined.pathname.startsWith(basePath + API_PREFIX)) return undefined;
	return base + path;
}
