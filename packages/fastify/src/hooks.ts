/**
 * The verification hooks. Each is built once per distinct policy (at plugin registration or when a
 * route is added) and closes over compiled rules, so a request costs one verifier call and no
 * option handling. Route hooks render rejections per `errorMode`; `authenticate` / `requireAuth`
 * always reject with the error, which is what `@fastify/auth` needs to try its alternatives.
 */
import {
  AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  isAuthError,
  parseBearer,
  readCustomToken,
  type VerifiedToken,
} from '@cognito-gate/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResolvedPluginOptions } from './options.js';
import { forErrorHandler, sendAuthError } from './render.js';
import { compileRouteAuth, type RoutePolicy } from './route-policy.js';
import type { AuthHook, RequestAuth, TokenGetter } from './types.js';

/**
 * A hook as added to a route's `onRequest`. Callback style on purpose: a cached verification
 * completes synchronously and calls `done()` at once, with no promise for Fastify to wait on.
 */
export type RouteHook = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;

export interface AuthHooks {
  /** The hook for a route policy, or `undefined` for a public route (nothing to run). */
  forPolicy(policy: RoutePolicy): RouteHook | undefined;
  readonly authenticate: AuthHook;
  requireAuth(rules?: AuthRules): AuthHook;
}

type VerifyRequest = (
  request: FastifyRequest,
  rules: CompiledRules | undefined,
) => VerifiedToken | Promise<VerifiedToken>;

function tokenFrom(getToken: TokenGetter, request: FastifyRequest): string {
  // A getter that chokes on what the client sent is a 400, never a 500 (core maps it).
  const token = readCustomToken(getToken, request);
  if (token === undefined) throw new AuthError('missing_token');
  return token;
}

/**
 * `authenticate` / `requireAuth()` are used inside @fastify/auth and as plain hooks, which expect a
 * promise-returning function: wrap the callback hook once.
 */
function asAuthHook(hook: RouteHook): AuthHook {
  return (request, reply) =>
    new Promise<void>((resolve, reject) => {
      hook(request, reply, (error) => (error === undefined ? resolve() : reject(error)));
    }) as ReturnType<AuthHook>;
}

/**
 * Build the hooks for one plugin registration.
 *
 * @example
 * const hooks = createAuthHooks(resolvePluginOptions(options));
 * routeOptions.onRequest = [hooks.forPolicy(policy), ...rest];
 */
export function createAuthHooks(options: ResolvedPluginOptions): AuthHooks {
  const { verifier, getToken, realm } = options;
  const replies = options.errorMode === 'reply';

  const verify: VerifyRequest =
    getToken === undefined
      ? (request, rules) => verifier.verifyDirect(parseBearer(request.headers.authorization), rules)
      : (request, rules) => verifier.verifyDirect(tokenFrom(getToken, request), rules);

  function build(rules: CompiledRules | undefined, optional: boolean, reply: boolean): RouteHook {
    function fail(
      error: unknown,
      request: FastifyRequest,
      fastifyReply: FastifyReply,
      done: (e?: Error) => void,
    ) {
      // Anything else comes from a foreign verifier or getToken bug: Fastify's error handling owns it.
      if (!isAuthError(error)) return done(error instanceof Error ? error : new Error(String(error)));
      // Optional auth: no credentials at all is anonymous; bad credentials are still rejected.
      if (optional && error.code === 'missing_token') return done();
      // Replying ends the request: Fastify must not be told to continue as well.
      if (reply) return void sendAuthError(request, fastifyReply, error, realm);
      done(forErrorHandler(error, realm));
    }
    return function cognitoGateAuth(request, fastifyReply, done) {
      let result: VerifiedToken | Promise<VerifiedToken>;
      try {
        result = verify(request, rules);
      } catch (error) {
        return fail(error, request, fastifyReply, done);
      }
      if (result instanceof Promise) {
        result.then(
          (auth) => {
            request.auth = auth as unknown as RequestAuth;
            done();
          },
          (error: unknown) => fail(error, request, fastifyReply, done),
        );
        return;
      }
      request.auth = result as unknown as RequestAuth;
      done();
    };
  }

  // One hook per distinct compiled rule set: routes sharing a rules object share the hook.
  const byRules = new WeakMap<CompiledRules, RouteHook>();
  const required = build(undefined, false, replies);
  const optional = build(undefined, true, replies);
  const throwing = asAuthHook(build(undefined, false, false));

  return {
    forPolicy(policy) {
      if (policy.kind === 'public') return undefined;
      if (policy.kind === 'optional') return optional;
      if (policy.rules === undefined) return required;
      let hook = byRules.get(policy.rules);
      if (hook === undefined) {
        hook = build(policy.rules, false, replies);
        byRules.set(policy.rules, hook);
      }
      return hook;
    },
    authenticate: throwing,
    requireAuth(rules) {
      if (rules === undefined) return throwing;
      if (typeof rules !== 'object' || rules === null) {
        throw new ConfigurationError(
          'cognito-gate: requireAuth() takes rules ({ groups, scopes, claims, tokenUse })',
        );
      }
      const policy = compileRouteAuth(rules, 'requireAuth()');
      return asAuthHook(build(policy.kind === 'required' ? policy.rules : undefined, false, false));
    },
  };
}
