import { COOKIE_NAME, cookieToken, readCookie } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

describe('readCookie', () => {
  it('finds a cookie among others, trimming spaces and tabs', () => {
    expect(readCookie('a=1; token=abc.def.ghi ;\tb=2', 'token')).toEqual({
      found: true,
      value: 'abc.def.ghi',
    });
  });

  it('matches the name exactly, not a prefix, a suffix or another case', () => {
    expect(readCookie('xtoken=1; tokens=2; Token=3', 'token')).toEqual({ found: false });
  });

  it('keeps "=" inside the value', () => {
    expect(readCookie('token=a=b==', 'token')).toEqual({ found: true, value: 'a=b==' });
  });

  it('strips one pair of surrounding quotes only', () => {
    expect(readCookie('token="abc"', 'token')).toEqual({ found: true, value: 'abc' });
    expect(readCookie('token=""abc""', 'token')).toEqual({ found: true, value: '"abc"' });
    expect(readCookie('token="abc', 'token')).toEqual({ found: true, value: '"abc' });
    // A lone quote is both the first and the last character, but not a pair.
    expect(readCookie('token="', 'token')).toEqual({ found: true, value: '"' });
    expect(readCookie('token=abc"', 'token')).toEqual({ found: true, value: 'abc"' });
  });

  it('percent-decodes valid encoding and keeps invalid encoding as it is', () => {
    expect(readCookie('token=a%2Eb', 'token')).toEqual({ found: true, value: 'a.b' });
    expect(readCookie('token=a%ZZb', 'token')).toEqual({ found: true, value: 'a%ZZb' });
    expect(readCookie('token=%', 'token')).toEqual({ found: true, value: '%' });
  });

  it('treats empty values, a missing "=" and a missing header as absent', () => {
    expect(readCookie('token=', 'token')).toEqual({ found: false });
    expect(readCookie('token=""', 'token')).toEqual({ found: false });
    expect(readCookie('token', 'token')).toEqual({ found: false });
    expect(readCookie('', 'token')).toEqual({ found: false });
    expect(readCookie(undefined, 'token')).toEqual({ found: false });
  });

  it('accepts a repeated cookie with the same value and flags different values', () => {
    expect(readCookie('token=abc; token=abc', 'token')).toEqual({ found: true, value: 'abc' });
    expect(readCookie('token=abc; token=xyz', 'token')).toEqual({ found: 'conflict' });
    expect(readCookie('token=abc; token=', 'token')).toEqual({ found: true, value: 'abc' });
  });

  it('joins an array of Cookie headers', () => {
    expect(readCookie(['a=1', 'token=abc'], 'token')).toEqual({ found: true, value: 'abc' });
  });

  it('never throws on arbitrary input', () => {
    // A fixed-seed generator over an alphabet rich in separators, quotes, % and control characters.
    let seed = 0x2f6b7c1d;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = [
      'token',
      '=',
      ';',
      ' ',
      '\t',
      '"',
      '%',
      '%E0',
      '%A4',
      'a',
      '.',
      '\u0000',
      '\u00ff',
      '\ud800',
      ',',
    ];
    const headers = Array.from({ length: 5000 }, () => {
      let header = '';
      const length = Math.floor(random() * 24);
      for (let j = 0; j < length; j++) header += alphabet[Math.floor(random() * alphabet.length)];
      return header;
    });

    expect(() => {
      for (const header of headers) readCookie(header, 'token');
    }).not.toThrow();
  });

  it('trims spaces and tabs around names and values, and keeps a lone quote as the value', () => {
    expect(readCookie(' access_token = \tabc \t; x=1', 'access_token')).toEqual({
      found: true,
      value: 'abc',
    });
    expect(readCookie('access_token="abc" ', 'access_token')).toEqual({ found: true, value: 'abc' });
    expect(readCookie('access_token="', 'access_token')).toEqual({ found: true, value: '"' });
    expect(readCookie('access_token=""', 'access_token')).toEqual({ found: false });
  });

  it('never reads a pair without "=" or with a longer name as the cookie', () => {
    expect(readCookie('access_tokenX', 'access_token')).toEqual({ found: false });
    expect(readCookie('access_tokenX; y=2', 'access_token')).toEqual({ found: false });
    expect(readCookie('my_access_token=a; access_tokens=b', 'access_token')).toEqual({ found: false });
  });
});

describe('cookieToken', () => {
  it('returns the value, undefined when absent, and invalid_request on conflicting values', () => {
    expect(cookieToken('a=1; token=abc', 'token')).toBe('abc');
    expect(cookieToken('a=1', 'token')).toBeUndefined();
    expect(cookieToken(undefined, 'token')).toBeUndefined();
    expect(cookieToken(['token=abc', 'token=abc'], 'token')).toBe('abc');
    expect(() => cookieToken(['token=abc', 'token=def'], 'token')).toThrow(
      expect.objectContaining({ code: 'invalid_request', status: 400 }),
    );
  });
});

describe('COOKIE_NAME', () => {
  it.each([['access_token'], ['a'], ["!#$%&'*+-.^_`|~09AZaz"]])('accepts %j', (name) => {
    expect(COOKIE_NAME.test(name)).toBe(true);
  });

  it.each([[''], ['a b'], ['a;b'], [';a'], ['a;'], ['a='], ['"a"'], ['a\u00e9']])('refuses %j', (name) => {
    expect(COOKIE_NAME.test(name)).toBe(false);
  });
});
