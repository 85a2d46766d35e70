/**
 * The request handler behind `cognitoAuth()` and a standalone `requireAuth()`: skip preflights and
 * excluded paths, extract the token, verify it through the core, set `req.auth`, continue.
 *
 * Express 4 ignores the promise a handler returns, so an async rejection there would crash the
 * process or hang the request. The handler is therefore a plain function that returns nothing, and
 * every path through it ends in exactly one `next()`, `next(err)` or response.
 */
import { AuthError, type Verifier } from '@cognito-gate/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthContext } from './options.js';
import { rejectRequest } from './reject.js';
import { isPreflight } from './request-filter.js';
import { extractToken } from './token-source.js';
import type { RequestAuth, RequestClaims } from './types.js';

/** A middleware that owns a verifier: `await auth.verifier.hydrate()` at startup, `close()` at exit. */
export interface CognitoAuthMiddleware extends RequestHandler {
  readonly verifier: Verifier;
}

// Symbol.for: a guard from a second copy of this package (two versions installed) still finds it.
const CONTEXT = Symbol.for('@cognito-gate/express.context');

interface ContextCarrier {
  [CONTEXT]?: AuthContext;
}

/** The context of the last `cognitoAuth()` this request went through, if any. */
export function contextOf(req: Request): AuthContext | undefined {
  return (req as unknown as ContextCarrier)[CONTEXT];
}

/** Called when something throws after the request was handed on: there is nobody left to answer. */
function reportUnexpected(error: unknown): void {
  console.error('cognito-gate/express: unexpected error after the request was handed on', error);
}

/**
 * Verify, set `req.auth`, continue. A cached verification completes synchronously and calls
 * `next()` at once; only a verification that waits for keys goes through a promise.
 */
function verifyThenContinue(
  context: AuthContext,
  token: string,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  let result: RequestAuth | Promise<RequestAuth>;
  try {
    result = context.verifier.verifyDirect<RequestClaims>(token, context.rules);
  } catch (error) {
    rejectRequest(context, error, req, res, next);
    return;
  }
  if (result instanceof Promise) {
    result
      .then(
        (auth) => {
          req.auth = auth;
          next();
        },
        (error: unknown) => rejectRequest(context, error, req, res, next),
      )
      .catch(reportUnexpected);
    return;
  }
  req.auth = result;
  next();
}

/**
 * Build the authenticating handler for a resolved context.
 *
 * @example
 * app.use(createAuthenticator(resolveAuthContext({ userPoolId, clientId }, undefined)));
 */
export function createAuthenticator(context: AuthContext): CognitoAuthMiddleware {
  function cognitoAuthMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Recorded even when the request is let through, so a later requireAuth() knows how to answer.
    (req as unknown as ContextCarrier)[CONTEXT] = context;
    if (isPreflight(req) || context.exclude?.(req) === true) {
      next();
      return;
    }
    let token: string | undefined;
    try {
      token = extractToken(req, context.sources);
    } catch (error) {
      rejectRequest(context, error, req, res, next);
      return;
    }
    if (token === undefined) {
      if (context.optional) next();
      else rejectRequest(context, new AuthError('missing_token'), req, res, next);
      return;
    }
    verifyThenContinue(context, token, req, res, next);
  }
  return Object.defineProperty(cognitoAuthMiddleware, 'verifier', {
    value: context.verifier,
    enumerable: true,
  }) as CognitoAuthMiddleware;
}
