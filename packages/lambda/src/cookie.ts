/**
 * The token cookie of an API Gateway event. HTTP API payload 2.0 moves cookies into `cookies` (one
 * `name=value` per element); REST and payload 1.0 keep the `Cookie` header, in any casing and
 * possibly repeated in `multiValueHeaders`. Every occurrence is read, as the Express adapter does:
 * the same name with two different values (cookie tossing from a sibling subdomain plants a second
 * one) is refused rather than resolved by order; equal repeats are fine; an empty value is absent.
 */
import { AuthError } from '@cognito-gate/core';
import type { RequestFields } from './events.js';
import { headerValues } from './request-values.js';

function trimOws(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Strip one pair of surrounding double quotes and undo well-formed percent-encoding. */
function cookieText(raw: string): string {
  let value = trimOws(raw);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not percent-encoding: verification rejects it as a malformed token
  }
}

/** Add the non-empty values of cookie `name` in one `a=1; b=2` text. */
function collectPairs(text: string, name: string, into: string[]): void {
  if (!text.includes(name)) return;
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || trimOws(pair.slice(0, equals)) !== name) continue;
    const value = cookieText(pair.slice(equals + 1));
    if (value.length > 0) into.push(value);
  }
}

/**
 * The value of cookie `name`, `undefined` when absent; `invalid_request` when it has two different
 * values, or when a field holding cookies has the wrong type.
 *
 * @example
 * eventCookie({ cookies: ['theme=dark', 'access_token=eyJ...'] }, 'access_token') // 'eyJ...'
 */
export function eventCookie(event: RequestFields, name: string): string | undefined {
  const values: string[] = [];
  const cookies: unknown = event.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) throw new AuthError('invalid_request', { detail: 'cookies is not a list' });
    for (const cookie of cookies) {
      if (typeof cookie !== 'string')
        throw new AuthError('invalid_request', { detail: 'a cookie is not text' });
      collectPairs(cookie, name, values);
    }
  }
  for (const header of headerValues(event, 'cookie')) collectPairs(header, name, values);
  const first = values[0];
  if (values.some((value) => value !== first)) {
    throw new AuthError('invalid_request', { detail: `several different ${name} cookies` });
  }
  return first;
}
