/**
 * The synthetic people every contender creates: deterministic, so the parent can check the emulator's
 * final state against exactly the rows the child sent.
 */
// The catalog alone, not the emulator's index: the child process must not load the server (its RSS is measured).
import { DEFAULT_IDS } from '../test/emulator/catalog';

export interface BenchUser {
	name: string;
	email: string;
	title: string;
	department: string;
	/** Key for the external id (full scenario). */
	externalKey: string;
	/** Role id granted in the full scenario. */
	roles: string;
}

/** The role granted in the full scenario (an emulator default role). */
export const BENCH_ROLE_ID: string = DEFAULT_IDS.roles[1];
export const BENCH_EXTERNAL_AUTHORITY = 'HRIS';
const DEPARTMENTS = ['Support', 'Sales', 'Billing', 'Onboarding'] as const;

function serial(index: number): string {
	return String(index + 1).padStart(6, '0');
}

export function benchUser(index: number): BenchUser {
	const id = serial(index);
	return {
		name: `Bench User ${id}`,
		email: `bench.user.${id}@example.com`,
		title: 'Agent',
		department: DEPARTMENTS[index % DEPARTMENTS.length],
		externalKey: `E${id}`,
		roles: BENCH_ROLE_ID,
	};
}

export function benchUsers(count: number): BenchUser[] {
	return Array.from({ length: count }, (_, index) => benchUser(index));
}

/** Lower-cased emails of the first `count` bench users. */
export function benchEmails(count: number): Set<string> {
	const emails = new Set<string>();
	for (let index = 0; index < count; index++) emails.add(benchUser(index).email.toLowerCase());
	return emails;
}

export interface CreateFields {
	name: string;
	email: string;
	title: string;
	department: string;
}

/** What a create-only run sends per user: CreateUser fields only (no divisionId: the home division). */
export function createFields(user: BenchUser): CreateFields {
	return { name: user.name, email: user.email, title: user.title, department: user.department };
}

/**
 * An HRIS-style export: a header with aliases the node maps automatically, one user per row.
 * Every 50th row has a quoted department with a comma, so the parser does real work.
 */
export function benchCsv(rows: number): string {
	const lines: string[] = ['Full Name,Work Email,Job Title,Department'];
	for (let index = 0; index < rows; index++) {
		const user = benchUser(index);
		const department = index % 50 === 0 ? `"${user.department}, Tier 2"` : user.department;
		lines.push(`${user.name},${user.email},${user.title},${department}`);
	}
	return `${lines.join('\n')}\n`;
}
