/**
 * `createWebSocketAuthorizer`: the REQUEST authorizer of a WebSocket API's `$connect` route.
 * Browsers cannot set `Authorization` on a WebSocket, so by default the token is read from the
 * `Authorization` header and then from the `token` query parameter. A URL ends up in logs: prefer
 * short-lived access tokens there. Authorization happens once, at connect; the connection may outlive
 * the token (up to two hours). There is no result caching on `$connect`, so the policy covers exactly
 * the `methodArn`.
 */
import { AuthorizerCore, type BaseAuthorizerOptions } from './authorizer-core.js';
import type { PolicyAuthorizerResult, WebSocketAuthorizerEvent } from './events.js';
import { readToken } from './identity.js';
import { exactResource, routePrefixResource } from './method-arn.js';
import { denyResult, policyResult } from './policy.js';

export type WebSocketAuthorizerOptions = BaseAuthorizerOptions<WebSocketAuthorizerEvent>;

/** The handler returned by `createWebSocketAuthorizer`. */
export type WebSocketAuthorizerHandler = (event: WebSocketAuthorizerEvent) => Promise<PolicyAuthorizerResult>;

/**
 * Create a WebSocket `$connect` authorizer. Create it (and its verifier) outside the handler.
 *
 * @example
 * export const handler = createWebSocketAuthorizer({
 *   verifier: { userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' },
 *   identity: { query: 'access_token' },
 * });
 */
export function createWebSocketAuthorizer(options: WebSocketAuthorizerOptions): WebSocketAuthorizerHandler {
  const core = new AuthorizerCore<WebSocketAuthorizerEvent>(
    'websocket',
    options,
    [],
    [{ header: 'authorization' }, { query: 'token' }],
  );

  const readEventToken = (event: WebSocketAuthorizerEvent): string =>
    readToken(event, core.sources, core.acceptBare);

  return async function webSocketAuthorizer(
    event: WebSocketAuthorizerEvent,
  ): Promise<PolicyAuthorizerResult> {
    const arn = core.arnOf(event?.methodArn, 'methodArn');
    const { auth, forbidden, failure } = await core.authenticate(readEventToken, event);
    if (failure !== undefined) throw core.rejection(failure);
    let principalId: string | undefined;
    try {
      principalId = await core.principal(auth);
      const context = await core.context(auth, event);
      // No result caching on $connect: widening an ARN that cannot be written exactly is harmless.
      const resource = exactResource(arn) ?? routePrefixResource(arn);
      if (forbidden !== undefined) {
        core.report('deny', { code: forbidden.code, principalId, error: forbidden });
        return denyResult(principalId, resource, context);
      }
      core.report('allow', { principalId });
      return policyResult(principalId, resource, [], context);
    } catch (error) {
      throw core.rejection(error, principalId);
    }
  };
}
