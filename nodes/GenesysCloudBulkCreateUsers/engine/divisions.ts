/**
 * The division a role grant goes to when the row gives none: the user's own, that is the row's divisionId,
 * else the org's home division (where Genesys puts a user created without one). Terraform's
 * genesyscloud_user_roles does the same; `*` (every division, current and future) is only ever sent when
 * asked for (docs/GENESYS.md, "Follow-up requests").
 */
import type { GenesysApi } from '../../GenesysCloud/genesysApi';
import { settle } from '../../GenesysCloud/settle';
import type { RoleGrant, ValidRow } from '../types';

export const HOME_DIVISION_PATH = '/api/v2/authorization/divisions/home';

/** The home division as read once per run: its id, or why it could not be read. */
export type HomeDivision = { ok: true; id: string } | { ok: false; error: unknown };

/** True when one of the row's grants needs the home division. */
export function needsHomeDivision(row: ValidRow): boolean {
	return row.create.divisionId === undefined && row.followUps.roles.some((grant) => grant.divisionId === undefined);
}

/** GET /api/v2/authorization/divisions/home. Never throws: a failure is reported on the rows that need it. */
export async function readHomeDivision(api: GenesysApi): Promise<HomeDivision> {
	const read = await settle(() =>
		api.request<{ id?: unknown }>({ method: 'GET', path: HOME_DIVISION_PATH, idempotent: true }),
	);
	if (!read.ok) return { ok: false, error: read.error };
	const id = read.value?.id;
	if (typeof id === 'string' && id !== '') return { ok: true, id };
	return { ok: false, error: new Error('Genesys Cloud returned no home division') };
}

/** The division a grant is sent with; undefined only when it needs the home division and that is unknown. */
export function grantDivision(grant: RoleGrant, row: ValidRow, home: HomeDivision | undefined): string | undefined {
	if (grant.divisionId !== undefined) return grant.divisionId;
	if (row.create.divisionId !== undefined) return row.create.divisionId;
	return home?.ok ? home.id : undefined;
}
