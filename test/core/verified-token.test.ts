/**
 * `isVerifiedToken` recognises only results of our own verification, so adapters cannot be fooled
 * by look-alikes, copies or objects that merely inherit from a real result.
 */
import { createVerifier, isVerifiedToken } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');
const verifier = createVerifier({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  jwks: { keys: { keys: [key.jwk] }, fetch: false },
  now: () => NOW * 1000,
});

describe('isVerifiedToken', () => {
  it('is true for a verification result, cached or not', async () => {
    const token = signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(), key);
    expect(isVerifiedToken(await verifier.verify(token))).toBe(true);
    expect(isVerifiedToken(verifier.verifySync(token))).toBe(true);
  });

  it('is false for look-alikes, copies, heirs and JSON round trips of a real result', async () => {
    const real = await verifier.verify(signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(), key));
    for (const fake of [
      { ...real },
      Object.freeze({ ...real }),
      Object.create(real),
      structuredClone({ ...real, expiresAt: new Date() }),
      JSON.parse(JSON.stringify(real)),
      { sub: real.sub, groups: ['admin'] },
      true,
      'token',
      null,
      undefined,
    ]) {
      expect(isVerifiedToken(fake)).toBe(false);
    }
  });
});
