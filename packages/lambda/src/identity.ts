/**
 * Where a token comes from in an API Gateway event: a header (case-insensitive, because REST keeps
 * the client's casing while HTTP/2 clients and HTTP APIs send lower case), a query parameter or a
 * cookie. Sources are compiled once. Every occurrence of a source is read (all casings, single- and
 * multi-value maps): two different values are `invalid_request`, never "the first one". Errors are
 * the core's `AuthError`s, so every adapter maps them the same way.
 */
import { AuthError, ConfigurationError, parseBearer } from '@cognito-gate/core';
import { eventCookie } from './cookie.js';
import type { RequestFields } from './events.js';
import { headerValues, queryValues, singleValue } from './request-values.js';

/** One place to look for the token; the first source present in the event is used. */
export type IdentitySource =
  | { readonly header: string }
  | { readonly query: string }
  | { readonly cookie: string };

/** A validated source. */
export interface CompiledSource {
  readonly kind: 'header' | 'query' | 'cookie';
  /** As configured (query parameters and cookies are case-sensitive). */
  readonly name: string;
  /** Lower case, for header lookups. */
  readonly lower: string;
}

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Validate identity sources at setup.
 *
 * @example
 * compileIdentitySources([{ header: 'Authorization' }, { query: 'token' }], []);
 */
export function compileIdentitySources(
  value: IdentitySource | readonly IdentitySource[] | undefined,
  fallback: readonly IdentitySource[],
): readonly CompiledSource[] {
  const list = value === undefined ? fallback : Array.isArray(value) ? value : [value as IdentitySource];
  if (list.length === 0) fail('identity must name at least one source');
  return Object.freeze(
    list.map((source: unknown) => {
      if (typeof source !== 'object' || source === null) fail('identity sources must be objects');
      const keys = Object.keys(source);
      const kind = keys[0];
      if (keys.length !== 1 || (kind !== 'header' && kind !== 'query' && kind !== 'cookie')) {
        fail('an identity source is { header }, { query } or { cookie }');
      }
      const name = (source as Record<string, unknown>)[kind];
      if (typeof name !== 'string' || !NAME.test(name)) fail(`identity ${kind} must be a valid name`);
      return Object.freeze({ kind, name, lower: name.toLowerCase() });
    }),
  );
}

function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate: ${message}`);
}

/**
 * The token in a header value: `Bearer <token>` (scheme case-insensitive), or, when `acceptBare`,
 * a value without a scheme (what clients of the REST Cognito authorizer send).
 *
 * @example
 * tokenFromValue('bearer eyJ...', false) // 'eyJ...'
 * tokenFromValue('eyJ...', true)        // 'eyJ...'
 */
export function tokenFromValue(value: string | null | undefined, acceptBare: boolean): string {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    // A hand-made event (a number, an array-like): malformed, never handed to the parser.
    throw new AuthError('invalid_request', { detail: 'the credential is not text' });
  }
  if (acceptBare && typeof value === 'string') {
    const trimmed = value.trim();
    // No whitespace: not "scheme credentials", so a bare token (or "Bearer" alone, left to parseBearer).
    if (trimmed.length > 0 && !/\s/.test(trimmed) && trimmed.toLowerCase() !== 'bearer') return trimmed;
  }
  return parseBearer(value);
}

/**
 * The token of a REQUEST-style event, from the first configured source present. Throws
 * `missing_token` when no source is present, and `invalid_request` when a source has two different
 * values or a field of the event has the wrong type.
 *
 * @example
 * readToken(event, compileIdentitySources({ header: 'authorization' }, []), true);
 */
export function readToken(
  event: RequestFields | null | undefined,
  sources: readonly CompiledSource[],
  acceptBare: boolean,
): string {
  if (event === null || event === undefined || typeof event !== 'object') {
    throw new AuthError('missing_token');
  }
  for (const source of sources) {
    if (source.kind === 'header') {
      const value = singleValue(headerValues(event, source.lower), `${source.name} header`);
      if (value !== undefined) return tokenFromValue(value, acceptBare);
    } else if (source.kind === 'query') {
      const value = singleValue(queryValues(event, source.name), `${source.name} query parameter`);
      // A token in a URL has no scheme; "Bearer x" is still accepted.
      if (value !== undefined) return tokenFromValue(value, true);
    } else {
      const value = eventCookie(event, source.name);
      if (value !== undefined) return tokenFromValue(value, true);
    }
  }
  throw new AuthError('missing_token');
}
