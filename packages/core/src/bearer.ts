/**
 * Authorization header parsing (RFC 6750 §2.1, RFC 9110 §11.6.2). Kept apart from verification so
 * adapters that read tokens elsewhere (cookies, query strings) share the same error mapping.
 *
 * This runs on every request, cached verification included, so it only checks the structure of the
 * header (scheme, exactly one credential, spaces only between them, optional whitespace around). The characters of the credential are
 * checked by the token decoder, which accepts nothing outside canonical base64url: a credential with
 * other characters is a malformed token (401), while a header that is not one credential is a
 * malformed request (400).
 */
import { AuthError } from './errors.js';

const SPACE = 32;
const TAB = 9;

function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** Index of the first space or tab at or after `from`, or -1. */
function whitespaceAt(text: string, from: number): number {
  const space = text.indexOf(' ', from);
  const tab = text.indexOf('\t', from);
  return space === -1 ? tab : tab === -1 ? space : Math.min(space, tab);
}

/**
 * Extract the bearer token from an Authorization header value.
 * - absent or empty header, or another scheme (`Basic …`): `missing_token` (401, no error attribute)
 * - `Bearer` with no token, or more than one credential: `invalid_request` (400)
 *
 * @example
 * parseBearer('Bearer eyJ...') // 'eyJ...'
 */
export function parseBearer(header: string | readonly string[] | undefined | null): string {
  if (typeof header !== 'string') {
    if (header === undefined || header === null) throw new AuthError('missing_token');
    // Node joins repeated Authorization headers into one value; an array means a caller passed raw
    // multi-value headers, and two credentials are ambiguous.
    if (header.length > 1)
      throw new AuthError('invalid_request', { detail: 'several Authorization headers' });
    // An empty array reads as an absent header: header[0] is undefined.
    return parseBearer(header[0]);
  }
  let start = 0;
  let end = header.length;
  // charCodeAt past the end is NaN, which is not whitespace.
  while (isWhitespace(header.charCodeAt(start))) start++;
  while (end > start && isWhitespace(header.charCodeAt(end - 1))) end--;
  if (start === end) throw new AuthError('missing_token');
  const gap = whitespaceAt(header, start);
  // The character at `end`, if any, is whitespace, so a gap is never past `end`.
  const schemeEnd = gap === -1 ? end : gap;
  if (schemeEnd - start !== 6 || header.slice(start, schemeEnd).toLowerCase() !== 'bearer') {
    throw new AuthError('missing_token', { detail: 'Authorization header with another scheme' });
  }
  let tokenStart = schemeEnd;
  // RFC 9110 §11.4: `auth-scheme 1*SP token68`. Only spaces are skipped here, so a tab after the
  // scheme stays in front of the credential and the whitespace check below refuses it.
  while (tokenStart < end && header.charCodeAt(tokenStart) === SPACE) tokenStart++;
  if (tokenStart === end) throw new AuthError('invalid_request', { detail: 'Bearer scheme without a token' });
  const inner = whitespaceAt(header, tokenStart);
  if ((inner !== -1 && inner < end) || header.includes(',', tokenStart)) {
    throw new AuthError('invalid_request', { detail: 'Authorization header is not one bearer token' });
  }
  return header.slice(tokenStart, end);
}
