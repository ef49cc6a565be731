/**
 * Outbound contact lists (see outbound.ts): the import status, the contact count terraform falls back to
 * (POST .../contacts/search, `contactsCount`), and the list itself (`includeSize`, `includeImportStatus`).
 */
import type { EmulatorCore } from '../core';
import { notFound, ok, type RouteResult } from '../errors';
import { route, type RequestInfo, type Route } from '../router';
import { ContactListingRequestSchema, parseBody } from '../validation';

const BASE = '/api/v2/outbound/contactlists';

function unknownList(id: string): RouteResult {
	return notFound(`Contact list ${id} not found`, id);
}

function importStatus(core: EmulatorCore, req: RequestInfo): RouteResult {
	const status = core.outbound.importStatus(req.params.contactListId);
	return status === undefined ? unknownList(req.params.contactListId) : ok(status);
}

/** ContactListingResponse: `contactsCount` is what terraform reads; the entities are placeholders. */
function searchContacts(core: EmulatorCore, req: RequestInfo): RouteResult {
	const id = req.params.contactListId;
	if (!core.catalog.contactLists.has(id)) return unknownList(id);
	const parsed = parseBody(ContactListingRequestSchema, req.body ?? {});
	if (parsed.error) return parsed.error;
	const count = core.outbound.contactCount(id);
	const pageSize = parsed.data.pageSize ?? 25;
	const pageNumber = parsed.data.pageNumber ?? 1;
	const first = (pageNumber - 1) * pageSize;
	const entities = Array.from({ length: Math.max(0, Math.min(pageSize, count - first)) }, (_, i) => ({
		id: `contact-${first + i + 1}`,
		contactListId: id,
		data: {},
		callable: true,
	}));
	return ok({ entities, pageSize, pageNumber, total: count, contactsCount: count, pageCount: Math.ceil(count / pageSize) });
}

function getContactList(core: EmulatorCore, req: RequestInfo): RouteResult {
	const id = req.params.contactListId;
	const list = core.catalog.contactLists.get(id);
	if (list === undefined) return unknownList(id);
	const body: Record<string, unknown> = { id, name: list.name, version: 1, selfUri: `${BASE}/${id}` };
	if (req.query.includeSize === 'true') body.size = core.outbound.contactCount(id);
	if (req.query.includeImportStatus === 'true') body.importStatus = core.outbound.importStatus(id);
	return ok(body);
}

export const outboundRoutes: Route[] = [
	route('GET', `${BASE}/{contactListId}/importstatus`, importStatus),
	route('POST', `${BASE}/{contactListId}/contacts/search`, searchContacts),
	route('GET', `${BASE}/{contactListId}`, getContactList),
];
