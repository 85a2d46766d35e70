import { AuthError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it, vi } from 'vitest';
import { VerifiedTokenCache } from '../../packages/core/src/token-cache.js';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('cache-key');
const sign = (claims = accessClaims()) => signJwt({ kid: key.kid, alg: 'RS256' }, claims, key);

function setup(options: Partial<VerifierOptions> = {}) {
  const clock = { now: NOW * 1000 };
  const verifier = createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => clock.now,
    ...options,
  });
  return { clock, verifier };
}

describe('verified-token cache', () => {
  it('returns the same frozen result for a repeated token', async () => {
    const { verifier } = setup();
    const token = sign();
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);
  });

  it('still runs rules and isRevoked on every hit', async () => {
    const isRevoked = vi.fn(() => false);
    const { verifier } = setup({ isRevoked });
    const token = sign();
    await verifier.verify(token);
    await expect(verifier.verify(token, { groups: 'root' })).rejects.toMatchObject({
      code: 'insufficient_group',
    });
    isRevoked.mockReturnValue(true);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'revoked' });
    expect(isRevoked).toHaveBeenCalledTimes(2);
  });

  it('expires a cached token with its exp', async () => {
    const { clock, verifier } = setup();
    const token = sign(accessClaims({ exp: NOW + 60 }));
    await verifier.verify(token);
    clock.now += 60_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'expired' });
  });

  it('treats a token that differs in any byte as a different entry', async () => {
    const { verifier } = setup();
    const token = sign();
    await verifier.verify(token);
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -2)}${s!.at(-2) === 'A' ? 'B' : 'A'}${s!.at(-1)}`;
    await expect(verifier.verify(tampered)).rejects.toBeInstanceOf(AuthError);
    await expect(verifier.verify(`${token}=`)).rejects.toMatchObject({ code: 'malformed_token' });
  });

  it('purges tokens whose key left the JWKS', async () => {
    let document: unknown = { keys: [key.jwk] };
    const clock = { now: NOW * 1000 };
    const verifier = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => clock.now,
      jwks: { fetch: async () => new Response(JSON.stringify(document)) },
    });
    const token = sign(accessClaims({ exp: NOW + 90_000 }));
    await verifier.verify(token);
    document = { keys: [makeKey('successor').jwk] };
    clock.now += 3600_001;
    await verifier.verify(token); // served while the background refresh runs
    expect(verifier.cachedTokens).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Purged as soon as the refreshed set is in, before any request asks for the token again.
    expect(verifier.cachedTokens).toBe(0);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unknown_key' });
  });

  it('serves a cached token past exp only within clockToleranceSeconds', async () => {
    const { clock, verifier } = setup({ clockToleranceSeconds: 30 });
    const token = sign(accessClaims({ exp: NOW + 60 }));
    const first = await verifier.verify(token);
    clock.now = (NOW + 60 + 29) * 1000;
    expect(await verifier.verify(token)).toBe(first); // a hit, 29 s past exp
    clock.now = (NOW + 60 + 30) * 1000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'expired' });
    expect(verifier.cachedTokens).toBe(0);
  });

  it('can be turned off', async () => {
    const { verifier } = setup({ cache: false });
    const token = sign();
    expect(await verifier.verify(token)).not.toBe(await verifier.verify(token));
  });

  it('never grows past its bound', () => {
    const cache = new VerifiedTokenCache(3);
    const entry = (t: string) => ({ expiresAtMs: Number.MAX_SAFE_INTEGER, token: { token: t } }) as never;
    const entries = Array.from({ length: 10 }, (_, i) => entry(`t${i}`));
    for (const [i, e] of entries.entries()) cache.set(`t${i}`, e);
    expect(cache.size).toBe(3);
    expect(cache.get('t0', 0)).toBeUndefined();
    expect(cache.get('t9', 0)).toBe(entries[9]);
  });

  it('evicts exactly the oldest entries, and holds nothing with room for none', () => {
    const cache = new VerifiedTokenCache(3);
    const entry = (t: string) => ({ expiresAtMs: Number.MAX_SAFE_INTEGER, token: { token: t } }) as never;
    for (let i = 0; i < 5; i++) cache.set(`t${i}`, entry(`t${i}`));
    expect(['t0', 't1', 't2', 't3', 't4'].map((t) => cache.get(t, 0) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    const none = new VerifiedTokenCache(0);
    none.set('t0', entry('t0'));
    expect(none.size).toBe(0);
    expect(none.get('t0', 0)).toBeUndefined();
  });

  it('deletes only the token asked for, and ignores tokens it does not hold', () => {
    const cache = new VerifiedTokenCache(3);
    const stored = { expiresAtMs: Number.MAX_SAFE_INTEGER, token: { token: 't' } } as never;
    cache.set('t', stored);
    cache.delete('other');
    expect(cache.get('t', 0)).toBe(stored);
    cache.delete('t');
    expect(cache.get('t', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('purges the tokens of the kids that left, and keeps the others', () => {
    const cache = new VerifiedTokenCache(5);
    const entry = (t: string, kid: string) =>
      ({ expiresAtMs: Number.MAX_SAFE_INTEGER, token: { token: t, header: { kid } } }) as never;
    cache.set('a', entry('a', 'k1'));
    cache.set('b', entry('b', 'k2'));
    cache.set('c', entry('c', 'k3'));
    cache.purgeKids(['k1', 'k3']);
    expect(['a', 'b', 'c'].map((t) => cache.get(t, 0) !== undefined)).toEqual([false, true, false]);
  });

  it('is emptied by close()', async () => {
    const { verifier } = setup();
    await verifier.verify(sign());
    expect(verifier.cachedTokens).toBe(1);
    verifier.close();
    expect(verifier.cachedTokens).toBe(0);
  });

  it('drops an entry at exactly its expiry time', () => {
    const cache = new VerifiedTokenCache(3);
    const stored = { expiresAtMs: 1000, token: { token: 't' } } as never;
    cache.set('t', stored);
    expect(cache.get('t', 999)).toBe(stored);
    expect(cache.get('t', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('confirms a hit with the whole token: same tail, different token is a miss', () => {
    const cache = new VerifiedTokenCache(10);
    const tail = 'x'.repeat(43);
    const stored = { expiresAtMs: Number.MAX_SAFE_INTEGER, token: { token: `aaa${tail}` } } as never;
    cache.set(`aaa${tail}`, stored);
    expect(cache.get(`aaa${tail}`, 0)).toBe(stored);
    expect(cache.get(`bbb${tail}`, 0)).toBeUndefined();
    cache.delete(`bbb${tail}`);
    expect(cache.get(`aaa${tail}`, 0)).toBe(stored);
  });

  it('holds at most maxEntries tokens however many arrive', async () => {
    const { verifier } = setup({ cache: { maxEntries: 5 } });
    for (let i = 0; i < 12; i++) await verifier.verify(sign(accessClaims({ jti: `jti-${i}` })));
    expect(verifier.cachedTokens).toBe(5);
  });

  it('validates its options', () => {
    expect(() => setup({ cache: { maxEntries: -1 } })).toThrow(/maxEntries/);
    expect(() => setup({ cache: { size: 5 } as never })).toThrow(/unknown option size/);
  });
});
