/**
 * Turns a compact JWS string into its parts without trusting anything: a size cap before any work,
 * exactly three segments, canonical base64url, well-formed UTF-8, JSON objects. Every failure is a
 * `malformed_token` AuthError, never a parser exception.
 */
import { isUtf8 } from 'node:buffer';
import { decodeBase64url } from './base64url.js';
import { AuthError } from './errors.js';
import { freezeJson } from './immutable.js';
import type { JwtHeader, JwtPayload } from './types.js';

/** A structurally valid token; nothing in it is verified yet. */
export interface DecodedToken {
  readonly header: JwtHeader;
  readonly payload: JwtPayload;
  /** `header.payload` exactly as received: the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Default cap on a token's length; real Cognito tokens are 1–4 KB. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

const PROTO = '__proto__';

function malformed(detail: string): AuthError {
  return new AuthError('malformed_token', { detail });
}

/** Decode one segment into a plain JSON object. */
export function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined || bytes.length === 0) throw malformed(`${what} is not canonical base64url`);
  const text = bytes.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; only when one shows up do we pay for the strict check, which
  // tells a legitimately encoded U+FFFD from a malformed byte sequence.
  if (text.includes('\uFFFD') && !isUtf8(bytes)) throw malformed(`${what} is not valid UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${what} is not a JSON object`);
  }
  // JSON.parse makes "__proto__" an own data property; drop it so that code which later copies the
  // claims with Object.assign or a spread cannot have its prototype replaced by token content.
  if (Object.hasOwn(value, PROTO)) delete (value as Record<string, unknown>)[PROTO];
  return value as Record<string, unknown>;
}

// A user pool signs with two keys, so almost every token carries one of a handful of identical
// headers. Remembering the parsed form of the few we have seen skips a decode and a JSON.parse per
// token. The bound keeps a flood of distinct headers from growing it, and evicting the oldest entry
// (rather than refusing new ones once full) means such a flood can only cost a decode per request
// while it lasts, never disable the cache for good.
const HEADER_CACHE = new Map<string, Record<string, unknown>>();
const HEADER_CACHE_LIMIT = 64;

function decodeHeader(segment: string): Record<string, unknown> {
  const known = HEADER_CACHE.get(segment);
  if (known !== undefined) return known;
  // Deeply frozen once here: results share this object, and a cached header is reused as is.
  const header = freezeJson(decodeJsonSegment(segment, 'header'));
  if (segment.length <= 512) {
    if (HEADER_CACHE.size >= HEADER_CACHE_LIMIT) HEADER_CACHE.delete(HEADER_CACHE.keys().next().value!);
    HEADER_CACHE.set(segment, header);
  }
  return header;
}

/**
 * Split and decode a compact JWS.
 *
 * @example
 * const { header, payload } = decodeToken(token); // throws AuthError('malformed_token')
 */
export function decodeToken(token: unknown, maxLength: number = DEFAULT_MAX_TOKEN_LENGTH): DecodedToken {
  if (typeof token !== 'string' || token.length === 0) throw malformed('token is not a non-empty string');
  if (token.length > maxLength) throw malformed('token exceeds the size cap');
  const first = token.indexOf('.');
  // With no dot at all, first + 1 is 0 and this finds none either.
  const second = token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1)
    throw malformed('token does not have 3 segments');
  const header = decodeHeader(token.slice(0, first));
  const payload = decodeJsonSegment(token.slice(first + 1, second), 'payload');
  const signature = decodeBase64url(token.slice(second + 1));
  if (signature === undefined || signature.length === 0)
    throw malformed('signature is not canonical base64url');
  return {
    header: header as JwtHeader,
    payload: payload as JwtPayload,
    signingInput: token.slice(0, second),
    signature,
  };
}
