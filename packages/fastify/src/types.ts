/**
 * Public types of the plugin and the `declare module 'fastify'` augmentation that makes
 * `request.auth`, `fastify.authenticate`, `fastify.requireAuth` and route `config.auth` typed as soon
 * as this package is imported.
 */
import type { AuthRules, CognitoClaims, JwtPayload, VerifiedToken, Verifier } from '@cognito-gate/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Augment this interface to type the claims of `request.auth` (custom attributes, claims added by a
 * pre token generation trigger). Without augmentation the claims are Cognito's ID/access shapes.
 *
 * @example
 * declare module '@cognito-gate/fastify' {
 *   interface CognitoGateTypes {
 *     claims: CognitoAccessTokenClaims & { tenant_id: string };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point must start empty
export interface CognitoGateTypes {}

/** The claim shape of `request.auth.claims`: `CognitoGateTypes['claims']` when augmented. */
export type AuthClaims = CognitoGateTypes extends { claims: infer C extends JwtPayload } ? C : CognitoClaims;

/** What `request.auth` holds on an authenticated request. */
export type RequestAuth = VerifiedToken<AuthClaims>;

/**
 * A route's `config.auth`:
 * - `true`: a valid token is required;
 * - rules (`{ groups, scopes, claims, tokenUse }`): a valid token satisfying them is required;
 * - `'optional'`: no token passes with `request.auth === null`, an invalid token is still rejected;
 * - `false`: public; no hook is added to the route at all.
 * Absent: the plugin's `defaultAuth` applies. A route's value replaces the default, it never merges.
 */
export type RouteAuth = boolean | 'optional' | AuthRules;

/** How rejections are rendered; see the README's "Two error modes". */
export type ErrorMode = 'reply' | 'throw';

/**
 * A verification hook for `onRequest` / `preHandler` and for `@fastify/auth`. It rejects with the
 * `AuthError` (which carries `statusCode` and `headers`), so Fastify's error handling renders it.
 */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Where a bare token is read from instead of the `Authorization` header. */
export type TokenGetter = (request: FastifyRequest) => string | null | undefined;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token, or `null` (public route, or anonymous on an optional route). */
    auth: RequestAuth | null;
  }

  interface FastifyInstance {
    /** Hook: require a valid token, no further rules. */
    authenticate: AuthHook;
    /**
     * Hook factory: require a valid token satisfying `rules`. Rules are validated now.
     *
     * @example
     * app.delete('/orders/:id', { preHandler: app.requireAuth({ groups: 'admin' }) }, handler);
     */
    requireAuth(rules?: AuthRules): AuthHook;
    /** The verifier in use (created by the plugin from its options, or the one passed in). */
    cognitoVerifier: Verifier;
  }

  interface FastifyContextConfig {
    /** Authentication for this route; see `RouteAuth`. */
    auth?: RouteAuth;
  }
}
