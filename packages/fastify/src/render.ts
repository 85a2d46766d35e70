/**
 * Rejections rendered the Fastify way: the `AuthError` status, RFC 6750 `WWW-Authenticate` (or
 * `Retry-After` on 503) and Fastify's error body `{ statusCode, code, error, message }`, where `code`
 * is our stable code and `message` the code's fixed, client-safe description. Nothing from the token,
 * its claims or the configuration reaches the response.
 */
import { STATUS_CODES } from 'node:http';
import { AUTH_ERROR_CODES, AuthError, type AuthErrorCode, authErrorHeaders } from '@cognito-gate/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_REALM = 'api';

/**
 * The body Fastify's default error handler would send for `error`; handy in your own error handler.
 *
 * @example
 * errorBody(new AuthError('expired'))
 * // { statusCode: 401, code: 'expired', error: 'Unauthorized', message: 'The token has expired' }
 */
export function errorBody(error: AuthError): {
  statusCode: number;
  code: AuthErrorCode;
  error: string;
  message: string;
} {
  return {
    statusCode: error.status,
    code: error.code,
    error: STATUS_CODES[error.status] ?? 'Error',
    message: error.description,
  };
}

// Bodies are fixed per code, so they are serialised once; sending a string also keeps a route's
// response schema from reshaping an error it never described.
const BODIES = new Map<string, string>(
  (Object.keys(AUTH_ERROR_CODES) as AuthErrorCode[]).map((code) => [
    code,
    JSON.stringify(errorBody(new AuthError(code))),
  ]),
);

/**
 * Answer the request with `error` (reply mode).
 *
 * @example
 * return sendAuthError(request, reply, error, 'api');
 */
export function sendAuthError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AuthError,
  realm: string,
): FastifyReply {
  // The detail is for operators: it goes to the log, never to the client.
  const log = { authError: { code: error.code, detail: error.detail } };
  if (error.status >= 500) request.log.warn(log, 'cognito-gate: request rejected');
  else request.log.info(log, 'cognito-gate: request rejected');
  return reply
    .code(error.status)
    .headers(authErrorHeaders(error, { realm }))
    .type(JSON_TYPE)
    .send(BODIES.get(error.code) ?? JSON.stringify(errorBody(error)));
}

/**
 * Prepare `error` to be thrown into Fastify's error handling (throw mode, hooks): Fastify's default
 * handler applies `error.headers`, which must then carry the configured realm.
 *
 * @example
 * throw forErrorHandler(error, 'orders-api');
 */
export function forErrorHandler(error: AuthError, realm: string): AuthError {
  if (realm !== DEFAULT_REALM) {
    // An own property shadows the prototype getter (which renders the default realm).
    Object.defineProperty(error, 'headers', {
      value: authErrorHeaders(error, { realm }),
      configurable: true,
      writable: true,
    });
  }
  return error;
}
