/**
 * Reference for the latency-bound scenario, not a contender: the least a client can do on this machine,
 * a bare `fetch` pool of the same concurrency POSTing users (no n8n, no retry, no validation). The node's
 * latency-bound ratio is read beside this one, so machine load (2 shared cores) is not blamed on the node.
 */
import { benchUsers, createFields } from '../users';
import type { BareHttpTask } from '../types';
import type { ContenderRun } from './measure';
import { measured } from './measure';
import { fetchToken } from './token';

export async function runBareHttp(task: BareHttpTask): Promise<ContenderRun> {
	const bodies = benchUsers(task.users).map((user) => JSON.stringify(createFields(user)));
	return await measured(async () => {
		const token = await fetchToken(task.url, task.client);
		const statuses: Record<string, number> = {};
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < bodies.length) {
				const body = bodies[next++];
				const response = await fetch(`${task.url}/api/v2/users`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
					body,
				});
				await response.arrayBuffer();
				statuses[response.status] = (statuses[response.status] ?? 0) + 1;
			}
		};
		await Promise.all(Array.from({ length: task.concurrency }, worker));
		return { statuses, concurrency: task.concurrency };
	});
}
