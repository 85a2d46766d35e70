/**
 * The one place signatures are checked: node:crypto over the exact received `header.payload` bytes,
 * with a KeyObject imported once per JWKS member. Cognito tokens take the RS256-only path; other
 * issuers' tokens go through the algorithm table (algorithms.ts).
 */
import { constants, type KeyObject, verify } from 'node:crypto';
import { ALGORITHMS, type OidcAlgorithm } from './algorithms.js';

/** True when `signature` is a valid RS256 signature of `signingInput` under `key`. */
export function verifyRs256(signingInput: string, signature: Buffer, key: KeyObject): boolean {
  // A wrong-length signature can never verify; skip the RSA operation for it.
  if (signature.length !== ((key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3) return false;
  try {
    return verify('RSA-SHA256', Buffer.from(signingInput, 'latin1'), key, signature);
  } catch {
    return false;
  }
}

/**
 * True when `signature` is a valid JWS signature of `signingInput` by `key` under `alg` (the key
 * already passed `keyMismatch` for it). ECDSA signatures are the JWS form, r‖s of fixed length
 * (IEEE P1363): a DER-encoded one has another length and fails before any curve arithmetic.
 * High-S ECDSA signatures are accepted, as RFC 7518 and node:crypto do (see SECURITY.md: token
 * strings are malleable, so deny-lists key on claims, never on the token string).
 */
export function verifyJws(
  alg: OidcAlgorithm,
  signingInput: string,
  signature: Buffer,
  key: KeyObject,
): boolean {
  const spec = ALGORITHMS[alg];
  const data = Buffer.from(signingInput, 'latin1');
  try {
    if (spec.kty === 'EC') {
      if (signature.length !== 2 * spec.coordinateBytes) return false;
      return verify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (spec.kty === 'OKP') return signature.length === 64 && verify(null, data, key, signature);
    if (signature.length !== ((key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3) return false;
    if (!spec.pss) return verify(spec.hash, data, key, signature);
    return verify(
      spec.hash,
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      signature,
    );
  } catch {
    return false;
  }
}
