/**
 * The one error type every rejection ends in. Callers switch on `code`; adapters render `status`
 * and `wwwAuthenticate()`. Descriptions are fixed per code so nothing from the token, its claims or
 * the configuration can leak into a response.
 */

/** Stable error codes: part of the public API, never renamed. */
import { authErrorHeaders } from './www-authenticate.js';

export type AuthErrorCode =
  | 'missing_token'
  | 'invalid_request'
  | 'malformed_token'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'invalid_key'
  | 'invalid_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'invalid_issuer'
  | 'invalid_client'
  | 'invalid_token_use'
  | 'invalid_claims'
  | 'revoked'
  | 'insufficient_scope'
  | 'insufficient_group'
  | 'forbidden'
  | 'insufficient_user_authentication'
  | 'jwks_unavailable'
  | 'revocation_unavailable';

/**
 * The `error` attribute a code maps to: RFC 6750's three, and RFC 9470's step-up challenge (none for
 * `missing_token` and the 503s).
 */
export type BearerErrorAttribute =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_user_authentication';

interface CodeInfo {
  readonly status: 400 | 401 | 403 | 503;
  readonly bearer: BearerErrorAttribute | undefined;
  readonly description: string;
}

const INVALID = 'invalid_token' as const;

/** Status, RFC 6750 attribute and client-safe text for every code. */
export const AUTH_ERROR_CODES: Readonly<Record<AuthErrorCode, CodeInfo>> = Object.freeze({
  missing_token: { status: 401, bearer: undefined, description: 'Authentication required' },
  invalid_request: { status: 400, bearer: 'invalid_request', description: 'Malformed Authorization header' },
  malformed_token: { status: 401, bearer: INVALID, description: 'The token is malformed' },
  unsupported_algorithm: { status: 401, bearer: INVALID, description: 'The token algorithm is not accepted' },
  unknown_key: { status: 401, bearer: INVALID, description: 'The token signing key is unknown' },
  invalid_key: { status: 401, bearer: INVALID, description: 'The token signing key is not acceptable' },
  invalid_signature: { status: 401, bearer: INVALID, description: 'The token signature is invalid' },
  expired: { status: 401, bearer: INVALID, description: 'The token has expired' },
  not_yet_valid: { status: 401, bearer: INVALID, description: 'The token is not valid yet' },
  issued_in_future: { status: 401, bearer: INVALID, description: 'The token was issued in the future' },
  invalid_issuer: { status: 401, bearer: INVALID, description: 'The token issuer is not accepted' },
  invalid_client: { status: 401, bearer: INVALID, description: 'The token was issued to another client' },
  invalid_token_use: { status: 401, bearer: INVALID, description: 'The token type is not accepted here' },
  invalid_claims: { status: 401, bearer: INVALID, description: 'The token claims are invalid' },
  revoked: { status: 401, bearer: INVALID, description: 'The token has been revoked' },
  insufficient_scope: { status: 403, bearer: 'insufficient_scope', description: 'Insufficient scope' },
  insufficient_group: {
    status: 403,
    bearer: 'insufficient_scope',
    description: 'Insufficient group membership',
  },
  forbidden: {
    status: 403,
    bearer: 'insufficient_scope',
    description: 'Access to this resource is forbidden',
  },
  // RFC 9470 §3: the token is fine, but the sign-in behind it is too weak or too old; the client
  // should send the user to sign in again (with `acr_values` / `max_age`), not drop the token.
  insufficient_user_authentication: {
    status: 401,
    bearer: 'insufficient_user_authentication',
    description: 'A stronger or more recent authentication is required',
  },
  jwks_unavailable: {
    status: 503,
    bearer: undefined,
    description: 'Token keys are temporarily unavailable',
  },
  // A deny-list past its staleness bound (`whenStale: 'unavailable'`): the token may be fine, but
  // whether it was revoked cannot be known now; clients should retry, not drop the token.
  revocation_unavailable: {
    status: 503,
    bearer: undefined,
    description: 'Token revocation status is temporarily unavailable',
  },
});

