/**
 * Public types of the Genesys Cloud emulator. Colleagues code against these names and shapes:
 * add fields, never rename or remove them.
 */

export type UserState = 'active' | 'inactive' | 'deleted';

/** One contact point of a user (docs/GENESYS.md, "Users"). */
export interface Contact {
	address?: string;
	display?: string;
	mediaType?: 'PHONE' | 'EMAIL' | 'SMS';
	type?: 'PRIMARY' | 'WORK' | 'WORK2' | 'WORK3' | 'WORK4' | 'HOME' | 'MOBILE' | 'MAIN' | 'OTHER';
	extension?: string;
	countryCode?: string;
	integration?: string;
}

export interface SeedUser {
	id?: string;
	name: string;
	email: string;
	state?: UserState;
	title?: string;
	department?: string;
	divisionId?: string;
}

export interface Faults {
	/** Added to every /api/v2 response. */
	latencyMs: number | { min: number; max: number };
	/** Probability 0..1 that an /api/v2 request is answered 429 (not applied). */
	rate429: number;
	/** Retry-After of injected 429s (decimals honoured when fractionalRetryAfter). */
	retryAfterSec: number;
	/** Sent verbatim as the Retry-After of injected 429s instead of retryAfterSec ('0', '-5', an HTTP date). */
	retryAfterHeader?: string;
	/** Regex source on the token id (`tok-N`): injected 429s, daily limits and 5xx only hit matching tokens. */
	tokenFilter?: string;
	/** Every /api/v2 request gets 429 with Retry-After >= 3600 (a daily limit). */
	dailyLimit: boolean;
	/** Probability of 502/503/504 with a Genesys ErrorBody (not applied). */
	rate5xx: number;
	/** Probability the socket is destroyed before processing (not applied). */
	dropConnection: number;
	/** Probability a write (POST/PATCH/PUT/DELETE) is applied, then the socket destroyed. */
	lostResponse: number;
	/** After create, user-scoped endpoints answer 404 for this long. */
	consistencyDelayMs: number;
	/** A user (and each change of it) reaches /users/search only this long after the write. */
	searchLagMs: number;
	/**
	 * A role or division added while the emulator runs (`emu.catalog.addRole/addDivision`) is unknown to
	 * `bulkadd` for this long, for every user: the authorization cache has not seen it yet.
	 */
	authCacheLagMs: number;
	/**
	 * Probability 0..1 that configuring a password fails: a create carrying a password still creates the user
	 * (the password stays unset), and `POST /users/{id}/password` answers 500 (not applied).
	 */
	passwordFailure: number;
	/** Regex source: injected 429/5xx/drop/lost/daily faults only hit matching paths. */
	pathFilter?: string;
	/** Matching requests (token endpoint included) are answered with a redirect instead of being handled. */
	redirect?: RedirectFault;
	/** The answer of matching requests is sent slowly: headers at once, then the body a few bytes at a time. */
	trickle?: TrickleFault;
	/** Matching requests never get a complete answer: no headers at all, or headers and half the body. */
	stall?: StallFault;
	/** Matching requests get a 200 whose body is not what the endpoint returns. */
	malformed?: MalformedFault;
	/** Matching writes are applied, then answered with this 5xx (a gateway error after the backend committed). */
	appliedThen5xx?: AppliedThen5xxFault;
	/**
	 * Matching requests are handled whatever the backend answers (a 200, a 409 ...), then the gateway answers
	 * this 5xx or resets the connection: the client cannot tell what happened.
	 */
	gatewayAfterRoute?: GatewayAfterRouteFault;
	/**
	 * Someone else's create of these users lands just before a POST /api/v2/users for the same email is
	 * handled: the race a run's lookup cannot see (search lags behind creates by up to minutes).
	 */
	rivalCreates?: RivalCreate[];
}

export interface GatewayAfterRouteFault extends PathScoped {
	outcome: 502 | 503 | 504 | 'reset';
	/** Only the first `times` matching requests (every one when absent). */
	times?: number;
}

/** A user someone else creates; `version` above 1 means they changed it since. */
export interface RivalCreate extends SeedUser {
	version?: number;
}

/** Regex source on the path (e.g. `^/oauth/token$`); every non-admin path when absent. */
interface PathScoped {
	pathFilter?: string;
}

export interface RedirectFault extends PathScoped {
	status: 301 | 302 | 303 | 307 | 308;
	/** Location header, absolute (another host) or relative. */
	location: string;
}

export interface TrickleFault extends PathScoped {
	/** Bytes written per interval (default 1). */
	bytesPerInterval?: number;
	intervalMs: number;
	/** Spaces appended to the JSON body so the trickle lasts (default 0). */
	padBytes?: number;
}

