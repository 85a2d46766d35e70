/**
 * An `AuthError` as a Lambda proxy response: the status, the RFC 6750 headers the core renders
 * (`www-authenticate`, `retry-after`), and the fixed `{ error, error_description }` body. The shape is
 * valid for REST (payload 1.0) and HTTP API (payload 2.0) integrations alike.
 */
import { type AuthError, authErrorHeaders, ConfigurationError, realmProblem } from '@cognito-gate/core';
import type { ProxyResult } from './events.js';

export interface ProxyResponseOptions {
  /** The `realm` of the `WWW-Authenticate` challenge. Default `"api"`. */
  readonly realm?: string;
}

/**
 * Refuse a realm that cannot go in a `WWW-Authenticate` header (quotes, control or non-ASCII
 * characters, empty, too long). Factories call it at setup, so a bad realm fails the deployment
 * instead of every rejection.
 *
 * @example
 * checkRealm(options.realm ?? 'api');
 */
export function checkRealm(realm: unknown): void {
  const problem = realmProblem(realm);
  if (problem !== undefined) throw new ConfigurationError(`cognito-gate: realm ${problem}`);
}

/**
 * Render an AuthError for API Gateway. Nothing from the token or the configuration is echoed.
 *
 * @example
 * catch (err) { if (isAuthError(err)) return authErrorResponse(err); throw err; }
 */
export function authErrorResponse(error: AuthError, options: ProxyResponseOptions = {}): ProxyResult {
  const realm = options.realm;
  if (realm !== undefined) checkRealm(realm);
  const headers = authErrorHeaders(error, realm === undefined ? {} : { realm });
  headers['content-type'] = 'application/json';
  headers['cache-control'] = 'no-store';
  return { statusCode: error.status, headers, body: JSON.stringify(error.toJSON()) };
}
