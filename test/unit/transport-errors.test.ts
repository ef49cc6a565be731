import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	bodyExcerpt,
	GenesysApiError,
	GenesysRequestRefused,
	isGenesysError,
	isOutageFailure,
	parseErrorBody,
	redactSecrets,
	redirectTarget,
	STANDALONE_NODE,
} from '../../nodes/GenesysCloud/transport/errors';
import { checkApiPath, joinApiUrl } from '../../nodes/GenesysCloud/transport/paths';
import { cleanFailure } from '../../nodes/GenesysCloud/transport/n8nSender';
import { SenderNetworkError, SenderTokenError } from '../../nodes/GenesysCloud/transport/sender';
import { GenesysTokenError, networkErrorCode, parseTokenFailure } from '../../nodes/GenesysCloud/transport/token';

describe('GenesysApiError', () => {
	const conflict = new GenesysApiError(STANDALONE_NODE, {
		status: 409,
		code: 'general.conflict',
		message: 'The email address is already in use',
		contextId: 'ctx-123',
		method: 'POST',
		path: '/api/v2/users',
		details: [{ fieldName: 'email' }],
	});

	it('is an n8n NodeApiError that n8n recognises by name', () => {
		expect(conflict).toBeInstanceOf(NodeApiError);
		expect(conflict.name).toBe('NodeApiError');
		expect(conflict.httpCode).toBe('409');
	});

	it('carries the Genesys fields and a description naming method, path, code and correlation id', () => {
		expect(conflict).toMatchObject({
			status: 409,
			code: 'general.conflict',
			contextId: 'ctx-123',
			method: 'POST',
			path: '/api/v2/users',
			maybeApplied: false,
			kind: 'response',
			message: 'The email address is already in use',
		});
		expect(conflict.description).toContain('POST /api/v2/users');
		expect(conflict.description).toContain('general.conflict');
		expect(conflict.description).toContain('ctx-123');
		expect(conflict.description).toContain('email');
	});

	it('keeps its own message even when it mentions a network code n8n would rewrite', () => {
		const error = new GenesysApiError(STANDALONE_NODE, {
			status: 0,
			code: 'ECONNRESET',
			message: 'No response from Genesys Cloud (ECONNRESET); the request may have been applied',
			method: 'POST',
			path: '/api/v2/users',
			maybeApplied: true,
		});
		expect(error.message).toBe('No response from Genesys Cloud (ECONNRESET); the request may have been applied');
		expect(error.httpCode).toBeNull();
		expect(error.kind).toBe('network');
		expect(error.description).toMatch(/may have been applied/);
	});

	it('redacts anything token-shaped', () => {
		const error = new GenesysApiError(STANDALONE_NODE, {
			status: 400,
			message: 'echo: Authorization: Bearer abc.def-ghi and access_token=xyz',
			method: 'GET',
			path: '/api/v2/x',
		});
		expect(error.message).not.toMatch(/abc\.def-ghi|xyz/);
		expect(redactSecrets('Basic dXNlcjpwYXNz')).toBe('Basic [redacted]');
		expect(redactSecrets('{"clientSecret":"s3cret"}')).not.toContain('s3cret');
	});
});

describe('isGenesysError', () => {
	const notFound = new GenesysApiError(STANDALONE_NODE, {
		status: 404,
		code: 'not.found',
		message: 'nope',
		method: 'GET',
		path: '/api/v2/users/1',
	});

	it('matches by status and code', () => {
		expect(isGenesysError(notFound)).toBe(true);
		expect(isGenesysError(notFound, { status: 404 })).toBe(true);
		expect(isGenesysError(notFound, { status: [409, 404] })).toBe(true);
		expect(isGenesysError(notFound, { status: 409 })).toBe(false);
		expect(isGenesysError(notFound, { code: 'not.found' })).toBe(true);
		expect(isGenesysError(notFound, { status: 404, code: 'general.conflict' })).toBe(false);
	});

	it('rejects everything else', () => {
		expect(isGenesysError(new Error('x'))).toBe(false);
		expect(isGenesysError(new NodeApiError(STANDALONE_NODE, { message: 'x' }))).toBe(false);
		expect(isGenesysError(undefined)).toBe(false);
		expect(isGenesysError({ status: 404 })).toBe(false);
	});
});

