/**
 * `createRestAuthorizer`: a REST API Lambda authorizer for TOKEN and REQUEST events.
 * - Allow: a stage-wide policy (safe with result caching), `principalId` = sub, a flat context.
 * - Per-route rules: the same policy also denies every route of the table the token fails, so the
 *   cached result is right for every route, not only the first one.
 * - `policyScope: 'method'`: the policy names this methodArn only. When the ARN cannot be a Resource
 *   as it is (over 512 characters, or a `*`/`?` in the path), the Allow is widened to the longest
 *   prefix that can be written and the policy denies every route the token fails, as the stage-wide
 *   one does, so even a cached copy allows nothing a fresh evaluation would refuse.
 * - Missing or invalid token: `throw new Error('Unauthorized')`, exactly (401).
 * - Authenticated but forbidden: an explicit Deny (403).
 * - JWKS unavailable: `AuthorizerUnavailableError` (500); nothing is ever allowed without keys.
 */
import type { VerifiedToken } from '@cognito-gate/core';
import { AuthorizerCore, type BaseAuthorizerOptions, fail } from './authorizer-core.js';
import type { PolicyAuthorizerResult, RestAuthorizerEvent } from './events.js';
import { readToken, tokenFromValue } from './identity.js';
import { exactResource, isRestRoute, restStageWildcard, routePrefixResource } from './method-arn.js';
import { denyResources, denyResult, policyResult } from './policy.js';
import { compileRouteTable, denialFor, denyRoutes, type RouteTable } from './route-table.js';

export interface RestAuthorizerOptions extends BaseAuthorizerOptions<RestAuthorizerEvent> {
  /** Per-route rules, `{ 'DELETE /orders/{id}': { groups: 'admin' } }` (see route-table docs). */
  readonly routes?: RouteTable;
  /**
   * `'stage'` (default): the policy covers the whole stage, so a cached result is valid everywhere.
   * `'method'`: the policy covers only this `methodArn`; use it only with result caching off (TTL 0).
   */
  readonly policyScope?: 'stage' | 'method';
  /**
   * The API key for usage plans (`usageIdentifierKey`), when API keys come from the authorizer. A
   * promise is awaited; anything but a non-empty string leaves the key out.
   */
  readonly usageIdentifierKey?: (
    auth: VerifiedToken,
    event: RestAuthorizerEvent,
  ) => string | undefined | PromiseLike<string | undefined>;
}

/** The handler returned by `createRestAuthorizer`. */
export type RestAuthorizerHandler = (event: RestAuthorizerEvent) => Promise<PolicyAuthorizerResult>;

/**
 * Create a REST API Lambda authorizer. Create it (and its verifier) outside the handler, at init.
 *
 * @example
 * const verifier = createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });
 * export const handler = createRestAuthorizer({ verifier, rules: { scopes: 'orders/read' } });
 */
export function createRestAuthorizer(options: RestAuthorizerOptions): RestAuthorizerHandler {
  const core = new AuthorizerCore<RestAuthorizerEvent>(
    'rest',
    options,
    ['routes', 'policyScope', 'usageIdentifierKey'],
    [{ header: 'authorization' }],
  );
  const routes = compileRouteTable(options.routes);
  const scope = options.policyScope ?? 'stage';
  if (scope !== 'stage' && scope !== 'method') fail(`policyScope must be 'stage' or 'method'`);
  const usageKey = options.usageIdentifierKey;
  if (usageKey !== undefined && typeof usageKey !== 'function') fail('usageIdentifierKey must be a function');

  const readEventToken = (event: RestAuthorizerEvent): string =>
    event.type === 'TOKEN'
      ? tokenFromValue(event.authorizationToken, core.acceptBare)
      : readToken(event, core.sources, core.acceptBare);

  return async function restAuthorizer(event: RestAuthorizerEvent): Promise<PolicyAuthorizerResult> {
    const arn = core.arnOf(event?.methodArn, 'methodArn');
    const { auth, forbidden, failure } = await core.authenticate(readEventToken, event);
    if (failure !== undefined) throw core.rejection(failure);
    let principalId: string | undefined;
    try {
      principalId = await core.principal(auth);
      const context = await core.context(auth, event);
      // A methodArn without a verb (a WebSocket route sent here) is covered by itself only.
      const stageWide = scope === 'stage' && isRestRoute(arn);
      const exact = stageWide ? undefined : exactResource(arn);
      const resource = stageWide ? restStageWildcard(arn) : (exact ?? routePrefixResource(arn));
      // A resource that covers other requests must carry a Deny for every route the token fails.
      const shared = exact === undefined;
      if (forbidden !== undefined) {
        core.report('deny', { code: forbidden.code, principalId, error: forbidden });
        return denyResult(principalId, resource, context);
      }
      const denied = denyRoutes(auth, routes, shared ? undefined : arn.route);
      const current = denialFor(denied, arn.route);
      if (!shared && current !== undefined) {
        core.report('deny', { code: current.error.code, principalId, error: current.error });
        return denyResult(principalId, resource, context);
      }
      const key: unknown = await usageKey?.(auth, event);
      const result = policyResult(
        principalId,
        resource,
        shared ? denyResources(arn, denied) : [],
        context,
        typeof key === 'string' && key.length > 0 ? key : undefined,
      );
      if (current === undefined) core.report('allow', { principalId });
      else core.report('deny', { code: current.error.code, principalId, error: current.error });
      return result;
    } catch (error) {
      throw core.rejection(error, principalId);
    }
  };
}
