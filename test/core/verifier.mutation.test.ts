/**
 * Verifier edges a mutation run found unguarded: inputs of the wrong type on every entry point,
 * cache options, and the promise contract of verify().
 */
import { AuthError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessClaims, CLIENT_ID, idClaims, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');

function verifier(overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

const sign = (claims: Record<string, unknown> = {}) =>
  signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(claims), key);

function thrown(run: () => unknown): AuthError {
  try {
    run();
  } catch (error) {
    return error as AuthError;
  }
  throw new Error('did not throw');
}

describe('tokens of the wrong type', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { length: 100, slice: () => 'x' }],
  ])('%s is malformed_token on every entry point, never a wrapped internal error', async (_name, value) => {
    for (const options of [{}, { cache: false as const }]) {
      const v = verifier(options);
      const token = value as unknown as string;
      await expect(v.verify(token)).rejects.toMatchObject({ code: 'malformed_token', unexpected: false });
      expect(thrown(() => v.verifySync(token))).toMatchObject({ code: 'malformed_token', unexpected: false });
      expect(thrown(() => v.verifyDirect(token))).toMatchObject({
        code: 'malformed_token',
        unexpected: false,
      });
    }
  });

  it('a token whose iss is not a string is invalid_issuer', async () => {
    await expect(verifier().verify(sign({ iss: 5 }))).rejects.toMatchObject({ code: 'invalid_issuer' });
    await expect(verifier().verify(sign({ iss: undefined }))).rejects.toMatchObject({
      code: 'invalid_issuer',
    });
  });
});

describe('the promise contract', () => {
  it('verify() always answers with a promise, also when the result is ready at once', async () => {
    const v = verifier();
    const token = sign();
    for (let i = 0; i < 2; i++) {
      const answer = v.verify(token);
      expect(answer).toBeInstanceOf(Promise);
      await expect(answer).resolves.toMatchObject({ tokenUse: 'access' });
    }
    const rejected = v.verify('a.b.c');
    expect(rejected).toBeInstanceOf(Promise);
    await expect(rejected).rejects.toBeInstanceOf(AuthError);
  });

  it('verifyAuthorization() rejects a bad header as a promise, never a throw', async () => {
    const answer = verifier().verifyAuthorization('Basic dXNlcjpwYXNz');
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).rejects.toMatchObject({ code: 'missing_token' });
    await expect(verifier().verifyAuthorization(`Bearer ${sign()}`)).resolves.toMatchObject({
      tokenUse: 'access',
    });
  });

  it('verifyDirect() passes a rejection from a key fetch on as an AuthError', async () => {
    const v = verifier({
      jwks: {
        fetch: async () => {
          throw new TypeError('network down');
        },
      },
    });
    const answer = v.verifyDirect(sign());
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).rejects.toBeInstanceOf(AuthError);
  });
});

describe('cache options', () => {
  it.each([
    ['null', null],
    ['true', true],
    ['a number', 5],
    ['a negative size', { maxEntries: -1 }],
    ['an unknown key', { max: 5 }],
  ])('refuses cache: %s', (_name, cache) => {
    expect(() => verifier({ cache: cache as never })).toThrow(/cache/);
  });

  it('maxEntries 0 turns the cache off', async () => {
    const v = verifier({ cache: { maxEntries: 0 } });
    const token = sign();
    const first = await v.verify(token);
    expect(await v.verify(token)).not.toBe(first);
    expect(v.cachedTokens).toBe(0);
  });

  it('a fractional maxEntries is rounded down', async () => {
    const v = verifier({ cache: { maxEntries: 2.9 } });
    for (let i = 0; i < 4; i++) await v.verify(sign({ jti: `j${i}` }));
    expect(v.cachedTokens).toBe(2);
  });

  it('caches verified tokens by default', async () => {
    const v = verifier();
    const token = sign();
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
    expect(v.cachedTokens).toBe(1);
  });
});

