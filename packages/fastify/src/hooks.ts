/**
 * The verification hooks. Each is built once per distinct policy (at plugin registration or when a
 * route is added) and closes over compiled rules, so a request costs one verifier call and no
 * option handling. Route hooks render rejections per `errorMode`; `authenticate` / `requireAuth`
 * always reject with the error, which is what `@fastify/auth` needs to try its alternatives.
 *
 * `request.auth` only ever holds a result of our own verification: the verifier's answer is
 * checked with `isVerifiedToken` (a `{ verifier }` wrapper answering anything else is a server
 * error, never a pass), and an optional route passing a tokenless request clears what another hook
 * may have put there.
 */
import {
  AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  isAuthError,
  isThenable,
  isVerifiedToken,
  parseBearer,
  readCustomToken,
  singleHeaderValue,
} from '@cognito-gate/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResolvedPluginOptions } from './options.js';
import { forErrorHandler, sendAuthError } from './render.js';
import { compileRouteAuth, type RoutePolicy } from './route-policy.js';
import type { AuthHook, RequestAuth } from './types.js';

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

/** The verifier's answer, unchecked: a `{ verifier }` passed in may answer anything. */
type VerifyRequest = (request: FastifyRequest, rules: CompiledRules | undefined) => unknown;

function tokenFrom(getToken: (request: FastifyRequest) => unknown, request: FastifyRequest): string {
  // A getter that chokes on what the client sent is a 400, never a 500 (core maps it).
  const token = readCustomToken(getToken, request);
  if (token === undefined) throw new AuthError('missing_token');
  return token;
}

function headerToken(request: FastifyRequest): string {
  // Node keeps the first of several Authorization headers in `headers` and drops the rest; the raw
  // list still has them all, and two different values are invalid_request. The value comes from
  // `headers`, which an earlier hook may have set on purpose.
  const raw = request.raw.rawHeaders;
  if (Array.isArray(raw)) singleHeaderValue(raw, 'authorization');
  return parseBearer(request.headers.authorization);
}

/** Thrown into Fastify's error handling (a 500) when a verifier answers with a non-result. */
function notVerified(): ConfigurationError {
  return new ConfigurationError(
    'cognito-gate: the verifier answered with something that is not a verification result of ' +
      'createVerifier(); the request was refused',
  );
}

/** Called when something throws after the request was handed on: there is nobody left to answer. */
function reportUnexpected(error: unknown): void {
  console.error('cognito-gate: unexpected error after the request was handed on', error);
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
      ? (request, rules) => verifier.verifyDirect(headerToken(request), rules)
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
      if (optional && error.code === 'missing_token') {
        if (!isVerifiedToken(request.auth)) request.auth = null;
        return done();
      }
      // Replying ends the request: Fastify must not be told to continue as well.
      if (reply) return void sendAuthError(request, fastifyReply, error, realm);
      done(forErrorHandler(error, realm));
    }
    function accept(answer: unknown, request: FastifyRequest, done: (e?: Error) => void) {
      if (!isVerifiedToken(answer)) return done(notVerified());
      request.auth = answer as unknown as RequestAuth;
      done();
    }
    return function cognitoGateAuth(request, fastifyReply, done) {
      let answer: unknown;
      let pending: boolean;
      try {
        answer = verify(request, rules);
        pending = isThenable(answer);
      } catch (error) {
        return fail(error, request, fastifyReply, done);
      }
      if (!pending) return accept(answer, request, done);
      // Any thenable, not only a native Promise; Promise.resolve adopts it and guards against a
      // `then` that throws or calls back twice.
      Promise.resolve(answer)
        .then(
          (value) => accept(value, request, done),
          (error: unknown) => fail(error, request, fastifyReply, done),
        )
        .catch(reportUnexpected);
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
