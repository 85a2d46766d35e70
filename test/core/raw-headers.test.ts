/**
 * `singleHeaderValue` reads one header from Node's flat raw header list, where every occurrence and
 * casing is still visible.
 */
import { singleHeaderValue } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

const code = (raw: readonly unknown[]) => {
  try {
    return singleHeaderValue(raw, 'authorization') ?? 'absent';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('singleHeaderValue', () => {
  it('skips names that are not strings, whatever they look like', () => {
    const lookalike = { length: 'authorization'.length, toLowerCase: () => 'authorization' };
    expect(code([lookalike, 'Bearer a'])).toBe('absent');
    expect(code([{ length: 13 }, 'Bearer a', 42, 'Bearer b', 'authorization', 'Bearer c'])).toBe('Bearer c');
  });

  it('finds the header in any casing and position, or reports it absent', () => {
    expect(code(['Host', 'x', 'AUTHORIZATION', 'Bearer a'])).toBe('Bearer a');
    expect(code(['authorization', 'Bearer a', 'Host', 'x'])).toBe('Bearer a');
    expect(code(['Host', 'x'])).toBe('absent');
    expect(code([])).toBe('absent');
  });

  it('accepts the same value repeated and refuses two different values, whatever their casing', () => {
    expect(code(['Authorization', 'Bearer a', 'authorization', 'Bearer a'])).toBe('Bearer a');
    expect(code(['Authorization', 'Bearer a', 'authorization', 'Bearer b'])).toBe('invalid_request');
    expect(code(['Authorization', 'Bearer a', 'X', 'y', 'AuThOrIzAtIoN', ''])).toBe('invalid_request');
  });

  it('ignores names that only share a prefix or a length, and non-string names', () => {
    expect(code(['Authorizations', 'x', 'authorizatioN', 'Bearer a'])).toBe('Bearer a');
    expect(code(['Proxy-Authorization', 'Basic x', 'authorization', 'Bearer a'])).toBe('Bearer a');
    expect(code(['Authorisation', 'x', 42, 'y', 'authorization', 'Bearer a'])).toBe('Bearer a');
  });

  it('refuses a value that is not text, and ignores a dangling name without a value', () => {
    expect(code(['authorization', ['Bearer a']])).toBe('invalid_request');
    expect(code(['authorization', 'Bearer a', 'authorization'])).toBe('Bearer a');
  });
});
