/**
 * Seeded random mutations of a valid token: whatever the bytes, verification ends in an AuthError
 * (never a TypeError/RangeError, never a hang), and only the untouched token verifies.
 */
import { AuthError, createVerifier } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('fuzz-key');
const verifier = createVerifier({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  cache: false,
  jwks: { keys: { keys: [key.jwk] }, fetch: false },
  now: () => NOW * 1000,
});
const valid = signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(), key);

/** xorshift32: the same mutations on every run, so a failure reproduces. */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\u0000';

function mutate(token: string, next: (n: number) => number): string {
  const at = next(token.length);
  switch (next(5)) {
    case 0:
      return token.slice(0, at) + ALPHABET[next(ALPHABET.length)] + token.slice(at + 1);
    case 1:
      return token.slice(0, at) + ALPHABET[next(ALPHABET.length)] + token.slice(at);
    case 2:
      return token.slice(0, at) + token.slice(at + 1);
    case 3:
      return token.slice(0, at);
    default:
      return token.slice(at) + token.slice(0, at);
  }
}

describe('seeded token mutations', () => {
  it('end in an AuthError for every mutated token, and success only for the original', async () => {
    const next = random(0x9e3779b9);
    const codes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      let token = valid;
      for (let k = 1 + next(3); k > 0; k--) token = mutate(token, next);
      const outcome = await verifier.verify(token).then(
        () => 'verified',
        (error: unknown) => {
          expect(error).toBeInstanceOf(AuthError);
          // A verdict on the token, never an internal failure that was merely wrapped.
          expect((error as AuthError).unexpected).toBe(false);
          return (error as AuthError).code;
        },
      );
      if (outcome === 'verified') expect(token).toBe(valid);
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    // The mutations reach past the decoder into the signature check.
    expect(codes.get('malformed_token')).toBeGreaterThan(0);
    expect(codes.get('invalid_signature')).toBeGreaterThan(0);
  });
});
