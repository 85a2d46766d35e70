/**
 * Where a token comes from in an API Gateway event: a header (case-insensitive, because REST keeps
 * the client's casing while HTTP/2 clients and HTTP APIs send lower case), a query parameter or a
 * cookie. Sources are compiled once; reading one allocates nothing on the usual path. Errors are the
 * core's `AuthError`s, so every adapter maps them the same way.
 */
import { AuthError, ConfigurationError, parseBearer } from '@cognito-gate/core';
import type { MultiValueMap, RequestFields, StringMap } from './events.js';

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
  if (acceptBare && typeof value === 'string') {
    const trimmed = value.trim();
    // No whitespace: not "scheme credentials", so a bare token (or "Bearer" alone, left to parseBearer).
    if (trimmed.length > 0 && !/\s/.test(trimmed) && trimmed.toLowerCase() !== 'bearer') return trimmed;
  }
  return parseBearer(value);
}

function lookup(map: StringMap, lower: string): string | undefined {
  if (map === null || map === undefined || typeof map !== 'object') return undefined;
  // Own properties only: an inherited `authorization` is not a header the client sent.
  const direct = Object.hasOwn(map, lower) ? map[lower] : undefined;
  if (typeof direct === 'string') return direct;
  for (const key in map) {
    if (key.length === lower.length && key.toLowerCase() === lower && Object.hasOwn(map, key)) {
      const value = map[key];
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}

function repeated(map: MultiValueMap, lower: string, caseInsensitive: boolean): boolean {
  if (map === null || map === undefined || typeof map !== 'object') return false;
  for (const key in map) {
    if (caseInsensitive ? key.toLowerCase() === lower : key === lower) {
      const values = map[key];
      if (Array.isArray(values) && values.length > 1) return true;
    }
  }
  return false;
}

function cookieValue(event: RequestFields, name: string): string | undefined {
  const prefix = `${name}=`;
  const cookies = event.cookies;
  if (Array.isArray(cookies)) {
    for (const cookie of cookies) {
      if (typeof cookie === 'string' && cookie.startsWith(prefix)) return cookie.slice(prefix.length);
    }
  }
  // REST and payload 1.0 have only the Cookie header: "a=1; b=2".
  const header = lookup(event.headers, 'cookie');
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return trimmed.slice(prefix.length);
  }
  return undefined;
}

/**
 * The token of a REQUEST-style event, from the first configured source present. Throws
 * `missing_token` when no source is present and `invalid_request` when a source is repeated.
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
      const value = lookup(event.headers, source.lower);
      if (value === undefined) continue;
      if (repeated(event.multiValueHeaders, source.lower, true)) {
        throw new AuthError('invalid_request', { detail: `several ${source.name} headers` });
      }
      return tokenFromValue(value, acceptBare);
    }
    if (source.kind === 'query') {
      const map = event.queryStringParameters;
      const value =
        map !== null && map !== undefined && Object.hasOwn(map, source.name) ? map[source.name] : undefined;
      if (typeof value !== 'string') continue;
      if (repeated(event.multiValueQueryStringParameters, source.name, false)) {
        throw new AuthError('invalid_request', { detail: `several ${source.name} query parameters` });
      }
      // A token in a URL has no scheme; "Bearer x" is still accepted.
      return tokenFromValue(value, true);
    }
    const value = cookieValue(event, source.name);
    if (value !== undefined) return tokenFromValue(value, true);
  }
  throw new AuthError('missing_token');
}
