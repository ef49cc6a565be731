/**
 * Nothing the benchmark writes or prints may carry the client secret or an access token.
 */

const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes the given secrets and anything shaped like a bearer token (a contender may echo its headers). */
export function redact(text: string, secrets: readonly string[]): string {
	const withoutSecrets = secrets
		.filter((secret) => secret.length > 0)
		.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
	return withoutSecrets.replace(BEARER, 'Bearer [redacted]');
}
