/**
 * Contender 3, what a developer writes: the official Genesys JS SDK (purecloud-platform-client-v2), a plain
 * loop over chunks of users with Promise.all per chunk. The SDK has no retry (docs/GENESYS.md, "Retries"), so a refused
 * request is a user not created; the loop logs it and goes on, as such scripts do.
 *
 * Pointing the SDK at the emulator: `setEnvironment()` always builds `https://api.<env>` and
 * `https://login.<env>`, but the SDK's documented gateway setting (README "gateway", ApiClient.setGateway)
 * replaces the scheme, host and port of both login and API URLs, so login goes to
 * http://127.0.0.1:PORT/oauth/token and API calls to http://127.0.0.1:PORT/api/v2/... with the SDK's own
 * client-credentials login, unchanged.
 */
import platformClient from 'purecloud-platform-client-v2';

import { benchUsers, createFields } from '../users';
import type { SdkTask } from '../types';
import type { ContenderRun } from './measure';
import { measured } from './measure';

function chunks<T>(items: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
	return result;
}

function statusOf(error: unknown): string {
	if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
		return String(error.status);
	}
	return 'network';
}

function configureClient(url: string): typeof platformClient.ApiClient.instance {
	const client = platformClient.ApiClient.instance;
	// The SDK watches ~/.genesyscloudjavascript/config; a file there must not re-point it mid-run.
	client.config.live_reload_config = false;
	const target = new URL(url);
	client.setGateway({ host: target.hostname, protocol: target.protocol.replace(':', ''), port: Number(target.port) });
	return client;
}

export async function runSdkLoop(task: SdkTask): Promise<ContenderRun> {
	const client = configureClient(task.url);
	const usersApi = new platformClient.UsersApi();
	const batches = chunks(benchUsers(task.users), task.chunkSize);
	return await measured(async () => {
		await client.loginClientCredentialsGrant(task.client.clientId, task.client.clientSecret);
		let created = 0;
		const failures: Record<string, number> = {};
		for (const batch of batches) {
			await Promise.all(
				batch.map(async (user) => {
					try {
						// The SDK types divisionId as required (swagger); the API uses the home division without it (docs/GENESYS.md, "Users").
						const body = createFields(user) as Omit<platformClient.Models.CreateUser, 'divisionId'>;
						await usersApi.postUsers(body as platformClient.Models.CreateUser);
						created++;
					} catch (error) {
						const status = statusOf(error);
						failures[status] = (failures[status] ?? 0) + 1;
					}
				}),
			);
		}
		return { created, failures, chunkSize: task.chunkSize };
	});
}
