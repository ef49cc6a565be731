/**
 * Captures what nodes log through `this.logger` (n8n-core's DI Logger) and what the engine logs through
 * n8n-workflow's LoggerProxy, per run. Runs may overlap in one process, so entries are routed by
 * AsyncLocalStorage to the run that produced them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogSource = 'node' | 'engine';

export interface LogEntry {
	level: string;
	message: string;
	meta?: unknown;
	/** 'node': n8n-core's Logger (what `this.logger` in a node returns); 'engine': n8n-workflow's LoggerProxy. */
	source: LogSource;
}

export interface CaptureLogger {
	error(message: string, meta?: unknown): void;
	warn(message: string, meta?: unknown): void;
	info(message: string, meta?: unknown): void;
	debug(message: string, meta?: unknown): void;
	verbose(message: string, meta?: unknown): void;
	scoped(scopes: unknown): CaptureLogger;
}

const sinks = new AsyncLocalStorage<LogEntry[]>();

/** Entries logged outside any run (module loading, for instance); kept small. */
const stray: LogEntry[] = [];
const STRAY_LIMIT = 200;

export function withLogSink<T>(sink: LogEntry[], fn: () => Promise<T>): Promise<T> {
	return sinks.run(sink, fn);
}

export function strayLogs(): readonly LogEntry[] {
	return stray;
}

/** Plain, JSON-safe copy: errors become {name, message, stack}, cycles are cut, functions dropped. */
export function toPlain(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
	if (value === null || typeof value !== 'object') {
		return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
	}
	if (seen.has(value)) return '[Circular]';
	seen.add(value);
	if (value instanceof Error) {
		const plain: Record<string, unknown> = {
			name: value.name,
			message: value.message,
			stack: value.stack,
		};
		for (const [key, inner] of Object.entries(value)) plain[key] = toPlain(inner, seen);
		return plain;
	}
	if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map((inner) => toPlain(inner, seen));
	const plain: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) plain[key] = toPlain(inner, seen);
	return plain;
}

function record(source: LogSource, level: string, message: unknown, meta: unknown): void {
	const entry: LogEntry = { level, message: String(message), source };
	if (meta !== undefined) entry.meta = toPlain(meta);
	const sink = sinks.getStore();
	if (sink) {
		sink.push(entry);
		return;
	}
	if (stray.length >= STRAY_LIMIT) stray.shift();
	stray.push(entry);
}

export function createCaptureLogger(source: LogSource): CaptureLogger {
	const logger: CaptureLogger = {
		error: (message, meta) => record(source, 'error', message, meta),
		warn: (message, meta) => record(source, 'warn', message, meta),
		info: (message, meta) => record(source, 'info', message, meta),
		debug: (message, meta) => record(source, 'debug', message, meta),
		verbose: (message, meta) => record(source, 'verbose', message, meta),
		scoped: () => logger,
	};
	return logger;
}
