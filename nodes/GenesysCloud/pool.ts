/**
 * A fixed number of workers taking items in order. `shouldStart` is asked before each item, so a cancelled
 * or stopped run stops starting work while the items already running finish.
 */
export async function runPool<T>(
	items: readonly T[],
	concurrency: number,
	worker: (item: T, index: number) => Promise<void>,
	shouldStart: () => boolean = () => true,
): Promise<void> {
	let next = 0;
	const take = (): number | undefined => {
		if (next >= items.length || !shouldStart()) return undefined;
		return next++;
	};
	const runWorker = async (): Promise<void> => {
		for (let index = take(); index !== undefined; index = take()) {
			await worker(items[index], index);
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
	await Promise.all(Array.from({ length: workers }, runWorker));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	const step = Math.max(1, Math.floor(size));
	for (let i = 0; i < items.length; i += step) chunks.push(items.slice(i, i + step));
	return chunks;
}
