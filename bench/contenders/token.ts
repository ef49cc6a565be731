/**
 * A client-credentials token for contenders that only send a Bearer header (the HTTP Request node, bare
 * HTTP): the tests' one token request (test/emulator/testClient.ts `requestToken`), as docs/GENESYS.md
 * ("Authentication") describes it. The token stays in memory; nothing prints it.
 */
import { requestToken } from '../../test/emulator/testClient';
import type { ClientCredentials } from '../types';

export async function fetchToken(loginBaseUrl: string, client: ClientCredentials): Promise<string> {
	const response = await requestToken(loginBaseUrl, client);
	if (response.status !== 200) throw new Error(`token request failed with HTTP ${response.status}`);
	const token: unknown = response.body?.access_token;
	if (typeof token !== 'string') throw new Error('token response without access_token');
	return token;
}