export interface AuthErrorOptions {
  /** Internal detail for logs (never sent to clients by our adapters). */
  readonly detail?: string;
  /** Scopes the resource requires (rendered as the RFC 6750 `scope` attribute). */
  readonly requiredScopes?: readonly string[];
  /** Seconds a client should wait before retrying (503 only). */
  readonly retryAfterSeconds?: number;
  /** Authentication context classes the resource accepts (RFC 9470 `acr_values`). */
  readonly acrValues?: readonly string[];
  /** Largest authentication age the resource accepts, in seconds (RFC 9470 `max_age`). */
  readonly maxAge?: number;
  readonly cause?: unknown;
  /** The rejection wraps an internal failure (a bug), not a judgement on the token. */
  readonly unexpected?: boolean;
}

/**
 * A rejected request. `message` equals the fixed `description`, so even `String(err)` in a
 * careless error handler shows nothing from the token.
 *
 * @example
 * try { await verifier.verify(token); }
 * catch (err) { if (err instanceof AuthError) res.status(err.status).json(err.toJSON()); }
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly status: 400 | 401 | 403 | 503;
  /** Alias of `status` for Fastify's and http-errors' conventions. */
  readonly statusCode: 400 | 401 | 403 | 503;
  /** Client-safe text, fixed per code. */
  readonly description: string;
  /** Internal detail for logs; never rendered to clients. */
  readonly detail: string | undefined;
  readonly requiredScopes: readonly string[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** Step-up challenges only: the `acr_values` a new sign-in should satisfy. */
  readonly acrValues: readonly string[] | undefined;
  /** Step-up challenges only: the `max_age` (seconds) a new sign-in should satisfy. */
  readonly maxAge: number | undefined;
  /**
   * True when the pipeline failed in a way it did not plan for (a TypeError from a bug, say) and
   * failed closed by rejecting the token; the original error is the `cause`. Log these: a token
   * judgement is never `unexpected`.
   */
  readonly unexpected: boolean;
  /** Lets http-errors-aware handlers (Express's default one) use our message. */
  readonly expose = true;

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    const info = AUTH_ERROR_CODES[code];
    super(info.description, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = info.status;
    this.statusCode = info.status;
    this.description = info.description;
    this.detail = options.detail;
    this.requiredScopes = options.requiredScopes;
    // Step-up attributes belong to the step-up challenge only, like Retry-After to the 503.
    const stepUp = code === 'insufficient_user_authentication';
    this.acrValues = stepUp ? options.acrValues : undefined;
    this.maxAge = stepUp ? options.maxAge : undefined;
    this.unexpected = options.unexpected === true;
    this.retryAfterSeconds =
      info.status === 503 ? (options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER) : undefined;
  }

  /**
   * `instanceof AuthError` also holds for an AuthError from another copy of this package: an
   * application that mixes `import` and `require` loads both the ESM and the CommonJS build.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof; a subclass keeps the plain prototype test.
    return this === AuthError ? isAuthError(value) : isInstance(this, value);
  }

  /** The RFC 6750 attribute for this code, if any. */
  get bearerError(): BearerErrorAttribute | undefined {
    return AUTH_ERROR_CODES[this.code].bearer;
  }

  /**
   * Response headers for this error with the default realm (`WWW-Authenticate`, `Retry-After`).
   * Express's default error handler and http-errors-aware handlers apply `err.headers` as is.
   */
  get headers(): Record<string, string> {
    return authErrorHeaders(this);
  }

  /** The OAuth-style JSON body adapters send: `{ error, error_description }`. */
  toJSON(): { error: AuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

const DEFAULT_RETRY_AFTER = 5;

// The prototype-chain test `instanceof` does without a custom Symbol.hasInstance.
const isInstance = (type: abstract new (...args: never[]) => unknown, value: unknown): boolean =>
  Function.prototype[Symbol.hasInstance].call(type, value);

/** True for our errors, also across duplicated package copies (checks the shape, not the class). */
export function isAuthError(value: unknown): value is AuthError {
  return (
    isInstance(AuthError, value) ||
    (value instanceof Error &&
      value.name === 'AuthError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      Object.hasOwn(AUTH_ERROR_CODES, (value as unknown as { code: string }).code))
  );
}
