/**
 * Runs an emulator as its own process (e2e with the real n8n CLI, the demo, benchmarks):
 *
 *   npm run emulator -- --port 0 --seed 1 --rate-limit 300/60000 --users seed.json
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:PORT"}` on stdout once listening, then serves until SIGTERM
 * or SIGINT. Drive it through the admin API under /__emulator/ (see README.md).
 */
import { readFileSync } from 'node:fs';

import { startEmulator, type EmulatorOptions, type Faults, type SeedUser } from './index';

const USAGE = `Usage: npm run emulator -- [options]   (or: npx tsx test/emulator/cli.ts [options])
  --port N                   listen port (default 0: random)
  --seed N                   PRNG seed (default 1)
  --rate-limit LIMIT/WINDOWMS|off   per-token rolling window (default 300/60000)
  --org-rate-limit LIMIT/WINDOWMS   rolling window across every token (default off)
  --token-rate-limit LIMIT/WINDOWMS token requests per OAuth client (default off)
  --users FILE               JSON array of seed users ({ name, email, state?, id?, ... }) or { "users": [...] }
  --client ID:SECRET         accepted OAuth client (repeatable; default test-client-id:test-client-secret)
  --token-lifetime SEC       expires_in of issued tokens (default 86400)
  --fractional-retry-after   Retry-After with decimals
  --faults JSON              initial fault knobs, e.g. '{"rate429":0.1}'
  --job-complete-after MS    timeline of analytics jobs created by POST (default 3000)
  --search-max-values N      most values in one user-search criterion, more is 400 (default unlimited)`;

function numberFlag(name: string, value: string): number {
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) throw new Error(`${name} expects a number, got '${value}'`);
	return parsed;
}

function parseRateLimit(value: string): EmulatorOptions['rateLimit'] {
	if (value === 'off' || value === 'false') return false;
	const match = /^(\d+)\/(\d+)$/.exec(value);
	if (match === null) throw new Error(`--rate-limit expects LIMIT/WINDOWMS or off, got '${value}'`);
	return { limit: Number(match[1]), windowMs: Number(match[2]) };
}

function readUsers(file: string): SeedUser[] {
	const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
	const users = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown }).users;
	if (!Array.isArray(users)) throw new Error(`--users file must hold an array of users or { "users": [...] }`);
	return users as SeedUser[];
}

function parseClient(value: string): { clientId: string; clientSecret: string } {
	const colon = value.indexOf(':');
	if (colon <= 0) throw new Error('--client expects ID:SECRET');
	return { clientId: value.slice(0, colon), clientSecret: value.slice(colon + 1) };
}

export function parseArgs(argv: string[]): EmulatorOptions {
	const options: EmulatorOptions = {};
	const clients: Array<{ clientId: string; clientSecret: string }> = [];
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = (): string => {
			const next = argv[++i];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		switch (flag) {
			case '--port':
				options.port = numberFlag(flag, value());
				break;
			case '--seed':
				options.seed = numberFlag(flag, value());
				break;
			case '--rate-limit':
				options.rateLimit = parseRateLimit(value());
				break;
			case '--org-rate-limit':
				options.orgRateLimit = parseRateLimit(value());
				break;
			case '--token-rate-limit':
				options.tokenRateLimit = parseRateLimit(value());
				break;
			case '--users':
				options.users = readUsers(value());
				break;
			case '--client':
				clients.push(parseClient(value()));
				break;
			case '--token-lifetime':
				options.tokenLifetimeSec = numberFlag(flag, value());
				break;
			case '--fractional-retry-after':
				options.fractionalRetryAfter = true;
				break;
			case '--faults':
				options.faults = JSON.parse(value()) as Partial<Faults>;
				break;
			case '--job-complete-after':
				options.job = { completeAfterMs: numberFlag(flag, value()) };
				break;
			case '--search-max-values':
				options.searchMaxValues = numberFlag(flag, value());
				break;
			default:
				throw new Error(`unknown option ${flag}\n${USAGE}`);
		}
	}
	if (clients.length > 0) options.clients = clients;
	return options;
}

export async function main(argv: string[]): Promise<void> {
	if (argv.includes('--help') || argv.includes('-h')) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const emulator = await startEmulator(parseArgs(argv));
	process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
	const stop = (): void => {
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(2);
	});
}
