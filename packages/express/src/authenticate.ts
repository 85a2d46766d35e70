/**
 * The request handler behind `cognitoAuth()` and a standalone `requireAuth()`: extract the token,
 * verify it through the core, set `req.auth`, continue. What it lets through without a verified
 * token is decided here and nowhere else: an `exclude`d path or a tokenless request in optional mode
 * (never for a standalone guard), and nothing else. A CORS preflight is authenticated like any
 * request, unless `preflight: 'respond'` asks for it to be ended here with 204.
 *
 * Express 4 ignores the promise a handler returns, so an async rejection there would crash the
 * process or hang the request. The handler is therefore a plain function that returns nothing, and
 * every path through it ends in exactly one `next()`, `next(err)` or response.
 */
import {
  AuthError,
  ConfigurationError,
  isThenable,
  isVerifiedToken,
  type Verifier,
} from '@cognito-gate/core';
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
 * Continue without a verified token. `req.auth` is ours: a value another library left there would
 * read as a verified token to every handler typed by this package, so it does not survive.
 */
function continueAnonymous(req: Request, next: NextFunction): void {
  if (req.auth !== undefined && !isVerifiedToken(req.auth)) req.auth = undefined as never;
  next();
}

/**
 * Accept what the verifier answered, if it is a result of our own verification. A `{ verifier }`
 * wrapper answering anything else (a look-alike object, `true`, a copy) is a server-side mistake:
 * the request goes to `next(err)`, never on with that value.
 */
function acceptVerified(answer: unknown, req: Request, next: NextFunction): void {
  if (!isVerifiedToken(answer)) {
    next(
      new ConfigurationError(
        'cognito-gate/express: the verifier answered with something that is not a verification result ' +
          'of createVerifier(); the request was refused',
      ),
    );
    return;
  }
  try {
    req.auth = answer as RequestAuth;
  } catch (error) {
    // A read-only `auth` defined by another library: fail loudly rather than hang the request.
    next(error);
    return;
  }
  next();
}

/**
 * Verify, set `req.auth`, continue. A cached verification completes synchronously and calls
 * `next()` at once; only a verification that waits for keys goes through a promise. Any thenable
 * is awaited (a wrapper may return one that is not a native Promise); `Promise.resolve` adopts it
 * and guards against a `then` that calls back twice or throws.
 */
function verifyThenContinue(
  context: AuthContext,
  token: string,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  let answer: unknown;
  let pending: boolean;
  try {
    answer = context.verifier.verifyDirect<RequestClaims>(token, context.rules);
    pending = isThenable(answer);
  } catch (error) {
    rejectRequest(context, error, req, res, next);
    return;
  }
  if (!pending) {
    acceptVerified(answer, req, next);
    return;
  }
  Promise.resolve(answer)
    .then(
      (value) => acceptVerified(value, req, next),
      (error: unknown) => rejectRequest(context, error, req, res, next),
    )
    .catch(reportUnexpected);
}

/** End a preflight here (`preflight: 'respond'`): 204, no body, nothing after this middleware runs. */
function endPreflight(res: Response): void {
  res.status(204).end();
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
    if (context.respondToPreflight && isPreflight(req)) {
      endPreflight(res);
      return;
    }
    if (context.exclude?.(req) === true) {
      continueAnonymous(req, next);
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
      if (context.optional) continueAnonymous(req, next);
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
