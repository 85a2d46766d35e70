/**
 * Why a JWKS download failed, in a small stable shape for operators: the network or TLS error code
 * dug out of fetch's nested causes (undici wraps them in `TypeError: fetch failed`, happy eyeballs
 * in an `AggregateError`), the HTTP status, or the limit that was hit. It goes to logs, `onEvent`,
 * `hydrate()` and the CLI, never to clients: adapters render only the fixed `description`.
 * Built only when a download fails, so the verification hot path never pays for it.
 */

/**
 * What went wrong, coarsely:
 * - `network`: DNS, connection refused or reset, socket closed mid-answer (`code` says which);
 * - `tls`: the certificate or the handshake (`code` says which);
 * - `status`: an answer other than 200, redirects included (`status`);
 * - `timeout`: no complete answer within `jwks.timeoutMs`;
 * - `too_large`: a body over `jwks.maxBytes`;
 * - `not_json`: a body that is not JSON;
 * - `invalid_jwks`: JSON without a keys array, or without one usable key;
 * - `invalid_response`: a custom `fetch` resolved to something that is not a Response;
 * - `aborted`: the verifier was closed during the download.
 */
export type JwksFailureCauseKind =
  | 'network'
  | 'tls'
  | 'status'
  | 'timeout'
  | 'too_large'
  | 'not_json'
  | 'invalid_jwks'
  | 'invalid_response'
  | 'aborted';

/** Why one JWKS download failed. Frozen; safe to log, never meant for clients. */
export interface JwksFailureCause {
  readonly kind: JwksFailureCauseKind;
  /** The system or TLS error code, e.g. `ENOTFOUND`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`. */
  readonly code?: string;
  /** The HTTP status of a `status` failure. */
  readonly status?: number;
  /**
   * One line of at most 200 characters, e.g. `connect ECONNREFUSED 127.0.0.1:8080`. Credentials,
   * query strings and fragments are cut from any URL in it; response bodies are never copied.
   */
  readonly message: string;
}

const MAX_MESSAGE = 200;
/** How far down a chain of causes we look: undici nests two or three levels. */
const MAX_DEPTH = 6;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** OpenSSL verification results (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`…) and Node's TLS codes. */
const TLS_CODE =
  /^(?:ERR_TLS_|ERR_SSL_|ERR_OSSL_|UNABLE_TO_)|CERT|^(?:HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)$/;
const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>]+/gi;

function withoutSecrets(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[url]';
  }
}

/**
 * `text` made safe for a log line: URLs lose credentials, query and fragment; control characters
 * become spaces; at most 200 characters.
 *
 * @example
 * cleanFailureText('GET https://u:p@host/jwks.json?sig=x failed') // 'GET https://host/jwks.json failed'
 */
export function cleanFailureText(text: string): string {
  const clean = text
    .replace(URL_IN_TEXT, withoutSecrets)
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

/**
 * A frozen cause. `message` is cleaned here, whatever its origin.
 *
 * @example
 * jwksFailure('status', 'JWKS endpoint answered 503', { status: 503 })
 */
export function jwksFailure(
  kind: JwksFailureCauseKind,
  message: string,
  extra: { readonly code?: string | undefined; readonly status?: number | undefined } = {},
): JwksFailureCause {
  return Object.freeze({
    kind,
    ...(extra.code === undefined ? {} : { code: extra.code }),
    ...(extra.status === undefined ? {} : { status: extra.status }),
    message: cleanFailureText(message),
  });
}

function ownString(value: unknown, name: 'code' | 'message'): string | undefined {
  try {
    const member = (value as Record<string, unknown>)[name];
    return typeof member === 'string' ? member : undefined;
  } catch {
    // A hostile getter: nothing to learn from it.
    return undefined;
  }
}

function next(value: object): unknown {
  try {
    const errors = (value as { errors?: unknown }).errors;
    // AggregateError (happy eyeballs tried several addresses): the first attempt says enough.
    if (Array.isArray(errors) && errors.length > 0) return errors[0];
    return (value as { cause?: unknown }).cause;
  } catch {
    return undefined;
  }
}

/**
 * The cause of an error thrown by `fetch` or by reading its body: the deepest error code and the
 * deepest non-empty message along the chain of `cause`s (and AggregateError members), as `tls`
 * when the code is a certificate or handshake code and `network` otherwise.
 *
 * @example
 * // undici: TypeError('fetch failed', { cause: Error('getaddrinfo ENOTFOUND x.invalid') { code: 'ENOTFOUND' } })
 * failureOfThrown(error) // { kind: 'network', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x.invalid' }
 */
export function failureOfThrown(thrown: unknown): JwksFailureCause {
  let code: string | undefined;
  let message: string | undefined;
  let current: unknown = thrown;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const ownCode = ownString(current, 'code');
    if (ownCode !== undefined && ERROR_CODE.test(ownCode)) code = ownCode;
    const ownMessage = ownString(current, 'message');
    if (ownMessage !== undefined && ownMessage.trim() !== '') message = ownMessage;
    current = next(current);
  }
  if (message === undefined) {
    message =
      typeof thrown === 'string' && thrown.trim() !== '' ? thrown : `fetch threw ${describeValue(thrown)}`;
  }
  const kind = code !== undefined && TLS_CODE.test(code) ? 'tls' : 'network';
  return jwksFailure(kind, message, { code });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object without a message';
  return `a ${typeof value}`;
}

/**
 * The one-line text of a network or TLS cause after `prefix`, with the code when the message
 * does not already name it: `JWKS request failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`.
 *
 * @example
 * failureSentence('JWKS request failed', cause) // 'JWKS request failed: connect ECONNREFUSED 127.0.0.1:1'
 */
export function failureSentence(prefix: string, cause: JwksFailureCause): string {
  const code = cause.code !== undefined && !cause.message.includes(cause.code) ? ` (${cause.code})` : '';
  return `${prefix}: ${cause.message}${code}`;
}
