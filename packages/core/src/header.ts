/**
 * JOSE header policy. Cognito sends exactly `{ kid, alg: "RS256" }`; we accept RS256 only (no
 * `none`, no HMAC confusion), refuse any `crit` extension we cannot honour, and never look at
 * `jwk`, `jku`, `x5u` or `x5c`: keys come from the configured JWKS and nowhere else.
 */
import { AuthError } from './errors.js';
import { ACCEPTED_ALG } from './jwk.js';
import type { JwtHeader } from './types.js';

/** Longest kid we look up; Cognito's are 44 characters. */
const MAX_KID_LENGTH = 256;

/** Throws unless the header is one we can verify; returns the kid. */
export function checkHeader(header: JwtHeader): string {
  const { alg, kid } = header;
  if (typeof alg !== 'string') throw new AuthError('malformed_token', { detail: 'alg is missing' });
  if (alg !== ACCEPTED_ALG) throw new AuthError('unsupported_algorithm', { detail: 'alg is not RS256' });
  if (Object.hasOwn(header, 'crit'))
    throw new AuthError('malformed_token', { detail: 'crit is not supported' });
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) {
    throw new AuthError('malformed_token', { detail: 'kid is missing or invalid' });
  }
  return kid;
}
