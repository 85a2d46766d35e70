/**
 * RFC 6750 §3 `WWW-Authenticate` rendering (with RFC 9470's step-up attributes), shared by every
 * adapter so Express, Fastify and Lambda answer the same way. Attribute values are quoted-strings;
 * we escape `\` and `"` and drop control characters so a configured realm can never break the header.
 */
import type { AuthError } from './errors.js';

export interface ChallengeOptions {
  /** The `realm` attribute. Default `"api"`. */
  readonly realm?: string;
  /** Include `error_description` (fixed, client-safe text). Default true. */
  readonly includeDescription?: boolean;
}

/** Escape a value for an RFC 7230 quoted-string. Anything outside printable ASCII is dropped. */
export function quoteHeaderValue(value: string): string {
  // Non-ASCII would make Node refuse the whole header (ERR_INVALID_CHAR), turning a 401 into a 500.
  return `"${value.replace(/[^\u0020-\u007e]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

/** Longest realm accepted; it is repeated in every challenge. */
const MAX_REALM_LENGTH = 256;

/**
 * Why a configured realm cannot be sent in a `WWW-Authenticate` header, or `undefined` when it can.
 * Adapters call this at startup so a bad realm is a ConfigurationError, not a broken rejection on
 * every request later.
 *
 * @example
 * const problem = realmProblem(options.realm);
 * if (problem !== undefined) throw new ConfigurationError(`realm ${problem}`);
 */
export function realmProblem(realm: unknown): string | undefined {
  if (typeof realm !== 'string' || realm.length === 0) return 'must be a non-empty string';
  if (realm.length > MAX_REALM_LENGTH) return `must be at most ${MAX_REALM_LENGTH} characters`;
  if (!/^[\u0020-\u007e]+$/.test(realm) || /["\\]/.test(realm)) {
    return 'must be printable ASCII without quotes or backslashes';
  }
  return undefined;
}

/**
 * The `WWW-Authenticate` value for an error, or `undefined` when none belongs (503).
 *
 * @example
 * wwwAuthenticate(new AuthError('expired'))
 * // 'Bearer realm="api", error="invalid_token", error_description="The token has expired"'
 * wwwAuthenticate(new AuthError('insufficient_user_authentication', { maxAge: 300 }), { includeDescription: false })
 * // 'Bearer realm="api", error="insufficient_user_authentication", max_age="300"'
 */
export function wwwAuthenticate(error: AuthError, options: ChallengeOptions = {}): string | undefined {
  if (error.status === 503) return undefined;
  let value = `Bearer realm=${quoteHeaderValue(options.realm ?? 'api')}`;
  const attribute = error.bearerError;
  if (attribute === undefined) return value;
  value += `, error="${attribute}"`;
  if (options.includeDescription !== false) {
    value += `, error_description=${quoteHeaderValue(error.description)}`;
  }
  if (error.requiredScopes !== undefined && error.requiredScopes.length > 0) {
    value += `, scope=${quoteHeaderValue(error.requiredScopes.join(' '))}`;
  }
  // RFC 9470 §3: what a new sign-in must achieve. Quoted like the RFC's own examples
  // (`acr_values="myACR"`, `max_age="5"`); acr values were checked to be printable ASCII at compile.
  if (error.acrValues !== undefined && error.acrValues.length > 0) {
    value += `, acr_values=${quoteHeaderValue(error.acrValues.join(' '))}`;
  }
  if (error.maxAge !== undefined) value += `, max_age=${quoteHeaderValue(String(error.maxAge))}`;
  return value;
}

/**
 * Every header an error response carries: `WWW-Authenticate` (401/400/403) or `Retry-After` (503).
 * Lower-case names so they work unchanged in Fastify, Express and API Gateway v2 responses.
 */
export function authErrorHeaders(error: AuthError, options: ChallengeOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const challenge = wwwAuthenticate(error, options);
  if (challenge !== undefined) headers['www-authenticate'] = challenge;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return headers;
}