export interface StallFault extends PathScoped {
	/** `headers`: nothing is ever answered; `body`: headers and half the body, then nothing. */
	phase: 'headers' | 'body';
}

export interface MalformedFault extends PathScoped {
	/** `notJson`: an HTML page; `missingFields`: JSON without the expected fields (`results`, `access_token`). */
	kind: 'notJson' | 'missingFields';
}

export interface AppliedThen5xxFault extends PathScoped {
	status: 502 | 503 | 504;
}

export interface EmulatorOptions {
	seed?: number;
	port?: number;
	clients?: Array<{ clientId: string; clientSecret: string }>;
	/** expires_in of issued tokens; decimals allowed. */
	tokenLifetimeSec?: number;
	/** Per access token, rolling window over accepted requests. */
	rateLimit?: { limit: number; windowMs: number } | false;
	/**
	 * Across every token (the whole org), rolling window over accepted requests; off by default. Genesys has
	 * org-wide and per-resource limits besides the per-token one, which clients are not told about.
	 */
	orgRateLimit?: { limit: number; windowMs: number } | false;
	/** Caps on single routes across every token (per-resource limits); none by default. */
	routeRateLimits?: Array<{ pathFilter: string; method?: string; limit: number; windowMs: number }>;
	/** Token requests per OAuth client, rolling window (the login host's own limit); off by default. */
	tokenRateLimit?: { limit: number; windowMs: number } | false;
	/** Retry-After with decimals (time-compressed tests); default integer seconds (ceil). */
	fractionalRetryAfter?: boolean;
	faults?: Partial<Faults>;
	users?: SeedUser[];
	/** Known division ids; the first one is the home division. */
	divisions?: string[];
	roles?: string[];
	skills?: string[];
	queues?: string[];
	/** Timeline and size of the analytics jobs created by POST. */
	job?: { completeAfterMs?: number; resultCount?: number; pageSize?: number };
	/** Timeline, size and default page size of usage simple searches (`POST /api/v2/usage/simplesearch`). */
	usage?: { completeAfterMs?: number; rowCount?: number; pageSize?: number };
	/** Known outbound contact list ids (default `DEFAULT_IDS.contactLists`). */
	contactLists?: string[];
	/** Imports of at most this many rows are applied at once and never update the import status (default 100). */
	smallImportRows?: number;
	/**
	 * Most values one user-search criterion may hold; more is a 400 `bad.request`. Genesys documents no such
	 * number, so the default is unlimited: set it to check that clients adapt to a stricter real limit.
	 */
	searchMaxValues?: number;
	/** Clock in ms (defaults to Date.now); lets a test drive time itself. */
	now?: () => number;
}

export interface EmuUser {
	id: string;
	name: string;
	email: string;
	state: UserState;
	version: number;
	title?: string;
	department?: string;
	divisionId: string;
	addresses?: Contact[];
	managerId?: string;
	createdAt: number;
	updatedAt: number;
	/** Other UpdateUser fields set by PATCH (preferredName, acdAutoAnswer, locations...). */
	extra?: Record<string, unknown>;
	/** When the last invitation email was sent (User.dateWelcomeSent). */
	dateWelcomeSent?: number;
}

/** One `POST /users/{id}/invite` that reached the user. */
export interface InviteRequest {
	userId: string;
	force: boolean;
	/** Whether an email went out: without force, not while an earlier invitation is outstanding. */
	sent: boolean;
	at: number;
}

/** One attempt to configure a user's password (never the password itself). */
export interface PasswordAttempt {
	userId: string;
	via: 'create' | 'password';
	ok: boolean;
	at: number;
}

export interface EmulatorState {
	/** Every user, soft-deleted ones included. */
	users: Map<string, EmuUser>;
	/** Case-insensitive, any state. */
	userByEmail(email: string): EmuUser | undefined;
	externalIds: Map<string, Array<{ authorityName: string; externalKey: string }>>;
	grants: Map<string, Array<{ roleId: string; divisionId: string }>>;
	skills: Map<string, Array<{ id: string; proficiency: number }>>;
	/** queueId -> userIds. */
	queueMembers: Map<string, Set<string>>;
	/** userId -> queueIds the user has joined (PATCH /users/{id}/queues; members join on add). */
	joinedQueues: Map<string, Set<string>>;
	/** userIds an invitation email was sent to, in order (a repeat without force sends none). */
	invites: string[];
	/** Every invite request that reached a user, with its force flag and whether it sent an email. */
	inviteRequests: InviteRequest[];
	/** userIds whose password was set; the password itself is never kept. */
	passwords: Set<string>;
	/** Every password configuration, on create or by `POST /users/{id}/password`, and whether it worked. */
	passwordAttempts: PasswordAttempt[];
}

