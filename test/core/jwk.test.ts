import { importJwk, importJwks } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { withRocaResidue } from '../support/roca-primes.js';
import { describeShared, readShared } from '../support/shared.js';
import { makeKey } from '../support/signer.js';

const good = makeKey('good');

function evenModulus(): string {
  const n = Buffer.from(String(good.jwk.n), 'base64url');
  n[n.length - 1]! &= 0xfe;
  return n.toString('base64url');
}

function verdict(jwk: Record<string, unknown>): string {
  const imported = importJwk(jwk);
  if (imported === undefined) return 'skipped';
  return 'key' in imported ? 'accepted' : imported.rejected;
}

describe('key policy (importJwk)', () => {
  it('accepts a 2048-bit RSA signing key with e = 65537', () => {
    expect(verdict(good.jwk)).toBe('accepted');
    expect(verdict({ ...good.jwk, alg: undefined, use: undefined })).toBe('accepted');
    expect(verdict({ ...good.jwk, key_ops: ['verify'] })).toBe('accepted');
  });

  it.each([
    ['e = 1', { e: 'AQ' }, /exponent/],
    ['e = 3', { e: 'Aw' }, /exponent/],
    ['e = 65537 with a leading zero byte', { e: 'AAEAAQ' }, /exponent/],
    ['use enc', { use: 'enc' }, /use/],
    ['key_ops without verify', { key_ops: ['encrypt'] }, /key_ops/],
    ['key_ops with verify twice (RFC 7517 §4.3)', { key_ops: ['verify', 'verify'] }, /key_ops/],
    ['key_ops with a non-string member', { key_ops: ['verify', 1] }, /key_ops/],
    ['key_ops as a string', { key_ops: 'verify' }, /key_ops/],
    ['alg RS512', { alg: 'RS512' }, /alg/],
    ['alg HS256', { alg: 'HS256' }, /alg/],
    ['kty EC', { kty: 'EC' }, /kty/],
    ['kty oct', { kty: 'oct' }, /kty/],
    ['a private exponent', { d: 'AQAB' }, /private/],
    ['n missing', { n: undefined }, /missing/],
    ['n with padding', { n: `${String(good.jwk.n)}=` }, /base64url/],
    [
      'n with a leading zero byte',
      {
        n: Buffer.concat([Buffer.from([0]), Buffer.from(String(good.jwk.n), 'base64url')]).toString(
          'base64url',
        ),
      },
      /leading zero/,
    ],
    ['an even modulus', { n: evenModulus() }, /even/],
  ])('rejects %s', (_name, change, reason) => {
    const jwk: Record<string, unknown> = { ...good.jwk, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete jwk[k];
    const result = verdict(jwk);
    expect(result).not.toBe('accepted');
    expect(result).toMatch(reason);
  });

  it('rejects a 1024-bit key and skips members without a kid', () => {
    expect(verdict(makeKey('small', 1024).jwk)).toMatch(/1024 bits/);
    expect(importJwk({ ...good.jwk, kid: undefined })).toBeUndefined();
    expect(importJwk('not an object')).toBeUndefined();
  });

  it('keeps the good members of a set with bad ones, and marks duplicate kids ambiguous', () => {
    const other = makeKey('other');
    const set = importJwks({
      keys: [
        good.jwk,
        { ...other.jwk, e: 'AQ' },
        null,
        42,
        { ...good.jwk, kid: 'dup' },
        { ...other.jwk, kid: 'dup' },
      ],
    })!;
    expect('key' in set.get('good')!).toBe(true);
    expect(set.get('other')).toMatchObject({ rejected: expect.stringMatching(/exponent/) });
    expect(set.get('dup')).toMatchObject({ rejected: expect.stringMatching(/duplicate/) });
    expect(importJwks([good.jwk])!.size).toBe(1);
    expect(importJwks({ nokeys: [] })).toBeUndefined();
  });
});

/** An odd modulus of exactly `bits` bits (its top bit set): the policy only looks at its shape. */
function modulusOf(bits: number): string {
  const bytes = Buffer.alloc(Math.ceil(bits / 8), 0x5a);
  bytes[0] = (1 << ((bits - 1) % 8)) | 0x01;
  bytes[bytes.length - 1]! |= 1;
  return bytes.toString('base64url');
}

describe('key policy limits', () => {
  it('accepts 2048 to 8192-bit moduli and reports their size', () => {
    for (const bits of [2048, 2049, 8191, 8192]) {
      const imported = importJwk({ ...good.jwk, n: modulusOf(bits) });
      expect(imported, `${bits}`).toMatchObject({ kid: 'good', bits, alg: 'RS256' });
      expect('key' in imported!).toBe(true);
    }
    expect(importJwk(good.jwk)).toMatchObject({ bits: 2048 });
    expect(verdict({ ...good.jwk, n: modulusOf(2047) })).toBe('modulus is 2047 bits');
    expect(verdict({ ...good.jwk, n: modulusOf(8193) })).toBe('modulus is 8193 bits');
    expect(verdict({ ...good.jwk, n: '' })).toBe('modulus is 0 bits');
  });

  it('refuses a modulus with the ROCA fingerprint, without needing the Wycheproof vectors', () => {
    // ≡ 65537 modulo every small prime of the fingerprint test, odd, 2048 bits.
    const n = withRocaResidue(65537n);
    expect(verdict({ ...good.jwk, n: Buffer.from(n.toString(16), 'hex').toString('base64url') })).toBe(
      'modulus has the ROCA fingerprint',
    );
  });

  it('needs a kid of 1 to 1024 characters', () => {
    expect(importJwk({ ...good.jwk, kid: 'k'.repeat(1024) })).toMatchObject({ kid: 'k'.repeat(1024) });
    expect(importJwk({ ...good.jwk, kid: 'k'.repeat(1025) })).toBeUndefined();
    expect(importJwk({ ...good.jwk, kid: '' })).toBeUndefined();
    expect(importJwk({ ...good.jwk, kid: 7 })).toBeUndefined();
  });

  it('judges plain objects only', () => {
    expect(importJwk(Object.assign(() => {}, good.jwk))).toBeUndefined();
    expect(importJwk([good.jwk])).toBeUndefined();
    expect(importJwk(null)).toBeUndefined();
  });

  it.each([
    [null],
    [undefined],
    ['keys'],
    [42],
    [{ keys: 'x' }],
    [Object.assign(() => {}, { keys: [good.jwk] })],
  ])('refuses %j as a JWKS document', (document) => {
    expect(importJwks(document)).toBeUndefined();
  });
});

interface WycheproofGroup {
  comment: string;
  public?: { keys: Record<string, unknown>[] };
  private: { keys: Record<string, unknown>[] };
  tests: { tcId: number; comment: string; result: 'valid' | 'invalid'; flags: string[] }[];
}

describeShared('Wycheproof json_web_key_test.json', () => {
  const vectors = readShared<{ testGroups: WycheproofGroup[] }>('vectors/wycheproof/json_web_key_test.json');

  it('covers every test group', () => {
    expect(vectors.testGroups.length).toBeGreaterThan(20);
  });

  // Every group whose tests say "invalid" holds a key (set) the policy must refuse. Groups marked
  // valid are HMAC or RSA keys the vectors accept for their own algorithm; for Cognito we accept
  // only the RS256 one.
  for (const group of vectors.testGroups) {
    const invalid = group.tests.some((t) => t.result === 'invalid');
    const keys = group.public?.keys ?? group.private.keys;
    const name = `group "${group.comment}" (tests ${group.tests.map((t) => t.tcId).join(',')})`;
    if (invalid) {
      it(`rejects every key of ${name}`, () => {
        const set = importJwks({ keys })!;
        for (const key of set.values()) expect('key' in key, `${group.comment} ${key.kid}`).toBe(false);
      });
    } else {
      it(`accepts only RS256 RSA keys of ${name}`, () => {
        const set = importJwks({ keys })!;
        for (const key of set.values()) {
          const jwk = keys.find((k) => k.kid === key.kid)!;
          expect('key' in key).toBe(jwk.kty === 'RSA' && jwk.alg === 'RS256');
        }
      });
    }
  }

  it('refuses the ROCA-vulnerable modulus specifically for its fingerprint', () => {
    const roca = vectors.testGroups.find((g) => g.comment === 'jws_rsa_roca_key')!;
    expect(verdict(roca.public!.keys[0]!)).toMatch(/ROCA/);
  });
});
