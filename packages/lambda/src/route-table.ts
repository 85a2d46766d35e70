/**
 * Per-route rules that stay correct under API Gateway's result cache. The cache reuses one result
 * for every route of the stage, so the result must not depend on the route that happened to come
 * first: the authorizer checks the token against every route and returns one policy, "Allow the
 * stage, Deny the routes this token fails". Patterns are therefore IAM resource globs, and the local
 * check uses the very same glob semantics, so a fresh and a cached decision always agree.
 *
 * Keys are `'METHOD /path'` (`GET /orders/{id}`, `ANY /admin/*`). In a path, `{param}`, `{proxy+}`
 * and `*` match any characters, `/` included (IAM `*`), and every matching route applies. Each key
 * also covers what common backends serve from the same handler, so a rule cannot be stepped around:
 * a `GET` rule guards `HEAD` (Express and Fastify answer HEAD with the GET handler), and a path
 * without a trailing wildcard guards its trailing-slash twin (`/orders` and `/orders/`). Methods in
 * keys are case-insensitive; paths are case-sensitive, as API Gateway resources and IAM are.
 */
import {
  type AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  checkRules,
  compileRules,
  isAuthError,
  type VerifiedToken,
} from '@cognito-gate/core';
import { globRegExp } from './iam-glob.js';

/** `{ 'GET /orders/{id}': { scopes: 'orders/read' }, 'ANY /admin/*': { groups: 'admin' } }` */
export type RouteTable = Readonly<Record<string, AuthRules>>;

/** A route compiled at setup. */
export interface CompiledRoute {
  readonly key: string;
  /** The resources after the stage, as IAM globs: `GET/orders/*`, `HEAD/orders/*`, `*\/admin/*`. */
  readonly globs: readonly string[];
  readonly pattern: RegExp;
  readonly rules: CompiledRules;
}

/** A route the token does not satisfy, and why. */
export interface RouteDenial {
  readonly route: CompiledRoute;
  readonly error: AuthError;
}

const NO_DENIALS: readonly RouteDenial[] = Object.freeze([]);
const KEY = /^(ANY|\*|[A-Za-z]+) (\/\S*)$/;
const MAX_PATH = 400; // a policy Resource is capped at 512 characters, the ARN prefix included

function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate: ${message}`);
}

/** The verbs a key guards: `GET` also guards `HEAD`, which backends answer with the GET handler. */
export function verbsOf(method: string): readonly string[] {
  if (method === 'ANY') return ['*'];
  // `*` falls through to [method], which is ['*'] as well.
  return method === 'GET' ? ['GET', 'HEAD'] : [method];
}

/** The paths a key guards: a path that does not end in a wildcard, with and without a trailing slash. */
export function pathsOf(resource: string): readonly string[] {
  if (resource === '' || resource.endsWith('*')) return [resource];
  const bare = resource.endsWith('/') ? resource.slice(0, -1) : resource;
  return [bare, `${bare}/`];
}

function compileRoute(key: string, rules: AuthRules): CompiledRoute {
  const match = KEY.exec(key);
  if (match === null) fail(`route "${key}" must look like "GET /orders/{id}" (method, one space, path)`);
  const rawMethod = match[1]!;
  const path = match[2]!;
  if (path.length > MAX_PATH) fail(`route "${key}" is longer than ${MAX_PATH} characters`);
  if (path.includes('?')) fail(`route "${key}" must not contain "?" (a one-character IAM wildcard)`);
  const resource = path.slice(1).replace(/\{[^{}/]+\}/g, '*');
  if (/[{}]/.test(resource)) fail(`route "${key}" has an unbalanced {parameter}`);
  const globs = verbsOf(rawMethod.toUpperCase()).flatMap((verb) =>
    pathsOf(resource).map((glob) => `${verb}/${glob}`),
  );
  return Object.freeze({
    key,
    globs: Object.freeze(globs),
    pattern: globRegExp(globs),
    rules: compileRules(rules),
  });
}

/**
 * Validate a route table at setup.
 *
 * @example
 * const routes = compileRouteTable({ 'DELETE /orders/{id}': { groups: 'admin' } });
 */
export function compileRouteTable(table: RouteTable | undefined): readonly CompiledRoute[] {
  if (table === undefined) return Object.freeze([]);
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    fail('routes must be an object of "METHOD /path": rules');
  }
  return Object.freeze(Object.entries(table).map(([key, rules]) => compileRoute(key, rules)));
}

/** True when `route` (the ARN part after the stage, `GET/orders/1`) falls under the pattern. */
export function routeMatches(route: CompiledRoute, arnRoute: string): boolean {
  return route.pattern.test(arnRoute);
}

/**
 * The routes `auth` fails, checked in table order. `only` restricts the check to routes matching
 * that ARN route (when the result will not be cached for other routes).
 *
 * @example
 * const denied = denyRoutes(auth, routes); // [] when the token may call every route
 */
export function denyRoutes(
  auth: VerifiedToken,
  routes: readonly CompiledRoute[],
  only?: string,
): readonly RouteDenial[] {
  if (routes.length === 0) return NO_DENIALS;
  const denied: RouteDenial[] = [];
  for (const route of routes) {
    if (only !== undefined && !route.pattern.test(only)) continue;
    try {
      checkRules(auth, route.rules);
    } catch (error) {
      // checkRules throws only AuthErrors; anything else is a bug and must not pass as a denial.
      if (!isAuthError(error)) throw error;
      denied.push({ route, error });
    }
  }
  return denied;
}

/** The first denial that covers `arnRoute`, i.e. why the current request gets a 403. */
export function denialFor(denied: readonly RouteDenial[], arnRoute: string): RouteDenial | undefined {
  for (const denial of denied) if (denial.route.pattern.test(arnRoute)) return denial;
  return undefined;
}