describe('parseErrorBody', () => {
	it('reads ErrorBody fields from objects and JSON text, leniently', () => {
		expect(
			parseErrorBody({ message: 'm', code: 'c', status: 400, contextId: 'x', details: [{ fieldName: 'f' }], extra: 1 }),
		).toEqual({ message: 'm', code: 'c', status: 400, contextId: 'x', details: [{ fieldName: 'f' }] });
		expect(parseErrorBody('{"code":"bad.request"}')).toEqual({ code: 'bad.request' });
		expect(parseErrorBody('<html>502</html>')).toEqual({});
		expect(parseErrorBody(undefined)).toEqual({});
		expect(parseErrorBody({ message: 5 })).toEqual({});
		expect(parseErrorBody({ message: 'm', details: 'nonsense' })).toEqual({ message: 'm' });
	});

	it('keeps a short, tag-free excerpt of non-JSON bodies', () => {
		expect(bodyExcerpt('<html><body><h1>502 Bad Gateway</h1></body></html>')).toBe('502 Bad Gateway');
		expect(bodyExcerpt({})).toBeUndefined();
		expect((bodyExcerpt('x'.repeat(1000)) ?? '').length).toBeLessThanOrEqual(161);
	});
});

describe('API paths', () => {
	it.each([
		['https://evil.example/api/v2/users', /absolute/],
		['http://127.0.0.1/api/v2/users', /absolute/],
		['//evil.example/api/v2/users', /protocol-relative/],
		['/api/v2/users/../../oauth/token', /dot segments/],
		['/api/v2/users/%2e%2e/x', /dot segments/],
		['/api/v2/users\\..\\x', /backslash/],
		['/api/v2/users/%5c', /backslash/],
		['/api/v2/users/ x', /whitespace/],
		['/api/v2/users\n', /whitespace/],
		['/api/v2/users#x', /fragment/],
		['/api/v1/users', /must start with \/api\/v2\//],
		['users', /must start with/],
		['', /empty/],
		['/api/v2/users/%zz', /percent-encoding/],
	])('refuses %j', (path, reason) => {
		const check = checkApiPath(path);
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.reason).toMatch(reason);
	});

	it('accepts relative API paths, with encoded segments and a query', () => {
		expect(checkApiPath('/api/v2/users/abc')).toEqual({ ok: true, path: '/api/v2/users/abc' });
		expect(checkApiPath('/api/v2/users/a%40b.com').ok).toBe(true);
		expect(checkApiPath('/api/v2/analytics/users/details/jobs/1/results?cursor=abc').ok).toBe(true);
	});

	it('joins onto the API base and stays on its host and path', () => {
		expect(joinApiUrl('https://api.mypurecloud.com', '/api/v2/users')).toBe('https://api.mypurecloud.com/api/v2/users');
		expect(joinApiUrl('http://127.0.0.1:8080/', '/api/v2/users')).toBe('http://127.0.0.1:8080/api/v2/users');
		expect(joinApiUrl('http://127.0.0.1:8080/prefix', '/api/v2/users')).toBe('http://127.0.0.1:8080/prefix/api/v2/users');
		expect(joinApiUrl('not a url', '/api/v2/users')).toBeUndefined();
	});

	it('GenesysRequestRefused is a NodeOperationError with guidance', () => {
		const refused = new GenesysRequestRefused(STANDALONE_NODE, 'https://evil.example/x', 'absolute URLs are not allowed');
		expect(refused).toBeInstanceOf(NodeOperationError);
		expect(refused.name).toBe('NodeOperationError');
		expect(refused.message).toContain('absolute URLs are not allowed');
		expect(refused.description).toMatch(/relative/);
	});
});

