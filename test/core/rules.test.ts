import {
  AuthError,
  ConfigurationError,
  checkRules,
  compileRules,
  type VerifiedToken,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

const token = {
  groups: ['admin', 'staff'],
  scopes: ['orders/read', 'orders/write'],
  tokenUse: 'access',
  claims: { sub: 'u1', tier: 'gold', 'custom:level': '3', nested: { a: 1 } },
} as unknown as VerifiedToken;

function outcome(rules: Parameters<typeof compileRules>[0]): string {
  try {
    checkRules(token, compileRules(rules));
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('rules', () => {
  it.each([
    [{ groups: 'admin' }, 'ok'],
    [{ groups: ['admin', 'staff'] }, 'ok'],
    [{ groups: ['admin', 'root'] }, 'insufficient_group'],
    [{ groups: { allOf: ['admin', 'root'] } }, 'insufficient_group'],
    [{ groups: { anyOf: ['root', 'staff'] } }, 'ok'],
    [{ groups: { anyOf: ['root', 'ops'] } }, 'insufficient_group'],
    [{ scopes: 'orders/read' }, 'ok'],
    [{ scopes: ['orders/read', 'orders/admin'] }, 'insufficient_scope'],
    [{ scopes: { anyOf: ['orders/admin', 'orders/write'] } }, 'ok'],
    [{ claims: { tier: 'gold' } }, 'ok'],
    [{ claims: { tier: 'silver' } }, 'forbidden'],
    [{ claims: { 'custom:level': (v: unknown) => Number(v) >= 3 } }, 'ok'],
    [{ claims: { 'custom:level': (v: unknown) => Number(v) >= 4 } }, 'forbidden'],
    [{ claims: { missing: null } }, 'forbidden'],
    [{ claims: { toString: (v: unknown) => v !== undefined } }, 'forbidden'],
    [{ tokenUse: 'id' as const }, 'invalid_token_use'],
    [{ tokenUse: 'any' as const }, 'ok'],
  ])('%j → %s', (rules, expected) => {
    expect(outcome(rules)).toBe(expected);
  });

  it('denies when a claim predicate throws or returns a truthy non-boolean', () => {
    expect(
      outcome({
        claims: {
          tier: () => {
            throw new Error('boom');
          },
        },
      }),
    ).toBe('forbidden');
    expect(outcome({ claims: { tier: (() => 'yes') as unknown as () => boolean } })).toBe('forbidden');
  });

  it('names the required scopes on insufficient_scope', () => {
    expect(() => checkRules(token, compileRules({ scopes: ['orders/admin'] }))).toThrow(
      expect.objectContaining({ code: 'insufficient_scope', requiredScopes: ['orders/admin'] }),
    );
  });

  it('refuses a requirement with both anyOf and allOf, or with neither', () => {
    for (const groups of [{ anyOf: ['a'], allOf: ['b'] }, {}, { oneOf: ['a'] }]) {
      expect(() => compileRules({ groups } as never)).toThrow(ConfigurationError);
    }
  });

  it('compares number and boolean exact-match claim rules with Object.is', () => {
    const numeric = {
      ...token,
      claims: { level: 3, admin: true, zero: 0, nan: Number.NaN },
    } as unknown as VerifiedToken;
    const check = (claims: Record<string, unknown>) => {
      try {
        checkRules(numeric, compileRules({ claims } as never));
        return 'ok';
      } catch (error) {
        return (error as AuthError).code;
      }
    };
    expect(check({ level: 3 })).toBe('ok');
    expect(check({ level: 4 })).toBe('forbidden');
    expect(check({ level: '3' })).toBe('forbidden');
    expect(check({ admin: true })).toBe('ok');
    expect(check({ admin: false })).toBe('forbidden');
    expect(check({ zero: -0 })).toBe('forbidden');
    expect(check({ nan: Number.NaN })).toBe('ok');
    expect(check({ missing: null })).toBe('forbidden');
  });

  it('compiles once: the same object maps to the same compiled rules', () => {
    const rules = { groups: 'admin' };
    expect(compileRules(rules)).toBe(compileRules(rules));
    const compiled = compileRules(rules);
    expect(compileRules(compiled)).toBe(compiled);
  });

  it.each([
    [{ groups: [] }],
    [{ groups: '' }],
    [{ scopes: { oneOf: ['a'] } }],
    [{ scopes: { anyOf: [] } }],
    [{ groups: [1] }],
    [{ group: 'admin' }],
    [{ tokenUse: 'refresh' }],
    [{ claims: { x: { nested: true } } }],
  ])('rejects bad rules at compile time: %j', (rules) => {
    expect(() => compileRules(rules as never)).toThrow(ConfigurationError);
  });
});