describe('jwks options', () => {
  it.each([
    ['preferFetched that is not a boolean', { preferFetched: 'yes' }, /preferFetched/],
    ['fetch: true', { fetch: true }, /jwks.fetch/],
    ['keys that are not a JWKS', { keys: 5 }, /jwks.keys/],
    ['a negative ttl', { ttlSeconds: -1 }, /jwks.ttlSeconds/],
    ['a negative max-stale', { maxStaleSeconds: -1 }, /jwks.maxStaleSeconds/],
    ['a negative cooldown', { cooldownSeconds: -1 }, /jwks.cooldownSeconds/],
    ['a negative timeout', { timeoutMs: -1 }, /jwks.timeoutMs/],
    ['a negative size cap', { maxBytes: -1 }, /jwks.maxBytes/],
  ])('refuses %s', (_name, jwks, message) => {
    expect(() => verifier({ jwks: jwks as never })).toThrow(message);
  });

  it('accepts preferFetched booleans and fetch: false', () => {
    for (const preferFetched of [true, false]) {
      expect(
        verifier({ jwks: { keys: { keys: [key.jwk] }, preferFetched, fetch: false } }).jwksUris,
      ).toHaveLength(2);
    }
  });
});

describe('results and key changes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('never marks an ID token as a machine token, even when its sub is the client id', async () => {
    const v = verifier({ tokenUse: 'id' });
    const auth = await v.verify(
      signJwt(
        { kid: 'key-1', alg: 'RS256' },
        idClaims({ sub: CLIENT_ID, 'cognito:username': undefined }),
        key,
      ),
    );
    expect([auth.tokenUse, auth.username, auth.isMachine]).toEqual(['id', undefined, false]);
  });

  it('fetches keys with the global fetch when no fetch option is given', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ keys: [key.jwk] })));
    vi.stubGlobal('fetch', fetch);
    const v = createVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, now: () => NOW * 1000 });
    await expect(v.verify(sign())).resolves.toMatchObject({ tokenUse: 'access' });
    expect(fetch).toHaveBeenCalledWith(
      `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}/.well-known/jwks.json`,
      expect.anything(),
    );
    v.close();
  });

  it('applies rules after a key fetch in verifyDirect()', async () => {
    const fetching = () =>
      verifier({ jwks: { fetch: async () => new Response(JSON.stringify({ keys: [key.jwk] })) } });
    const denied = fetching().verifyDirect(sign(), { groups: 'root' });
    expect(denied).toBeInstanceOf(Promise);
    await expect(denied).rejects.toMatchObject({ code: 'insufficient_group' });
    const allowed = fetching().verifyDirect(sign(), { groups: 'admin' });
    expect(allowed).toBeInstanceOf(Promise);
    await expect(allowed).resolves.toMatchObject({ groups: ['admin', 'staff'] });
  });

  it('without a cache, a key leaving the JWKS and close() work all the same', async () => {
    let document: unknown = { keys: [key.jwk] };
    const clock = { now: NOW * 1000 };
    const v = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      cache: false,
      now: () => clock.now,
      jwks: { fetch: async () => new Response(JSON.stringify(document)) },
    });
    const token = sign({ exp: NOW + 90_000 });
    await v.verify(token);
    document = { keys: [makeKey('successor').jwk] };
    clock.now += 3600_001;
    await v.verify(token).catch(() => undefined); // starts the refresh
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(v.verify(token)).rejects.toMatchObject({ code: 'unknown_key' });
    expect(() => v.close()).not.toThrow();
  });

  it('keeps consulting shipped keys after a fetch unless preferFetched is set', async () => {
    const shipped = makeKey('shipped');
    const fetched = makeKey('fetched');
    const build = (preferFetched?: boolean) =>
      createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        cache: false,
        now: () => NOW * 1000,
        jwks: {
          keys: { keys: [shipped.jwk] },
          fetch: async () => new Response(JSON.stringify({ keys: [fetched.jwk] })),
          ...(preferFetched === undefined ? {} : { preferFetched }),
        },
      });
    const byShipped = signJwt({ kid: 'shipped', alg: 'RS256' }, accessClaims(), shipped);
    const byFetched = signJwt({ kid: 'fetched', alg: 'RS256' }, accessClaims(), fetched);
    for (const [preferFetched, shippedAfterFetch] of [
      [undefined, 'ok'],
      [false, 'ok'],
      [true, 'unknown_key'],
    ] as const) {
      const v = build(preferFetched);
      await expect(v.verify(byShipped)).resolves.toMatchObject({ tokenUse: 'access' });
      await expect(v.verify(byFetched)).resolves.toMatchObject({ tokenUse: 'access' }); // loads the fetched set
      const outcome = await v.verify(byShipped).then(
        () => 'ok',
        (error: AuthError) => error.code,
      );
      expect(outcome, `preferFetched ${preferFetched}`).toBe(shippedAfterFetch);
      v.close();
    }
  });
});
