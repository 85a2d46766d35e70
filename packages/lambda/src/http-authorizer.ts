/**
 * `createHttpAuthorizer`: an HTTP API (API Gateway v2) Lambda authorizer.
 * - Payload 2.0 answers with simple responses `{ isAuthorized, context }` by default, or with an IAM
 *   policy built from `routeArn`; payload 1.0 only allows IAM policies, built from `methodArn`.
 * - The token comes from a header (case-insensitive), a query parameter or a cookie, as configured.
 * - 401: `throw new Error('Unauthorized')` (or, with `unauthenticated: 'deny'`, a 403 answer for
 *   APIs that prefer never to throw); 403: `isAuthorized: false` or a Deny; outage: a 500.
 * HTTP API caching keys on the identity sources for all routes (unless `$context.routeKey` is one of
 * them): per-route rules with simple responses need that, or caching off. IAM responses carry the
 * route denials in the policy, like the REST authorizer, and need neither.
 */
import type { AuthError } from '@cognito-gate/core';
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
import { denyResult, policyResult } from './policy.js';
import { compileRouteTable, denialFor, denyRoutes, type RouteTable } from './route-table.js';

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
    ['routes', 'response', 'unauthenticated'],
    [{ header: 'authorization' }],
  );
  const routes = compileRouteTable(options.routes);
  const response = options.response ?? 'simple';
  if (response !== 'simple' && response !== 'iam') fail(`response must be 'simple' or 'iam'`);
  const unauthenticated = options.unauthenticated ?? 'throw';
  if (unauthenticated !== 'throw' && unauthenticated !== 'deny') {
    fail(`unauthenticated must be 'throw' or 'deny'`);
  }

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
    const { auth, forbidden, failure } = await core.authenticate(readEventToken, event);
    if (failure !== undefined) {
      if (unauthenticated === 'deny' && failure.status !== 503)
        return denyUnauthenticated(failure, simple, arn);
      throw core.rejection(failure);
    }
    let principalId: string | undefined;
    try {
      principalId = core.principal(auth);
      const context = core.context(auth, event);
      // Simple responses cannot carry per-route denials: only the routes of this request matter.
      const denied = forbidden === undefined ? denyRoutes(auth, routes, simple ? arn.route : undefined) : [];
      const reason = forbidden ?? denialFor(denied, arn.route)?.error;
      let result: HttpAuthorizerResult;
      if (simple) {
        result = { isAuthorized: reason === undefined, context };
      } else if (forbidden !== undefined) {
        result = denyResult(principalId, httpStageWildcard(arn), context);
      } else {
        const denials = denied.map((denial) => arn.stagePrefix + denial.route.glob);
        result = policyResult(principalId, httpStageWildcard(arn), denials, context);
      }
      if (reason === undefined) core.report('allow', { principalId });
      else core.report('deny', { code: reason.code, principalId, error: reason });
      return result;
    } catch (error) {
      throw core.rejection(error, principalId);
    }
  };
}
