/**
 * A second HTTP server on loopback that records everything it receives and answers 200. Redirect tests point
 * the emulator's Location at it: a client that follows a redirect shows up here, with the headers and body
 * it handed over.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrappedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface TrapServer {
	url: string;
	/** Host as it appears in a URL (`127.0.0.1:<port>`). */
	host: string;
	received: TrappedRequest[];
	close(): Promise<void>;
}

export async function startTrap(): Promise<TrapServer> {
	const received: TrappedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			res.writeHead(200, { 'Content-Type': 'application/json' });
			// Looks like success to a client that followed: a token, a user, an organization.
			res.end(JSON.stringify({ id: 'trapped', access_token: 'trapped-token', expires_in: 86400, results: [] }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		received,
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closed;
		},
	};
}
