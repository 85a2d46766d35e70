/**
 * JOSE header policy. Cognito sends exactly `{ kid, alg: "RS256" }`; we accept RS256 only (no
 * `none`, no HMAC confusion), refuse any `crit` extension we cannot honour and any `cty`, and never look at
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
  // `cty` announces a nested or non-JSON payload (RFC 7519 §5.2); Cognito never sends it and we
  // verify plain JWTs only. `typ` is advisory, but a non-string one is not a JOSE header.
  if (Object.hasOwn(header, 'cty'))
    throw new AuthError('malformed_token', { detail: 'cty is not supported' });
  if (Object.hasOwn(header, 'typ') && typeof header.typ !== 'string')
    throw new AuthError('malformed_token', { detail: 'typ is not a string' });
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) {
    throw new AuthError('malformed_token', { detail: 'kid is missing or invalid' });
  }
  return kid;
}
