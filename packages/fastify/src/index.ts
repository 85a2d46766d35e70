/**
 * @cognito-gate/fastify: a Fastify 5 plugin that verifies Amazon Cognito tokens in `onRequest`,
 * with typed `request.auth`, declarative route `config.auth`, and RFC 6750 error responses.
 */
export { cookieToken } from '@cognito-gate/core';
export type {
  CognitoGateOptions,
  CognitoGateOwnVerifierOptions,
  CognitoGatePluginOptions,
  CognitoGateSharedVerifierOptions,
} from './options.js';
export { cognitoGate, cognitoGate as default } from './plugin.js';
export { errorBody } from './render.js';
export type {
  AuthClaims,
  AuthHook,
  CognitoGateTypes,
  ErrorMode,
  RequestAuth,
  RouteAuth,
  TokenGetter,
} from './types.js';
