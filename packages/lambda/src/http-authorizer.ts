/**
 * `createHttpAuthorizer`: an HTTP API (API Gateway v2) Lambda authorizer.
 * - Payload 2.0 answers with simple responses `{ isAuthorized, context }` by default, or with an IAM
 *   policy built from `routeArn`; payload 1.0 only allows IAM policies, built from `methodArn`.
 * - The token comes from a header (case-insensitive), a query parameter or a cookie, as configured.
 * - 401: `throw new Error('Unauthorized')` (or, with `unauthenticated: 'deny'`, a 403 answer for
 *   APIs that prefer never to throw); 403: `isAuthorized: false` or a Deny; outage: a 500.
 * - Per-route rules: IAM responses carry the route denials in the policy, like the REST authorizer.
 *   A simple response is one bit that API Gateway caches per identity-source values, for every route
 *   unless `$context.routeKey` is one of them, so `caching` says what the cache key holds and the
 *   answer is made right for every request that can share it (see the `caching` option).
 */
import { type AuthError, ConfigurationError } from '@cognito-gate/core';
import { AuthorizerCore, type BaseAuthorizerOptions, fail } from './authorizer-core.js';
import type {
  HttpAuthorizerEvent,
  HttpAuthorizerV1Event,
  HttpAuthorizerV2Event,
  PolicyAuthorizerResult,
  SimpleAuthorizerResult,
} from './events.js';
import { readToken } from './identity.js';
import { type ExecuteApiArn, httpStageWildcard } from './method-arn.js';
import { denyResources, denyResult, policyResult } from './policy.js';
import { RouteKeyIndex } from './route-key.js';
import {
  type CompiledRoute,
  compileRouteTable,
  denialFor,
  denyRoutes,
  type RouteTable,
  routeMatches,
} from './route-table.js';

export interface HttpAuthorizerOptions extends BaseAuthorizerOptions<HttpAuthorizerEvent> {
  /** Per-route rules, `{ 'GET /orders/{id}': { scopes: 'orders/read' } }` (IAM glob semantics). */
  readonly routes?: RouteTable;
  /** `'simple'` (default; needs `enableSimpleResponses`) or `'iam'`. Payload 1.0 always gets `'iam'`. */
  readonly response?: 'simple' | 'iam';
  /**
   * A missing or invalid token: `'throw'` (default) throws `Error('Unauthorized')`, which HTTP APIs
   * answer with 401; `'deny'` answers `isAuthorized: false` / a Deny, which the client sees as 403.
   */
  readonly unauthenticated?: 'throw' | 'deny';
  /**
   * What API Gateway's result cache keys simple responses on, which decides which `routes` one
   * answer must honour. The event does not say whether caching is on, so this is declared:
   * - `'shared'` (default): the identity sources only; a cached answer is reused on every route, so
   *   `isAuthorized: true` needs every route of the table to pass.
   * - `'route-key'`: `$context.routeKey` is an identity source; the answer honours every rule a
   *   request of this API route could meet. An event whose `identitySource` lacks its `routeKey`
   *   fails with a ConfigurationError (500): the deployment does not match the declaration.
   * - `'off'`: result caching is disabled (TTL 0); the answer is for this request only.
   */
  readonly caching?: 'shared' | 'route-key' | 'off';
}

/** What an HTTP API authorizer returns. */
export type HttpAuthorizerResult = SimpleAuthorizerResult | PolicyAuthorizerResult;

/** The handler returned by `createHttpAuthorizer`. */
export type HttpAuthorizerHandler<Result extends HttpAuthorizerResult = HttpAuthorizerResult> = (
  event: HttpAuthorizerEvent,
) => Promise<Result>;

/** The principal of a Deny for a request without a usable token (IAM results need one). */
const ANONYMOUS = 'anonymous';

/**
 * Create an HTTP API Lambda authorizer. Create it (and its verifier) outside the handler.
 *
 * @example
 * export const handler = createHttpAuthorizer({
 *   verifier: { userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' },
 *   identity: [{ header: 'authorization' }, { cookie: 'access_token' }],
 * });
 */
