/**
 * The key policy: which JWKS members we are willing to verify Cognito tokens with. Each member is
 * judged alone, so one bad key never takes the rest of the set down; a rejected key is remembered
 * with its reason so a token naming it fails with `invalid_key`, not `unknown_key`.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeBase64url } from './base64url.js';
import { hasRocaFingerprint } from './roca.js';

/** A member of a JWKS after the policy looked at it. */
export type ImportedKey =
  | { readonly kid: string; readonly key: KeyObject; readonly alg: string | undefined; readonly bits: number }
  | { readonly kid: string; readonly rejected: string };

export const MIN_RSA_BITS = 2048;
/** Larger keys only slow verification down; nobody signs JWTs with them. */
export const MAX_RSA_BITS = 8192;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
/** The only signature algorithm Cognito user pools use. */
export const ACCEPTED_ALG = 'RS256';

function bitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/** Why a JWK fails the policy, or `undefined` when it passes (the modulus is then returned too). */
function policyViolation(jwk: Record<string, unknown>): string | { modulus: Buffer; bits: number } {
  if (jwk.kty !== 'RSA') return 'kty is not RSA';
  return usageViolation(jwk, (alg) => alg === ACCEPTED_ALG, 'alg is not RS256') ?? rsaViolation(jwk);
}

/**
 * The members every signing key is judged on whatever its type: `use` sig, `key_ops` allowing
 * verify, an `alg` the caller accepts (when present), and no private key material.
 */
export function usageViolation(
  jwk: Record<string, unknown>,
  acceptsAlg: (alg: unknown) => boolean,
  algProblem: string,
): string | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'use is not sig';
  if (jwk.key_ops !== undefined) {
    const ops = jwk.key_ops;
    // RFC 7517 §4.3: an array of strings without duplicates.
    if (!Array.isArray(ops) || ops.some((op) => typeof op !== 'string') || new Set(ops).size !== ops.length)
      return 'key_ops is not a list of distinct strings';
    if (!ops.includes('verify')) return 'key_ops does not allow verify';
  }
  if (jwk.alg !== undefined && !acceptsAlg(jwk.alg)) return algProblem;
  for (const member of PRIVATE_MEMBERS) if (jwk[member] !== undefined) return 'contains private key material';
  return undefined;
}

/** The RSA public key itself: e = 65537, a canonical odd modulus of 2048…8192 bits, no ROCA. */
export function rsaViolation(jwk: Record<string, unknown>): string | { modulus: Buffer; bits: number } {
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return 'n or e missing';
  if (jwk.e !== 'AQAB') return 'public exponent is not 65537';
  const modulus = decodeBase64url(jwk.n);
  if (modulus === undefined) return 'n is not canonical base64url';
  if (modulus[0] === 0) return 'n has leading zero bytes';
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS) return `modulus is ${bits} bits`;
  if (bits > MAX_RSA_BITS) return `modulus is ${bits} bits`;
  if ((modulus[modulus.length - 1]! & 1) === 0) return 'modulus is even';
  if (hasRocaFingerprint(modulus)) return 'modulus has the ROCA fingerprint';
  return { modulus, bits };
}

/**
 * Judge one JWKS member. Returns `undefined` for members without a usable `kid` (they can never
 * be selected, so there is nothing to remember).
 *
 * @example
 * const imported = importJwk(jwks.keys[0]);
 * if (imported && 'key' in imported) crypto.verify('RSA-SHA256', data, imported.key, sig);
 */
export function importJwk(jwk: unknown): ImportedKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const member = jwk as Record<string, unknown>;
  const kid = member.kid;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 1024) return undefined;
  const verdict = policyViolation(member);
  if (typeof verdict === 'string') return { kid, rejected: verdict };
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: member.n as string, e: 'AQAB' }, format: 'jwk' });
    return { kid, key, alg: member.alg as string | undefined, bits: verdict.bits };
  } catch {
    return { kid, rejected: 'not an importable RSA public key' };
  }
}

/** A JWKS as a kid → key map. Duplicate kids are ambiguous, so both are marked rejected. */
export type KeySet = ReadonlyMap<string, ImportedKey>;

/**
 * Import a JWKS document (`{ keys: [...] }`, or a bare array of JWKs).
 * Returns `undefined` when the document itself has the wrong shape.
 */
export function importJwks(document: unknown): KeySet | undefined {
  return importKeySet(document, importJwk);
}

/** `importJwks` under another key policy (the OIDC one, key-policy.ts). */
export function importKeySet(
  document: unknown,
  importMember: (jwk: unknown) => ImportedKey | undefined,
): KeySet | undefined {
  const members = Array.isArray(document)
    ? document
    : typeof document === 'object' &&
        document !== null &&
        Array.isArray((document as { keys?: unknown }).keys)
      ? ((document as { keys: unknown[] }).keys as unknown[])
      : undefined;
  if (members === undefined) return undefined;
  const keys = new Map<string, ImportedKey>();
  for (const member of members) {
    const imported = importMember(member);
    if (imported === undefined) continue;
    if (keys.has(imported.kid)) {
      keys.set(imported.kid, { kid: imported.kid, rejected: 'duplicate kid in the JWKS' });
    } else {
      keys.set(imported.kid, imported);
    }
  }
  return keys;
}
