import { AuthError, readCustomToken } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

describe('readCustomToken', () => {
  it('returns the token, or undefined when the getter found none', () => {
    expect(readCustomToken((x: string) => x, 'abc')).toBe('abc');
    for (const none of [undefined, null, '']) expect(readCustomToken(() => none, 0)).toBeUndefined();
  });

  it('turns a throwing getter or a non-string into invalid_request, and lets AuthErrors through', () => {
    const code = (getter: () => unknown) => {
      try {
        readCustomToken(getter, 0);
      } catch (error) {
        expect(error).toBeInstanceOf(AuthError);
        return (error as AuthError).code;
      }
      return 'ok';
    };
    expect(code(() => JSON.parse('{'))).toBe('invalid_request');
    expect(code(() => 42)).toBe('invalid_request');
    expect(code(() => ['a'])).toBe('invalid_request');
    expect(
      code(() => {
        throw new AuthError('revoked');
      }),
    ).toBe('revoked');
  });

  it('refuses a getter answering with a promise or thenable (invalid_request) and handles its rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const answer of [
        () => Promise.resolve('abc'),
        () => Promise.reject(new Error('late failure')),
        () => ({ then: (_ok: unknown, fail: (e: unknown) => void) => fail(new Error('late')) }),
      ]) {
        expect(() => readCustomToken(answer, 0)).toThrow(
          expect.objectContaining({ code: 'invalid_request' }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
