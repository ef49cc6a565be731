/**
 * A client-credentials token, fetched the way docs/GENESYS.md ("Authentication") describes, for contenders that only send a
 * Bearer header (the HTTP Request node). The token stays in memory; nothing prints it.
 */
import type { ClientCredentials } from '../types';

export async function fetchToken(loginBaseUrl: string, client: ClientCredentials): Promise<string> {
	const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
	const response = await fetch(`${loginBaseUrl}/oauth/token`, {
		method: 'POST',
		headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials',
	});
	if (!response.ok) throw new Error(`token request failed with HTTP ${response.status}`);
	const body = (await response.json()) as { access_token?: unknown };
	if (typeof body.access_token !== 'string') throw new Error('token response without access_token');
	return body.access_token;
}
