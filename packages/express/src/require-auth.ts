/**
 * `requireAuth(rules)`: a per-route guard. After `cognitoAuth()` it checks the verified token against
 * the route's rules (groups, scopes, claims, tokenUse) without verifying anything again; given
 * options of its own it authenticates the request itself, standalone.
 *
 * A guard that finds neither (no `cognitoAuth()` ran before it and it has no options) cannot know
 * which user pool to trust. Express offers no way to see that at startup, so the guard answers 500
 * and logs why, once; it never lets the request through.
 */
import { AuthError, type AuthRules, checkRules, compileRules } from '@cognito-gate/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type CognitoAuthMiddleware, contextOf, createAuthenticator } from './authenticate.js';
import { fail } from './fail.js';
import { type CognitoAuthOptions, hasVerifierSource, resolveAuthContext } from './options.js';
import { rejectRequest, sendServerError } from './reject.js';
import { isPreflight } from './request-filter.js';

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
  return createAuthenticator(
    resolveAuthContext(options, rules === undefined ? undefined : compileRules(rules)),
  );
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
    if (isPreflight(req)) {
      next();
      return;
    }
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
    if (auth === undefined) {
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
