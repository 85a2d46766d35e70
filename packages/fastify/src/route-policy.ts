/**
 * A route's `config.auth` compiled into a policy, once, when the route is added. Bad values throw a
 * `ConfigurationError` naming the route, so a typo in a group rule stops the server from starting
 * instead of letting requests through.
 */
import { type AuthRules, type CompiledRules, ConfigurationError, compileRules } from '@cognito-gate/core';

/** What a route requires, in the form hooks are built from. */
export type RoutePolicy =
  | { readonly kind: 'public' }
  | { readonly kind: 'optional' }
  | { readonly kind: 'required'; readonly rules: CompiledRules | undefined };

const PUBLIC: RoutePolicy = Object.freeze({ kind: 'public' });
const OPTIONAL: RoutePolicy = Object.freeze({ kind: 'optional' });
const REQUIRED: RoutePolicy = Object.freeze({ kind: 'required', rules: undefined });

/**
 * Compile a `RouteAuth` value. `where` names it in error messages (`'defaultAuth'`,
 * `'config.auth of GET /orders'`).
 *
 * @example
 * compileRouteAuth({ groups: 'admin' }, 'config.auth of GET /admin') // { kind: 'required', rules }
 */
export function compileRouteAuth(value: unknown, where: string): RoutePolicy {
  if (value === false) return PUBLIC;
  if (value === true) return REQUIRED;
  if (value === 'optional') return OPTIONAL;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`cognito-gate: ${where} must be true, false, 'optional' or rules`);
  }
  try {
    return Object.freeze({ kind: 'required', rules: compileRules(value as AuthRules) });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // The core's message is about the rule ("groups must list at least one non-empty string");
    // prefixing the route tells which of many routes holds it.
    throw new ConfigurationError(`cognito-gate: ${where}: ${error.message.replace(/^cognito-gate: /, '')}`);
  }
}

const isOptions = (method: string | readonly string[]): boolean =>
  typeof method === 'string' ? method === 'OPTIONS' : method.every((m) => m === 'OPTIONS');

/**
 * `compileRouteAuth` for one route's `config.auth`, falling back to the plugin default. The default
 * skips OPTIONS-only routes: CORS preflight requests never carry credentials (Fetch standard), so
 * `defaultAuth` would break every cross-origin call. An explicit `config.auth` still applies.
 *
 * @example
 * routePolicy(route.config, route.method, route.url, defaultPolicy)
 */
export function routePolicy(
  config: { readonly auth?: unknown } | undefined,
  method: string | readonly string[],
  url: string,
  fallback: RoutePolicy,
): RoutePolicy {
  const value = config?.auth;
  if (value === undefined) return isOptions(method) ? PUBLIC : fallback;
  const methods = typeof method === 'string' ? method : method.join(',');
  return compileRouteAuth(value, `config.auth of ${methods} ${url}`);
}
