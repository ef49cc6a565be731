/**
 * One-time setup of the process and of n8n-core's DI container before any execution.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	n8nCore,
	n8nWorkflow,
	requireCoreInternal,
	requireFromCore,
	type N8nCore,
	type N8nWorkflow,
} from './engine';
import { createCaptureLogger } from './logs';

interface DiContainer {
	has(type: unknown): boolean;
	get<T>(type: unknown): T;
	set(type: unknown, instance: unknown): void;
}

export interface HarnessEnvironment {
	core: N8nCore;
	workflow: N8nWorkflow;
	container: DiContainer;
	userFolder: string;
}

let current: HarnessEnvironment | undefined;

/**
 * InstanceSettings reads `<N8N_USER_FOLDER>/.n8n/config` (and writes one with a fresh encryption key when it
 * is missing), so it must never point at a real n8n home. All harness processes share one folder per OS user
 * under the temp dir (N8N_HARNESS_USER_FOLDER overrides it); its config is created here by an atomic rename,
 * so parallel jest workers never read a half-written file and nothing is left behind per run. The key is
 * unused: the harness keeps credentials in memory, unencrypted.
 */
function ensureUserFolder(): string {
	const folder =
		process.env.N8N_HARNESS_USER_FOLDER ||
		path.join(os.tmpdir(), `n8n-harness-${process.getuid?.() ?? 'user'}`);
	const settingsFile = path.join(folder, '.n8n', 'config');
	if (!existsSync(settingsFile)) {
		mkdirSync(path.dirname(settingsFile), { recursive: true, mode: 0o700 });
		const partial = `${settingsFile}.${process.pid}.tmp`;
		const settings = { encryptionKey: randomBytes(24).toString('base64') };
		writeFileSync(partial, JSON.stringify(settings), { mode: 0o600 });
		renameSync(partial, settingsFile);
	}
	process.env.N8N_USER_FOLDER = folder;
	// 1.x otherwise warns about the settings file mode on every process start.
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'true';
	return folder;
}

/** Nodes read `this.logger` from the container; the engine logs through LoggerProxy. Both are captured. */
function installLoggers(container: DiContainer, workflow: N8nWorkflow): void {
	const { Logger } = requireFromCore<{ Logger: unknown }>('@n8n/backend-common');
	container.set(Logger, createCaptureLogger('node'));
	workflow.LoggerProxy.init(createCaptureLogger('engine'));
}

/**
 * n8n-core 1.x starts a 60 s SSH-cleanup interval that is not unref'd (2.x unrefs it), which keeps a test
 * process alive after the last test. The manager is created here, once, and its timer released.
 */
function releaseBackgroundTimers(container: DiContainer): void {
	const { SSHClientsManager } = requireCoreInternal<{ SSHClientsManager: unknown }>(
		'dist/execution-engine/ssh-clients-manager',
	);
	container.get<{ cleanupTimer?: NodeJS.Timeout }>(SSHClientsManager).cleanupTimer?.unref();
}

/**
 * Returns the prepared engine. Binary data: BinaryDataService is deliberately left uninitialised, which
 * keeps binary data inline (base64 in the item) in both engines; no file system or S3 store is involved.
 */
export function harnessEnvironment(): HarnessEnvironment {
	if (current) return current;
	const userFolder = ensureUserFolder();
	const workflow = n8nWorkflow();
	const core = n8nCore();
	const { Container } = requireFromCore<{ Container: DiContainer }>('@n8n/di');
	installLoggers(Container, workflow);
	releaseBackgroundTimers(Container);
	current = { core, workflow, container: Container, userFolder };
	return current;
}
