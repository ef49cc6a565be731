import { getEventListeners } from 'node:events';

import { linkAbort, onAbort } from '../../nodes/GenesysCloud/abort';

function listeners(signal: AbortSignal): number {
	return getEventListeners(signal, 'abort').length;
}

describe('onAbort', () => {
	it('puts one listener on the signal however many subscribe, and calls each with the reason', () => {
		const controller = new AbortController();
		const seen: unknown[] = [];
		const unsubscribes = Array.from({ length: 50 }, (_, i) => onAbort(controller.signal, (reason) => seen.push([i, reason])));
		expect(listeners(controller.signal)).toBe(1);
		unsubscribes[0]();
		const reason = new Error('stop');
		controller.abort(reason);
		expect(seen).toHaveLength(49);
		expect(seen[0]).toEqual([1, reason]);
		expect(listeners(controller.signal)).toBe(0);
	});

	it('removes the listener when the last subscriber leaves, and adds it again for the next', () => {
		const controller = new AbortController();
		const first = onAbort(controller.signal, () => undefined);
		const second = onAbort(controller.signal, () => undefined);
		first();
		first();
		expect(listeners(controller.signal)).toBe(1);
		second();
		expect(listeners(controller.signal)).toBe(0);
		const third = onAbort(controller.signal, () => undefined);
		expect(listeners(controller.signal)).toBe(1);
		third();
		expect(listeners(controller.signal)).toBe(0);
	});

	it('calls at once for a signal that has already aborted, adding nothing', () => {
		const controller = new AbortController();
		controller.abort('gone');
		const seen: unknown[] = [];
		onAbort(controller.signal, (reason) => seen.push(reason))();
		expect(seen).toEqual(['gone']);
		expect(listeners(controller.signal)).toBe(0);
	});
});

describe('linkAbort', () => {
	it('aborts with the reason of whichever parent aborts first', () => {
		const a = new AbortController();
		const b = new AbortController();
		const link = linkAbort(a.signal, undefined, b.signal);
		b.abort('from b');
		expect(link.signal.aborted).toBe(true);
		expect(link.signal.reason).toBe('from b');
		expect(listeners(a.signal)).toBe(0);
	});

	it('starts aborted when a parent already is', () => {
		const a = new AbortController();
		a.abort('early');
		expect(linkAbort(undefined, a.signal).signal.reason).toBe('early');
	});

	it('aborts on its own without touching the parents; dispose unhooks it', () => {
		const parent = new AbortController();
		const stopped = linkAbort(parent.signal);
		const disposed = linkAbort(parent.signal);
		expect(listeners(parent.signal)).toBe(1);
		stopped.abort('fatal');
		expect(stopped.signal.reason).toBe('fatal');
		expect(parent.signal.aborted).toBe(false);
		disposed.dispose();
		expect(listeners(parent.signal)).toBe(0);
		parent.abort('late');
		expect(disposed.signal.aborted).toBe(false);
	});
});