export interface RecordedRequest {
	seq: number;
	/** When the request arrived (before its body and the injected latency). */
	at: number;
	/** When it was answered (or dropped): state decisions such as search visibility fall between `at` and this. */
	answeredAt?: number;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Parsed JSON (password fields redacted), the form fields of /oauth/token, or undefined. */
	body: unknown;
	/** 0 when the client got no response (dropped or lost). */
	status: number;
	/** Opaque per-token id, never the token. */
	tokenId?: string;
	/**
	 * 'drop' | 'lost' | 'r429' | 'r5xx' | 'daily' | 'rateLimit' | 'redirect' | 'trickle' | 'stall' | 'malformed' |
	 * 'appliedThen5xx' | 'gatewayAfterRoute' when the answer was not the route's own (or not sent the normal way).
	 */
	fault?: string;
	/** Whether the request changed state (a successful write). */
	applied: boolean;
	/** ININ-Correlation-Id sent (or that would have been sent). */
	correlationId: string;
	/** Status the route produced when the response was lost. */
	intendedStatus?: number;
}

export interface EmulatorStats {
	inFlight: number;
	maxInFlight: number;
	total: number;
	byStatus: Record<number, number>;
	injected: { r429: number; r5xx: number; drop: number; lost: number };
	/** 429s from the real rolling-window limiters (per token, org, route), token endpoint excluded. */
	rateLimited: number;
	/** The same by limiter, plus 429s of the token endpoint. */
	rateLimitedBy: { token: number; org: number; route: number; tokenEndpoint: number };
	tokensIssued: number;
}

export interface JobStep {
	/** Default 200; 404 = not visible yet. */
	httpStatus?: number;
	body?: Record<string, unknown>;
}

export interface JobScript {
	polls?: JobStep[];
	timeline?: Array<JobStep & { atMs: number }>;
}

export interface JobScripts {
	/**
	 * Script the GET answers of any status path (exact path, no query).
	 * polls: the n-th GET gets polls[min(n, polls.length - 1)].
	 * timeline: the last step whose atMs <= ms since script(); 404 before the first step. Wins over polls.
	 */
	script(path: string, script: JobScript): void;
	/**
	 * Result pages served at `path`. GET path -> pages[0]; each page carries `cursor` of the next one
	 * (absent on the last); GET path?cursor=<c> -> that page. GET path?pageNumber=N (1-based) -> pages[N-1]
	 * plus `pageNumber`, `pageCount`, `total` (page count, not item count).
	 */
	pages(path: string, pages: Array<Record<string, unknown>>): void;
	/** GETs of a scripted path answered by its script (after auth, rate limit and faults). */
	pollCount(path: string): number;
}

/** Org objects created while the emulator runs (they reset with `reset()`). */
export interface CatalogControl {
	readonly homeDivisionId: string;
	/** A new role: listed at once, but `bulkadd` answers 404 for it during `authCacheLagMs`. */
	addRole(id: string, name?: string): void;
	/** A new division, with the same authorization-cache lag as a new role. */
	addDivision(id: string, name?: string): void;
}

export interface ContactImportOptions {
	/**
	 * Whether the import status follows the import. Default: only imports of more than `smallImportRows`
	 * rows; smaller ones are applied at once and the status keeps its previous answer.
	 */
	statusUpdates?: boolean;
	/** How long a tracked import runs (IN_PROGRESS, percentComplete rising), emulator clock. Default 2000. */
	durationMs?: number;
	/** The import fails after `durationMs` with this `failureReason`; no contact is added. */
	failureReason?: string;
}

/** Outbound contact lists: the CSV upload itself is not an /api/v2 call, so tests start imports here. */
export interface OutboundControl {
	/** An upload of `rows` contacts to the list (appended to the ones it holds). */
	importContacts(contactListId: string, rows: number, options?: ContactImportOptions): void;
	/** Contacts the list holds now. */
	contactCount(contactListId: string): number;
}

export interface Emulator {
	url: string;
	state: EmulatorState;
	catalog: CatalogControl;
	outbound: OutboundControl;
	requests: RecordedRequest[];
	stats: EmulatorStats;
	setFaults(faults: Partial<Faults>): void;
	clearFaults(): void;
	expireAllTokens(): void;
	/** Only this token (`tok-N`) answers 401 from now on. */
	expireToken(tokenId: string): void;
	/** Every access token issued so far (leak checks look for each of them). */
	issuedTokens(): string[];
	jobs: JobScripts;
	reset(): void;
	close(): Promise<void>;
}
