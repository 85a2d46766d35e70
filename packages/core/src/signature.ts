/**
 * The one place signatures are checked: node:crypto's RSASSA-PKCS1-v1_5 with SHA-256 over the
 * exact received `header.payload` bytes, with a KeyObject imported once per JWKS member.
 */
import { type KeyObject, verify } from 'node:crypto';

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
