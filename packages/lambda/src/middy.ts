/**
 * `cognitoAuth`: a middy middleware (`@middy/core` 6 or 7) that verifies the bearer token of a
 * proxy event itself — for functions without an API Gateway authorizer, or reachable other ways —
 * and sets `context.auth`. Rejections short-circuit the handler with a proxy response carrying the
 * status (401/400/403/503), the RFC 6750 headers and `{ error, error_description }`.
 *
 * Published as `@cognito-gate/lambda/middy` so the main entry's types never mention middy.
 */
import {
  AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  compileRules,
  isAuthError,
  isVerifiedToken,
  type VerifiedToken,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
import type { Context } from 'aws-lambda';
import { fail, resolveVerifier } from './authorizer-core.js';
import type { ProxyResult, RequestFields } from './events.js';
import { compileIdentitySources, type IdentitySource, readToken } from './identity.js';
import { authErrorResponse, checkRealm } from './proxy-response.js';

// @middy/core is ESM-only and types only its `import` entry; naming the resolution mode lets the
// CommonJS build's declarations (read by `require` users) find its types too.
// biome-ignore format: Biome 2 misreads import-type attributes as a type literal.
type MiddlewareObj<TEvent, TResult, TErr, TContext extends Context> = import('@middy/core', { with: { 'resolution-mode': 'import' } }).MiddlewareObj<TEvent, TResult, TErr, TContext>;

export interface CognitoAuthOptions {
  /** A verifier created once at init, or the options to create one. */
  readonly verifier: Verifier | VerifierOptions;
  /** Rules for every request of this handler. */
  readonly rules?: AuthRules;
  /** Where the token is. Default: the `Authorization` header. */
  readonly identity?: IdentitySource | readonly IdentitySource[];
  /** Accept a token without the `Bearer ` scheme. Default true, as the authorizers. */
  readonly acceptBareToken?: boolean;
  /** Let requests without a token through with `context.auth` undefined (invalid tokens still fail). */
  readonly optional?: boolean;
  /** The `realm` of `WWW-Authenticate`. Default `"api"`. */
  readonly realm?: string;
}

/** What the middleware adds to the handler's context. */
export interface CognitoAuthContext {
  readonly auth: VerifiedToken;
}

/** With `optional: true`, `auth` is undefined for anonymous requests. */
export interface OptionalCognitoAuthContext {
  readonly auth: VerifiedToken | undefined;
}

const KEYS = new Set(['verifier', 'rules', 'identity', 'acceptBareToken', 'optional', 'realm']);

/**
 * Create the middleware; options are validated now, the verifier created once.
 *
 * @example
 * import middy from '@middy/core';
 * import { cognitoAuth } from '@cognito-gate/lambda/middy';
 *
 * export const handler = middy()
 *   .use(cognitoAuth({ verifier, rules: { scopes: 'orders/read' } }))
 *   .handler(async (event, context) => ({ statusCode: 200, body: context.auth.sub }));
 */
export function cognitoAuth(
  options: CognitoAuthOptions & { readonly optional: true },
): MiddlewareObj<unknown, ProxyResult, Error, Context & OptionalCognitoAuthContext>;
export function cognitoAuth(
  options: CognitoAuthOptions,
): MiddlewareObj<unknown, ProxyResult, Error, Context & CognitoAuthContext>;
export function cognitoAuth(
  options: CognitoAuthOptions,
): MiddlewareObj<unknown, ProxyResult, Error, Context & OptionalCognitoAuthContext> {
  if (typeof options !== 'object' || options === null) fail('cognitoAuth needs an options object');
  const unknown = Object.keys(options).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) fail(`unknown option ${unknown.join(', ')} for cognitoAuth`);
  const verifier = resolveVerifier(options.verifier);
  const rules: CompiledRules | undefined =
    options.rules === undefined ? undefined : compileRules(options.rules);
  const sources = compileIdentitySources(options.identity, [{ header: 'authorization' }]);
  const acceptBare = options.acceptBareToken ?? true;
  const optional = options.optional ?? false;
  if (typeof acceptBare !== 'boolean' || typeof optional !== 'boolean') {
    fail('acceptBareToken and optional must be booleans');
  }
  if (options.realm !== undefined) checkRealm(options.realm);
  const rendering = options.realm === undefined ? {} : { realm: options.realm };

  return {
    name: 'cognitoAuth',
    async before(request) {
      const context = request.context as { auth: VerifiedToken | undefined };
      try {
        let token: string;
        try {
          token = readToken(request.event as RequestFields, sources, acceptBare);
        } catch (error) {
          if (optional && isAuthError(error) && error.code === 'missing_token') {
            context.auth = undefined;
            return undefined;
          }
          // Whatever the event holds, an unreadable request is the client's 400, not our 500.
          throw isAuthError(error) ? error : new AuthError('invalid_request', { detail: 'unreadable event' });
        }
        const auth: unknown = await verifier.verify(token, rules);
        // A wrapper verifier answering `{}` or a copy must not pass as authenticated: fail (500).
        if (!isVerifiedToken(auth)) {
          throw new ConfigurationError(
            'cognito-gate: the verifier answered something that is not a verified token',
          );
        }
        context.auth = auth;
        return undefined;
      } catch (error) {
        if (isAuthError(error)) return authErrorResponse(error, rendering);
        throw error;
      }
    },
  };
}
