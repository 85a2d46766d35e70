import { AuthError, ConfigurationError } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { compileIdentitySources, readToken, tokenFromValue } from '../../packages/lambda/src/identity.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
};

describe('tokenFromValue', () => {
  it('strips the Bearer scheme in any case, and accepts a bare token only when asked', () => {
    expect(tokenFromValue('Bearer a.b.c', false)).toBe('a.b.c');
    expect(tokenFromValue('bEaReR a.b.c', false)).toBe('a.b.c');
    expect(tokenFromValue(' a.b.c ', true)).toBe('a.b.c');
    expect(codeOf(() => tokenFromValue('a.b.c', false))).toBe('missing_token');
  });

  it.each([
    ['Bearer', 'invalid_request'],
    ['bearer', 'invalid_request'],
    ['Basic abc', 'missing_token'],
    ['', 'missing_token'],
    ['   ', 'missing_token'],
    ['Bearer a b', 'invalid_request'],
  ])('maps %j to %s even when bare tokens are accepted', (value, code) => {
    expect(codeOf(() => tokenFromValue(value, true))).toBe(code);
  });
});

describe('readToken', () => {
  const header = compileIdentitySources({ header: 'Authorization' }, []);

  it('finds the header whatever its casing, preferring the lower-case key', () => {
    expect(readToken({ headers: { AUTHORIZATION: 'Bearer x.y.z' } }, header, false)).toBe('x.y.z');
    expect(
      readToken({ headers: { authorization: 'Bearer a.a.a', Authorization: 'Bearer b.b.b' } }, header, false),
    ).toBe('a.a.a');
  });

  it('reports a missing token for absent, null and prototype-only maps', () => {
    expect(codeOf(() => readToken({ headers: null }, header, true))).toBe('missing_token');
    expect(codeOf(() => readToken({}, header, true))).toBe('missing_token');
    expect(codeOf(() => readToken(null, header, true))).toBe('missing_token');
    const inherited = Object.create({ authorization: 'Bearer a.b.c' });
    expect(codeOf(() => readToken({ headers: inherited }, header, true))).toBe('missing_token');
  });

  it('uses the first source present, in order', () => {
    const sources = compileIdentitySources(
      [{ header: 'x-token' }, { query: 'token' }, { cookie: 'jwt' }],
      [],
    );
    expect(
      readToken({ queryStringParameters: { token: 'q.q.q' }, cookies: ['jwt=c.c.c'] }, sources, true),
    ).toBe('q.q.q');
    expect(readToken({ cookies: ['a=1', 'jwt=c.c.c'] }, sources, true)).toBe('c.c.c');
    expect(readToken({ headers: { Cookie: 'a=1; jwt=h.h.h' } }, sources, true)).toBe('h.h.h');
    expect(readToken({ headers: { 'X-Token': 'x.x.x' }, cookies: ['jwt=c.c.c'] }, sources, true)).toBe(
      'x.x.x',
    );
  });

  it('does not mistake a cookie whose name ends like the configured one', () => {
    const sources = compileIdentitySources({ cookie: 'jwt' }, []);
    expect(codeOf(() => readToken({ cookies: ['myjwt=a.b.c'] }, sources, true))).toBe('missing_token');
  });

  it('refuses repeated headers and query parameters as invalid_request', () => {
    const query = compileIdentitySources({ query: 'token' }, []);
    const repeatedHeader = {
      headers: { Authorization: 'Bearer a' },
      multiValueHeaders: { authorization: ['Bearer a', 'Bearer b'] },
    };
    expect(codeOf(() => readToken(repeatedHeader, header, true))).toBe('invalid_request');
    const repeatedQuery = {
      queryStringParameters: { token: 'b' },
      multiValueQueryStringParameters: { token: ['a', 'b'] },
    };
    expect(codeOf(() => readToken(repeatedQuery, query, true))).toBe('invalid_request');
  });
});

describe('compileIdentitySources', () => {
  it.each([
    ['an empty list', []],
    ['an unknown kind', { body: 'token' }],
    ['two kinds in one source', { header: 'a', query: 'b' }],
    ['a header name with a space', { header: 'x token' }],
    ['a non-string name', { query: 1 }],
    ['null', [null]],
  ])('rejects %s at setup', (_, value) => {
    expect(() => compileIdentitySources(value as never, [])).toThrow(ConfigurationError);
  });

  it('falls back to the defaults when none are configured', () => {
    expect(compileIdentitySources(undefined, [{ query: 'token' }])).toEqual([
      { kind: 'query', name: 'token', lower: 'token' },
    ]);
  });
});
