/**
 * A sender without n8n: node:http to the emulator, the token from the credential's own preAuthentication
 * (run the way n8n runs it: when the expirable field is blank). It keeps what a leak test needs to look for:
 * every token it was handed.
 *
 * Its failures mimic axios: a thrown error carries `config.headers`, Authorization included, so tests prove
 * the transport never lets such an object through.
 */
import http from 'node:http';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { GenesysCloudOAuth2Api } from '../../credentials/GenesysCloudOAuth2Api.credentials';
import { cleanFailure } from '../../nodes/GenesysCloud/transport/n8nSender';
import { CredentialSender } from '../../nodes/GenesysCloud/transport/sender';
import type { CredentialSenderOptions, RawResponse, SenderRequest } from '../../nodes/GenesysCloud/transport/sender';

export interface PlainRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface PlainResponse {
	status: number;
	statusMessage: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

function parseBody(text: string, contentType: string | undefined): unknown {
	if (text === '') return undefined;
	if (contentType?.includes('json')) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

/** One HTTP exchange; rejects like axios would, request headers attached. */
export async function plainHttp(request: PlainRequest): Promise<PlainResponse> {
	return await new Promise<PlainResponse>((resolve, reject) => {
		const fail = (error: Error & { code?: string }): void => {
			reject(Object.assign(error, { config: { method: request.method, url: request.url, headers: request.headers } }));
		};
		const req = http.request(request.url, { method: request.method, headers: request.headers, signal: request.signal }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', fail);
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					statusMessage: res.statusMessage ?? '',
					headers: res.headers,
					body: parseBody(Buffer.concat(chunks).toString('utf8'), res.headers['content-type']),
				}),
			);
		});
		if (request.timeoutMs) {
			req.setTimeout(request.timeoutMs, () =>
				req.destroy(Object.assign(new Error(`timeout of ${request.timeoutMs}ms exceeded`), { code: 'ECONNABORTED' })),
			);
		}
		req.on('error', fail);
		req.end(request.body);
	});
}

function withQuery(url: string, qs: Record<string, unknown> | undefined): string {
	if (!qs) return url;
	const target = new URL(url);
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined) continue;
		for (const item of Array.isArray(value) ? value : [value]) target.searchParams.append(key, String(item));
	}
	return target.toString();
}

/** `this.helpers.httpRequest` as n8n hands it to preAuthentication: returnFullResponse / ignoreHttpStatusErrors honoured. */
export function plainRequestHelper(): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions): Promise<unknown> => {
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = String(value);
				const body = typeof options.body === 'string' || options.body === undefined ? options.body : JSON.stringify(options.body);
				const response = await plainHttp({
					method: options.method ?? 'GET',
					url: withQuery(options.url, options.qs),
					headers,
					body,
					timeoutMs: options.timeout,
					signal: options.abortSignal as AbortSignal | undefined,
				});
				if (!options.ignoreHttpStatusErrors && response.status >= 400) {
					throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
						response,
						config: { headers },
					});
				}
				if (!options.returnFullResponse) return response.body;
				const full: IN8nHttpFullResponse = {
					body: response.body as IN8nHttpFullResponse['body'],
					headers: response.headers as IN8nHttpFullResponse['headers'],
					statusCode: response.status,
					statusMessage: response.statusMessage,
				};
				return full;
			},
		},
	};
}

const credentialType = new GenesysCloudOAuth2Api();

export class PlainSender extends CredentialSender {
	/** Every access token handed out to this sender, for leak checks. */
	readonly tokens: string[] = [];
	tokenRequests = 0;

	constructor(credentials: ICredentialDataDecryptedObject, options: CredentialSenderOptions = {}) {
		super({ ...credentials }, options);
	}

	/** A pool's extra tokens are minted with the same helper preAuthentication gets. */
	protected tokenHelper(): IHttpRequestHelper {
		return plainRequestHelper();
	}

	protected async dispatch(credentials: ICredentialDataDecryptedObject, request: SenderRequest): Promise<RawResponse> {
		if (credentials.accessToken === '' || credentials.accessToken === undefined) {
			this.tokenRequests++;
			let issued: Record<string, unknown>;
			try {
				issued = await credentialType.preAuthentication.call(plainRequestHelper(), credentials);
			} catch (error) {
				throw cleanFailure(error, request.signal);
			}
			Object.assign(credentials, issued);
			this.tokens.push(String(issued.accessToken));
		}
		const headers: Record<string, string> = {
			Authorization: `Bearer ${String(credentials.accessToken)}`,
			Accept: 'application/json',
		};
		let body: string | undefined;
		if (request.body !== undefined) {
			body = JSON.stringify(request.body);
			headers['Content-Type'] = 'application/json';
		}
		try {
			const response = await plainHttp({
				method: request.method,
				url: withQuery(request.url, request.qs),
				headers,
				body,
				timeoutMs: request.timeoutMs,
				signal: request.signal,
			});
			return { status: response.status, headers: response.headers, body: response.body };
		} catch (error) {
			throw cleanFailure(error, request.signal);
		}
	}
}
