/**
 * How `req.auth` is typed. The augmentation of Express's global `Request` lives here, so importing
 * anything from this package is enough for `req.auth.groups` to type-check in route handlers, with
 * Express 4's and Express 5's type definitions alike (both merge `Express.Request`).
 */
import type { CognitoClaims, JwtPayload, VerifiedToken } from '@cognito-gate/core';

/**
 * Augment this interface to type `req.auth` for the whole application:
 * - `claims`: the claim set your tokens carry (custom claims from a pre token generation trigger);
 * - `authRequired: true`: every route sits behind required authentication, so `req.auth` is typed
 *   as always present. Leave it out when some routes are public, optional or excluded.
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
 * paths, CORS preflights) unless the application declared `authRequired: true`.
 */
export type RequestAuthSlot = AuthSlotOf<CognitoAuthTypes>;

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `cognitoAuth()` or a standalone `requireAuth()`. Undefined when
       * the request was let through without authentication (optional mode without a token,
       * excluded paths, CORS preflights).
       */
      auth: RequestAuthSlot;
    }
  }
}