describe('token failure text', () => {
	it('round-trips status and code through the message (all n8n 1.x keeps)', () => {
		expect(parseTokenFailure(new GenesysTokenError(401, 'invalid_client', 'bad client').message)).toEqual({
			status: 401,
			code: 'invalid_client',
			detail: 'bad client',
		});
		expect(parseTokenFailure(new GenesysTokenError(307, 'redirect', 'to evil.example:8443, not followed').message)).toEqual({
			status: 307,
			code: 'redirect',
			detail: 'to evil.example:8443, not followed',
		});
		expect(parseTokenFailure(new GenesysTokenError(0, 'ECONNREFUSED').message)).toEqual({ status: 0, code: 'ECONNREFUSED' });
		expect(parseTokenFailure(new GenesysTokenError(0, 'invalid_configuration', 'no secret').message)).toEqual({
			status: 0,
			code: 'invalid_configuration',
		});
		expect(parseTokenFailure('something else')).toBeUndefined();
	});

	it('finds network codes in error chains and texts', () => {
		expect(networkErrorCode(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
		expect(networkErrorCode(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBe(
			'ECONNREFUSED',
		);
		expect(networkErrorCode(Object.assign(new Error('timeout of 50ms exceeded'), { code: 'ECONNABORTED' }))).toBe('ETIMEDOUT');
		expect(networkErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(networkErrorCode('nothing')).toBe('UNKNOWN');
	});
});

describe('cleanFailure (what the n8n sender throws instead of n8n errors)', () => {
	const secretHeaders = { headers: { Authorization: 'Bearer very-secret-token' } };

	it('turns a wrapped network error into a bare SenderNetworkError', () => {
		const axiosLike = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', config: secretHeaders });
		const wrapped = new NodeApiError(STANDALONE_NODE, axiosLike as unknown as ConstructorParameters<typeof NodeApiError>[1]);
		const clean = cleanFailure(wrapped);
		expect(clean).toBeInstanceOf(SenderNetworkError);
		expect(clean).toMatchObject({ code: 'ECONNRESET', sent: true });
		expect(JSON.stringify(clean)).not.toContain('very-secret-token');
		expect(clean.cause).toBeUndefined();
	});

	it('recognises a refused connection as not sent', () => {
		const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		expect(cleanFailure(axiosLike)).toMatchObject({ code: 'ECONNREFUSED', sent: false });
	});

	it('recognises a token failure from its message alone', () => {
		const wrapped = new NodeApiError(STANDALONE_NODE, new GenesysTokenError(401, 'invalid_client', 'nope') as unknown as ConstructorParameters<typeof NodeApiError>[1]);
		const clean = cleanFailure(wrapped);
		expect(clean).toBeInstanceOf(SenderTokenError);
		expect(clean).toMatchObject({ status: 401, code: 'invalid_client' });
	});

	it('returns the cancellation reason when the execution was stopped', () => {
		const controller = new AbortController();
		const reason = new Error('cancelled by user');
		controller.abort(reason);
		expect(cleanFailure(new Error('canceled'), controller.signal)).toBe(reason);
	});
});

describe('isOutageFailure', () => {
	const make = (init: Partial<ConstructorParameters<typeof GenesysApiError>[1]>) =>
		new GenesysApiError(STANDALONE_NODE, { status: 0, message: 'x', method: 'POST', path: '/api/v2/users', ...init });

	it('counts 5xx and missing answers (network, deadline, login host unreachable)', () => {
		expect(isOutageFailure(make({ status: 503 }))).toBe(true);
		expect(isOutageFailure(make({ status: 502, maybeApplied: true }))).toBe(true);
		expect(isOutageFailure(make({ code: 'ECONNRESET', kind: 'network' }))).toBe(true);
		expect(isOutageFailure(make({ code: 'ETIMEDOUT', kind: 'deadline' }))).toBe(true);
		expect(isOutageFailure(make({ code: 'ECONNREFUSED', kind: 'token' }))).toBe(true);
	});

	it('does not count throttling, refusals, redirects, bad answers, bad setup or non-Genesys errors', () => {
		expect(isOutageFailure(make({ status: 429, kind: 'deadline' }))).toBe(false);
		expect(isOutageFailure(make({ status: 429, kind: 'dailyLimit' }))).toBe(false);
		expect(isOutageFailure(make({ status: 409, code: 'general.conflict' }))).toBe(false);
		expect(isOutageFailure(make({ status: 307, kind: 'redirect' }))).toBe(false);
		expect(isOutageFailure(make({ status: 200, code: 'invalid.response' }))).toBe(false);
		expect(isOutageFailure(make({ code: 'invalid_configuration', kind: 'token' }))).toBe(false);
		expect(isOutageFailure(make({ code: 'UNKNOWN', kind: 'network' }))).toBe(false);
		expect(isOutageFailure(new Error('ECONNRESET'))).toBe(false);
	});
});

describe('redirectTarget', () => {
	it('names only the host, resolved against the request URL', () => {
		expect(redirectTarget('https://evil.example:8443/steal?token=abc', 'https://api.mypurecloud.com/api/v2/users')).toBe('evil.example:8443');
		expect(redirectTarget('/login', 'https://api.mypurecloud.com/api/v2/users')).toBe('api.mypurecloud.com');
		expect(redirectTarget(undefined, 'https://api.mypurecloud.com')).toBe('(no Location)');
		expect(redirectTarget('http://[bad', 'https://api.mypurecloud.com')).toBe('(unreadable Location)');
	});
});
