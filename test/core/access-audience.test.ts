/**
 * Resource binding (RFC 8707): with `audience` set, an access token's `aud` must name one of the
 * configured resource servers; without it, `aud` is type-checked only, exactly as before.
 */
import { AuthError, ConfigurationError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('audience-key');
const ORDERS = 'https://orders.example.com';
const BILLING = 'https://billing.example.com';

function verifier(overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

const token = (overrides: Record<string, unknown> = {}) =>
  signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(overrides), key);

async function outcome(options: Partial<VerifierOptions>, claims: Record<string, unknown>): Promise<string> {
  try {
    await verifier(options).verify(token(claims));
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('access-token audience', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['no aud', {}, 'ok'],
    ['aud string', { aud: ORDERS }, 'ok'],
    ['aud list', { aud: [ORDERS, BILLING] }, 'ok'],
    ['aud number', { aud: 5 }, 'invalid_claims'],
    ['aud empty list', { aud: [] }, 'invalid_claims'],
    ['aud list with a number', { aud: [ORDERS, 5] }, 'invalid_claims'],
  ])('unset: %s → %s (as before)', async (_name, claims, expected) => {
    expect(await outcome({}, claims)).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['aud equal', { aud: ORDERS }, 'ok'],
    ['aud list naming it', { aud: [BILLING, ORDERS] }, 'ok'],
    ['aud another resource', { aud: BILLING }, 'invalid_client'],
    ['aud list without it', { aud: [BILLING, 'https://orders.example.com/'] }, 'invalid_client'],
    ['aud differing in case', { aud: ORDERS.toUpperCase() }, 'invalid_client'],
    ['no aud (no resource binding)', {}, 'invalid_client'],
    ['aud number', { aud: 5 }, 'invalid_claims'],
    ['aud empty list', { aud: [] }, 'invalid_claims'],
    ['aud equal to the client id', { aud: CLIENT_ID }, 'invalid_client'],
  ])('audience set: %s → %s', async (_name, claims, expected) => {
    expect(await outcome({ audience: ORDERS }, claims)).toBe(expected);
  });

  it('accepts any one of several configured audiences', async () => {
    expect(await outcome({ audience: [ORDERS, BILLING] }, { aud: BILLING })).toBe('ok');
    expect(await outcome({ audience: [ORDERS, BILLING] }, { aud: ['https://x.example.com', ORDERS] })).toBe(
      'ok',
    );
    expect(await outcome({ audience: [ORDERS, BILLING] }, { aud: 'https://x.example.com' })).toBe(
      'invalid_client',
    );
  });

  it('checks the client as well: audience adds to clientId, never replaces it', async () => {
    expect(await outcome({ audience: ORDERS }, { aud: ORDERS, client_id: 'another-client' })).toBe(
      'invalid_client',
    );
    expect(await outcome({ audience: ORDERS, clientId: null }, { aud: ORDERS, client_id: 'x' })).toBe('ok');
  });

  it('applies to machine-to-machine access tokens too', async () => {
    const m2m = { sub: CLIENT_ID, username: undefined, 'cognito:groups': undefined };
    expect(await outcome({ audience: ORDERS }, { ...m2m, aud: ORDERS })).toBe('ok');
    expect(await outcome({ audience: ORDERS }, m2m)).toBe('invalid_client');
  });

  it('says why in the detail (for logs), with the fixed client-safe description', async () => {
    const error: unknown = await verifier({ audience: ORDERS })
      .verify(token({ aud: BILLING }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!(error instanceof AuthError)) throw new Error('expected an AuthError');
    expect(error).toMatchObject({ status: 401, detail: 'aud names no accepted audience' });
    expect(error.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(error.headers['www-authenticate']).not.toContain(BILLING);
  });

  it.each<[string, Partial<VerifierOptions>]>([
    ['an empty string', { audience: '' }],
    ['an empty list', { audience: [] }],
    ['a list with a non-string', { audience: [ORDERS, 5] as unknown as string[] }],
    ['a number', { audience: 5 as unknown as string }],
    ['tokenUse id', { audience: ORDERS, tokenUse: 'id' }],
    ['tokenUse any', { audience: ORDERS, tokenUse: 'any' }],
    [
      'a pool that accepts ID tokens',
      { audience: ORDERS, userPoolId: [{ userPoolId: POOL_ID, tokenUse: 'id' }] },
    ],
  ])('refuses %s at creation with a ConfigurationError', (_name, options) => {
    expect(() => verifier(options)).toThrow(ConfigurationError);
  });
});
