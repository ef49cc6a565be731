/**
 * The transport of every Genesys Cloud node: import from here only.
 */
export { GenesysClient, INVALID_RESPONSE, throttleSettingsOf } from './client';
export type {
	ClientSettings,
	ClientStats,
	ForContextOptions,
	GenesysClientConfig,
	GenesysResponse,
	RateLimitSettings,
	RequestOptions,
	TokenStats,
	TransportLogger,
} from './client';
export {
	GenesysApiError,
	GenesysRequestRefused,
	isGenesysError,
	isOutageFailure,
	parseErrorBody,
	redirectTarget,
	redactSecrets,
	STANDALONE_NODE,
} from './errors';
export type { ErrorMatch, GenesysErrorBody, GenesysErrorDetail, GenesysErrorInit, GenesysFailureKind } from './errors';
export { CREDENTIAL_TYPE, N8nSender } from './n8nSender';
export type { GenesysContext } from './n8nSender';
export { checkApiPath, joinApiUrl } from './paths';
export type { PathCheck } from './paths';
export {
	backoffDelayMs,
	decideRetry,
	DEFAULT_RETRY_POLICY,
	isIdempotent,
	isSuccess,
	networkErrorWasSent,
	parseRetryAfter,
	throttledDelayMs,
	UNKNOWN_FAILURE,
} from './retry';
export type { AttemptOutcome, DecisionInput, GiveUpReason, HttpMethod, RetryDecision, RetryPolicy } from './retry';
export { CredentialSender, normaliseHeaders, SenderNetworkError, SenderTokenError } from './sender';
export type {
	CredentialSenderOptions,
	HttpSender,
	QueryParams,
	QueryValue,
	RawResponse,
	SenderRequest,
	SenderResponse,
} from './sender';
export {
	ADAPTIVE,
	defaultMarginMs,
	MAX_LANES,
	SYSTEM_CLOCK,
	Throttle,
	throttleKey,
	ThrottleRegistry,
	throttleRegistry,
} from './throttle';
export type {
	Clock,
	LaneSnapshot,
	Permit,
	PoolSnapshot,
	RefusalScope,
	ThrottleSettings,
	ThrottleSnapshot,
} from './throttle';
export { PoolTokenRegistry, poolTokenKey, poolTokenRegistry, PoolTokens } from './tokenPool';
export type { PooledToken } from './tokenPool';
export {
	ACCESS_TOKEN_FIELD,
	GenesysTokenError,
	interpretTokenResponse,
	INVALID_CONFIGURATION,
	isNetworkCode,
	networkErrorCode,
	parseTokenFailure,
	requestToken,
	TOKEN_EXPIRES_AT_FIELD,
	TOKEN_RETRY_AFTER_DEFAULT_MS,
	TokenRequestPacer,
	tokenRequestPacer,
} from './token';
export type { IssuedToken, PacerClock, TokenFailure, TokenRequestOptions } from './token';
