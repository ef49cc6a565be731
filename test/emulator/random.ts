/**
 * Seeded pseudo-random streams. Each concern (user ids, correlation ids, faults, ...) draws from its own
 * stream, so turning one fault knob on does not shift the ids another test expects.
 */

/** FNV-1a over a string: turns `${seed}:${label}` into a 32-bit seed. */
function hash32(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

export class Random {
	private state: number;

	constructor(seed: number, label = '') {
		this.state = hash32(`${seed}:${label}`) || 0x9e3779b9;
	}

	/** mulberry32: small, fast, good enough for test data. Returns [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	uint32(): number {
		return Math.floor(this.next() * 4294967296) >>> 0;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** A version-4 shaped GUID, like the ids Genesys hands out. */
	uuid(): string {
		const hex = [this.uint32(), this.uint32(), this.uint32(), this.uint32()]
			.map((n) => n.toString(16).padStart(8, '0'))
			.join('');
		const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}
}

/** The independent streams one emulator uses. */
export interface RandomStreams {
	userIds: Random;
	correlation: Random;
	faults: Random;
	latency: Random;
	jobs: Random;
	/** Password configuration failures (passwordFailure), apart from the per-request faults. */
	passwords: Random;
}

export function createStreams(seed: number): RandomStreams {
	return {
		userIds: new Random(seed, 'userIds'),
		correlation: new Random(seed, 'correlation'),
		faults: new Random(seed, 'faults'),
		latency: new Random(seed, 'latency'),
		jobs: new Random(seed, 'jobs'),
		passwords: new Random(seed, 'passwords'),
	};
}
