/**
 * Which folders file nodes (Read/Write Files from Disk) may use in this process.
 *
 * n8n reads the list from N8N_RESTRICT_FILE_ACCESS_TO (';'-separated): n8n-core 1.x reads the variable on
 * every access (empty = no restriction); 2.x reads it once into the DI SecurityConfig, whose default is
 * `~/.n8n-files`. Both are set here. n8n's other rules still apply (the n8n user folder, `.git` paths and
 * symlinks stay blocked).
 */
import path from 'node:path';

import { harnessEnvironment } from './environment';
import { requireFromCore } from './engine';

const VARIABLE = 'N8N_RESTRICT_FILE_ACCESS_TO';

interface SecuritySettings {
	restrictFileAccessTo: string;
}

function securityConfig(): SecuritySettings | undefined {
	const { container } = harnessEnvironment();
	let config: { SecurityConfig?: unknown };
	try {
		config = requireFromCore<{ SecurityConfig?: unknown }>('@n8n/config');
	} catch {
		return undefined;
	}
	if (config.SecurityConfig === undefined) return undefined;
	const settings = container.get<Partial<SecuritySettings>>(config.SecurityConfig);
	return typeof settings.restrictFileAccessTo === 'string' ? (settings as SecuritySettings) : undefined;
}

function split(list: string | undefined): string[] {
	return (list ?? '')
		.split(';')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/** The folders file nodes may use now ([] = whatever the engine's default is). */
export function allowedFilePaths(): string[] {
	const settings = securityConfig();
	return split(settings ? settings.restrictFileAccessTo : process.env[VARIABLE]);
}

/**
 * Adds folders to the allowed list for the rest of the process (runs may overlap, so nothing is taken
 * away). Folders must be absolute.
 */
export function allowFileAccess(folders: readonly string[]): string[] {
	for (const folder of folders) {
		if (!path.isAbsolute(folder)) throw new Error(`allowFileAccess needs absolute folders, got "${folder}"`);
	}
	const settings = securityConfig();
	const current = split(settings ? settings.restrictFileAccessTo : process.env[VARIABLE]);
	const next = [...new Set([...current, ...folders.map((folder) => path.resolve(folder))])];
	const value = next.join(';');
	process.env[VARIABLE] = value;
	if (settings) settings.restrictFileAccessTo = value;
	return next;
}
