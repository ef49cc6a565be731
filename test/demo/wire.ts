/**
 * Counts the HTTP calls the workflow makes to Genesys, as they leave the process: Node's `http` client
 * publishes every request and response on diagnostics channels, whichever library (n8n's axios) sends
 * them. Works the same against the emulator and a real org; nothing of a request but its method, host,
 * path and status is kept (never a header or a body).
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface NodeWireStats {
	/** API calls (`/api/v2/...`) sent while the node ran, retries included. */
	requests: number;
	/**
	 * API calls sent again after a 429, a 5xx or no answer: a later call with the same method and path. The
	 * transport's retries, plus a create the node sends again after looking up a failed one.
	 */
	retries: number;
	/** 429 answers. */
	throttled: number;
	/** 5xx answers. */
	serverErrors: number;
	/** Calls that got no answer (reset, refused, timed out). */
	networkErrors: number;
}

export interface WireStats {
	byNode: Record<string, NodeWireStats>;
	/** Token requests (`/oauth/token`). */
	tokenRequests: number;
	/** API calls of all nodes. */
	apiRequests: number;
}

interface Sent {
	key: string;
	node: string;
}

const OUTSIDE_NODES = '(outside any node)';

function emptyStats(): NodeWireStats {
	return { requests: 0, retries: 0, throttled: 0, serverErrors: 0, networkErrors: 0 };
}

/** Method and path without query: what a resend repeats. */
function requestKey(request: ClientRequest): string {
	return `${request.method} ${request.path.split('?')[0]}`;
}

export class WireCounter {
	private readonly sent = new WeakMap<ClientRequest, Sent>();
	/** Failed calls per key that have not been sent again yet. */
	private readonly unanswered = new Map<string, number>();
	private readonly byNode = new Map<string, NodeWireStats>();
	private tokenRequests = 0;
	private currentNode = OUTSIDE_NODES;
	private readonly listeners: Array<[string, (message: unknown) => void]>;

	/** `hosts`: host names of the Genesys API and login servers (others are ignored). */
	/** `hosts`: host names (any port), or host:port to count one server only (e.g. one emulator of many). */
	constructor(private readonly hosts: ReadonlySet<string>) {
		this.listeners = [
			['http.client.request.start', (message) => this.onStart((message as { request: ClientRequest }).request)],
			[
				'http.client.response.finish',
				(message) => {
					const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
					this.onAnswer(request, response.statusCode ?? 0);
				},
			],
			['http.client.request.error', (message) => this.onAnswer((message as { request: ClientRequest }).request, 0)],
		];
	}

	start(): void {
		for (const [channel, listener] of this.listeners) diagnostics.subscribe(channel, listener);
	}

	stop(): void {
		for (const [channel, listener] of this.listeners) diagnostics.unsubscribe(channel, listener);
	}

	/** The node the engine runs now (n8n runs one node at a time in a workflow like the examples). */
	enterNode(name: string | undefined): void {
		this.currentNode = name ?? OUTSIDE_NODES;
	}

	stats(): WireStats {
		const byNode: Record<string, NodeWireStats> = {};
		let apiRequests = 0;
		for (const [node, stats] of this.byNode) {
			byNode[node] = { ...stats };
			apiRequests += stats.requests;
		}
		return { byNode, tokenRequests: this.tokenRequests, apiRequests };
	}

	private counts(request: ClientRequest): boolean {
		const hostHeader = request.getHeader('host');
		return this.hosts.has(request.host) || (typeof hostHeader === 'string' && this.hosts.has(hostHeader));
	}

	private nodeStats(node: string): NodeWireStats {
		let stats = this.byNode.get(node);
		if (stats === undefined) {
			stats = emptyStats();
			this.byNode.set(node, stats);
		}
		return stats;
	}

	private onStart(request: ClientRequest): void {
		if (!this.counts(request)) return;
		if (request.path.startsWith('/oauth/token')) {
			this.tokenRequests++;
			return;
		}
		const key = requestKey(request);
		const stats = this.nodeStats(this.currentNode);
		stats.requests++;
		const pending = this.unanswered.get(key) ?? 0;
		if (pending > 0) {
			stats.retries++;
			this.unanswered.set(key, pending - 1);
		}
		this.sent.set(request, { key, node: this.currentNode });
	}

	private onAnswer(request: ClientRequest, status: number): void {
		const sent = this.sent.get(request);
		if (sent === undefined) return;
		this.sent.delete(request);
		const stats = this.nodeStats(sent.node);
		if (status === 429) stats.throttled++;
		else if (status >= 500) stats.serverErrors++;
		else if (status === 0) stats.networkErrors++;
		else return;
		this.unanswered.set(sent.key, (this.unanswered.get(sent.key) ?? 0) + 1);
	}
}
