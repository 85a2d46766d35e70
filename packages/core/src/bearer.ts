/**
 * Authorization header parsing (RFC 6750 §2.1, RFC 9110 §11.6.2). Kept apart from verification so
 * adapters that read tokens elsewhere (cookies, query strings) share the same error mapping.
 */
import { AuthError } from './errors.js';

// token68 per RFC 9110: the only characters a bearer token may contain.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Extract the bearer token from an Authorization header value.
 * - absent or empty header, or another scheme (`Basic …`): `missing_token` (401, no error attribute)
 * - `Bearer` with no token, two tokens, or characters outside token68: `invalid_request` (400)
 *
 * @example
 * parseBearer('Bearer eyJ...') // 'eyJ...'
 */
export function parseBearer(header: string | readonly string[] | undefined | null): string {
  if (header === undefined || header === null) throw new AuthError('missing_token');
  if (typeof header !== 'string') {
    // Node joins repeated Authorization headers into one value; an array means a caller passed raw
    // multi-value headers, and two credentials are ambiguous.
    if (header.length === 0) throw new AuthError('missing_token');
    if (header.length > 1)
      throw new AuthError('invalid_request', { detail: 'several Authorization headers' });
    return parseBearer(header[0]);
  }
  const value = header.replace(OWS, '');
  if (value.length === 0) throw new AuthError('missing_token');
  const space = value.search(/[ \t]/);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    throw new AuthError('missing_token', { detail: 'Authorization header with another scheme' });
  }
  if (space === -1) throw new AuthError('invalid_request', { detail: 'Bearer scheme without a token' });
  const token = value.slice(space + 1).replace(OWS, '');
  if (!TOKEN68.test(token)) {
    throw new AuthError('invalid_request', { detail: 'Authorization header is not one bearer token' });
  }
  return token;
}
