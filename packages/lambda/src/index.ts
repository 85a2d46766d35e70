/**
 * @cognito-gate/lambda: API Gateway Lambda authorizers (REST, HTTP, WebSocket) backed by the
 * cognito-gate verifier, and `getAuth` for the functions behind any authorizer. The middy middleware
 * is a separate entry, `@cognito-gate/lambda/middy`, so these types never depend on middy.
 */
export type { BaseAuthorizerOptions } from './authorizer-core.js';
export { type ContextHook, defaultContext, flattenValue } from './context.js';
export {
  type AuthorizerDecision,
  type AuthorizerKind,
  AuthorizerUnavailableError,
  type DecisionHook,
  type Outcome,
  unauthorizedError,
} from './decision.js';
export type {
  AuthorizerContext,
  ContextValue,
  HttpAuthorizerEvent,
  HttpAuthorizerV1Event,
  HttpAuthorizerV2Event,
  MultiValueMap,
  PolicyAuthorizerResult,
  PolicyDocument,
  PolicyStatement,
  ProxyResult,
  RequestFields,
  RestAuthorizerEvent,
  RestRequestAuthorizerEvent,
  RestTokenAuthorizerEvent,
  SimpleAuthorizerResult,
  StringMap,
  WebSocketAuthorizerEvent,
} from './events.js';
export { type AuthSource, type GatewayAuth, getAuth } from './get-auth.js';
export {
  createHttpAuthorizer,
  type HttpAuthorizerHandler,
  type HttpAuthorizerOptions,
  type HttpAuthorizerResult,
} from './http-authorizer.js';
export { type IdentitySource, tokenFromValue } from './identity.js';
export { type ExecuteApiArn, parseExecuteApiArn } from './method-arn.js';
export { authErrorResponse, type ProxyResponseOptions } from './proxy-response.js';
export {
  createRestAuthorizer,
  type RestAuthorizerHandler,
  type RestAuthorizerOptions,
} from './rest-authorizer.js';
export type { RouteTable } from './route-table.js';
export {
  createWebSocketAuthorizer,
  type WebSocketAuthorizerHandler,
  type WebSocketAuthorizerOptions,
} from './websocket-authorizer.js';
