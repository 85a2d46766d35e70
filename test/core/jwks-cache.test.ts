/**
 * JWKS cache behaviour with an injected fetch and a fake clock: every network request is counted.
 * The loopback-server cases (timeouts, huge bodies, redirects, refused connections) are in
 * jwks-fetch.test.ts.
 */
import { AuthError, createVerifier, type JwksEvent, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt, type TestKey } from '../support/signer.js';

const keyA = makeKey('key-a');
const keyB = makeKey('key-b');
const tokenFor = (key: TestKey, claims = accessClaims()) =>
  signJwt({ kid: key.kid, alg: 'RS256' }, claims, key);

/** A JWKS endpoint in memory: swap its document, make it fail, count its requests. */
function endpoint(initial: { keys: unknown[] }) {
  const state = {
    document: initial as unknown,
    status: 200,
    headers: {} as Record<string, string>,
    failWith: undefined as Error | undefined,
    requests: 0,
    gate: undefined as Promise<void> | undefined,
    onRequest: undefined as (() => void) | undefined,
  };
  const fetch = async (_url: string, _init: RequestInit): Promise<Response> => {
    state.requests++;
    state.onRequest?.();
    if (state.gate !== undefined) await state.gate;
    if (state.failWith !== undefined) throw state.failWith;
    return new Response(JSON.stringify(state.document), { status: state.status, headers: state.headers });
  };
  return { state, fetch };
}

function setup(doc: { keys: unknown[] }, options: Partial<VerifierOptions> = {}) {
  const clock = { now: NOW * 1000 };
  const server = endpoint(doc);
  const events: JwksEvent[] = [];
  const verifier = createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...options,
    jwks: { fetch: server.fetch, ...options.jwks },
  });
  return { clock, server, events, verifier };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

