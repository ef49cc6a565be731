/**
 * What a new user is created as. Genesys makes a user created without `state` inactive unless an invitation
 * follows (SDK CreateUser doc; docs/GENESYS.md, "Users"), so the node always sends one: the row's, else the
 * New User State option.
 */
import type { CreateUserBody } from '../input/schema';
import type { BulkCreateSettings, NewUserState, ValidRow } from '../types';

/** The state a created user gets: the row's own, else the node's default. */
export function newUserState(row: ValidRow, settings: Pick<BulkCreateSettings, 'newUserState'>): NewUserState {
	return row.create.state ?? settings.newUserState;
}

/** The CreateUser body sent for a row: its mapped fields, always with a `state`. */
export function newUserBody(row: ValidRow, settings: Pick<BulkCreateSettings, 'newUserState'>): CreateUserBody {
	return { ...row.create, state: newUserState(row, settings) };
}
