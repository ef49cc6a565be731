/**
 * What "Genesys" holds: users and everything attached to them, plus the two kinds of eventual consistency the
 * real service shows (docs/GENESYS.md, "Eventual consistency"): a new user is invisible to user-scoped endpoints for a while,
 * and the search index sees every write late.
 */
import type { EmulatorState, EmuUser, InviteRequest, PasswordAttempt } from './types';

interface SearchSnapshot {
	/** When this version of the user reaches the search index. */
	visibleAt: number;
	user: EmuUser;
}

function copyUser(user: EmuUser): EmuUser {
	return {
		...user,
		addresses: user.addresses?.map((contact) => ({ ...contact })),
		extra: user.extra === undefined ? undefined : { ...user.extra },
	};
}

export class StateStore implements EmulatorState {
	readonly users = new Map<string, EmuUser>();
	readonly externalIds = new Map<string, Array<{ authorityName: string; externalKey: string }>>();
	readonly grants = new Map<string, Array<{ roleId: string; divisionId: string }>>();
	readonly skills = new Map<string, Array<{ id: string; proficiency: number }>>();
	readonly queueMembers = new Map<string, Set<string>>();
	readonly joinedQueues = new Map<string, Set<string>>();
	readonly invites: string[] = [];
	readonly inviteRequests: InviteRequest[] = [];
	readonly passwords = new Set<string>();
	readonly passwordAttempts: PasswordAttempt[] = [];

	private readonly byEmail = new Map<string, string>();
	private readonly byExternalId = new Map<string, string>();
	private readonly visibleAt = new Map<string, number>();
	private readonly searchHistory = new Map<string, SearchSnapshot[]>();

	userByEmail(email: string): EmuUser | undefined {
		const id = this.byEmail.get(email.toLowerCase());
		return id === undefined ? undefined : this.users.get(id);
	}

	/** Stores a new user; user-scoped endpoints see it from now + consistencyDelayMs. */
	addUser(user: EmuUser, now: number, consistencyDelayMs: number, searchLagMs: number): void {
		this.users.set(user.id, user);
		this.byEmail.set(user.email.toLowerCase(), user.id);
		this.visibleAt.set(user.id, now + consistencyDelayMs);
		this.recordChange(user, now, searchLagMs);
	}

	/** Call after every change of a user, so search can serve the version it would index by then. */
	recordChange(user: EmuUser, now: number, searchLagMs: number): void {
		const history = this.searchHistory.get(user.id) ?? [];
		history.push({ visibleAt: now + searchLagMs, user: copyUser(user) });
		this.searchHistory.set(user.id, history);
	}

	changeEmail(user: EmuUser, email: string): void {
		this.byEmail.delete(user.email.toLowerCase());
		user.email = email;
		this.byEmail.set(email.toLowerCase(), user.id);
	}

	/** False while a freshly created user is still propagating (consistencyDelayMs). */
	isVisible(userId: string, now: number): boolean {
		const at = this.visibleAt.get(userId);
		return at !== undefined && now >= at;
	}

	/** The users as the search index sees them at `now`: for each, the latest version already indexed. */
	searchView(now: number): EmuUser[] {
		const view: EmuUser[] = [];
		for (const history of this.searchHistory.values()) {
			let indexed: EmuUser | undefined;
			for (const snapshot of history) {
				if (snapshot.visibleAt <= now) indexed = snapshot.user;
			}
			if (indexed !== undefined) view.push(indexed);
			this.compact(history, now);
		}
		return view;
	}

	externalOwner(authorityName: string, externalKey: string): string | undefined {
		return this.byExternalId.get(`${authorityName}\u0000${externalKey}`);
	}

	addExternalId(userId: string, authorityName: string, externalKey: string): void {
		const list = this.externalIds.get(userId) ?? [];
		if (!list.some((e) => e.authorityName === authorityName && e.externalKey === externalKey)) {
			list.push({ authorityName, externalKey });
		}
		this.externalIds.set(userId, list);
		this.byExternalId.set(`${authorityName}\u0000${externalKey}`, userId);
	}

	clear(): void {
		for (const map of [
			this.users,
			this.externalIds,
			this.grants,
			this.skills,
			this.queueMembers,
			this.joinedQueues,
			this.byEmail,
			this.byExternalId,
			this.visibleAt,
			this.searchHistory,
		] as Array<Map<string, unknown>>) {
			map.clear();
		}
		this.invites.length = 0;
		this.inviteRequests.length = 0;
		this.passwords.clear();
		this.passwordAttempts.length = 0;
	}

	/** Drops snapshots older than the newest already-indexed one: nobody can see them any more. */
	private compact(history: SearchSnapshot[], now: number): void {
		let lastIndexed = -1;
		for (let i = 0; i < history.length; i++) {
			if (history[i].visibleAt <= now) lastIndexed = i;
		}
		if (lastIndexed > 0) history.splice(0, lastIndexed);
	}
}