const HOUR = 3600_000;
/** Let background refreshes settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('JWKS cache', () => {
  it('a stampede of 100 concurrent cold verifications causes exactly one fetch', async () => {
    const { server, verifier } = setup({ keys: [keyA.jwk] });
    let open!: () => void;
    server.state.gate = new Promise((resolve) => {
      open = resolve;
    });
    const token = tokenFor(keyA);
    const all = Promise.all(Array.from({ length: 100 }, () => verifier.verify(token)));
    open();
    const results = await all;
    expect(results).toHaveLength(100);
    expect(server.state.requests).toBe(1);
  });

  it('1,000 random kids in 10 s cost at most 2 fetches while valid tokens keep passing', async () => {
    const { clock, server, verifier, events } = setup({ keys: [keyA.jwk] });
    const valid = tokenFor(keyA);
    await verifier.verify(valid);
    let validPassed = 0;
    for (let i = 0; i < 1000; i++) {
      clock.now += 10;
      const forged = signJwt({ kid: `random-${i}-${Math.random()}`, alg: 'RS256' }, accessClaims(), keyB);
      expect(await codeOf(verifier.verify(forged))).toBe('unknown_key');
      if (i % 10 === 0) {
        await verifier.verify(valid);
        validPassed++;
      }
    }
    expect(validPassed).toBe(100);
    expect(server.state.requests).toBeLessThanOrEqual(2);
    expect(events.filter((e) => e.type === 'jwks_kid_miss').length).toBe(1000);
  });

  it('accepts a key that appears after rotation with one refetch', async () => {
    const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
    await verifier.verify(tokenFor(keyA));
    server.state.document = { keys: [keyB.jwk, keyA.jwk] };
    clock.now += 1000; // well inside the cooldown: only kid-miss refetches count against it
    await expect(verifier.verify(tokenFor(keyB))).resolves.toBeDefined();
    expect(server.state.requests).toBe(2);
    expect(verifier.verifySync(tokenFor(keyB)).tokenUse).toBe('access');
  });

  it('a rotated key right after a background refresh is accepted at once, with one refetch', async () => {
    const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    await verifier.verify(token);
    clock.now += HOUR + 1;
    await verifier.verify(token); // starts the TTL refresh
    await settle();
    expect(server.state.requests).toBe(2);
    server.state.document = { keys: [keyA.jwk, keyB.jwk] };
    clock.now += 500;
    await expect(
      verifier.verify(tokenFor(keyB, accessClaims({ exp: NOW + 100_000 }))),
    ).resolves.toBeDefined();
    expect(server.state.requests).toBe(3);
  });

  it('stops trusting a key that left the JWKS once the refreshed set is in (after the TTL)', async () => {
    const { clock, server, verifier, events } = setup({ keys: [keyA.jwk, keyB.jwk] });
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    await verifier.verify(token);
    server.state.document = { keys: [keyB.jwk] };
    clock.now += HOUR - 1;
    await expect(verifier.verify(token)).resolves.toBeDefined();
    expect(server.state.requests).toBe(1);
    clock.now += 2;
    // Past the TTL the known key still works while one background refresh runs...
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await settle();
    expect(server.state.requests).toBe(2);
    // ...and once the refreshed set is in, the removed key is unknown.
    expect(await codeOf(verifier.verify(token))).toBe('unknown_key');
    expect(events).toContainEqual(expect.objectContaining({ type: 'jwks_keys_removed', kids: ['key-a'] }));
  });

  it('serves known keys while the endpoint is down, up to maxStaleSeconds past the TTL', async () => {
    const { clock, server, verifier, events } = setup(
      { keys: [keyA.jwk] },
      { jwks: { maxStaleSeconds: 7200 } },
    );
    await verifier.verify(tokenFor(keyA, accessClaims({ exp: NOW + 100_000 })));
    server.state.failWith = new TypeError('fetch failed');
    clock.now += HOUR + 1;
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await settle();
    clock.now += HOUR;
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await settle();
    expect(events.some((e) => e.type === 'jwks_stale')).toBe(true);
    expect(events.some((e) => e.type === 'jwks_fetch_failure')).toBe(true);
    clock.now += HOUR;
    expect(await codeOf(verifier.verify(token))).toBe('jwks_unavailable');
  });

  it('retries a failing endpoint at most once per cooldown while serving stale keys', async () => {
    const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    await verifier.verify(token);
    server.state.requests = 0;
    server.state.status = 500;
    clock.now += HOUR + 1;
    for (let i = 0; i < 50; i++) {
      await verifier.verify(token);
      await settle();
      clock.now += 100; // 5 s in all, within one 10 s cooldown
    }
    // One refresh, which retried the 500 once.
    expect(server.state.requests).toBe(2);
  });

  it('a failed refresh never empties the cache, nor does an empty or all-invalid JWKS', async () => {
    const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    await verifier.verify(token);
    for (const document of [{ keys: [] }, { keys: [{ ...keyA.jwk, e: 'AQ' }] }, { nope: 1 }, 'html']) {
      server.state.document = document;
      clock.now += HOUR + 11_000;
      await verifier.verify(token);
      await settle();
      await expect(verifier.verify(token)).resolves.toBeDefined();
    }
  });

  it('cold cache with the endpoint failing → jwks_unavailable (503), never a 401', async () => {
    const { server, verifier } = setup({ keys: [keyA.jwk] });
    server.state.failWith = new TypeError('fetch failed');
    const error = await verifier.verify(tokenFor(keyA)).catch((e: AuthError) => e);
    expect(error).toMatchObject({ code: 'jwks_unavailable', status: 503 });
    expect((error as AuthError).retryAfterSeconds).toBeGreaterThan(0);
    // Retried once on the network error; a second request inside the cooldown does not fetch again.
    expect(server.state.requests).toBe(2);
    expect(await codeOf(verifier.verify(tokenFor(keyA)))).toBe('jwks_unavailable');
    expect(server.state.requests).toBe(2);
  });

  describe('what a JWKS status means', () => {
    it.each([403, 404, 410])(
      'a %i means this issuer has no keys: 401 unknown_key, fetched at most once per cooldown',
      async (status) => {
        const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
        server.state.status = status;
        const tokens = Array.from({ length: 20 }, () => tokenFor(keyA));
        for (const token of tokens) {
          const error = await verifier.verify(token).catch((e: AuthError) => e);
          expect(error).toMatchObject({ code: 'unknown_key', status: 401 });
        }
        expect(server.state.requests).toBe(1);
        clock.now += 10_001;
        expect(await codeOf(verifier.verify(tokens[0]!))).toBe('unknown_key');
        expect(server.state.requests).toBe(2);
        expect(verifier.hydrate()).resolves.toMatchObject({ ok: false });
      },
    );

    it('an unsigned token naming the global issuer of a pool without replication is a 401, not an outage', async () => {
      const fetch = async (url: string) =>
        url.includes('issuer-cognito-idp.')
          ? new Response('{"message":"Forbidden"}', { status: 403 })
          : new Response(JSON.stringify({ keys: [keyA.jwk] }));
      const verifier = createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        now: () => NOW * 1000,
        jwks: { fetch },
      });
      const forged = `${Buffer.from('{"alg":"RS256","kid":"nope"}').toString('base64url')}.${Buffer.from(
        JSON.stringify(
          accessClaims({ iss: `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` }),
        ),
      ).toString('base64url')}.AAAA`;
      expect(await codeOf(verifier.verify(forged))).toBe('unknown_key');
      await expect(verifier.verify(tokenFor(keyA))).resolves.toBeDefined();
    });

    it.each([429, 408, 500, 502, 503])(
      'a %i stays an outage (503) and honours the server Retry-After',
      async (status) => {
        const { clock, server, verifier } = setup({ keys: [keyA.jwk] });
        server.state.status = status;
        server.state.headers = { 'retry-after': '42' };
        const error = await verifier.verify(tokenFor(keyA)).catch((e: AuthError) => e);
        expect(error).toMatchObject({ code: 'jwks_unavailable', status: 503, retryAfterSeconds: 42 });
        const requests = server.state.requests;
        // The server asked for 42 s: no new attempt before then, even past our 10 s cooldown.
        clock.now += 30_000;
        expect(await codeOf(verifier.verify(tokenFor(keyA)))).toBe('jwks_unavailable');
        expect(server.state.requests).toBe(requests);
        clock.now += 13_000;
        server.state.status = 200;
        await expect(verifier.verify(tokenFor(keyA))).resolves.toBeDefined();
      },
    );

    it('a Retry-After date is honoured, and absurd values are bounded', async () => {
      const { server, verifier } = setup({ keys: [keyA.jwk] });
      server.state.status = 429;
      server.state.headers = { 'retry-after': new Date(NOW * 1000 + 90_000).toUTCString() };
      expect(await verifier.verify(tokenFor(keyA)).catch((e: AuthError) => e.retryAfterSeconds)).toBe(90);
      const other = setup({ keys: [keyA.jwk] });
      other.server.state.status = 503;
      other.server.state.headers = { 'retry-after': '99999999' };
      expect(await other.verifier.verify(tokenFor(keyA)).catch((e: AuthError) => e.retryAfterSeconds)).toBe(
        300,
      );
      for (const junk of ['-5', 'soon', '1e3', '']) {
        const s = setup({ keys: [keyA.jwk] });
        s.server.state.status = 503;
        s.server.state.headers = { 'retry-after': junk };
        expect(await s.verifier.verify(tokenFor(keyA)).catch((e: AuthError) => e.retryAfterSeconds)).toBe(10);
      }
    });
  });

  it('keeps unchanged keys across refreshes, and with them the verified-token cache', async () => {
    const { clock, server, verifier } = setup({ keys: [keyA.jwk, keyB.jwk] });
    const token = tokenFor(keyA, accessClaims({ exp: NOW + 100_000 }));
    const first = await verifier.verify(token);
    for (let i = 0; i < 3; i++) {
      clock.now += HOUR + 1;
      await verifier.verify(token);
      await settle();
    }
    expect(server.state.requests).toBe(4);
    // A cache hit hands back the very object the first verification produced.
    expect(await verifier.verify(token)).toBe(first);
    // New material under the same kid is a different key: the cached result is dropped.
    const rotated = makeKey('key-a');
    server.state.document = { keys: [rotated.jwk, keyB.jwk] };
    clock.now += HOUR + 1;
    await verifier.verify(token).catch(() => undefined);
    await settle();
    expect(await codeOf(verifier.verify(token))).toBe('invalid_signature');
  });

  it('with preferFetched, shipped keys stop counting once a fetched set is in', async () => {
    const shipped = { keys: [keyA.jwk, keyB.jwk] };
    const plain = setup({ keys: [keyB.jwk] }, { jwks: { keys: shipped } });
    const preferring = setup({ keys: [keyB.jwk] }, { jwks: { keys: shipped, preferFetched: true } });
    for (const { verifier } of [plain, preferring]) {
      await expect(verifier.verify(tokenFor(keyA))).resolves.toBeDefined();
      expect((await verifier.hydrate()).ok).toBe(true);
    }
    // Default: a shipped key stays trusted even though the pool no longer publishes it.
    await expect(plain.verifier.verify(tokenFor(keyA, accessClaims({ jti: 'x' })))).resolves.toBeDefined();
    expect(await codeOf(preferring.verifier.verify(tokenFor(keyA, accessClaims({ jti: 'x' }))))).toBe(
      'unknown_key',
    );
    await expect(preferring.verifier.verify(tokenFor(keyB))).resolves.toBeDefined();
  });

  it('skips bad members but keeps the rest of the set', async () => {
    const { verifier } = setup({ keys: [{ ...keyB.jwk, e: 'AQ' }, { kty: 'EC', kid: 'ec' }, keyA.jwk] });
    await expect(verifier.verify(tokenFor(keyA))).resolves.toBeDefined();
    expect(await codeOf(verifier.verify(tokenFor(keyB)))).toBe('invalid_key');
  });

  it('uses shipped keys with no fetch at all until a kid miss', async () => {
    const { server, verifier } = setup({ keys: [keyB.jwk] }, { jwks: { keys: { keys: [keyA.jwk] } } });
    await verifier.verify(tokenFor(keyA));
    expect(server.state.requests).toBe(0);
    await verifier.verify(tokenFor(keyB));
    expect(server.state.requests).toBe(1);
  });

  it('reports fetch start, success and failure with durations', async () => {
    const { clock, server, verifier, events } = setup({ keys: [keyA.jwk, { ...keyB.jwk, e: 'AQ' }] });
    // Each download takes 250 ms of the verifier's clock, so the reported duration is checkable.
    server.state.onRequest = () => {
      clock.now += 250;
    };
    await verifier.verify(tokenFor(keyA));
    expect(events[0]).toMatchObject({ type: 'jwks_fetch_start', reason: 'cold' });
    expect(events[1]).toMatchObject({
      type: 'jwks_fetch_success',
      keys: 1,
      rejectedKeys: 1,
      durationMs: 250,
    });
    server.state.status = 404;
    clock.now += 10_000;
    await verifier.verify(signJwt({ kid: 'other', alg: 'RS256' }, accessClaims(), keyB)).catch(() => {});
    expect(events.at(-1)).toMatchObject({
      type: 'jwks_fetch_failure',
      reason: 'kid_miss',
      error: expect.stringMatching(/404/),
    });
  });

  it('an onEvent hook that throws changes nothing', async () => {
    const { verifier } = setup(
      { keys: [keyA.jwk] },
      {
        onEvent: () => {
          throw new Error('logger down');
        },
      },
    );
    await expect(verifier.verify(tokenFor(keyA))).resolves.toBeDefined();
  });

  describe('hydrate', () => {
    it('fetches every issuer JWKS and reports failures instead of throwing', async () => {
      const { server } = setup({ keys: [keyA.jwk] });
      const seen: string[] = [];
      const original = server.fetch;
      const fetch = async (url: string, init: RequestInit) => {
        seen.push(url);
        // The global issuer answers 403 for pools without multi-Region replication.
        if (url.includes('issuer-cognito-idp')) return new Response('forbidden', { status: 403 });
        return original(url, init);
      };
      const v = createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        jwks: { fetch },
        now: () => NOW * 1000,
      });
      const report = await v.hydrate();
      expect(report.ok).toBe(true);
      expect(report.results).toEqual([
        expect.objectContaining({ ok: true, keys: 1 }),
        expect.objectContaining({ ok: false, error: expect.stringMatching(/403/) }),
      ]);
      expect(seen).toHaveLength(2);
      await v.verify(tokenFor(keyA));
      expect(seen).toHaveLength(2);
    });

    it('reports per pool with several pools, and a later hydrate() recovers after a failure', async () => {
      const other = 'us-west-2_OtherPool';
      let westUp = false;
      const fetch = async (url: string) => {
        if (url.includes('issuer-cognito-idp')) return new Response('forbidden', { status: 403 });
        if (url.includes(other)) {
          if (!westUp) throw new TypeError('fetch failed');
          return new Response(JSON.stringify({ keys: [keyB.jwk] }));
        }
        return new Response(JSON.stringify({ keys: [keyA.jwk] }));
      };
      const clock = { now: NOW * 1000 };
      const v = createVerifier({
        userPoolId: [POOL_ID, other],
        clientId: CLIENT_ID,
        jwks: { fetch },
        now: () => clock.now,
      });
      const first = await v.hydrate();
      expect(first.ok).toBe(false);
      expect(first.results.filter((r) => r.ok).map((r) => r.uri)).toEqual([
        `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}/.well-known/jwks.json`,
      ]);
      westUp = true;
      clock.now += 10_000;
      const second = await v.hydrate();
      expect(second.ok).toBe(true);
      expect(second.results.filter((r) => r.ok)).toHaveLength(2);
      const westToken = signJwt(
        { kid: keyB.kid, alg: 'RS256' },
        accessClaims({ iss: `https://cognito-idp.us-west-2.amazonaws.com/${other}` }),
        keyB,
      );
      await expect(v.verify(westToken)).resolves.toMatchObject({ userPoolId: other });
    });

    it('reports ok: false when a pool has no keys at all', async () => {
      const fetch = async () => {
        throw new TypeError('fetch failed');
      };
      const v = createVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: { fetch } });
      const report = await v.hydrate();
      expect(report.ok).toBe(false);
      expect(report.results.every((r) => !r.ok && r.error)).toBe(true);
    });
  });

  it('fetches only the JWKS of the issuer the token names', async () => {
    const urls: string[] = [];
    const server = endpoint({ keys: [keyA.jwk] });
    const v = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => NOW * 1000,
      jwks: {
        fetch: (url, init) => {
          urls.push(url);
          return server.fetch(url, init);
        },
      },
    });
    const globalIss = `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
    await v.verify(tokenFor(keyA, accessClaims({ iss: globalIss })));
    expect(urls).toEqual([`${globalIss}/.well-known/jwks.json`]);
  });
});

describe('hydrate with keys shipped in the code', () => {
  it('reports ok without any network when jwks.keys holds a usable key', async () => {
    const v = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [keyA.jwk] }, fetch: false },
    });
    expect(await v.hydrate()).toEqual({ ok: true, results: [] });
    const broken = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [{ ...keyA.jwk, e: 'AQ' }] }, fetch: false },
    });
    expect((await broken.hydrate()).ok).toBe(false);
  });
});
