/**
 * Reading a token for display, never for trust. The core decoder is tried first (it is the one
 * verification uses, so its verdict is the one that matters); when it refuses the token, a lenient
 * pass still shows whatever segments can be read, because a person debugging a broken token wants
 * to see as much of it as possible.
 */
import { decodeToken, isAuthError } from '@cognito-gate/core';

export interface InspectedToken {
  /** The decoded header, or `undefined` when it cannot be read at all. */
  readonly header: Record<string, unknown> | undefined;
  /** The decoded payload, or `undefined` when it cannot be read at all. */
  readonly claims: Record<string, unknown> | undefined;
  /** Number of `.`-separated segments (a JWS has 3). */
  readonly segments: number;
  /** Why the core decoder refused the token; `undefined` when it is structurally valid. */
  readonly problem: string | undefined;
}

/** Anything decodeToken rejects for size is far past a real token; do not try harder on it. */
const LENIENT_LIMIT = 64 * 1024;

function lenientSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (segment === undefined || segment.length === 0 || segment.length > LENIENT_LIMIT) return undefined;
  try {
    // Buffer's base64url decoder tolerates padding, `+/` and stray characters: fine for display.
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function problemOf(error: unknown, segments: number): string {
  if (segments !== 3) return `a JWT has 3 dot-separated segments, this one has ${segments}`;
  if (isAuthError(error) && error.detail !== undefined) return error.detail;
  return 'the token could not be decoded';
}

/**
 * Decode a token for display: the core decoder's result, or the best a lenient reading can do.
 *
 * @example
 * const { header, claims, problem } = inspectToken(token);
 * if (problem) console.log(`broken: ${problem}`);
 */
export function inspectToken(token: string): InspectedToken {
  const parts = token.split('.');
  try {
    const decoded = decodeToken(token);
    return {
      header: { ...decoded.header },
      claims: { ...decoded.payload },
      segments: parts.length,
      problem: undefined,
    };
  } catch (error) {
    return {
      header: lenientSegment(parts[0]),
      claims: parts.length > 1 ? lenientSegment(parts[1]) : undefined,
      segments: parts.length,
      problem: problemOf(error, parts.length),
    };
  }
}

/** An own property of decoded JSON (`__proto__` and inherited names stay inert). */
export function claim(source: Record<string, unknown> | undefined, name: string): unknown {
  return source !== undefined && Object.hasOwn(source, name) ? source[name] : undefined;
}
