/**
 * The one table that ties each JWS `alg` we verify to its key type, curve, hash and signature
 * shape (RFC 7518 §3, RFC 8037). Key selection and signature checks for non-Cognito issuers go
 * through it, so an algorithm can never be paired with a key of another type or curve. HMAC and
 * `none` are absent on purpose: a verifier holding only public keys has no business with them.
 */

/** The algorithms an OIDC issuer may be configured with. */
export type OidcAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

export interface AlgorithmSpec {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** node:crypto digest name; `null` for EdDSA (the hash is part of the scheme). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** RSASSA-PSS (salt length = hash length, RFC 7518 §3.5) rather than PKCS #1 v1.5. */
  readonly pss: boolean;
  /** JWK `crv` for EC and OKP keys. */
  readonly crv: 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | undefined;
  /** node:crypto's name for the curve (`KeyObject.asymmetricKeyDetails.namedCurve`). */
  readonly namedCurve: string | undefined;
  /** Bytes in one coordinate (EC) or the public key (OKP); also half an ECDSA signature. */
  readonly coordinateBytes: number;
}

const rsa = (hash: 'sha256' | 'sha384' | 'sha512', pss: boolean): AlgorithmSpec =>
  Object.freeze({ kty: 'RSA', hash, pss, crv: undefined, namedCurve: undefined, coordinateBytes: 0 });
const ec = (
  hash: 'sha256' | 'sha384' | 'sha512',
  crv: 'P-256' | 'P-384' | 'P-521',
  namedCurve: string,
  coordinateBytes: number,
): AlgorithmSpec => Object.freeze({ kty: 'EC', hash, pss: false, crv, namedCurve, coordinateBytes });

export const ALGORITHMS: Readonly<Record<OidcAlgorithm, AlgorithmSpec>> = Object.freeze({
  RS256: rsa('sha256', false),
  RS384: rsa('sha384', false),
  RS512: rsa('sha512', false),
  PS256: rsa('sha256', true),
  PS384: rsa('sha384', true),
  PS512: rsa('sha512', true),
  ES256: ec('sha256', 'P-256', 'prime256v1', 32),
  ES384: ec('sha384', 'P-384', 'secp384r1', 48),
  ES512: ec('sha512', 'P-521', 'secp521r1', 66),
  EdDSA: Object.freeze({
    kty: 'OKP',
    hash: null,
    pss: false,
    crv: 'Ed25519',
    namedCurve: undefined,
    coordinateBytes: 32,
  }),
});

/** True for a string naming an algorithm of the table (own keys only: `toString` is not an alg). */
export function isOidcAlgorithm(value: unknown): value is OidcAlgorithm {
  return typeof value === 'string' && Object.hasOwn(ALGORITHMS, value);
}

/** The ECDSA algorithm whose curve is `crv` (one curve, one algorithm). */
export function ecAlgorithmOf(crv: unknown): OidcAlgorithm | undefined {
  return crv === 'P-256' ? 'ES256' : crv === 'P-384' ? 'ES384' : crv === 'P-521' ? 'ES512' : undefined;
}
