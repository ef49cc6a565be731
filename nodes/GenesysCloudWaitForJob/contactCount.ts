/**
 * Outbound contact-list imports: a small upload is applied at once and its import status may never change.
 * Terraform's genesyscloud_outbound_contact_list then counts the list's contacts (POST
 * .../contacts/search, `contactsCount`) and calls the import done when the count equals the CSV's rows. The
 * node does the same when the item gives the number of contacts to expect.
 */
import type { ResolvedJobKind, StatusRule } from './jobKinds';
import { renderPath } from './jobKinds';
import { isSilentStatus } from './poll';

/** How one item's wait counts contacts. */
export interface ContactCountPlan {
	path: string;
	field: string;
	expected: number;
}

export type ReadParameter = (name: string) => unknown;

export type CountSetup =
	| { ok: true; rule: StatusRule; count?: ContactCountPlan }
	| { ok: false; label: string; value: string };

/** Label of the parameter, for errors and the description. */
export const EXPECTED_CONTACT_COUNT_LABEL = 'Expected Contact Count';

/**
 * The item's status rule with the count fallback when the kind has one and the item expects a positive
 * number of contacts (0, the default, waits for the import status alone).
 */
export function setUpContactCount(
	kind: ResolvedJobKind,
	ids: Readonly<Record<string, string>>,
	read: ReadParameter,
): CountSetup {
	const fallback = kind.contactCount;
	const done = kind.status.absentMeansDone;
	if (fallback === undefined || done === undefined) return { ok: true, rule: kind.status };
	const raw = read(fallback.param);
	const expected = raw === undefined || raw === null || raw === '' ? 0 : Number(raw);
	if (!Number.isInteger(expected) || expected < 0) {
		return { ok: false, label: EXPECTED_CONTACT_COUNT_LABEL, value: String(raw) };
	}
	const rendered = renderPath(fallback.path, ids);
	if (expected === 0 || !rendered.ok) return { ok: true, rule: kind.status };
	const count = { path: rendered.path, field: fallback.field, expected };
	const rule: StatusRule = { ...kind.status, absentMeansDone: { ...done, count: { field: count.field, expected } } };
	return { ok: true, rule, count };
}

export type CountRequest = (path: string, body: Record<string, number>) => Promise<unknown>;

/**
 * Wraps a status request: a status that says nothing (no state, not 100 %) gets the list's current contact
 * count added under `count.field`, for the status rule to judge. One contact per page keeps the answer small;
 * `contactsCount` is the list's total whatever the page.
 */
export function countingStatus(
	fetchStatus: () => Promise<unknown>,
	count: ContactCountPlan,
	rule: StatusRule,
	post: CountRequest,
): () => Promise<unknown> {
	return async () => {
		const body = await fetchStatus();
		if (!isSilentStatus(body, rule)) return body;
		const listing = await post(count.path, { pageNumber: 1, pageSize: 1 });
		const counted = (listing as Record<string, unknown> | null)?.contactsCount;
		if (typeof counted !== 'number') return body;
		return { ...(body as Record<string, unknown>), [count.field]: counted };
	};
}
