import { createPublicKey } from 'node:crypto';
import { generateKid, generateSigningKey } from '@cognito-gate/testing';
import { describe, expect, it } from 'vitest';

describe('generateKid', () => {
  it('looks like a Cognito kid: standard base64 of 32 bytes with padding', () => {
    const kid = generateKid();

    expect(kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(kid, 'base64')).toHaveLength(32);
    expect(generateKid()).not.toBe(kid);
  });
});

describe('generateSigningKey', () => {
  it('generates an RSA-2048 key with e = 65537 whose JWK matches the private key', async () => {
    const key = await generateSigningKey();

    expect(key.privateKey.type).toBe('private');
    expect(key.privateKey.asymmetricKeyDetails).toMatchObject({
      modulusLength: 2048,
      publicExponent: 65537n,
    });
    expect(key.jwk).toEqual({ alg: 'RS256', e: 'AQAB', kid: key.kid, kty: 'RSA', n: key.jwk.n, use: 'sig' });
    expect(createPublicKey({ key: key.jwk, format: 'jwk' }).equals(key.publicKey)).toBe(true);
  });

  it('makes weak keys on request, for tests of a verifier key policy', async () => {
    const key = await generateSigningKey({ modulusLength: 1024, publicExponent: 3, kid: 'weak' });

    expect(key.kid).toBe('weak');
    expect(key.jwk.e).toBe('Aw');
    expect(Buffer.from(key.jwk.n, 'base64url')).toHaveLength(128);
  });
});
