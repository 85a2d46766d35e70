import { createPublicKey, verify as cryptoVerify, generateKeyPairSync } from 'node:crypto';
import { createTestIssuer, encodeSegments, generateSigningKey, signToken } from '@cognito-gate/testing';
import { base64url, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';

const decodeSegment = (segment: string | undefined) =>
  JSON.parse(Buffer.from(segment ?? '', 'base64url').toString());

function verifiesRs256(token: string, publicKey: Parameters<typeof cryptoVerify>[2]): boolean {
  const [header, payload, signature] = token.split('.');
  return cryptoVerify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature ?? '', 'base64url'),
  );
}

describe('encodeSegments', () => {
  it('builds an unsigned token ending in a dot from JSON header and payload', () => {
    const token = encodeSegments({ alg: 'none' }, { sub: 'attacker' });

    const [header, payload, signature] = token.split('.');

    expect(token.endsWith('.')).toBe(true);
    expect(signature).toBe('');
    expect(decodeSegment(header)).toEqual({ alg: 'none' });
    expect(decodeSegment(payload)).toEqual({ sub: 'attacker' });
  });

  it('uses strings verbatim and base64url-encodes bytes, for non-canonical or non-JSON segments', () => {
    const token = encodeSegments(
      'eyJhbGciOiJSUzI1NiJ9=',
      new Uint8Array([0xff, 0xfe]),
      new Uint8Array([1, 2, 3]),
    );

    expect(token).toBe('eyJhbGciOiJSUzI1NiJ9=.__4.AQID');
  });

  it('keeps a given signature string as the third segment', () => {
    expect(encodeSegments({ a: 1 }, [1, 2], 'sig')).toBe(
      `${base64url.encode('{"a":1}')}.${base64url.encode('[1,2]')}.sig`,
    );
  });
});

describe('signToken', () => {
  it('signs an alg none header with RS256 bytes, adding nothing to the header', async () => {
    const key = await generateSigningKey();

    const token = await signToken({ alg: 'none', crit: ['x'] }, { sub: 's' }, key.privateKey);

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'none', crit: ['x'] });
    expect(verifiesRs256(token, key.publicKey)).toBe(true);
  });

  it('accepts a WebCrypto key from jose and a private JWK', async () => {
    const fromJose = await generateKeyPair('RS256', { extractable: true });
    const nodePair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateJwk = nodePair.privateKey.export({ format: 'jwk' });

    const a = await signToken({ alg: 'RS256' }, { n: 1 }, fromJose.privateKey);
    const b = await signToken({ alg: 'RS256' }, { n: 2 }, privateJwk);

    await expect(jwtVerify(a, fromJose.publicKey)).resolves.toBeDefined();
    expect(verifiesRs256(b, nodePair.publicKey)).toBe(true);
  });

  it('refuses a public key, which cannot sign', async () => {
    const key = await generateSigningKey();

    await expect(signToken({}, {}, createPublicKey(key.privateKey))).rejects.toThrow(/private key/);
  });
});

describe('issuer.sign', () => {
  it('signs with the access key by default and the ID key on request', async () => {
    const issuer = await createTestIssuer();
    const jwks = createLocalJWKSet(issuer.jwks);

    const withAccess = await issuer.sign({ kid: issuer.keyIds.access, alg: 'RS256' }, { sub: 'a' });
    const withId = await issuer.sign({ kid: issuer.keyIds.id, alg: 'RS256' }, { sub: 'b' }, { key: 'id' });
    const mismatched = await issuer.sign(
      { kid: issuer.keyIds.access, alg: 'RS256' },
      { sub: 'c' },
      { key: 'id' },
    );

    await expect(jwtVerify(withAccess, jwks)).resolves.toMatchObject({ payload: { sub: 'a' } });
    await expect(jwtVerify(withId, jwks)).resolves.toMatchObject({ payload: { sub: 'b' } });
    await expect(jwtVerify(mismatched, jwks)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('signs with a foreign key that the JWKS does not contain', async () => {
    const issuer = await createTestIssuer();
    const stranger = await generateSigningKey();

    const token = await issuer.sign(
      { kid: stranger.kid, alg: 'RS256' },
      { sub: 'x' },
      { key: stranger.privateKey },
    );

    expect(verifiesRs256(token, stranger.publicKey)).toBe(true);
    await expect(jwtVerify(token, createLocalJWKSet(issuer.jwks))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('signs exactly the payload given, without adding iat, iss or exp', async () => {
    const issuer = await createTestIssuer();

    const token = await issuer.sign({ kid: issuer.keyIds.access, alg: 'RS256' }, { only: 'this' });

    expect(decodeSegment(token.split('.')[1])).toEqual({ only: 'this' });
  });
});
