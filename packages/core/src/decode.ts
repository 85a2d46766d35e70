/**
 * Turns a compact JWS string into its parts without trusting anything: a size cap before any work,
 * exactly three segments, canonical base64url, well-formed UTF-8, JSON objects. Every failure is a
 * `malformed_token` AuthError, never a parser exception.
 */
import { isUtf8 } from 'node:buffer';
import { decodeBase64url, isCanonicalBase64url } from './base64url.js';
import { AuthError } from './errors.js';
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
  if (!isUtf8(bytes)) throw malformed(`${what} is not valid UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
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
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1)
    throw malformed('token does not have 3 segments');
  const header = decodeJsonSegment(token.slice(0, first), 'header');
  const payload = decodeJsonSegment(token.slice(first + 1, second), 'payload');
  const signatureText = token.slice(second + 1);
  if (signatureText.length === 0 || !isCanonicalBase64url(signatureText)) {
    throw malformed('signature is not canonical base64url');
  }
  return {
    header: header as JwtHeader,
    payload: payload as JwtPayload,
    signingInput: token.slice(0, second),
    signature: Buffer.from(signatureText, 'base64url'),
  };
}
