/**
 * A minimal method + path-template router: `/api/v2/users/{userId}` binds `userId`. Routes are tried in order,
 * so literal paths (`/users/search`) are listed before templates that would also match them.
 */
import type { EmulatorCore } from './core';
import type { RouteResult } from './errors';

export interface RequestInfo {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	params: Record<string, string>;
	/** Set once the bearer token was accepted. */
	tokenId?: string;
	clientId?: string;
}

export type Handler = (core: EmulatorCore, req: RequestInfo) => RouteResult;

export interface Route {
	method: string;
	template: string;
	pattern: RegExp;
	keys: string[];
	handler: Handler;
}

export function route(method: string, template: string, handler: Handler): Route {
	const keys: string[] = [];
	const source = template
		.split('/')
		.map((segment) => {
			const param = /^\{(\w+)\}$/.exec(segment);
			if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			keys.push(param[1]);
			return '([^/]+)';
		})
		.join('/');
	return { method, template, pattern: new RegExp(`^${source}$`), keys, handler };
}

export type RouteMatch =
	| { kind: 'found'; route: Route; params: Record<string, string> }
	| { kind: 'wrongMethod' }
	| { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
	let pathMatched = false;
	for (const candidate of routes) {
		const match = candidate.pattern.exec(path);
		if (match === null) continue;
		if (candidate.method !== method) {
			pathMatched = true;
			continue;
		}
		const params: Record<string, string> = {};
		candidate.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1])));
		return { kind: 'found', route: candidate, params };
	}
	return pathMatched ? { kind: 'wrongMethod' } : { kind: 'none' };
}
