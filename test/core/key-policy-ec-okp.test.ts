import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { importJwk, importOidcJwk, importOidcJwks, type OidcAlgorithm } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../packages/core/src/base64url.js';
import { decodeJsonSegment } from '../../packages/core/src/decode.js';
import { keyMismatch } from '../../packages/core/src/key-policy.js';
import { checkOidcHeader } from '../../packages/core/src/oidc-header.js';
import { verifyJws } from '../../packages/core/src/signature.js';
import type { JwtHeader } from '../../packages/core/src/types.js';
import { flipS, makeOidcKey, OIDC_ALGORITHMS, rawSignature } from '../support/oidc-signer.js';
import { describeShared, readShared } from '../support/shared.js';

const ALL: ReadonlySet<OidcAlgorithm> = new Set(OIDC_ALGORITHMS);

function verdict(jwk: Record<string, unknown>, algorithms: ReadonlySet<OidcAlgorithm> = ALL): string {
  const imported = importOidcJwk(jwk, algorithms);
  if (imported === undefined) return 'skipped';
  return 'key' in imported ? 'accepted' : imported.rejected;
}

const p256 = makeOidcKey('ES256');
const p384 = makeOidcKey('ES384');
const p521 = makeOidcKey('ES512');
const ed = makeOidcKey('EdDSA');
const rsa = makeOidcKey('RS256');

/** A coordinate with one bit changed: almost surely off the curve. */
function bent(value: unknown): string {
  const bytes = Buffer.from(String(value), 'base64url');
  bytes[bytes.length - 1]! ^= 1;
  return bytes.toString('base64url');
}

describe('key policy per key type (importOidcJwk)', () => {
  it('accepts EC keys on the curve their algorithm names, Ed25519 and RSA keys', () => {
    for (const key of [p256, p384, p521, ed, rsa]) expect(verdict(key.jwk), key.alg).toBe('accepted');
    expect(verdict({ ...p256.jwk, alg: undefined, use: undefined, key_ops: ['verify'] })).toBe('accepted');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a point off the curve (y changed)', { ...p256.jwk, y: bent(p256.jwk.y) }, /importable/],
    ['a point off the curve (x changed)', { ...p384.jwk, x: bent(p384.jwk.x) }, /importable/],
    ['a P-256 point declared as P-384', { ...p256.jwk, crv: 'P-384', alg: undefined }, /coordinate/],
    ['a P-256 key with alg ES384', { ...p256.jwk, alg: 'ES384' }, /alg/],
    ['a P-521 key with alg ES256', { ...p521.jwk, alg: 'ES256' }, /alg/],
    ['secp256k1', { ...p256.jwk, crv: 'secp256k1', alg: undefined }, /crv/],
    ['a short coordinate (leading zero dropped)', { ...p256.jwk, x: 'AQAB' }, /coordinate/],
    ['a coordinate with padding', { ...p256.jwk, x: `${String(p256.jwk.x)}=` }, /coordinate/],
    ['a missing y', { ...p256.jwk, y: undefined }, /coordinate/],
    ['an EC private key', { ...p256.jwk, d: 'AAAA' }, /private/],
    ['use enc', { ...p256.jwk, use: 'enc' }, /use/],
    ['key_ops without verify', { ...p256.jwk, key_ops: ['sign'] }, /key_ops/],
    ['Ed448 offered as OKP', { kty: 'OKP', crv: 'Ed448', x: 'A'.repeat(76), kid: 'k' }, /Ed25519/],
    ['X25519', { kty: 'OKP', crv: 'X25519', x: ed.jwk.x, kid: 'k' }, /Ed25519/],
    ['X448', { kty: 'OKP', crv: 'X448', x: 'A'.repeat(75), kid: 'k' }, /Ed25519/],
    [
      'an Ed25519 key with a 57-byte x',
      { ...ed.jwk, x: Buffer.alloc(57, 1).toString('base64url') },
      /32-byte/,
    ],
    ['an Ed25519 key with alg Ed448', { ...ed.jwk, alg: 'Ed448' }, /alg/],
    ['an Ed25519 key with alg ES256', { ...ed.jwk, alg: 'ES256' }, /alg/],
    ['an Ed25519 private key', { ...ed.jwk, d: ed.jwk.x }, /private/],
    ['an RSA key with alg ES256', { ...rsa.jwk, alg: 'ES256' }, /alg/],
    ['an RSA key with alg HS256', { ...rsa.jwk, alg: 'HS256' }, /alg/],
    ['an oct key', { kty: 'oct', k: 'AAAA', kid: 'k' }, /kty/],
  ])('refuses %s', (_name, jwk, reason) => {
    expect(verdict(jwk)).toMatch(reason);
  });

  it("refuses keys whose type or curve none of the issuer's algorithms uses", () => {
    expect(verdict(p256.jwk, new Set(['ES384']))).toMatch(/not used/);
    expect(verdict(ed.jwk, new Set(['ES256']))).toMatch(/not used/);
    expect(verdict(rsa.jwk, new Set(['ES256', 'EdDSA']))).toMatch(/not used/);
    expect(verdict({ ...rsa.jwk, alg: 'PS256' }, new Set(['RS256']))).toMatch(/alg/);
  });

  it('a Cognito key policy (importJwk) still refuses EC and OKP keys', () => {
    for (const key of [p256, ed]) {
      const imported = importJwk(key.jwk);
      expect(imported !== undefined && 'rejected' in imported && imported.rejected).toBe('kty is not RSA');
    }
  });

  it('importOidcJwks rejects both members of a duplicated kid', () => {
    const set = importOidcJwks({ keys: [p256.jwk, { ...p384.jwk, kid: p256.kid }] }, ALL)!;
    expect(set.get(p256.kid)).toEqual({ kid: p256.kid, rejected: 'duplicate kid in the JWKS' });
  });
});

