/**
 * JOSE header policy for non-Cognito issuers: the header's `alg` must be one of the issuer's
 * configured algorithms (the list comes from the configuration, never from the token), `crit` and
 * `cty` are refused, embedded keys (`jwk`, `jku`, `x5u`, `x5c`) are never looked at, and `typ`,
 * when present, must say JWT or an RFC 9068 access token (`at+jwt`, `application/at+jwt`), so a
 * logout token, a DPoP proof or any other JWT type cannot pass as an access or ID token.
 */
import type { OidcAlgorithm } from './algorithms.js';
import { AuthError } from './errors.js';
import type { JwtHeader } from './types.js';

const MAX_KID_LENGTH = 256;

export interface CheckedHeader {
  readonly kid: string;
  readonly alg: OidcAlgorithm;
  /** `typ` names an RFC 9068 JWT access token. */
  readonly atJwt: boolean;
}

/** RFC 7515 §4.1.9: media types compare case-insensitively, with `application/` optional. */
function typeOf(typ: string): 'jwt' | 'at+jwt' | undefined {
  const lower = typ.toLowerCase();
  const bare = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
  return bare === 'jwt' ? 'jwt' : bare === 'at+jwt' ? 'at+jwt' : undefined;
}

/** Throws unless the header is one this issuer's tokens may carry. */
export function checkOidcHeader(header: JwtHeader, algorithms: ReadonlySet<OidcAlgorithm>): CheckedHeader {
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string') throw new AuthError('malformed_token', { detail: 'alg is missing' });
  if (!algorithms.has(alg as OidcAlgorithm))
    throw new AuthError('unsupported_algorithm', { detail: 'alg is not accepted for this issuer' });
  if (Object.hasOwn(header, 'crit'))
    throw new AuthError('malformed_token', { detail: 'crit is not supported' });
  if (Object.hasOwn(header, 'cty'))
    throw new AuthError('malformed_token', { detail: 'cty is not supported' });
  let atJwt = false;
  if (Object.hasOwn(header, 'typ')) {
    if (typeof typ !== 'string') throw new AuthError('malformed_token', { detail: 'typ is not a string' });
    const type = typeOf(typ);
    if (type === undefined) throw new AuthError('invalid_token_use', { detail: 'typ is not JWT or at+jwt' });
    atJwt = type === 'at+jwt';
  }
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH)
    throw new AuthError('malformed_token', { detail: 'kid is missing or invalid' });
  return { kid, alg: alg as OidcAlgorithm, atJwt };
}