export function createHttpAuthorizer(
  options: HttpAuthorizerOptions & { readonly response: 'iam' },
): HttpAuthorizerHandler<PolicyAuthorizerResult>;
export function createHttpAuthorizer(options: HttpAuthorizerOptions): HttpAuthorizerHandler;
export function createHttpAuthorizer(options: HttpAuthorizerOptions): HttpAuthorizerHandler {
  const core = new AuthorizerCore<HttpAuthorizerEvent>(
    'http',
    options,
    ['routes', 'response', 'unauthenticated', 'caching'],
    [{ header: 'authorization' }],
  );
  const routes = compileRouteTable(options.routes);
  const response = options.response ?? 'simple';
  if (response !== 'simple' && response !== 'iam') fail(`response must be 'simple' or 'iam'`);
  const unauthenticated = options.unauthenticated ?? 'throw';
  if (unauthenticated !== 'throw' && unauthenticated !== 'deny') {
    fail(`unauthenticated must be 'throw' or 'deny'`);
  }

  const caching = options.caching ?? 'shared';
  if (caching !== 'shared' && caching !== 'route-key' && caching !== 'off') {
    fail(`caching must be 'shared', 'route-key' or 'off'`);
  }
  const routeKeys = new RouteKeyIndex(routes);

  /** The routes a simple answer must honour, given what the cache key holds. */
  const routesToHonour = (event: HttpAuthorizerV2Event, arn: ExecuteApiArn): readonly CompiledRoute[] => {
    if (routes.length === 0 || caching === 'shared') return routes;
    if (caching === 'off') return routes.filter((route) => routeMatches(route, arn.route));
    const routeKey = event.routeKey;
    const sources = event.identitySource;
    if (typeof routeKey !== 'string' || !Array.isArray(sources) || !sources.includes(routeKey)) {
      throw new ConfigurationError(
        "cognito-gate: caching: 'route-key' but the event's identitySource does not include its routeKey; " +
          'add $context.routeKey to the identity sources of the authorizer',
      );
    }
    const reached = routeKeys.routesFor(routeKey);
    // The request itself is one of the route's, whatever our reading of the key.
    const own = routes.filter((route) => routeMatches(route, arn.route) && !reached.includes(route));
    return own.length === 0 ? reached : [...reached, ...own];
  };

  const readEventToken = (event: HttpAuthorizerEvent): string =>
    readToken(event, core.sources, core.acceptBare);

  /** A 401-class failure answered with a 403 instead of the Unauthorized error. */
  const denyUnauthenticated = (
    failure: AuthError,
    simple: boolean,
    arn: ExecuteApiArn,
  ): HttpAuthorizerResult => {
    core.report('deny', { code: failure.code, error: failure });
    return simple ? { isAuthorized: false } : denyResult(ANONYMOUS, httpStageWildcard(arn), undefined);
  };

  return async function httpAuthorizer(event: HttpAuthorizerEvent): Promise<HttpAuthorizerResult> {
    const v1 = event?.version === '1.0';
    const arn = v1
      ? core.arnOf((event as HttpAuthorizerV1Event).methodArn, 'methodArn')
      : core.arnOf((event as HttpAuthorizerV2Event | null)?.routeArn, 'routeArn');
    const simple = !v1 && response === 'simple';
    let honoured: readonly CompiledRoute[] = routes;
    try {
      if (simple) honoured = routesToHonour(event as HttpAuthorizerV2Event, arn);
    } catch (error) {
      throw core.rejection(error);
    }
    const { auth, forbidden, failure } = await core.authenticate(readEventToken, event);
    if (failure !== undefined) {
      if (unauthenticated === 'deny' && failure.status !== 503)
        return denyUnauthenticated(failure, simple, arn);
      throw core.rejection(failure);
    }
    let principalId: string | undefined;
    try {
      principalId = await core.principal(auth);
      const context = await core.context(auth, event);
      // A simple answer is one bit: it is false when any route it must honour fails. A policy
      // carries a Deny for every failed route and is false only where IAM finds one.
      const denied = forbidden === undefined ? denyRoutes(auth, simple ? honoured : routes) : [];
      const reason = forbidden ?? (simple ? denied[0] : denialFor(denied, arn.route))?.error;
      let result: HttpAuthorizerResult;
      if (simple) {
        result = { isAuthorized: reason === undefined, context };
      } else if (forbidden !== undefined) {
        result = denyResult(principalId, httpStageWildcard(arn), context);
      } else {
        result = policyResult(principalId, httpStageWildcard(arn), denyResources(arn, denied), context);
      }
      if (reason === undefined) core.report('allow', { principalId });
      else core.report('deny', { code: reason.code, principalId, error: reason });
      return result;
    } catch (error) {
      throw core.rejection(error, principalId);
    }
  };
}
