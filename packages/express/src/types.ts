/**
 * How `req.auth` is typed. The augmentation of Express's global `Request` lives here, so importing
 * anything from this package is enough for `req.auth.groups` to type-check in route handlers, with
 * Express 4's and Express 5's type definitions alike (both merge `Express.Request`).
 */
import type { CognitoClaims, JwtPayload, VerifiedToken } from '@cognito-gate/core';

/**
 * Augment this interface to type `req.auth` for the whole application:
 * - `claims`: the claim set your tokens carry (custom claims from a pre token generation trigger);
 * - `authRequired: true`: `req.auth` is typed as always present. That is true in a handler that
 *   runs after `requireAuth()`, or after `cognitoAuth()` in required mode on a path it does not
 *   `exclude`: neither ever continues without a verified token (CORS preflights included). It is
 *   NOT true, and the type then lies, in handlers that can run without them: public routes, routes
 *   mounted before the middleware, `mode: 'optional'`, `exclude`d paths, and error handlers (which
 *   also see the requests that were rejected). Declare it only when none of those read `req.auth`.
 *
 * @example
 * declare module '@cognito-gate/express' {
 *   interface CognitoAuthTypes {
 *     claims: CognitoAccessTokenClaims & { 'custom:tenant': string };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is what applications augment
export interface CognitoAuthTypes {}

/** The claims a registry declares, or Cognito's. Generic so the rule can be tested on its own. */
export type ClaimsOf<Types> = Types extends { claims: infer Claims extends JwtPayload }
  ? Claims
  : CognitoClaims;

/** `req.auth` for a registry: always present with `authRequired: true`, else possibly undefined. */
export type AuthSlotOf<Types> = Types extends { authRequired: true }
  ? VerifiedToken<ClaimsOf<Types>>
  : VerifiedToken<ClaimsOf<Types>> | undefined;

/** The claims type of `req.auth`: `CognitoAuthTypes['claims']` when declared, else Cognito's. */
export type RequestClaims = ClaimsOf<CognitoAuthTypes>;

/** What `cognitoAuth()` and `requireAuth()` put on `req.auth`. */
export type RequestAuth = VerifiedToken<RequestClaims>;

/**
 * The type of the `req.auth` property: possibly undefined (public routes, optional mode, excluded
 * paths, error handlers) unless the application declared `authRequired: true`.
 */
export type RequestAuthSlot = AuthSlotOf<CognitoAuthTypes>;

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `cognitoAuth()` or a standalone `requireAuth()`. Undefined when
       * the request was let through without authentication (optional mode without a token,
       * excluded paths) or never went through them; always set after `requireAuth()`.
       */
      auth: RequestAuthSlot;
    }
  }
}
