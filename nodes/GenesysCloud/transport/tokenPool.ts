/**
 * The extra tokens of a token pool (slots 1 and up; slot 0 is the credential's own token, which n8n stores).
 * They are minted by the transport through the credential's own token request (token.ts: same login host,
 * redirect, deadline and cleartext rules) and kept only in this process's memory, one set per OAuth client:
 * API host, login host, client id and a hash of the secret, so a credential with another secret never gets
 * tokens it could not mint itself. They are never written to the credential store, to output items or to logs.
 */
import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resolveHosts } from '../regions';

export interface PooledToken {
	accessToken: string;
	/** Epoch ms, 0 when unknown. */
	expiresAt: number;
	/** Bumped each time the slot gets a new token. */
	generation: number;
	/** A 401 refused the token of this generation: the next request on the slot renews it first. */
	staleGeneration?: number;
	/** Lifetime of the current token, for the renew-ahead margin. */
	lifetimeMs?: number;
	/** A renewal under way: requests on the slot wait for it. */
	renewal?: Promise<void>;
}

export class PoolTokens {
	private readonly slots = new Map<number, PooledToken>();
	lastUsed = 0;

	slot(index: number): PooledToken {
		let slot = this.slots.get(index);
		if (!slot) {
			slot = { accessToken: '', expiresAt: 0, generation: 0 };
			this.slots.set(index, slot);
		}
		return slot;
	}

	/** How many slots hold a token (for tests and stats; never the tokens themselves). */
	get filled(): number {
		return [...this.slots.values()].filter((slot) => slot.accessToken !== '').length;
	}
}

/** Tokens unused this long are forgotten (they are cheap to mint again, and memory is not a vault). */
const IDLE_MS = 30 * 60_000;

export class PoolTokenRegistry {
	private readonly entries = new Map<string, PoolTokens>();

	get(key: string, now: number): PoolTokens {
		for (const [other, tokens] of this.entries) {
			if (now - tokens.lastUsed >= IDLE_MS) this.entries.delete(other);
		}
		let tokens = this.entries.get(key);
		if (!tokens) {
			tokens = new PoolTokens();
			this.entries.set(key, tokens);
		}
		tokens.lastUsed = now;
		return tokens;
	}
}

export const poolTokenRegistry = new PoolTokenRegistry();

/** The OAuth client a pool belongs to; the secret only as a hash. */
export function poolTokenKey(credentials: ICredentialDataDecryptedObject): string {
	const { apiBaseUrl, loginBaseUrl } = resolveHosts(credentials);
	const text = (key: string): string => (typeof credentials[key] === 'string' ? (credentials[key] as string).trim() : '');
	const secretHash = createHash('sha256').update(text('clientSecret')).digest('hex');
	return JSON.stringify([apiBaseUrl, loginBaseUrl, text('clientId'), secretHash]);
}
