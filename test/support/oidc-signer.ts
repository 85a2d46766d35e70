/**
 * Keys and hand-assembled tokens for the non-Cognito (OIDC) path: every algorithm of the table, via
 * node:crypto, so tests can build any header/payload and any signature encoding (raw or DER ECDSA,
 * high-S) without a JWT library.
 */
import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { OidcAlgorithm } from '@cognito-gate/core';
import { b64, NOW } from './signer.js';

/** Every algorithm an OIDC issuer may be configured with, written out here rather than taken from core. */
export const OIDC_ALGORITHMS: readonly OidcAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export const OIDC_ISSUER = 'https://login.partner.example';
export const AUDIENCE = 'https://api.example.com';
export const OIDC_CLIENT = 'partner-client-1';

export interface OidcKey {
  readonly kid: string;
  readonly alg: OidcAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

const HASH: Record<OidcAlgorithm, string | null> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
};

const CURVE: Partial<Record<OidcAlgorithm, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

export function makeOidcKey(alg: OidcAlgorithm, kid: string = `key-${alg}`): OidcKey {
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: CURVE[alg]! })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    alg,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

/** The raw JWS signature of `data` under `alg` (P1363 r‖s for ECDSA, or DER when asked). */
export function rawSignature(alg: OidcAlgorithm, data: string, key: KeyObject, der = false): Buffer {
  const bytes = Buffer.from(data);
  const hash = HASH[alg];
  if (alg.startsWith('PS'))
    return sign(hash, bytes, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  if (alg.startsWith('ES')) return sign(hash, bytes, { key, dsaEncoding: der ? 'der' : 'ieee-p1363' });
  return sign(hash, bytes, key);
}

export function signOidc(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: OidcKey,
  options: { alg?: OidcAlgorithm; der?: boolean } = {},
): string {
  const alg = options.alg ?? key.alg;
  const input = `${b64({ alg, kid: key.kid, ...header })}.${b64(payload)}`;
  return `${input}.${rawSignature(alg, input, key.privateKey, options.der).toString('base64url')}`;
}

/** RFC 9068 access token claims (every required one present). */
export function atClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: OIDC_ISSUER,
    sub: 'user-42',
    aud: AUDIENCE,
    client_id: OIDC_CLIENT,
    exp: NOW + 3600,
    iat: NOW - 60,
    jti: 'at-jti-1',
    scope: 'orders:read orders:write',
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

/** The curve orders, for high-S tests. */
export const CURVE_ORDER: Partial<Record<OidcAlgorithm, bigint>> = {
  ES256: BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551'),
  ES384: BigInt(
    '0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973',
  ),
  ES512: BigInt(
    '0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
};

/** The same ECDSA signature with s replaced by n − s (the other valid signature). */
export function flipS(alg: OidcAlgorithm, signature: Buffer): Buffer {
  const half = signature.length / 2;
  const n = CURVE_ORDER[alg]!;
  const s = BigInt(`0x${signature.subarray(half).toString('hex')}`);
  const flipped = Buffer.from((n - s).toString(16).padStart(half * 2, '0'), 'hex');
  return Buffer.concat([signature.subarray(0, half), flipped]);
}

export function withSignature(token: string, signature: Buffer): string {
  return `${token.slice(0, token.lastIndexOf('.'))}.${signature.toString('base64url')}`;
}

export function signatureOf(token: string): Buffer {
  return Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
}
