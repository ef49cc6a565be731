/**
 * POST /oauth/token, client-credentials grant (docs/GENESYS.md, "Authentication"). Errors use the OAuth shape
 * `{ error, error_description }` rather than an ErrorBody.
 */
import { timingSafeEqual } from 'node:crypto';

import type { EmulatorCore } from '../core';
import type { RouteResult } from '../errors';

function oauthError(status: number, error: string, description: string): RouteResult {
	return { status, body: { error, description, error_description: description }, applied: false };
}

function sameSecret(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
	if (match === null) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

export function handleToken(
	core: EmulatorCore,
	method: string,
	authorization: string | undefined,
	form: URLSearchParams,
): { result: RouteResult; tokenId?: string } {
	if (method !== 'POST') return { result: oauthError(405, 'invalid_request', 'Use POST for /oauth/token') };
	const credentials = basicCredentials(authorization);
	const client =
		credentials === undefined
			? undefined
			: core.options.clients.find(
					(c) => c.clientId === credentials.clientId && sameSecret(c.clientSecret, credentials.clientSecret),
				);
	if (client === undefined) {
		return { result: oauthError(401, 'invalid_client', 'client authentication failed') };
	}
	const grantType = form.get('grant_type');
	if (grantType !== 'client_credentials') {
		return { result: oauthError(400, 'unsupported_grant_type', `grant type not supported: ${grantType ?? '(none)'}`) };
	}
	const lifetime = core.options.tokenLifetimeSec;
	const { accessToken, tokenId } = core.tokens.issue(client.clientId, lifetime, core.now());
	core.stats.tokensIssued += 1;
	return {
		result: { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: lifetime }, applied: true },
		tokenId,
	};
}
