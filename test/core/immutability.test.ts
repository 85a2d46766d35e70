/**
 * Results are shared through the verified-token cache, and compiled rules are reused for every
 * request: neither may be changed after the fact, at any depth.
 */
import { compileRules, createVerifier } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');
const verifier = () =>
  createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
  });
const nested = signJwt(
  { kid: 'key-1', alg: 'RS256' },
  accessClaims({ address: { street: { line: ['1 Main St'] } }, roles: [{ name: 'a' }] }),
  key,
);

describe('VerifiedToken is deeply immutable', () => {
  it('nested claims, arrays inside them and expiresAt cannot be changed, so a cache hit sees the original', async () => {
    const v = verifier();
    const first = await v.verify(nested);
    const claims = first.claims as unknown as {
      address: { street: { line: string[] } };
      roles: Array<{ name: string }>;
    };
    expect(() => {
      claims.address.street.line.push('evil');
    }).toThrow(TypeError);
    expect(() => {
      claims.roles[0]!.name = 'admin';
    }).toThrow(TypeError);
    expect(() => {
      (first.header as { kid: string }).kid = 'x';
    }).toThrow(TypeError);
    expect(() => first.expiresAt.setTime(0)).toThrow(TypeError);
    expect(() => first.expiresAt.setFullYear(3000)).toThrow(TypeError);
    const second = await v.verify(nested);
    expect((second.claims as unknown as typeof claims).address.street.line).toEqual(['1 Main St']);
    expect(second.expiresAt.getTime()).toBe((NOW + 3600) * 1000);
  });

  it('expiresAt still behaves as a Date for readers', async () => {
    const auth = await verifier().verify(nested);
    expect(auth.expiresAt).toBeInstanceOf(Date);
    expect(auth.expiresAt.toISOString()).toBe(new Date((NOW + 3600) * 1000).toISOString());
    expect(JSON.parse(JSON.stringify(auth)).expiresAt).toBe(new Date((NOW + 3600) * 1000).toISOString());
  });
});

describe('compiled rules cannot drift from the object they were compiled from', () => {
  it('freezes the rules object it compiled, so a later edit throws instead of being ignored', async () => {
    const rules = { groups: ['admin'] as string[], claims: { tenant: 't1' } as Record<string, string> };
    compileRules(rules);
    expect(() => {
      rules.groups.push('root');
    }).toThrow(TypeError);
    expect(() => {
      rules.claims.tenant = 't2';
    }).toThrow(TypeError);
    expect(() => {
      (rules as { scopes?: string }).scopes = 'x';
    }).toThrow(TypeError);
  });

  it('a rules object used directly by verify is held to the same promise', async () => {
    const v = verifier();
    const rules = { groups: { anyOf: ['admin'] } };
    await v.verify(nested, rules);
    expect(() => {
      (rules.groups.anyOf as string[]).push('nobody');
    }).toThrow(TypeError);
  });
});
