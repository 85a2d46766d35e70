/**
 * The token cookie of an API Gateway event. HTTP API payload 2.0 moves cookies into `cookies` (one
 * `name=value` per element); REST and payload 1.0 keep the `Cookie` header, in any casing and
 * possibly repeated in `multiValueHeaders`. Every occurrence is read, with core's cookie reader:
 * the same name with two different values (cookie tossing from a sibling subdomain plants a second
 * one) is refused rather than resolved by order; equal repeats are fine; an empty value is absent.
 */
import { AuthError, cookieToken } from '@cognito-gate/core';
import type { RequestFields } from './events.js';
import { headerValues } from './request-values.js';

/**
 * The value of cookie `name`, `undefined` when absent; `invalid_request` when it has two different
 * values, or when a field holding cookies has the wrong type.
 *
 * @example
 * eventCookie({ cookies: ['theme=dark', 'access_token=eyJ...'] }, 'access_token') // 'eyJ...'
 */
export function eventCookie(event: RequestFields, name: string): string | undefined {
  const texts: string[] = [];
  const cookies: unknown = event.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) throw new AuthError('invalid_request', { detail: 'cookies is not a list' });
    for (const cookie of cookies) {
      if (typeof cookie !== 'string')
        throw new AuthError('invalid_request', { detail: 'a cookie is not text' });
      texts.push(cookie);
    }
  }
  texts.push(...headerValues(event, 'cookie'));
  return texts.length === 0 ? undefined : cookieToken(texts, name);
}
