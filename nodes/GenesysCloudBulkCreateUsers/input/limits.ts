/**
 * Bounds on input values, and how much of an input value a message may show.
 *
 * Genesys documents no length for most user fields (CreateUser in the public API models has none), so these
 * are not Genesys limits and the node does not pretend they are. They stop runaway input (an export gone
 * wrong, a file pasted into a cell) before it becomes a huge request or a huge copy in memory. The one limit
 * Genesys does document is the request body: at most 512,000 bytes (docs/GENESYS.md, "Rate limits").
 */

/** Genesys refuses request bodies over this many bytes (`request.bytes.max`). */
export const MAX_REQUEST_BODY_BYTES = 512_000;

/**
 * Characters one input value may hold: 64,000. Chosen so any accepted value fits in a request body whatever
 * its characters (at most 4 bytes each in UTF-8: 256,000 bytes, half of the 512,000 Genesys takes), and far
 * above any real value: names, titles, ids and phone numbers are tens of characters, a list of several
 * hundred role grants a few tens of thousands.
 */
export const MAX_VALUE_CHARS = 64_000;

/**
 * Characters one CSV record may hold while it is read: every user column at its cap (16 × 64,000) and as
 * much again for the columns the node ignores. It bounds the memory a record takes, whatever the file holds.
 */
export const MAX_CSV_RECORD_CHARS = 2_048_000;

/** How much of an input value an error message shows. */
export const MAX_QUOTED_CHARS = 200;

/** `text` cut to `max` characters, with an ellipsis when it was longer. */
export function clip(text: string, max = MAX_QUOTED_CHARS): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Characters of text in a value (strings, numbers, keys of objects and lists), counted no further than `limit` + 1. */
export function valueLength(value: unknown, limit: number): number {
	let total = 0;
	// Iterative: a deeply nested item must not overflow the stack.
	const pending: unknown[] = [value];
	while (pending.length > 0 && total <= limit) {
		const next = pending.pop();
		if (typeof next === 'string') total += next.length;
		else if (typeof next === 'number' || typeof next === 'boolean' || typeof next === 'bigint') {
			total += String(next).length;
		} else if (Array.isArray(next)) {
			for (const entry of next) {
				pending.push(entry);
				if (pending.length > limit) return limit + 1;
			}
		} else if (typeof next === 'object' && next !== null) {
			for (const [key, entry] of Object.entries(next)) {
				total += key.length;
				pending.push(entry);
				if (pending.length > limit) return limit + 1;
			}
		}
	}
	return Math.min(total, limit + 1);
}

/** A count for messages, with thousands separators ("64,000"). */
export function formatCount(count: number): string {
	return count.toLocaleString('en-US');
}
