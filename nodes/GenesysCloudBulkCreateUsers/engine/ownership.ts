/**
 * After a create whose answer was lost (a 5xx, a reset, a timeout: the POST may or may not have been applied),
 * is the user now holding the email the one this run's POST made? Pure.
 *
 * The rule: the user is this run's only when nothing Genesys returns tells it apart from the user the POST
 * would have made, untouched since:
 *   * it is live and holds the email;
 *   * it holds exactly the CreateUser values sent (name, department, title, division and state when sent,
 *     the phone addresses) and none of those that were not sent;
 *   * it is at the version Genesys gives a new user (every write raises `version`; docs/GENESYS.md, "Users"),
 *     and has no manager, no login (`dateLastLogin`) and no invitation sent (`dateWelcomeSent`).
 * Anything else is not provably this run's, and the existing-user policy decides. A User carries no creation
 * date and no creator, so nothing finer is available: a user someone else created seconds before with exactly
 * these values, and left untouched, is indistinguishable from this run's, and is the user the row describes.
 */
import type { CreateUserBody } from '../input/schema';
import type { GenesysUser, UserContact } from './userApi';
import { emailKey, isDeleted } from './userApi';

/** The version of a user nobody has changed since its create, until a clean create of the run shows another. */
export const NEW_USER_VERSION = 1;

export type Ownership = { ours: true } | { ours: false; reason: string };

function blank(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** Sent text held as sent; text not sent not held at all (someone else filled it in). */
function textProblem(label: string, sent: string | undefined, held: unknown): string | undefined {
	if (sent === undefined) return blank(held) ? undefined : `it has a ${label} the row does not give`;
	return held === sent ? undefined : `its ${label} differs from the row's`;
}

/** Phone numbers compared by their digits: Genesys may store them formatted differently. */
function phoneKey(contact: UserContact): string {
	const digits = typeof contact.address === 'string' ? contact.address.replace(/\D/g, '') : '';
	return `${contact.mediaType ?? ''}|${contact.type ?? ''}|${digits}|${contact.extension ?? ''}`;
}

function addressProblem(sent: CreateUserBody['addresses'], user: GenesysUser): string | undefined {
	const email = typeof user.email === 'string' ? emailKey(user.email) : '';
	// The login email may be listed among the addresses; it is not one of the phones sent.
	const held = (user.addresses ?? []).filter(
		(contact) => !(contact.mediaType === 'EMAIL' && typeof contact.address === 'string' && emailKey(contact.address) === email),
	);
	const wanted = (sent ?? []).map(phoneKey).sort();
	const have = held.map(phoneKey).sort();
	if (wanted.length === have.length && wanted.every((key, index) => key === have[index])) return undefined;
	return 'its phone numbers differ from the row\'s';
}

function historyProblem(user: GenesysUser, newVersion: number): string | undefined {
	if (user.version !== newVersion) {
		return `it was changed after its create (version ${String(user.version)}, a new user has ${newVersion})`;
	}
	const manager = user.manager;
	if (!blank(manager) && !(typeof manager === 'object' && blank(manager?.id))) return 'it already has a manager';
	if (!blank(user.dateLastLogin)) return 'someone has already logged in as this user';
	if (!blank(user.dateWelcomeSent)) return 'an invitation was already sent to this user';
	return undefined;
}

/** Whether `user` is provably the one made by POSTing `sent`; otherwise why not. */
export function judgeOwnership(sent: CreateUserBody, user: GenesysUser, newVersion = NEW_USER_VERSION): Ownership {
	const problem =
		(isDeleted(user) ? 'it is deleted' : undefined) ??
		(typeof user.email === 'string' && emailKey(user.email) === emailKey(sent.email) ? undefined : 'its email differs') ??
		textProblem('name', sent.name, user.name) ??
		textProblem('department', sent.department, user.department) ??
		textProblem('title', sent.title, user.title) ??
		(sent.divisionId === undefined || user.division?.id === sent.divisionId ? undefined : 'its division differs from the row\'s') ??
		(sent.state === undefined || user.state === sent.state ? undefined : 'its state differs from the row\'s') ??
		addressProblem(sent.addresses, user) ??
		historyProblem(user, newVersion);
	return problem === undefined ? { ours: true } : { ours: false, reason: problem };
}
