/**
 * @cognito-gate/express: Express 4 and 5 middleware for Amazon Cognito tokens. `cognitoAuth()` sets
 * `req.auth`, `requireAuth()` guards routes, and every failure is answered with its status, an
 * RFC 6750 challenge and a JSON body, or handed to `next(err)`.
 */

export {
  AuthError,
  type AuthErrorCode,
  type AuthRules,
  ConfigurationError,
  createVerifier,
  isAuthError,
  type VerifiedToken,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
export type { CognitoAuthMiddleware } from './authenticate.js';
export { cognitoAuth } from './cognito-auth.js';
export type {
  CognitoAuthOptions,
  ExistingVerifier,
  ExpressAuthOptions,
  PreflightMode,
} from './options.js';
export { type ErrorMode, sendAuthError } from './reject.js';
export { type ExcludeOption, isPreflight } from './request-filter.js';
export { requireAuth } from './require-auth.js';
export type { TokenSourceOptions } from './token-source.js';
export type { CognitoAuthTypes, RequestAuth, RequestAuthSlot, RequestClaims } from './types.js';
