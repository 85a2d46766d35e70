/**
 * The key policy for non-Cognito issuers, per key type. The Cognito path keeps its RS256-only policy
 * (`importJwk` in jwk.ts); this one is built from an issuer's own algorithm list:
 * - RSA: exactly the Cognito rules (e = 65537, 2048…8192 bits, no ROCA), for RS* and PS*;
 * - EC: P-256, P-384 or P-521 only, each tied to its one algorithm (ES256, ES384, ES512), full-size
 *   canonical coordinates, and a point on the curve (node:crypto refuses the import otherwise);
 * - OKP: Ed25519 only (Ed448, X25519 and X448 are refused);
 * - for every type: `use` sig, `key_ops` with verify, no private members, and a JWK `alg` that is
 *   one of the issuer's algorithms and fits the key. At verification time the token's `alg` must
 *   fit the key too (`keyMismatch`), and equal the JWK's `alg` when the JWK has one.
 */
import { createPublicKey } from 'node:crypto';
import { ALGORITHMS, ecAlgorithmOf, isOidcAlgorithm, type OidcAlgorithm } from './algorithms.js';
import { decodeBase64url } from './base64url.js';
import { type ImportedKey, importKeySet, type KeySet, rsaViolation, usageViolation } from './jwk.js';

type Jwk = Record<string, unknown>;

function coordinate(value: unknown, bytes: number): boolean {
  if (typeof value !== 'string') return false;
  const decoded = decodeBase64url(value);
  return decoded !== undefined && decoded.length === bytes;
}

/** Why the key fails (a fixed phrase), or the imported key's size in bits. */
function violation(jwk: Jwk, algorithms: ReadonlySet<OidcAlgorithm>): string | number {
  const fits = (kty: string, crv?: unknown) => (alg: unknown) =>
    isOidcAlgorithm(alg) &&
    algorithms.has(alg) &&
    ALGORITHMS[alg].kty === kty &&
    (crv === undefined || ALGORITHMS[alg].crv === crv);
  const notAccepted = 'alg is not one of the accepted algorithms for this key';
  if (jwk.kty === 'RSA') {
    const rsaAllowed = [...algorithms].some((alg) => ALGORITHMS[alg].kty === 'RSA');
    if (!rsaAllowed) return 'kty RSA is not used by the accepted algorithms';
    const usage = usageViolation(jwk, fits('RSA'), notAccepted);
    if (usage !== undefined) return usage;
    const rsa = rsaViolation(jwk);
    return typeof rsa === 'string' ? rsa : rsa.bits;
  }
  if (jwk.kty === 'EC') {
    const alg = ecAlgorithmOf(jwk.crv);
    if (alg === undefined) return 'crv is not P-256, P-384 or P-521';
    if (!algorithms.has(alg)) return `crv ${String(jwk.crv)} is not used by the accepted algorithms`;
    const usage = usageViolation(jwk, fits('EC', jwk.crv), notAccepted);
    if (usage !== undefined) return usage;
    const size = ALGORITHMS[alg].coordinateBytes;
    if (!coordinate(jwk.x, size) || !coordinate(jwk.y, size))
      return 'x or y is not a full-size canonical coordinate';
    return alg === 'ES512' ? 521 : size * 8;
  }
  if (jwk.kty === 'OKP') {
    if (jwk.crv !== 'Ed25519') return 'crv is not Ed25519';
    if (!algorithms.has('EdDSA')) return 'crv Ed25519 is not used by the accepted algorithms';
    const usage = usageViolation(jwk, fits('OKP'), notAccepted);
    if (usage !== undefined) return usage;
    if (!coordinate(jwk.x, 32)) return 'x is not a 32-byte canonical value';
    return 256;
  }
  return 'kty is not RSA, EC or OKP';
}

/** Only the public members node:crypto needs: nothing else from the document reaches the import. */
function publicMembers(jwk: Jwk): Jwk {
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n, e: 'AQAB' };
  if (jwk.kty === 'EC') return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/**
 * Judge one JWKS member under an issuer's algorithm list. Returns `undefined` for members without a
 * usable `kid`, like `importJwk`.
 *
 * @example
 * const imported = importOidcJwk(jwk, new Set(['ES256']));
 * if (imported && 'key' in imported) verifyJws('ES256', signingInput, signature, imported.key);
 */
export function importOidcJwk(jwk: unknown, algorithms: ReadonlySet<OidcAlgorithm>): ImportedKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const member = jwk as Jwk;
  const kid = member.kid;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 1024) return undefined;
  const verdict = violation(member, algorithms);
  if (typeof verdict === 'string') return { kid, rejected: verdict };
  try {
    // node:crypto validates the key: an EC point off its curve, or an x that is not an Ed25519
    // point encoding, fails here.
    const key = createPublicKey({ key: publicMembers(member) as never, format: 'jwk' });
    return { kid, key, alg: member.alg as string | undefined, bits: verdict };
  } catch {
    return { kid, rejected: `not an importable ${String(member.kty)} public key` };
  }
}

/** A JWKS document under an issuer's algorithm list (duplicate kids rejected, as for Cognito). */
export function importOidcJwks(
  document: unknown,
  algorithms: ReadonlySet<OidcAlgorithm>,
): KeySet | undefined {
  return importKeySet(document, (member) => importOidcJwk(member, algorithms));
}

/**
 * Why `imported` may not verify a token signed with `alg`, or `undefined` when it may: the JWK's
 * `alg` (when present) must equal it, and the key must be of the type and curve `alg` names.
 */
export function keyMismatch(imported: ImportedKey, alg: OidcAlgorithm): string | undefined {
  if (!('key' in imported)) return imported.rejected;
  if (imported.alg !== undefined && imported.alg !== alg) return 'the key is for another alg';
  const spec = ALGORITHMS[alg];
  const type = imported.key.asymmetricKeyType;
  if (spec.kty === 'RSA') return type === 'rsa' ? undefined : 'alg needs an RSA key';
  if (spec.kty === 'OKP') return type === 'ed25519' ? undefined : 'alg needs an Ed25519 key';
  if (type !== 'ec' || imported.key.asymmetricKeyDetails?.namedCurve !== spec.namedCurve)
    return `alg needs an EC key on ${spec.crv}`;
  return undefined;
}
