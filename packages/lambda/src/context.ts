/**
 * The flat authorizer `context`. API Gateway answers 500 when a context value is an array or an
 * object (spec pitfall #3), so everything goes through one serializer: lists and objects are
 * JSON-encoded, empty values dropped. Lists are JSON rather than joined because a Cognito group name
 * may contain a comma (and a scope a comma too): `["a,b"]` reads back as one group, `a,b` as two.
 * `getAuth` reads these fields back on the other side.
 */
import { ConfigurationError, type VerifiedToken } from '@cognito-gate/core';
import type { AuthorizerContext, ContextValue } from './events.js';

/** Extra context fields from the user (or a promise of them); values are flattened, `undefined`/`null` dropped. */
export type ContextHook<Event> = (
  auth: VerifiedToken,
  event: Event,
) =>
  | Readonly<Record<string, unknown>>
  | undefined
  | PromiseLike<Readonly<Record<string, unknown>> | undefined>;

/**
 * Keys API Gateway gives its own meaning downstream: `principalId` is the result's principal, and
 * `claims` is reserved in HTTP API payload 1.0 (a context with it is a 500).
 */
const RESERVED = new Set(['principalId', 'claims']);

/**
 * One value as API Gateway accepts it, or `undefined` to drop it.
 *
 * @example
 * flattenValue(['admin', 'dev']) // '["admin","dev"]'
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
 * `groups` and `scopes` are JSON arrays, `exp` is in epoch seconds.
 *
 * @example
 * defaultContext(auth) // { sub, clientId, tokenUse, username, groups: '["admin","dev"]', scopes: '[…]', exp }
 */
export function defaultContext(auth: VerifiedToken): AuthorizerContext {
  const context: AuthorizerContext = {
    sub: auth.sub,
    clientId: auth.clientId,
    tokenUse: auth.tokenUse,
    groups: JSON.stringify(auth.groups),
    scopes: JSON.stringify(auth.scopes),
    exp: Math.floor(auth.expiresAt.getTime() / 1000),
  };
  if (auth.username !== undefined) context.username = auth.username;
  return context;
}

/**
 * The default context plus the user's fields, flattened. A user field overrides a default one of
 * the same name; reserved names and the empty key are skipped. A hook answering anything but an
 * object (or nothing) is a bug in the hook: it fails the request with a 500 rather than guess.
 */
export async function buildContext<Event>(
  auth: VerifiedToken,
  event: Event,
  hook: ContextHook<Event> | undefined,
): Promise<AuthorizerContext> {
  const context = defaultContext(auth);
  if (hook === undefined) return context;
  const extra: unknown = await hook(auth, event);
  if (extra === undefined || extra === null) return context;
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    throw new ConfigurationError('cognito-gate: the context hook must return an object or undefined');
  }
  const fields = extra as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(fields)) {
    if (key === '' || RESERVED.has(key) || key === '__proto__') continue;
    const value = flattenValue(fields[key]);
    if (value !== undefined) context[key] = value;
  }
  return context;
}
