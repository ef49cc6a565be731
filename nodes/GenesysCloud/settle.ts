export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` and hands back its value or its error, so callers branch on failures without try/catch. */
export async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error };
	}
}
