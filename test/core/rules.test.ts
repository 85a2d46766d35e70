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
    try {
      checkRules(token, compileRules({ scopes: ['orders/admin'] }));
    } catch (error) {
      expect((error as AuthError).requiredScopes).toEqual(['orders/admin']);
    }
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
