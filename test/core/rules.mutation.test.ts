/**
 * Rule compilation edges a mutation run found unguarded: what a rules object may hold, that
 * compiling freezes it, and how requirements read.
 */
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
  scopes: ['orders/read'],
  tokenUse: 'access',
  claims: { tier: 'gold', level: 3, beta: false, none: null },
} as unknown as VerifiedToken;

function outcome(rules: object): string {
  try {
    checkRules(token, compileRules(rules as never));
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('compileRules input', () => {
  it.each([
    ['null', null],
    ['a string', 'admin'],
    ['a number', 1],
    ['an empty group name in a list', { groups: ['admin', ''] }],
    ['an empty scope in allOf', { scopes: { allOf: [''] } }],
    ['anyOf that is not a list', { groups: { anyOf: 'admin' } }],
    ['a null requirement', { groups: null }],
    ['a numeric requirement', { scopes: 5 }],
    ['a claim rule that is undefined', { claims: { tier: undefined } }],
    ['a claim rule that is a symbol', { claims: { tier: Symbol('gold') } }],
    ['a claim rule that is a bigint', { claims: { level: 3n } }],
    ['a claim rule that is an array', { claims: { tier: ['gold'] } }],
  ])('refuses %s', (_name, rules) => {
    expect(() => compileRules(rules as never)).toThrow(ConfigurationError);
  });

  it.each([
    ['a string', { tier: 'gold' }],
    ['a number', { level: 3 }],
    ['a boolean', { beta: false }],
    ['null', { none: null }],
    ['a predicate', { tier: (value: unknown) => value === 'gold' }],
  ])('takes %s as a claim rule', (_name, claims) => {
    expect(outcome({ claims })).toBe('ok');
  });

  it('freezes the rules object and what it holds, and the compiled form', () => {
    const rules = { groups: ['admin'], scopes: { anyOf: ['orders/read'] }, claims: { tier: 'gold' } };
    const compiled = compileRules(rules);
    for (const part of [rules, rules.groups, rules.scopes, rules.scopes.anyOf, rules.claims, compiled]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(compiled.groups).toEqual({ any: false, values: ['admin'] });
    // Predicates are left as they are: only data is frozen.
    const predicate = (value: unknown) => value === 'gold';
    compileRules({ claims: { tier: predicate } });
    expect(Object.isFrozen(predicate)).toBe(false);
    expect(compiled.scopes).toEqual({ any: true, values: ['orders/read'] });
    expect(compiled.tokenUse).toBeUndefined();
    expect(compileRules({ tokenUse: 'any' }).tokenUse).toBeUndefined();
    expect(compileRules({ tokenUse: 'id' }).tokenUse).toBe('id');
  });
});

describe('requirements', () => {
  it.each([
    [{ groups: { allOf: ['admin', 'staff'] } }, 'ok'],
    [{ groups: { allOf: ['admin', 'root'] } }, 'insufficient_group'],
    [{ groups: { anyOf: ['root', 'admin'] } }, 'ok'],
    [{ groups: { anyOf: ['root'] } }, 'insufficient_group'],
    [{ scopes: { allOf: ['orders/read'] } }, 'ok'],
    [{ scopes: { anyOf: ['orders/write'] } }, 'insufficient_scope'],
    [{ tokenUse: 'access' }, 'ok'],
    [{ claims: { level: 3, beta: false, none: null } }, 'ok'],
    [{ claims: { beta: 0 } }, 'forbidden'],
  ])('%j → %s', (rules, code) => {
    expect(outcome(rules)).toBe(code);
  });

  it('names every scope of the requirement on insufficient_scope', () => {
    const error = (() => {
      try {
        checkRules(token, compileRules({ scopes: { anyOf: ['a/x', 'b/y'] } }));
      } catch (e) {
        return e as AuthError;
      }
      throw new Error('did not throw');
    })();
    expect(error).toMatchObject({ code: 'insufficient_scope', requiredScopes: ['a/x', 'b/y'] });
  });
});
