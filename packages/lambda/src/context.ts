/**
 * The flat authorizer `context`. API Gateway answers 500 when a context value is an array or an
 * object (spec pitfall #3), so everything goes through one serializer: lists are joined, objects
 * JSON-encoded, empty values dropped. `getAuth` reads these fields back on the other side.
 */
import type { VerifiedToken } from '@cognito-gate/core';
import type { AuthorizerContext, ContextValue } from './events.js';

/** Extra context fields from the user; values are flattened, `undefined`/`null` dropped. */
export type ContextHook<Event> = (
  auth: VerifiedToken,
  event: Event,
) => Readonly<Record<string, unknown>> | undefined;

/**
 * Keys API Gateway gives its own meaning downstream: `principalId` is the result's principal, and
 * `claims` is reserved in HTTP API payload 1.0 (a context with it is a 500).
 */
const RESERVED = new Set(['principalId', 'claims']);

/** Separators: Cognito group names cannot contain whitespace, scopes cannot contain spaces. */
export const GROUP_SEPARATOR = ',';
export const SCOPE_SEPARATOR = ' ';

/**
 * One value as API Gateway accepts it, or `undefined` to drop it.
 *
 * @example
 * flattenValue(['admin', 'dev']) // 'admin,dev'
 * flattenValue({ a: 1 })         // '{"a":1}'
 */
export function flattenValue(value: unknown): ContextValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'bigint':
      return String(value);
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) return value.map((item) => flattenValue(item) ?? '').join(GROUP_SEPARATOR);
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
      try {
        return JSON.stringify(value);
      } catch {
        return undefined; // cycles, BigInt members: drop rather than fail the request
      }
    }
    default:
      return undefined; // undefined, functions, symbols
  }
}

/**
 * The context every authorizer returns: who the caller is, in primitives only.
 * `groups` is comma-joined, `scopes` space-joined, `exp` in epoch seconds.
 *
 * @example
 * defaultContext(auth) // { sub, clientId, tokenUse, username, groups: 'admin,dev', scopes: '...', exp }
 */
export function defaultContext(auth: VerifiedToken): AuthorizerContext {
  const context: AuthorizerContext = {
    sub: auth.sub,
    clientId: auth.clientId,
    tokenUse: auth.tokenUse,
    groups: auth.groups.join(GROUP_SEPARATOR),
    scopes: auth.scopes.join(SCOPE_SEPARATOR),
    exp: Math.floor(auth.expiresAt.getTime() / 1000),
  };
  if (auth.username !== undefined) context.username = auth.username;
  return context;
}

/**
 * The default context plus the user's fields, flattened. A user field overrides a default one of
 * the same name; reserved names are skipped.
 */
export function buildContext<Event>(
  auth: VerifiedToken,
  event: Event,
  hook: ContextHook<Event> | undefined,
): AuthorizerContext {
  const context = defaultContext(auth);
  if (hook === undefined) return context;
  const extra = hook(auth, event);
  if (extra === undefined || extra === null || typeof extra !== 'object') return context;
  for (const key of Object.keys(extra)) {
    if (RESERVED.has(key) || key === '__proto__') continue;
    const value = flattenValue(extra[key]);
    if (value !== undefined) context[key] = value;
  }
  return context;
}
