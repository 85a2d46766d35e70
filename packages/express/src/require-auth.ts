/**
 * `requireAuth(rules)`: a per-route guard. After `cognitoAuth()` it checks the verified token against
 * the route's rules (groups, scopes, claims, tokenUse) without verifying anything again; given
 * options of its own it authenticates the request itself, standalone.
 *
 * A guard never calls `next()` without a `req.auth` produced by our own verification: not for a
 * CORS preflight, an excluded path, optional mode, nor a `req.auth` another library set.
 *
 * A guard that finds neither (no `cognitoAuth()` ran before it and it has no options) cannot know
 * which user pool to trust. Express offers no way to see that at startup, so the guard answers 500
 * and logs why, once; it never lets the request through.
 */
import { AuthError, type AuthRules, checkRules, compileRules, isVerifiedToken } from '@cognito-gate/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type CognitoAuthMiddleware, contextOf, createAuthenticator } from './authenticate.js';
import { fail } from './fail.js';
import { type CognitoAuthOptions, hasVerifierSource, resolveAuthContext } from './options.js';
import { rejectRequest, sendServerError } from './reject.js';

// Standalone guards built from verifier options (not `{ verifier }`), process-wide: each has its
// own JWKS cache and refetch cooldown, so many of them multiply requests to Cognito's JWKS endpoint
// (an unknown `kid` triggers a refetch per verifier). Counted to warn once, at startup.
let ownVerifiers = 0;

function noteOwnVerifier(): void {
  ownVerifiers += 1;
  if (ownVerifiers !== 2) return;
  console.warn(
    'cognito-gate/express: several requireAuth(rules, options) guards each created their own verifier, ' +
      'each with its own JWKS cache and refetch cooldown. Create one with createVerifier() and pass ' +
      'requireAuth(rules, { verifier }), or mount cognitoAuth() once and use requireAuth(rules).',
  );
}

function standalone(rules: AuthRules | undefined, options: CognitoAuthOptions): CognitoAuthMiddleware {
  if (typeof options !== 'object' || options === null) fail('requireAuth options must be an object');
  if (!hasVerifierSource(options)) {
    fail(
      'requireAuth(rules, options) needs verifier options (userPoolId, clientId…) or a verifier; ' +
        'to use the cognitoAuth() mounted before the route, pass no options',
    );
  }
  if (options.mode !== undefined && options.mode !== 'required') {
    fail(`requireAuth always requires a token; use cognitoAuth({ mode: 'optional' }) for optional routes`);
  }
  // A guard never lets a request through unauthenticated: these belong to cognitoAuth().
  for (const key of ['exclude', 'preflight'] as const) {
    if (options[key] !== undefined) {
      fail(`requireAuth always requires a token; ${key} is an option of cognitoAuth()`);
    }
  }
  const context = resolveAuthContext(options, rules === undefined ? undefined : compileRules(rules));
  if (!('verifier' in options)) noteOwnVerifier();
  return createAuthenticator(context);
}

/**
 * Guard a route. `requireAuth()` requires an authenticated request; `requireAuth(rules)` also checks
 * groups, scopes, claims and token_use (strings and arrays mean all of them, `{ anyOf }` any one).
 * Rules are compiled now: invalid rules throw at startup.
 *
 * @example
 * app.use(cognitoAuth({ userPoolId, clientId }));
 * app.delete('/orders/:id', requireAuth({ groups: 'admin', scopes: { anyOf: ['orders/write', 'orders/admin'] } }), handler);
 * // Standalone, with its own verifier:
 * app.get('/reports', requireAuth({ groups: 'finance' }, { userPoolId, clientId }), handler);
 */
export function requireAuth(rules?: AuthRules): RequestHandler;
export function requireAuth(rules: AuthRules | undefined, options: CognitoAuthOptions): CognitoAuthMiddleware;
export function requireAuth(rules?: AuthRules, options?: CognitoAuthOptions): RequestHandler {
  if (options !== undefined) return standalone(rules, options);
  const compiled = rules === undefined ? undefined : compileRules(rules);
  let warned = false;

  return function requireAuthGuard(req: Request, res: Response, next: NextFunction): void {
    const context = contextOf(req);
    if (context === undefined) {
      if (!warned) {
        warned = true;
        console.error(
          `cognito-gate/express: requireAuth() on ${req.method} ${req.path} ran without cognitoAuth() ` +
            'before it and has no verifier options of its own, so it cannot authenticate; answering 500. ' +
            'Mount cognitoAuth() before this route, or pass options: requireAuth(rules, { userPoolId, clientId }).',
        );
      }
      sendServerError(res);
      return;
    }
    const auth = req.auth;
    // Ours only: another library's req.auth (or a look-alike) is no authentication at all.
    if (!isVerifiedToken(auth)) {
      rejectRequest(context, new AuthError('missing_token'), req, res, next);
      return;
    }
    if (compiled !== undefined) {
      try {
        checkRules(auth, compiled);
      } catch (error) {
        rejectRequest(context, error, req, res, next);
        return;
      }
    }
    next();
  };
}
