/**
 * Command line and environment of `npm run demo`: which engine, which target (the embedded emulator or a
 * real org), dry run or apply. Pure: values in, values out.
 */
import { CUSTOM_REGION, GENESYS_REGIONS, resolveHosts } from '../../nodes/GenesysCloud/regions';

export const USAGE = `Usage: npm run demo [-- options]
       npx tsx test/demo/run.ts [options]   (uses the existing dist/; npm run demo builds first)

Runs examples/01-csv-bulk-create-wait-searchable.json through n8n's execution engine and prints what
happened to every CSV row.

Options:
  --engine 1|2     n8n engine: 2 = n8n-core/n8n-workflow 2.x (default), 1 = the last 1.x
  --csv FILE       read this CSV instead of examples/data/new-hires.csv
  --apply          against a real org: really create the users (default there: dry run)
  --faults JSON    emulator only: fault knobs, e.g. '{"rate429":0.2}' to see 429s being retried
  --help           this text

Without the variables below the workflow runs against the embedded Genesys Cloud emulator.
With all three set it runs against that real org instead, as a DRY RUN unless --apply is given:
  GENESYS_REGION         the org's region: its domain (mypurecloud.com) or SDK key (us_east_1)
  GENESYS_CLIENT_ID      a Client Credentials OAuth client
  GENESYS_CLIENT_SECRET  its secret (never printed)
GENESYS_REGION=custom takes GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL instead.`;

export interface DemoOptions {
	engine: 1 | 2;
	apply: boolean;
	csv?: string;
	faults?: Record<string, unknown>;
	help: boolean;
}

export class UsageError extends Error {}

function engineOf(value: string | undefined): 1 | 2 {
	if (value === '1' || value === '2') return Number(value) as 1 | 2;
	throw new UsageError(`--engine takes 1 or 2, got "${value ?? ''}"`);
}

function faultsOf(value: string | undefined): Record<string, unknown> {
	try {
		const parsed = JSON.parse(value ?? '') as unknown;
		if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
	} catch {
		// reported below
	}
	throw new UsageError(`--faults takes a JSON object, got "${value ?? ''}"`);
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
	const options: DemoOptions = { engine: env.N8N_ENGINE === '1' ? 1 : 2, apply: false, help: false };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = (): string | undefined => inline ?? argv[++i];
		switch (flag) {
			case '--engine':
				options.engine = engineOf(value());
				break;
			case '--apply':
				options.apply = true;
				break;
			case '--csv': {
				const file = value();
				if (!file) throw new UsageError('--csv needs a file');
				options.csv = file;
				break;
			}
			case '--faults':
				options.faults = faultsOf(value());
				break;
			case '--help':
			case '-h':
				options.help = true;
				break;
			default:
				throw new UsageError(`unknown option "${argv[i]}"`);
		}
	}
	return options;
}

export interface OrgTarget {
	kind: 'org';
	/** For messages: the domain, or the API base URL of a custom region. */
	label: string;
	credential: Record<string, unknown>;
	/** Host names of the API and login servers. */
	hosts: string[];
	clientSecret: string;
}

export type DemoTarget = { kind: 'emulator' } | OrgTarget;

const ORG_VARIABLES = ['GENESYS_REGION', 'GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'] as const;

function regionValue(raw: string): string {
	const value = raw.trim();
	const lower = value.toLowerCase();
	if (lower === CUSTOM_REGION) return CUSTOM_REGION;
	const region = GENESYS_REGIONS.find(
		(candidate) => candidate.domain === lower || candidate.key === lower || `api.${candidate.domain}` === lower,
	);
	if (region === undefined) {
		const known = GENESYS_REGIONS.map((candidate) => candidate.domain).join(', ');
		throw new UsageError(`GENESYS_REGION "${value}" is not a Genesys Cloud region; use one of: ${known} (or custom)`);
	}
	return region.domain;
}

/** The emulator unless the three org variables are set; some of them only is a mistake worth stopping for. */
export function targetFromEnv(env: NodeJS.ProcessEnv): DemoTarget {
	const set = ORG_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
	if (set.length === 0) return { kind: 'emulator' };
	if (set.length < ORG_VARIABLES.length) {
		const missing = ORG_VARIABLES.filter((name) => !set.includes(name));
		throw new UsageError(`to run against a real org set ${missing.join(' and ')} too (or unset ${set.join(', ')})`);
	}
	const region = regionValue(env.GENESYS_REGION as string);
	const credential: Record<string, unknown> = {
		region,
		clientId: (env.GENESYS_CLIENT_ID as string).trim(),
		clientSecret: env.GENESYS_CLIENT_SECRET as string,
	};
	if (region === CUSTOM_REGION) {
		credential.apiBaseUrl = env.GENESYS_API_BASE_URL ?? '';
		credential.loginBaseUrl = env.GENESYS_LOGIN_BASE_URL ?? '';
	}
	let hosts: { apiBaseUrl: string; loginBaseUrl: string };
	try {
		hosts = resolveHosts(credential);
	} catch (error) {
		throw new UsageError(`GENESYS_REGION=custom: ${(error as Error).message} (set GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL)`);
	}
	return {
		kind: 'org',
		label: region === CUSTOM_REGION ? hosts.apiBaseUrl : region,
		credential,
		hosts: [...new Set([new URL(hosts.apiBaseUrl).hostname, new URL(hosts.loginBaseUrl).hostname])],
		clientSecret: credential.clientSecret as string,
	};
}

/**
 * What to do before loading any engine: print the help (exit 0) or a usage error (exit 2); undefined
 * means go on. Lets run.ts answer these without loading n8n.
 */
export function preflight(argv: readonly string[], env: NodeJS.ProcessEnv): { code: number; text: string } | undefined {
	try {
		const options = parseOptions(argv, env);
		if (options.help) return { code: 0, text: USAGE };
		const target = targetFromEnv(env);
		if (target.kind === 'org' && options.faults) throw new UsageError('--faults only applies to the emulator');
		return undefined;
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		return { code: 2, text: `demo: ${error.message}\nTry --help.` };
	}
}
