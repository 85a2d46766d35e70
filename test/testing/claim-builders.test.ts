import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  buildAccessTokenClaims,
  buildIdTokenClaims,
  buildM2mTokenClaims,
  type MintContext,
} from '../../packages/testing/src/claim-builders.js';

const context: MintContext = {
  issuerFor: (form) => (form === 'global' ? 'https://global' : 'https://regional'),
  clientId: 'client',
  user: { sub: 'user-sub', username: 'alice', email: 'alice@example.com' },
  nowSeconds: 1_000,
  lifetimeSeconds: 60,
};

describe('claim order', () => {
  it('writes ID token claims in the order Cognito does', () => {
    expect(Object.keys(buildIdTokenClaims(context, { groups: ['g'] }))).toEqual([
      'sub',
      'cognito:groups',
      'email_verified',
      'iss',
      'cognito:username',
      'origin_jti',
      'aud',
      'event_id',
      'token_use',
      'auth_time',
      'exp',
      'iat',
      'jti',
      'email',
    ]);
  });

  it('keeps the position of a replaced claim and appends new claims', () => {
    const claims = buildM2mTokenClaims(context, { iss: 'https://other', 'custom:a': '1' });

    expect(Object.keys(claims)).toEqual([
      'sub',
      'token_use',
      'scope',
      'auth_time',
      'iss',
      'exp',
      'iat',
      'version',
      'jti',
      'client_id',
      'custom:a',
    ]);
    expect(claims.iss).toBe('https://other');
  });
});

describe('options are not claims', () => {
  it('keeps convenience options out of the claim set', () => {
    const claims = buildAccessTokenClaims(context, {
      groups: ['g'],
      scopes: ['s'],
      expiresIn: 5,
      issuedAt: 10,
      header: { typ: 'JWT' },
      issuerForm: 'global',
      claims: {},
    });

    for (const option of ['groups', 'scopes', 'expiresIn', 'issuedAt', 'header', 'issuerForm', 'claims']) {
      expect(claims).not.toHaveProperty(option);
    }
    expect(claims).toMatchObject({
      'cognito:groups': ['g'],
      scope: 's',
      iat: 10,
      exp: 15,
      iss: 'https://global',
    });
  });

  it('copies the groups array so later mutation does not leak into a token', () => {
    const groups = ['a'];
    const claims = buildAccessTokenClaims(context, { groups });

    groups.push('b');

    expect(claims['cognito:groups']).toEqual(['a']);
  });
});

describe('applyOverrides', () => {
  it('writes a __proto__ override as an ordinary member instead of changing the prototype', () => {
    const overrides = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>;

    const result = applyOverrides({ sub: 'x' }, overrides);

    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"sub":"x","__proto__":{"admin":true}}');
  });

  it('removes members whose override is undefined and leaves the base untouched', () => {
    const base = { a: 1, b: 2 };

    const result = applyOverrides(base, { a: undefined, c: null });

    expect(result).toEqual({ b: 2, c: null });
    expect(base).toEqual({ a: 1, b: 2 });
  });

  it('produces claims that survive a JWT round trip unchanged', () => {
    const claims = buildIdTokenClaims(context);
    const token = `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

    expect(decodeJwt(token)).toEqual(claims);
  });
});
