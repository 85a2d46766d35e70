/**
 * The two ways a rejected request ends. By default the middleware answers itself: the AuthError's
 * status, RFC 6750 `WWW-Authenticate` (or `Retry-After` on 503) and a JSON body made only of the
 * fixed code and description. With `errors: 'next'` the AuthError goes to `next(err)` instead,
 * carrying `status`, `statusCode` and `headers`, which Express's default handler (finalhandler)
 * and http-errors-aware handlers apply as they are.
 */
import { type AuthError, authErrorHeaders, ignoreRejection, isAuthError } from '@cognito-gate/core';
import type { NextFunction, Request, Response } from 'express';

/** `'respond'`: the middleware answers. `'next'`: the AuthError is passed to `next(err)`. */
export type ErrorMode = 'respond' | 'next';

/** How one middleware instance renders rejections. */
export interface RejectSettings {
  readonly errors: ErrorMode;
  readonly realm: string;
  readonly onReject: ((error: AuthError, req: Request) => void) | undefined;
}

function notify(settings: RejectSettings, error: AuthError, req: Request): void {
  if (settings.onReject === undefined) return;
  try {
    // An async hook is not awaited, but its rejection is handled: it must not crash the process.
    ignoreRejection(settings.onReject(error, req));
  } catch {
    // A failing logging hook must not turn a 401 into a 500 or leave the request hanging.
  }
}

/**
 * Send `error` as the response: status, headers and `{ error, error_description }`. Also useful in
 * an application's own error handler with `errors: 'next'`, after logging.
 *
 * @example
 * sendAuthError(res, new AuthError('expired'), 'orders-api');
 */
export function sendAuthError(res: Response, error: AuthError, realm = 'api'): void {
  const headers = authErrorHeaders(error, { realm });
  res.status(error.status);
  for (const name in headers) res.setHeader(name, headers[name]!);
  // Serialised here rather than with res.json(): the body is fixed, so the app's 'json replacer'
  // and 'json spaces' settings have nothing to add and no way to fail it.
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.send(JSON.stringify(error.toJSON()));
}

/**
 * End a request that failed authentication, exactly once: answer it, or hand the error to `next`.
 * Anything that is not an AuthError (a bug in a custom verifier or hook) always goes to `next(err)`,
 * where the application's error handling reports it as the server error it is.
 *
 * @example
 * verifier.verify(token).then(onAuth, (error) => rejectRequest(settings, error, req, res, next));
 */
export function rejectRequest(
  settings: RejectSettings,
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (!isAuthError(error)) {
    next(error);
    return;
  }
  notify(settings, error, req);
  if (settings.errors === 'next' || res.headersSent) {
    // The getter on AuthError uses the default realm; an own property carries the configured one.
    Object.defineProperty(error, 'headers', {
      value: authErrorHeaders(error, { realm: settings.realm }),
      configurable: true,
      writable: true,
    });
    next(error);
    return;
  }
  try {
    sendAuthError(res, error, settings.realm);
  } catch (renderError) {
    // e.g. a res.send patched by other middleware: Express's error handling takes it from here.
    next(renderError);
  }
}

/**
 * Answer 500 without detail, for a server-side mistake the client cannot fix. The reason goes to
 * the log, never into the response.
 */
export function sendServerError(res: Response): void {
  res.status(500).setHeader('content-type', 'application/json; charset=utf-8');
  res.send('{"error":"server_error","error_description":"Internal Server Error"}');
}
