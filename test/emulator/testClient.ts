/**
 * A bare HTTP client for the emulator's own tests (global fetch, no retries, no pacing), so each test sees
 * exactly what the emulator answered.
 */
import { DEFAULT_CLIENT } from './core';

export interface ApiResponse {
	status: number;
	// Tests read arbitrary JSON fields; the emulator's answers are what is under test.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	headers: Headers;
}

export function basicAuth(clientId: string, clientSecret: string): string {
	return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export async function requestToken(
	url: string,
	client: { clientId: string; clientSecret: string } = DEFAULT_CLIENT,
	form = 'grant_type=client_credentials',
): Promise<ApiResponse> {
	const res = await fetch(`${url}/oauth/token`, {
		method: 'POST',
		headers: { Authorization: basicAuth(client.clientId, client.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form,
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export class TestClient {
	token = '';

	constructor(
		readonly url: string,
		private readonly client: { clientId: string; clientSecret: string } = DEFAULT_CLIENT,
	) {}

	async login(): Promise<this> {
		const res = await requestToken(this.url, this.client);
		if (res.status !== 200) throw new Error(`token request failed with ${res.status}`);
		this.token = res.body.access_token;
		return this;
	}

	async call(
		method: string,
		path: string,
		body?: unknown,
		options: { token?: string | null; headers?: Record<string, string>; rawBody?: string } = {},
	): Promise<ApiResponse> {
		const headers: Record<string, string> = { ...options.headers };
		const token = options.token === undefined ? this.token : options.token;
		if (token !== null) headers.Authorization = `Bearer ${token}`;
		let payload: string | undefined = options.rawBody;
		if (body !== undefined) {
			payload = JSON.stringify(body);
			headers['Content-Type'] ??= 'application/json';
		}
		const res = await fetch(`${this.url}${path}`, { method, headers, body: payload });
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
	}

	get(path: string): Promise<ApiResponse> {
		return this.call('GET', path);
	}

	post(path: string, body?: unknown): Promise<ApiResponse> {
		return this.call('POST', path, body);
	}

	patch(path: string, body?: unknown): Promise<ApiResponse> {
		return this.call('PATCH', path, body);
	}

	put(path: string, body?: unknown): Promise<ApiResponse> {
		return this.call('PUT', path, body);
	}

	delete(path: string): Promise<ApiResponse> {
		return this.call('DELETE', path);
	}

	createUser(body: Record<string, unknown>): Promise<ApiResponse> {
		return this.post('/api/v2/users', body);
	}

	searchByEmail(email: string, extra: Array<Record<string, unknown>> = []): Promise<ApiResponse> {
		return this.post('/api/v2/users/search', {
			query: [{ type: 'EXACT', fields: ['email'], value: email }, ...extra],
		});
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
