import { AuthError, parseBearer } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

function codeOf(header: Parameters<typeof parseBearer>[0]): string {
  try {
    parseBearer(header);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  return 'ok';
}

describe('parseBearer', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['  Bearer   abc \t', 'abc'],
    ['\tBearer abc', 'abc'],
    ['Bearer abc   ', 'abc'],
    ['Bearer abc\t', 'abc'],
    ['Bearer abc==', 'abc=='],
    ['Bearer   abc', 'abc'],
    ['Bearer abc \t ', 'abc'],
    [' \tBearer abc', 'abc'],
    ['Bearer a-b_c~d+e/f.g', 'a-b_c~d+e/f.g'],
  ])('extracts the token from %j', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([
    [undefined, 'missing_token'],
    [null, 'missing_token'],
    ['', 'missing_token'],
    ['   ', 'missing_token'],
    ['Basic dXNlcjpwYXNz', 'missing_token'],
    ['Token abc', 'missing_token'],
    ['Bearer', 'invalid_request'],
    ['Bearer    ', 'invalid_request'],
    ['Bearer abc def', 'invalid_request'],
    // RFC 9110 §11.4: one or more SP between the scheme and the credential, never a tab.
    ['Bearer\tabc', 'invalid_request'],
    ['Bearer \tabc', 'invalid_request'],
    ['Bearer\t abc', 'invalid_request'],
    ['Bearer abc\tdef', 'invalid_request'],
    ['Bearer abc,Bearer def', 'invalid_request'],
    ['Bearer a,b', 'invalid_request'],
    ['Bearerabc', 'missing_token'],
    // Other six-letter schemes are not Bearer, whatever follows.
    ['Beaver abc', 'missing_token'],
    ['Bearex abc', 'missing_token'],
    ['Bearer\u00a0abc', 'missing_token'],
    [[], 'missing_token'],
    [[''], 'missing_token'],
    [[' \t '], 'missing_token'],
    [['Bearer a', 'Bearer b'], 'invalid_request'],
  ])('%j → %s', (header, code) => {
    expect(codeOf(header as string)).toBe(code);
  });

  it('leaves the characters of the credential to the token decoder', async () => {
    // A credential outside canonical base64url is a malformed token (401), not a malformed header.
    expect(parseBearer('Bearer ab=c')).toBe('ab=c');
    expect(parseBearer('Bearer "abc"')).toBe('"abc"');
  });

  it('accepts a single-element header array', () => {
    expect(parseBearer(['Bearer abc'])).toBe('abc');
  });
});
