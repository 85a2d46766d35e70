/**
 * Reading one cookie out of `Cookie` request headers (RFC 6265 §5.4 syntax, parsed leniently the
 * way browsers send it), shared by every adapter so they cannot drift apart. We parse it ourselves
 * rather than depend on a cookie parser: we need a single named value, and we want the ambiguous
 * cases (the same name twice with different values, as cookie tossing from a sibling subdomain
 * produces) reported rather than silently resolved by order, as most parsers do.
 */
import { AuthError } from './errors.js';

/** The outcome of looking for one cookie: absent, one value, or conflicting values. */
export type CookieLookup =
  | { readonly found: false }
  | { readonly found: true; readonly value: string }
  | { readonly found: 'conflict' };

const ABSENT: CookieLookup = Object.freeze({ found: false });
const CONFLICT: CookieLookup = Object.freeze({ found: 'conflict' });

/** RFC 6265 cookie-name: an RFC 9110 token. */
export const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return text.slice(start, end);
}

/** Strip one pair of surrounding double quotes and undo percent-encoding when it is well formed. */
function cookieValue(raw: string): string {
  let value = trimOws(raw);
  if (value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22) {
    value = value.slice(1, -1);
  }
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Not valid percent-encoding: keep the raw text; verification rejects it as malformed.
    return value;
  }
}

/**
 * Find the cookie `name` in a `Cookie` header, or in several (an array: repeated headers, or API
 * Gateway v2's `cookies` list). Never throws, whatever the header holds. Empty values count as
 * absent (a logout usually clears the cookie that way).
 *
 * @example
 * readCookie('theme=dark; access_token="eyJ..."', 'access_token') // { found: true, value: 'eyJ...' }
 */
export function readCookie(header: string | readonly string[] | undefined, name: string): CookieLookup {
  if (header === undefined) return ABSENT;
  // Node joins repeated Cookie headers with '; '; arrays come from events and hand-built requests.
  const text = typeof header === 'string' ? header : header.join('; ');
  if (!text.includes(name)) return ABSENT;
  let found: string | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(';', start);
    if (end === -1) end = text.length;
    const pair = text.slice(start, end);
    start = end + 1;
    const equals = pair.indexOf('=');
    if (equals === -1 || trimOws(pair.slice(0, equals)) !== name) continue;
    const value = cookieValue(pair.slice(equals + 1));
    if (value.length === 0) continue;
    if (found !== undefined && found !== value) return CONFLICT;
    found = value;
  }
  return found === undefined ? ABSENT : { found: true, value: found };
}

/**
 * The value of cookie `name`, `undefined` when absent; `invalid_request` when it was sent twice
 * with different values.
 *
 * @example
 * const token = cookieToken(req.headers.cookie, 'access_token');
 */
export function cookieToken(
  header: string | readonly string[] | undefined,
  name: string,
): string | undefined {
  const lookup = readCookie(header, name);
  if (lookup.found === 'conflict') {
    throw new AuthError('invalid_request', { detail: `cookie ${name} sent twice with different values` });
  }
  return lookup.found ? lookup.value : undefined;
}
