/**
 * Admin API under /__emulator/ for out-of-process users (the e2e run with the n8n CLI, the demo): inspect
 * state, requests and stats, change faults, reset, script jobs. No auth, loopback only, never recorded in
 * the request log and never subject to faults or rate limits.
 */
import { z } from 'zod';

import type { EmulatorCore } from '../core';
import { badRequest, noContent, ok, type RouteResult } from '../errors';
import { route, type RequestInfo, type Route } from '../router';
import { parseBody } from '../validation';

const StepSchema = z.object({ httpStatus: z.number().int().optional(), body: z.record(z.unknown()).optional() }).strict();
const ScriptSchema = z
	.object({
		path: z.string().startsWith('/'),
		polls: z.array(StepSchema).optional(),
		timeline: z.array(StepSchema.extend({ atMs: z.number().min(0) }).strict()).optional(),
	})
	.strict();
const PagesSchema = z.object({ path: z.string().startsWith('/'), pages: z.array(z.record(z.unknown())).min(1) }).strict();
const SeedUsersSchema = z.array(
	z
		.object({
			id: z.string().optional(),
			name: z.string().min(1),
			email: z.string().email(),
			state: z.enum(['active', 'inactive', 'deleted']).optional(),
			title: z.string().optional(),
			department: z.string().optional(),
			divisionId: z.string().optional(),
		})
		.strict(),
);

const CatalogEntrySchema = z.object({ kind: z.enum(['role', 'division']), id: z.string().min(1), name: z.string().optional() }).strict();
const ContactImportSchema = z
	.object({
		contactListId: z.string().min(1),
		rows: z.number().int().min(0),
		statusUpdates: z.boolean().optional(),
		durationMs: z.number().min(0).optional(),
		failureReason: z.string().optional(),
	})
	.strict();

function mapOfArrays<T>(map: Map<string, T[]>): Record<string, T[]> {
	return Object.fromEntries([...map.entries()].map(([key, list]) => [key, [...list]]));
}

function mapOfSets(map: Map<string, Set<string>>): Record<string, string[]> {
	return Object.fromEntries([...map.entries()].map(([key, set]) => [key, [...set]]));
}

/** JSON form of EmulatorState: Maps become objects, Sets arrays. */
export function stateSnapshot(core: EmulatorCore): Record<string, unknown> {
	const state = core.state;
	return {
		users: [...state.users.values()],
		externalIds: mapOfArrays(state.externalIds),
		grants: mapOfArrays(state.grants),
		skills: mapOfArrays(state.skills),
		queueMembers: mapOfSets(state.queueMembers),
		joinedQueues: mapOfSets(state.joinedQueues),
		invites: [...state.invites],
		inviteRequests: [...state.inviteRequests],
		passwords: [...state.passwords],
		passwordAttempts: [...state.passwordAttempts],
		analyticsJobs: [...core.jobs.analytics.values()].map(({ records, ...job }) => ({ ...job, resultCount: records.length })),
	};
}

/** Turns a thrown RangeError (bad fault knob, bad script) into a 400 instead of a 500. */
function guarded(action: () => RouteResult): RouteResult {
	try {
		return action();
	} catch (error) {
		if (error instanceof Error) return badRequest(error.message);
		throw error;
	}
}

function postFaults(core: EmulatorCore, req: RequestInfo): RouteResult {
	if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) return badRequest('Send a JSON object of fault knobs');
	return guarded(() => {
		core.setFaults(req.body as Record<string, never>);
		return ok(core.faults);
	});
}

function postScript(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(ScriptSchema, req.body);
	if (parsed.error) return parsed.error;
	const { path, ...script } = parsed.data;
	return guarded(() => {
		core.jobs.script(path, script);
		return noContent();
	});
}

function postPages(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(PagesSchema, req.body);
	if (parsed.error) return parsed.error;
	return guarded(() => {
		core.jobs.pages(parsed.data.path, parsed.data.pages);
		return noContent();
	});
}

function postUsers(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(SeedUsersSchema, req.body);
	if (parsed.error) return parsed.error;
	return guarded(() => ok(core.seedUsers(parsed.data)));
}

/** A role or division created while the emulator runs (subject to authCacheLagMs). */
function postCatalog(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(CatalogEntrySchema, req.body);
	if (parsed.error) return parsed.error;
	const { kind, id, name } = parsed.data;
	return guarded(() => {
		if (kind === 'role') core.catalog.addRole(id, name, core.now());
		else core.catalog.addDivision(id, name, core.now());
		return noContent();
	});
}

function postContactImport(core: EmulatorCore, req: RequestInfo): RouteResult {
	const parsed = parseBody(ContactImportSchema, req.body);
	if (parsed.error) return parsed.error;
	const { contactListId, rows, ...options } = parsed.data;
	return guarded(() => {
		core.outbound.importContacts(contactListId, rows, options);
		return noContent();
	});
}

export const adminRoutes: Route[] = [
	route('GET', '/__emulator/state', (core) => ok(stateSnapshot(core))),
	route('GET', '/__emulator/requests', (core, req) => {
		const since = Number(req.query.since ?? 0) || 0;
		return ok(core.requests.filter((r) => r.seq > since));
	}),
	route('GET', '/__emulator/stats', (core) => ok(core.stats)),
	route('GET', '/__emulator/faults', (core) => ok(core.faults)),
	route('POST', '/__emulator/faults', postFaults),
	route('POST', '/__emulator/faults/clear', (core) => {
		core.clearFaults();
		return ok(core.faults);
	}),
	route('POST', '/__emulator/tokens/expire', (core) => {
		core.tokens.expireAll(core.now());
		return noContent();
	}),
	route('POST', '/__emulator/reset', (core) => {
		core.reset();
		return noContent();
	}),
	route('POST', '/__emulator/users', postUsers),
	route('POST', '/__emulator/jobs/script', postScript),
	route('POST', '/__emulator/jobs/pages', postPages),
	route('POST', '/__emulator/catalog', postCatalog),
	route('POST', '/__emulator/outbound/import', postContactImport),
	route('GET', '/__emulator/jobs/pollcount', (core, req) => ok({ path: req.query.path, count: core.jobs.pollCount(req.query.path ?? '') })),
];
