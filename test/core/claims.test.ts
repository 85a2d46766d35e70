/**
 * The claim checks on their own (the verifier runs them after the signature): each registered and
 * Cognito claim, its type and its boundaries, with the code each failure ends in.
 */
import { AuthError } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { checkCognitoClaims, checkTimes } from '../../packages/core/src/claims.js';
import type { IssuerEntry } from '../../packages/core/src/options.js';

const NOW = 1_800_000_000;

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

const times = (payload: Record<string, unknown>, tolerance = 0) =>
  codeOf(() => checkTimes(payload, NOW, tolerance));

describe('checkTimes', () => {
  it('returns exp', () => {
    expect(checkTimes({ exp: NOW + 1 }, NOW, 0)).toBe(NOW + 1);
  });

  it.each([
    [{}, 'invalid_claims'],
    [{ exp: String(NOW + 60) }, 'invalid_claims'],
    [{ exp: Number.POSITIVE_INFINITY }, 'invalid_claims'],
    [{ exp: Number.NaN }, 'invalid_claims'],
    [{ exp: NOW + 60, nbf: 'soon' }, 'invalid_claims'],
    [{ exp: NOW + 60, iat: null }, 'invalid_claims'],
    [{ exp: NOW }, 'expired'],
    [{ exp: NOW + 0.5 }, 'ok'],
    [{ exp: NOW + 60, nbf: NOW }, 'ok'],
    [{ exp: NOW + 60, nbf: NOW + 0.5 }, 'not_yet_valid'],
    [{ exp: NOW + 60, iat: NOW }, 'ok'],
    [{ exp: NOW + 60, iat: NOW + 0.5 }, 'issued_in_future'],
    [{ exp: 8.64e12 }, 'ok'],
    [{ exp: 8.64e12 + 1 }, 'invalid_claims'],
  ])('%j → %s', (payload, code) => {
    expect(times(payload)).toBe(code);
  });

  it('applies the tolerance to exp, nbf and iat alike', () => {
    expect(times({ exp: NOW - 9 }, 10)).toBe('ok');
    expect(times({ exp: NOW - 10 }, 10)).toBe('expired');
    expect(times({ exp: NOW + 60, nbf: NOW + 10 }, 10)).toBe('ok');
    expect(times({ exp: NOW + 60, nbf: NOW + 11 }, 10)).toBe('not_yet_valid');
    expect(times({ exp: NOW + 60, iat: NOW + 10 }, 10)).toBe('ok');
    expect(times({ exp: NOW + 60, iat: NOW + 11 }, 10)).toBe('issued_in_future');
  });
});

function entry(overrides: Partial<IssuerEntry> = {}): IssuerEntry {
  return {
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_A',
    userPoolId: 'us-east-1_A',
    jwksUri: 'https://example/jwks.json',
    clientIds: new Set(['client']),
    tokenUse: 'any',
    ...overrides,
  };
}

const access = (overrides: Record<string, unknown> = {}) => ({
  token_use: 'access',
  sub: 'user-1',
  client_id: 'client',
  ...overrides,
});
const id = (overrides: Record<string, unknown> = {}) => ({
  token_use: 'id',
  sub: 'user-1',
  aud: 'client',
  ...overrides,
});
const cognito = (payload: Record<string, unknown>, e = entry()) =>
  codeOf(() => checkCognitoClaims(payload, e));

