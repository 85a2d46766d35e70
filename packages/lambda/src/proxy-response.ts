/**
 * An `AuthError` as a Lambda proxy response: the status, the RFC 6750 headers the core renders
 * (`www-authenticate`, `retry-after`), and the fixed `{ error, error_description }` body. The shape is
 * valid for REST (payload 1.0) and HTTP API (payload 2.0) integrations alike.
 */
import { type AuthError, authErrorHeaders } from '@cognito-gate/core';
import type { ProxyResult } from './events.js';

export interface ProxyResponseOptions {
  /** The `realm` of the `WWW-Authenticate` challenge. Default `"api"`. */
  readonly realm?: string;
}

/**
 * Render an AuthError for API Gateway. Nothing from the token or the configuration is echoed.
 *
 * @example
 * catch (err) { if (isAuthError(err)) return authErrorResponse(err); throw err; }
 */
export function authErrorResponse(error: AuthError, options: ProxyResponseOptions = {}): ProxyResult {
  const headers = authErrorHeaders(error, options.realm === undefined ? {} : { realm: options.realm });
  headers['content-type'] = 'application/json';
  headers['cache-control'] = 'no-store';
  return { statusCode: error.status, headers, body: JSON.stringify(error.toJSON()) };
}
