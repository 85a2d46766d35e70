import { describe, expect, it } from 'vitest';
import {
  GROUP_SPLIT,
  normalizeClaims,
  parseBoolean,
  parseEpochSeconds,
  parseList,
  SCOPE_SPLIT,
} from '../../packages/lambda/src/claim-values.js';

describe('parseEpochSeconds', () => {
  it.each([
    ['the REST Cognito date rendering', 'Tue Jun 18 15:00:04 UTC 2024', 1718722804],
    ['a single-digit day', 'Mon Jun 3 00:00:00 UTC 2024', 1717372800],
    ['a numeric string', '1718636404', 1718636404],
    ['a number', 1718636404, 1718636404],
  ])('reads %s', (_, value, expected) => {
    expect(parseEpochSeconds(value)).toBe(expected);
  });

  it.each([
    ['a date in another zone', 'Tue Jun 18 15:00:04 PDT 2024'],
    ['an unknown month', 'Tue Foo 18 15:00:04 UTC 2024'],
    ['text', 'soon'],
    ['NaN', Number.NaN],
    ['null', null],
  ])('gives undefined for %s', (_, value) => {
    expect(parseEpochSeconds(value)).toBeUndefined();
  });
});

describe('parseList', () => {
  it.each([
    ['[admin dev]', ['admin', 'dev']],
    ['admin,dev', ['admin', 'dev']],
    ['admin, dev', ['admin', 'dev']],
    ['["admin","dev"]', ['admin', 'dev']],
    ['Admin', ['Admin']],
    ['[]', []],
    ['', []],
  ])('reads groups rendered as %j', (value, expected) => {
    expect(parseList(value, GROUP_SPLIT)).toEqual(expected);
  });

  it('splits scopes on whitespace only: a scope may contain a comma', () => {
    expect(parseList('orders/read a,b', SCOPE_SPLIT)).toEqual(['orders/read', 'a,b']);
  });

  it('keeps only non-empty strings of an array and ignores other types', () => {
    expect(parseList(['a', 1, '', null, 'b'], GROUP_SPLIT)).toEqual(['a', 'b']);
    expect(parseList({ 0: 'a' }, GROUP_SPLIT)).toEqual([]);
  });
});

describe('normalizeClaims', () => {
  it('re-types the claims API Gateway stringified and leaves the others as delivered', () => {
    expect(
      normalizeClaims({
        exp: 'Tue Jun 18 15:00:04 UTC 2024',
        iat: '1718636404',
        email_verified: 'true',
        phone_number_verified: 'false',
        version: '2',
        'cognito:groups': '[admin dev]',
        'custom:tier': '3',
        nbf: 'not a date',
      }),
    ).toEqual({
      exp: 1718722804,
      iat: 1718636404,
      email_verified: true,
      phone_number_verified: false,
      version: 2,
      'cognito:groups': ['admin', 'dev'],
      'custom:tier': '3',
      nbf: 'not a date',
    });
  });

  it('copies, never mutates, and ignores a __proto__ key', () => {
    const raw = JSON.parse('{"__proto__": {"polluted": true}, "exp": "1"}');
    const claims = normalizeClaims(raw);
    expect(claims).toEqual({ exp: 1 });
    expect(raw.exp).toBe('1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads booleans only from booleans and their exact renderings', () => {
    expect([parseBoolean(true), parseBoolean('true'), parseBoolean('TRUE'), parseBoolean(1)]).toEqual([
      true,
      true,
      undefined,
      undefined,
    ]);
  });
});