describe('key and alg fit (keyMismatch)', () => {
  const imported = (jwk: Record<string, unknown>) => importOidcJwk(jwk, ALL)!;

  it('ties each ECDSA alg to its curve, EdDSA to Ed25519, RS/PS to RSA', () => {
    const bare = (key: { jwk: Record<string, unknown> }) => imported({ ...key.jwk, alg: undefined });
    expect(keyMismatch(bare(p256), 'ES256')).toBeUndefined();
    expect(keyMismatch(bare(p256), 'ES384')).toMatch(/P-384/);
    expect(keyMismatch(bare(p521), 'ES512')).toBeUndefined();
    expect(keyMismatch(bare(p384), 'ES512')).toMatch(/P-521/);
    expect(keyMismatch(bare(ed), 'EdDSA')).toBeUndefined();
    expect(keyMismatch(bare(ed), 'ES256')).toMatch(/EC/);
    expect(keyMismatch(bare(p256), 'EdDSA')).toMatch(/Ed25519/);
    expect(keyMismatch(bare(rsa), 'PS512')).toBeUndefined();
    expect(keyMismatch(bare(rsa), 'ES256')).toMatch(/EC/);
    expect(keyMismatch(bare(p256), 'RS256')).toMatch(/RSA/);
    expect(keyMismatch(imported(rsa.jwk), 'RS384')).toMatch(/another alg/);
  });
});

