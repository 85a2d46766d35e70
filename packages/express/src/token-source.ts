/**
 * Where a request's token comes from: the Authorization header (default), a cookie, the query string
 * (only when enabled) or a custom getter. RFC 6750 §2 forbids a client from sending the token by more
 * than one method in a request, so a token found in two places is `invalid_request`, never "pick one".
 */
import {
  AuthError,
  COOKIE_NAME,
  cookieToken,
  isAuthError,
  parseBearer,
  readCustomToken,
  singleHeaderValue,
} from '@cognito-gate/core';
import type { Request } from 'express';
import { fail } from './fail.js';

export interface TokenSourceOptions {
  /** Read `Authorization: Bearer <token>`. Default true. */
  readonly header?: boolean;
  /** Also read the token from this cookie (its raw value, no `Bearer ` prefix). */
  readonly cookie?: string;
  /**
   * Also accept the token in the query string: `true` for RFC 6750's `access_token`, or a parameter
   * name. Off by default: URLs end up in access logs, proxies and browser history.
   */
  readonly query?: boolean | string;
  /**
   * A custom source, tried after the others. Return the bare token, or `undefined`/`null` when the
   * request has none there; throw an `AuthError` to reject the request with it.
   */
  readonly getToken?: (req: Request) => string | null | undefined;
}

/** Token sources after validation. */
export interface TokenSources {
  readonly header: boolean;
  readonly cookie: string | undefined;
  readonly query: string | undefined;
  readonly getToken: ((req: Request) => unknown) | undefined;
}

/** Validate the token source options once, when the middleware is built. */
export function resolveTokenSources(options: TokenSourceOptions): TokenSources {
  const { header = true, cookie, query = false, getToken } = options;
  if (typeof header !== 'boolean') fail('header must be a boolean');
  if (cookie !== undefined && (typeof cookie !== 'string' || !COOKIE_NAME.test(cookie))) {
    fail("cookie must be a cookie name (letters, digits and !#$%&'*+-.^_`|~)");
  }
  if (typeof query !== 'boolean' && (typeof query !== 'string' || query.length === 0)) {
    fail('query must be a boolean or a non-empty parameter name');
  }
  if (getToken !== undefined && typeof getToken !== 'function') fail('getToken must be a function');
  const sources: TokenSources = {
    header,
    cookie,
    query: query === true ? 'access_token' : query === false ? undefined : query,
    getToken,
  };
  if (!sources.header && sources.cookie === undefined && sources.query === undefined && !getToken) {
    fail('every token source is disabled; enable header, cookie, query or getToken');
  }
  return sources;
}

function fromHeader(req: Request): string | undefined {
  // Node keeps the first of several Authorization headers in req.headers and drops the rest, so
  // two credentials would be judged by whichever came first. The raw list still has them all:
  // different values are invalid_request. The value itself comes from req.headers, which earlier
  // middleware may have set on purpose (a cookie turned into a header, say).
  if (Array.isArray(req.rawHeaders)) singleHeaderValue(req.rawHeaders, 'authorization');
  const value = req.headers.authorization;
  if (value === undefined) return undefined;
  try {
    return parseBearer(value);
  } catch (error) {
    // Another scheme (Basic, Digest…) means "no bearer token here", which lets other sources answer.
    if (isAuthError(error) && error.code === 'missing_token') return undefined;
    throw error;
  }
}

function fromCookie(req: Request, name: string): string | undefined {
  return cookieToken(req.headers.cookie, name);
}

function fromQuery(req: Request, name: string): string | undefined {
  // Parsed from the URL ourselves: Express 4 and 5 parse req.query differently, and apps may turn
  // the query parser off.
  const url = req.url;
  const mark = url.indexOf('?');
  if (mark === -1) return undefined;
  const values = new URLSearchParams(url.slice(mark + 1)).getAll(name).filter((v) => v.length > 0);
  if (values.length > 1) throw new AuthError('invalid_request', { detail: 'several tokens in the query' });
  return values[0];
}

function fromGetter(req: Request, getToken: (req: Request) => unknown): string | undefined {
  return readCustomToken(getToken, req);
}

function pick(current: string | undefined, next: string | undefined): string | undefined {
  if (next === undefined) return current;
  if (current !== undefined) {
    throw new AuthError('invalid_request', { detail: 'token sent by more than one method' });
  }
  return next;
}

/**
 * The request's token, or `undefined` when it carries none. Throws `invalid_request` for a malformed
 * Authorization header, conflicting values or a token in two places.
 *
 * @example
 * const token = extractToken(req, resolveTokenSources({ cookie: 'access_token' }));
 */
export function extractToken(req: Request, sources: TokenSources): string | undefined {
  let token = sources.header ? fromHeader(req) : undefined;
  if (sources.cookie !== undefined) token = pick(token, fromCookie(req, sources.cookie));
  if (sources.query !== undefined) token = pick(token, fromQuery(req, sources.query));
  if (sources.getToken !== undefined) token = pick(token, fromGetter(req, sources.getToken));
  return token;
}