describe('checkCognitoClaims', () => {
  it.each([
    ['token_use refresh', access({ token_use: 'refresh' }), 'invalid_token_use'],
    ['token_use missing', access({ token_use: undefined }), 'invalid_claims'],
    ['token_use a number', access({ token_use: 1 }), 'invalid_claims'],
    ['sub missing', access({ sub: undefined }), 'invalid_claims'],
    ['sub empty', access({ sub: '' }), 'invalid_claims'],
    ['sub a number', access({ sub: 1 }), 'invalid_claims'],
    ['client_id missing', access({ client_id: undefined }), 'invalid_claims'],
    ['client_id a number', access({ client_id: 1 }), 'invalid_claims'],
    ['another client', access({ client_id: 'other' }), 'invalid_client'],
    ['username a number', access({ username: 1 }), 'invalid_claims'],
    ['auth_time a string', access({ auth_time: '1' }), 'invalid_claims'],
    ['jti a number', access({ jti: 1 }), 'invalid_claims'],
    ['origin_jti a number', access({ origin_jti: 1 }), 'invalid_claims'],
    ['groups a string', access({ 'cognito:groups': 'admin' }), 'invalid_claims'],
    ['groups with a number', access({ 'cognito:groups': ['admin', 1] }), 'invalid_claims'],
    ['scope a list', access({ scope: ['a'] }), 'invalid_claims'],
    ['aud a list with a number', access({ aud: ['a', 1] }), 'invalid_claims'],
    ['an ID token without aud', id({ aud: undefined }), 'invalid_claims'],
    ['an ID token for another client', id({ aud: 'other' }), 'invalid_client'],
    ['cognito:username a number', id({ 'cognito:username': 1 }), 'invalid_claims'],
    ['a valid access token', access({ aud: ['a', 'b'], auth_time: 1, jti: 'j', origin_jti: 'o' }), 'ok'],
    ['a valid ID token', id({ 'cognito:username': 'alice' }), 'ok'],
  ])('%s → %s', (_name, payload, code) => {
    for (const [k, v] of Object.entries(payload))
      if (v === undefined) delete (payload as Record<string, unknown>)[k];
    expect(cognito(payload)).toBe(code);
  });

  it('accepts only the configured token use, or both with any', () => {
    expect(cognito(access(), entry({ tokenUse: 'access' }))).toBe('ok');
    expect(cognito(id(), entry({ tokenUse: 'access' }))).toBe('invalid_token_use');
    expect(cognito(id(), entry({ tokenUse: 'id' }))).toBe('ok');
    expect(cognito(access(), entry({ tokenUse: 'id' }))).toBe('invalid_token_use');
  });

  it('accepts any client with clientIds null', () => {
    expect(cognito(access({ client_id: 'anyone' }), entry({ clientIds: null }))).toBe('ok');
    expect(cognito(id({ aud: 'anyone' }), entry({ clientIds: null }))).toBe('ok');
  });

  it('reads the username from username (access) or cognito:username (ID), never the other one', () => {
    expect(checkCognitoClaims(access({ username: 'a', 'cognito:username': 'b' }), entry()).username).toBe(
      'a',
    );
    expect(checkCognitoClaims(access({ 'cognito:username': 'b' }), entry()).username).toBeUndefined();
    expect(checkCognitoClaims(id({ username: 'a', 'cognito:username': 'b' }), entry()).username).toBe('b');
    expect(checkCognitoClaims(id({ username: 'a' }), entry()).username).toBeUndefined();
  });

  it('returns the checked claims, groups and scopes frozen', () => {
    const checked = checkCognitoClaims(
      access({ 'cognito:groups': ['admin'], scope: 'a/read b/write' }),
      entry(),
    );
    expect(checked).toEqual({
      sub: 'user-1',
      tokenUse: 'access',
      clientId: 'client',
      username: undefined,
      groups: ['admin'],
      scopes: ['a/read', 'b/write'],
    });
    expect(Object.isFrozen(checked.groups) && Object.isFrozen(checked.scopes)).toBe(true);
    const bare = checkCognitoClaims(id(), entry());
    expect([bare.clientId, bare.groups, bare.scopes]).toEqual(['client', [], []]);
    expect(Object.isFrozen(bare.groups) && Object.isFrozen(bare.scopes)).toBe(true);
  });

  it.each([
    ['', []],
    [' ', []],
    ['a', ['a']],
    ['a  b ', ['a', 'b']],
    [' a', ['a']],
  ])('splits scope %j into %j', (scope, scopes) => {
    expect(checkCognitoClaims(access({ scope }), entry()).scopes).toEqual(scopes);
  });
});
