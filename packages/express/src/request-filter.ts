/**
 * Requests `cognitoAuth()` treats apart: paths the application excludes (typically health checks),
 * let through without a token, and CORS preflights, recognised for `preflight: 'respond'`.
 * Exclusions are compiled once and fail closed: a predicate that throws, or answers anything but
 * `true` (a truthy value, a promise), does not exclude.
 */
import { ignoreRejection } from '@cognito-gate/core';
import type { Request } from 'express';
import { fail } from './fail.js';

/**
 * Paths that skip authentication, matched against `req.path` (relative to where the middleware is
 * mounted): exact strings such as `'/health'`, regular expressions, or a predicate.
 */
export type ExcludeOption = ReadonlyArray<string | RegExp> | ((req: Request) => boolean);

/** A compiled exclusion: true when the request skips authentication. */
export type Exclusion = (req: Request) => boolean;

/**
 * True for a CORS preflight: `OPTIONS` with `Access-Control-Request-Method`. A plain `OPTIONS`
 * request is not a preflight. Answer a preflight; never hand it on to a protected handler, which
 * would then run without a token.
 *
 * @example
 * if (isPreflight(req)) return void res.sendStatus(204);
 */
export function isPreflight(req: Request): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

function fromPredicate(predicate: (req: Request) => boolean): Exclusion {
  return function excludedByPredicate(req) {
    try {
      // An async predicate answers a promise: not `true`, and its rejection must not crash us.
      return ignoreRejection(predicate(req)) === true;
    } catch {
      return false;
    }
  };
}

function fromList(list: ReadonlyArray<unknown>): Exclusion | undefined {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      if (!entry.startsWith('/')) fail(`exclude paths must start with "/" (got ${JSON.stringify(entry)})`);
      exact.add(entry);
    } else if (entry instanceof RegExp) {
      // A global or sticky RegExp keeps lastIndex between calls and would match every other time.
      patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')));
    } else {
      fail('exclude entries must be path strings or regular expressions');
    }
  }
  if (exact.size === 0 && patterns.length === 0) return undefined;
  return function excludedByPath(req) {
    const path = req.path;
    if (exact.has(path)) return true;
    for (const pattern of patterns) if (pattern.test(path)) return true;
    return false;
  };
}

/**
 * Validate the `exclude` option once; `undefined` when nothing is excluded.
 *
 * @example
 * const excluded = compileExclude(['/health', /^\/public\//]);
 */
export function compileExclude(exclude: ExcludeOption | undefined): Exclusion | undefined {
  if (exclude === undefined) return undefined;
  if (typeof exclude === 'function') return fromPredicate(exclude);
  if (!Array.isArray(exclude))
    fail('exclude must be an array of paths and regular expressions, or a function');
  return fromList(exclude);
}