describe('signatures (verifyJws)', () => {
  const data = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0';

  it.each<OidcAlgorithm>(['ES256', 'ES384', 'ES512'])(
    '%s: refuses a DER-encoded signature of the same data',
    (alg) => {
      const key = makeOidcKey(alg);
      const der = rawSignature(alg, data, key.privateKey, true);
      expect(verifyJws(alg, data, rawSignature(alg, data, key.privateKey), key.publicKey)).toBe(true);
      expect(verifyJws(alg, data, der, key.publicKey)).toBe(false);
    },
  );

  it.each<OidcAlgorithm>(['ES256', 'ES384', 'ES512'])(
    '%s: accepts the high-S twin of a valid signature (documented: JWS does not forbid it)',
    (alg) => {
      const key = makeOidcKey(alg);
      const raw = rawSignature(alg, data, key.privateKey);
      expect(verifyJws(alg, data, flipS(alg, raw), key.publicKey)).toBe(true);
      expect(flipS(alg, raw).equals(raw)).toBe(false);
    },
  );

  it('refuses ECDSA signatures of the wrong length (one byte short, one zero byte long)', () => {
    const raw = rawSignature('ES256', data, p256.privateKey);
    expect(verifyJws('ES256', data, raw.subarray(0, 63), p256.publicKey)).toBe(false);
    expect(verifyJws('ES256', data, Buffer.concat([raw, Buffer.alloc(1)]), p256.publicKey)).toBe(false);
  });

  it('refuses a non-canonical Ed25519 signature (S + L) and an Ed448 signature offered as EdDSA', () => {
    const raw = rawSignature('EdDSA', data, ed.privateKey);
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const s = BigInt(`0x${Buffer.from(raw.subarray(32)).reverse().toString('hex')}`);
    const big = Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse();
    expect(verifyJws('EdDSA', data, raw, ed.publicKey)).toBe(true);
    expect(verifyJws('EdDSA', data, Buffer.concat([raw.subarray(0, 32), big]), ed.publicKey)).toBe(false);
    const ed448 = generateKeyPairSync('ed448');
    const sig448 = sign(null, Buffer.from(data), ed448.privateKey);
    expect(verifyJws('EdDSA', data, sig448, ed.publicKey)).toBe(false);
    // Its public key never gets in: the policy refuses crv Ed448 before any import.
    expect(verdict({ ...ed448.publicKey.export({ format: 'jwk' }), kid: 'k' })).toMatch(/Ed25519/);
  });

  it('RSA-PSS: verifies with salt length = hash length and refuses another salt length', () => {
    const pss = makeOidcKey('PS256');
    const good = rawSignature('PS256', data, pss.privateKey);
    expect(verifyJws('PS256', data, good, pss.publicKey)).toBe(true);
    const salt0 = sign('sha256', Buffer.from(data), {
      key: pss.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 0,
    });
    expect(verifyJws('PS256', data, salt0, pss.publicKey)).toBe(false);
    // A PKCS #1 v1.5 signature is not a PSS one, and the other way round.
    expect(verifyJws('RS256', data, good, pss.publicKey)).toBe(false);
    expect(verifyJws('PS256', data, rawSignature('RS256', data, pss.privateKey), pss.publicKey)).toBe(false);
  });
});

interface WycheproofTest {
  tcId: number;
  comment: string;
  jws: string | object;
  result: 'valid' | 'invalid';
}

interface WycheproofGroup {
  comment: string;
  public?: Record<string, unknown> & { keys?: Record<string, unknown>[] };
  private?: Record<string, unknown> & { keys?: Record<string, unknown>[] };
  tests: WycheproofTest[];
}

