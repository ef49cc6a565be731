/**
 * Issued access tokens. Tokens are unpredictable opaque strings (not drawn from the seeded streams); the
 * request log only ever sees the opaque `tokenId`.
 */
import { randomBytes } from 'node:crypto';

interface IssuedToken {
	tokenId: string;
	clientId: string;
	expiresAt: number;
}

export type TokenCheck =
	| { ok: true; tokenId: string; clientId: string }
	| { ok: false; reason: 'missing' | 'invalid' | 'expired'; tokenId?: string };

export class TokenStore {
	private readonly tokens = new Map<string, IssuedToken>();
	private issuedCount = 0;

	issue(clientId: string, lifetimeSec: number, now: number): { accessToken: string; tokenId: string } {
		const accessToken = randomBytes(32).toString('base64url');
		const tokenId = `tok-${++this.issuedCount}`;
		this.tokens.set(accessToken, { tokenId, clientId, expiresAt: now + lifetimeSec * 1000 });
		return { accessToken, tokenId };
	}

	/** Reads `Authorization: Bearer <token>`. */
	check(authorization: string | undefined, now: number): TokenCheck {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (match === null) return { ok: false, reason: 'missing' };
		const token = this.tokens.get(match[1]);
		if (token === undefined) return { ok: false, reason: 'invalid' };
		if (now >= token.expiresAt) return { ok: false, reason: 'expired', tokenId: token.tokenId };
		return { ok: true, tokenId: token.tokenId, clientId: token.clientId };
	}

	expire(tokenId: string, now: number): void {
		for (const token of this.tokens.values()) if (token.tokenId === tokenId) token.expiresAt = Math.min(token.expiresAt, now);
	}

	all(): string[] {
		return [...this.tokens.keys()];
	}

	expireAll(now: number): void {
		for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
	}
}
