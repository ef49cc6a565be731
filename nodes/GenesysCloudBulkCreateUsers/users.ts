/**
 * The Genesys responses the engine reads (API.md 4.4, 6): typed loosely because Genesys adds fields, and
 * only the few fields used here are relied upon.
 */

export interface UserContact {
	address?: string;
	mediaType?: string;
	type?: string;
	extension?: string;
	[key: string]: unknown;
}

export interface GenesysUser {
	id: string;
	name?: string;
	email?: string;
	state?: string;
	version?: number;
	title?: string;
	department?: string;
	addresses?: UserContact[];
	division?: { id?: string; name?: string };
	manager?: { id?: string } | string | null;
	[key: string]: unknown;
}

/** Emails are compared case-insensitively: Genesys logins are. */
export function emailKey(email: string): string {
	return email.trim().toLowerCase();
}

/** Managers may be given as an email or as a user id; ids never contain `@`. */
export function isEmail(value: string): boolean {
	return value.includes('@');
}

export function isDeleted(user: GenesysUser): boolean {
	return user.state === 'deleted';
}

export function isUser(value: unknown): value is GenesysUser {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/** The user as returned by Genesys, as a plain JSON object for the output item. */
export function userJson(user: GenesysUser | undefined): Record<string, unknown> | undefined {
	return user ? { ...user } : undefined;
}
