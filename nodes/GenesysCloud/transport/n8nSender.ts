/**
 * Sends through n8n's `httpRequestWithAuthentication`, so the credential's preAuthentication and
 * authenticate run exactly as they do for the HTTP Request node (n8n-core 1.x and 2.x alike).
 *
 * `ignoreHttpStatusErrors` hands every status back to us (Retry-After, ErrorBody), which also disables
 * n8n's own 401 retry; the base class renews instead, by passing `credentialsDecrypted` with the token blanked:
 * n8n-core then calls preAuthentication, its credentials helper persists the token, and the new values are
 * merged into that object (authentication.js in both majors). A pool token (lanes 1 and up) goes out in a copy of
 * the credentials that holds it: the token is not blank, so n8n runs no preAuthentication and persists nothing,
 * and `authenticate` puts it in the Bearer header like the stored one.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IDataObject,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { CredentialSender, SenderNetworkError, SenderTokenError } from './sender';
import type { CredentialSenderOptions, RawResponse, SenderRequest } from './sender';
import { redactSecrets } from './errors';
import { networkErrorWasSent } from './retry';
import { codeFromText, networkErrorCode, parseTokenFailure } from './token';

export const CREDENTIAL_TYPE = 'genesysCloudOAuth2Api';

/** A node run, or the editor loading a list for a parameter (pickers): both send with the node's credential. */
export type GenesysContext = IExecuteFunctions | ILoadOptionsFunctions;

export class N8nSender extends CredentialSender {
	private readonly credentialRef: { id: string; name: string };

	constructor(
		private readonly ctx: GenesysContext,
		credentials: ICredentialDataDecryptedObject,
		options: CredentialSenderOptions = {},
	) {
		super(credentials, options);
		const ref = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		this.credentialRef = { id: ref?.id ?? '', name: ref?.name ?? '' };
	}

	/** n8n's own HTTP helper, the one preAuthentication receives: a pool's extra tokens are minted with it. */
	protected tokenHelper(): IHttpRequestHelper {
		return { helpers: { httpRequest: async (options) => await this.ctx.helpers.httpRequest(options) } };
	}

	protected async dispatch(credentials: ICredentialDataDecryptedObject, request: SenderRequest): Promise<RawResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A 3xx comes back to the client as a response (an error there), never followed: n8n would
			// otherwise resend the Authorization header, and a POST's body, to whatever host Location names.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: request.timeoutMs,
			arrayFormat: 'repeat',
		};
		if (request.qs) options.qs = dropUndefined(request.qs);
		if (request.body !== undefined) options.body = request.body as IDataObject;
		// n8n sets the request's abort signal from the context's execution cancel signal; this view of the context
		// hands it the request's own signal instead (Stop and the request's deadline, see client.ts).
		const scoped = Object.create(this.ctx, {
			getExecutionCancelSignal: { value: () => request.signal },
		}) as IExecuteFunctions;
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(scoped, CREDENTIAL_TYPE, options, {
				credentialsDecrypted: { ...this.credentialRef, type: CREDENTIAL_TYPE, data: credentials },
			})) as IN8nHttpFullResponse;
			return { status: response.statusCode, headers: response.headers, body: response.body };
		} catch (error) {
			throw cleanFailure(error, request.signal);
		}
	}
}

function dropUndefined(qs: NonNullable<SenderRequest['qs']>): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) {
		if (value !== undefined) result[key] = value;
	}
	return result;
}

/**
 * n8n wraps transport failures in a NodeApiError whose cause is the raw HTTP error (request headers
 * included). Only codes are read from it; a fresh error is thrown instead.
 */
export function cleanFailure(error: unknown, signal?: AbortSignal): Error {
	if (signal?.aborted) return cancelled(signal);
	const texts = errorTexts(error);
	for (const text of texts) {
		const token = parseTokenFailure(text);
		if (token) return new SenderTokenError(token.status, token.code, token.detail);
	}
	let code = networkErrorCode(error);
	if (code === 'UNKNOWN') code = texts.map(codeFromText).find((c): c is string => c !== undefined) ?? 'UNKNOWN';
	if (code === 'UNKNOWN') {
		// Not a transport failure (configuration, engine): keep its text, which carries no request data.
		const detail = texts.find((text) => text.trim() !== '');
		return new SenderNetworkError(code, true, detail === undefined ? undefined : redactSecrets(detail).slice(0, 300));
	}
	if (code === 'ERR_CANCELED' || code === 'ABORT_ERR') return new SenderNetworkError(code, true);
	return new SenderNetworkError(code, networkErrorWasSent(code));
}

function cancelled(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	if (reason instanceof Error && !hasResponse(reason)) return reason;
	return new Error('The execution was cancelled');
}

function hasResponse(error: Error): boolean {
	return 'response' in error || 'config' in error || 'cause' in error;
}

/** Every message-like string n8n may have kept: 1.x drops `cause`, 2.x keeps it; both keep `messages`. */
function errorTexts(error: unknown): string[] {
	const texts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const candidate = current as { message?: unknown; description?: unknown; messages?: unknown; httpCode?: unknown };
		for (const value of [candidate.message, candidate.description, candidate.httpCode]) {
			if (typeof value === 'string') texts.push(value);
		}
		if (Array.isArray(candidate.messages)) {
			for (const value of candidate.messages) if (typeof value === 'string') texts.push(value);
		}
		current = (current as { cause?: unknown }).cause;
	}
	return texts;
}