/** Header policy, key policy, key/alg fit and signature: everything but the claims (the payloads are not JSON claims). */
function judge(jws: unknown, publicJwk: Record<string, unknown> | undefined): 'valid' | 'invalid' {
  if (typeof jws !== 'string' || publicJwk === undefined) return 'invalid';
  const parts = jws.split('.');
  if (parts.length !== 3) return 'invalid';
  try {
    const header = decodeJsonSegment(parts[0]!, 'header') as JwtHeader;
    const { kid, alg } = checkOidcHeader(header, ALL);
    const key = importOidcJwk(publicJwk, ALL);
    if (key === undefined || key.kid !== kid || keyMismatch(key, alg) !== undefined || !('key' in key))
      return 'invalid';
    if (decodeBase64url(parts[1]!) === undefined) return 'invalid';
    const signature = decodeBase64url(parts[2]!);
    if (signature === undefined || signature.length === 0) return 'invalid';
    return verifyJws(alg, `${parts[0]}.${parts[1]}`, signature, key.key) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * Vectors Wycheproof calls valid that we refuse on purpose, each for a rule of our key policy. The
 * RFC 7520 keys as Wycheproof stores them name another `alg` than the signature uses (PS256 for a
 * PS384 signature) or an algorithm that does not exist (`ES521`); we require the JWK's `alg` to
 * equal the token's, as jose's `isUsableJWK` does and as Wycheproof's own JWK vectors expect
 * ("wrong_algorithm": alg ES521 on a P-256 key is invalid).
 */
const STRICTER = new Map<number, string>([
  [346, "the JWK's alg (PS256) is not the token's (PS384)"],
  [347, "the JWK's alg (ES521) is not an algorithm"],
  [350, "the JWK's alg (PS256) is not the token's (PS384)"],
  [351, "the JWK's alg (ES521) is not an algorithm"],
]);

describeShared('Wycheproof json_web_signature_test.json through the OIDC key policy and signatures', () => {
  const vectors = readShared<{ testGroups: WycheproofGroup[] }>(
    'vectors/wycheproof/json_web_signature_test.json',
  );

  it('has the groups this suite expects', () => {
    expect(vectors.testGroups.length).toBeGreaterThan(20);
  });

  for (const group of vectors.testGroups) {
    const publicJwk = group.public?.keys === undefined ? group.public : undefined;
    // HMAC groups carry only a secret key: nothing in them may ever verify here.
    const hmac = publicJwk === undefined;
    it(`group "${group.comment}" (tests ${group.tests[0]!.tcId}…${group.tests.at(-1)!.tcId}): ${hmac ? 'refused (HMAC)' : 'agrees with every verdict'}`, () => {
      for (const test of group.tests) {
        const stricter = STRICTER.get(test.tcId);
        if (stricter !== undefined) {
          expect(test.result, `tcId ${test.tcId} is listed as stricter: ${stricter}`).toBe('valid');
        }
        const expected = hmac || stricter !== undefined ? 'invalid' : test.result;
        expect(judge(test.jws, publicJwk), `tcId ${test.tcId} ${test.comment}`).toBe(expected);
      }
    });
  }
});

describeShared('Wycheproof json_web_key_test.json through the OIDC key policy', () => {
  const vectors = readShared<{ testGroups: WycheproofGroup[] }>('vectors/wycheproof/json_web_key_test.json');

  for (const group of vectors.testGroups) {
    const keys = group.public?.keys ?? group.private?.keys ?? [];
    const invalid = group.tests.some((t) => t.result === 'invalid');
    // Wycheproof expects a set mixing secret and public keys to be refused whole. Our JWKS rule is
    // to judge each member alone (one bad member never takes the set down): the secret key is
    // refused, the EC key next to it stays usable, and the vector's HS256 token is refused.
    const mixed = group.tests.some((t) => (t as { flags?: string[] }).flags?.includes('MixedKeySet'));
    const verdictText = mixed
      ? 'refuses the secret member'
      : invalid
        ? 'refuses every key'
        : 'accepts only asymmetric keys';
    it(`group "${group.comment}": ${verdictText}`, () => {
      const set = importOidcJwks({ keys }, ALL)!;
      for (const key of set.values()) {
        const jwk = keys.find((k) => k.kid === key.kid)!;
        const asymmetric = jwk.kty === 'RSA' || jwk.kty === 'EC' || jwk.kty === 'OKP';
        const expected = (mixed || !invalid) && asymmetric;
        expect('key' in key, `${group.comment} ${key.kid}`).toBe(expected);
      }
      for (const test of group.tests) {
        if (test.result !== 'invalid' || typeof test.jws !== 'string') continue;
        const kid = checkOidcHeaderKid(test.jws);
        const key = kid === undefined ? undefined : set.get(kid);
        expect(key === undefined || !('key' in key), `tcId ${test.tcId}`).toBe(true);
      }
    });
  }
});

function checkOidcHeaderKid(jws: string): string | undefined {
  try {
    const kid = decodeJsonSegment(jws.split('.')[0]!, 'header').kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
