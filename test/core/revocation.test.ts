/**
 * The isRevoked answer rule: only `false`, `null` and `undefined` mean "not revoked". Anything else
 * (truthy or not), a throw, a rejection, a thenable that never settles, or an answer later than
 * `revocationTimeoutMs` revokes. The rule holds for verify, verifyDirect and verifySync, and on
 * cached verifications.
 */
import { createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');
const token = signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(), key);

function verifier(isRevoked: unknown, overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
    isRevoked: isRevoked as VerifierOptions['isRevoked'],
    ...overrides,
  });
}

async function outcome(v: ReturnType<typeof verifier>): Promise<string> {
  return v.verify(token).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'non-AuthError',
  );
}

/** A thenable that is not a native Promise, like a query builder. */
function thenable(value: unknown) {
  return { then: (resolve: (v: unknown) => void) => setTimeout(() => resolve(value), 1) };
}

const REVOKING_ANSWERS: Array<[string, unknown]> = [
  ['true', true],
  ['1 (Redis SISMEMBER)', 1],
  ["'true'", 'true'],
  ["'false' (a string is not false)", 'false'],
  ['0', 0],
  ["''", ''],
  ['NaN', Number.NaN],
  ['a found item object', { Item: { jti: 'jti-1' } }],
  ['an empty object', {}],
  ['an array', []],
  ['a function', () => false],
  ['a symbol', Symbol('x')],
];

describe('isRevoked answers', () => {
  it.each(REVOKING_ANSWERS)('a synchronous %s revokes', async (_name, answer) => {
    expect(await outcome(verifier(() => answer))).toBe('revoked');
  });

  it.each(REVOKING_ANSWERS)('a Promise of %s revokes', async (_name, answer) => {
    expect(await outcome(verifier(async () => answer))).toBe('revoked');
  });

  it.each(REVOKING_ANSWERS)('a non-native thenable of %s revokes', async (_name, answer) => {
    expect(await outcome(verifier(() => thenable(answer)))).toBe('revoked');
  });

  it.each([
    ['false', false],
    ['null', null],
    ['undefined', undefined],
  ])('%s means not revoked, synchronously, as a Promise and as a thenable', async (_name, answer) => {
    expect(await outcome(verifier(() => answer))).toBe('ok');
    expect(await outcome(verifier(async () => answer))).toBe('ok');
    expect(await outcome(verifier(() => thenable(answer)))).toBe('ok');
  });

  it('a throw, a rejection, a thenable whose then throws, and a then getter that throws all revoke', async () => {
    const getterThrows = Object.defineProperty({}, 'then', {
      get() {
        throw new Error('boom');
      },
    });
    const thenThrows = {
      then() {
        throw new Error('boom');
      },
    };
    for (const hook of [
      () => {
        throw new Error('redis down');
      },
      async () => {
        throw new Error('redis down');
      },
      () => Promise.reject(new Error('no')),
      () => thenThrows,
      () => getterThrows,
    ]) {
      expect(await outcome(verifier(hook))).toBe('revoked');
    }
  });

  it('a thenable that rejects, or whose then throws, revokes at once, not at the deadline', async () => {
    const rejecting = { then: (_ok: unknown, fail: (e: unknown) => void) => fail(new Error('store down')) };
    const throwing = {
      then() {
        throw new Error('builder bug');
      },
    };
    for (const answer of [rejecting, throwing]) {
      const started = Date.now();
      const v = verifier(() => answer, { revocationTimeoutMs: 60_000 });
      const error = await v.verify(token).catch((e: { code: string; cause: unknown }) => e);
      expect(error).toMatchObject({ code: 'revoked', cause: expect.any(Error) });
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it('an answer that never comes revokes after revocationTimeoutMs', async () => {
    const started = Date.now();
    const v = verifier(() => new Promise(() => {}), { revocationTimeoutMs: 50 });
    expect(await outcome(v)).toBe('revoked');
    expect(Date.now() - started).toBeLessThan(2000);
    const never = verifier(() => ({ then() {} }), { revocationTimeoutMs: 50 });
    expect(await outcome(never)).toBe('revoked');
  });

  it('a slow false past the deadline revokes; within it, passes', async () => {
    const slow = (ms: number) => () => new Promise((resolve) => setTimeout(() => resolve(false), ms));
    expect(await outcome(verifier(slow(200), { revocationTimeoutMs: 30 }))).toBe('revoked');
    expect(await outcome(verifier(slow(5), { revocationTimeoutMs: 1000 }))).toBe('ok');
  });

  it('applies the rule on cached verifications too', async () => {
    let answer: unknown = false;
    const v = verifier(() => answer);
    expect(await outcome(v)).toBe('ok');
    answer = 1;
    expect(await outcome(v)).toBe('revoked');
    answer = null;
    expect(await outcome(v)).toBe('ok');
  });

  it('verifySync and verifyDirect follow the same rule for synchronous answers', () => {
    for (const [, answer] of REVOKING_ANSWERS) {
      const v = verifier(() => answer);
      expect(() => v.verifySync(token)).toThrow(expect.objectContaining({ code: 'revoked' }));
      expect(() => v.verifyDirect(token)).toThrow(expect.objectContaining({ code: 'revoked' }));
    }
  });

  it('awaits a callable thenable (a function with a then method) like any other', async () => {
    const callable = (value: unknown) =>
      Object.assign(() => true, { then: (resolve: (v: unknown) => void) => resolve(value) });
    expect(await outcome(verifier(() => callable(false)))).toBe('ok');
    expect(await outcome(verifier(() => callable(true)))).toBe('revoked');
  });

  it('accepts a revocationTimeoutMs up to what setTimeout can wait', async () => {
    expect(
      await outcome(verifier(() => Promise.resolve(false), { revocationTimeoutMs: 2_147_483_647 })),
    ).toBe('ok');
  });

  it('refuses an invalid revocationTimeoutMs at startup', () => {
    for (const bad of [-1, Number.NaN, '5', 0, 2_147_483_648, Number.POSITIVE_INFINITY]) {
      expect(() => verifier(() => false, { revocationTimeoutMs: bad as number })).toThrow(
        /revocationTimeoutMs/,
      );
    }
  });
});
