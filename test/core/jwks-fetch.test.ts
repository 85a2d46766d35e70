/**
 * The JWKS download against a real loopback server with injected faults: timeouts that fire,
 * size caps enforced while streaming, no redirects, 200 only, one retry.
 */
import { AuthError, createVerifier, type JwksEvent } from '@cognito-gate/core';
import { startJwksServer } from '@cognito-gate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('loop-key');
const token = signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(), key);
let server: Awaited<ReturnType<typeof startJwksServer>>;
let other: Awaited<ReturnType<typeof startJwksServer>>;

beforeAll(async () => {
  server = await startJwksServer(() => ({ keys: [key.jwk] }));
  other = await startJwksServer(() => ({ keys: [key.jwk] }));
});
afterAll(async () => {
  await server.close();
  await other.close();
});
beforeEach(async () => {
  await server.setFault(null);
  server.resetCount();
  other.resetCount();
});

function verifier(jwks: Record<string, unknown> = {}, events: JwksEvent[] = []) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    now: () => NOW * 1000,
    onEvent: (e) => events.push(e),
    jwks: { uri: server.jwksUri, timeoutMs: 400, ...jwks },
  });
}

async function outcome(v: ReturnType<typeof verifier>): Promise<{ code: string; ms: number }> {
  const started = performance.now();
  const error = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - started;
  v.close();
  if (error === undefined) return { code: 'ok', ms };
  expect(error).toBeInstanceOf(AuthError);
  return { code: (error as AuthError).code, ms };
}

describe('JWKS fetch over loopback', () => {
  it('verifies against a healthy endpoint with one request', async () => {
    expect((await outcome(verifier())).code).toBe('ok');
    expect(server.requestCount).toBe(1);
  });

  it('endpoint down with a cold cache → jwks_unavailable within the timeout', async () => {
    await server.setFault({ type: 'down' });
    const { code, ms } = await outcome(verifier());
    expect(code).toBe('jwks_unavailable');
    expect(ms).toBeLessThan(450);
  });

  it('endpoint down with a warm cache → still verifying', async () => {
    let now = NOW * 1000;
    const v = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => now,
      jwks: { uri: server.jwksUri, timeoutMs: 400 },
    });
    const longLived = signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims({ exp: NOW + 90_000 }), key);
    await v.verify(longLived);
    await server.setFault({ type: 'down' });
    now += 2 * 3600_000;
    await expect(v.verify(longLived)).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(v.verify(longLived)).resolves.toBeDefined();
    v.close();
  });

  it('a hanging endpoint fails at the timeout (retry included), not later', async () => {
    await server.setFault({ type: 'hang' });
    const { code, ms } = await outcome(verifier({ timeoutMs: 300 }));
    expect(code).toBe('jwks_unavailable');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(700);
  });

  it('slow headers beyond the timeout → jwks_unavailable', async () => {
    await server.setFault({ type: 'slowHeaders', delayMs: 1000 });
    const { code, ms } = await outcome(verifier({ timeoutMs: 200 }));
    expect(code).toBe('jwks_unavailable');
    expect(ms).toBeLessThan(600);
  });

  it('a trickled body that outlasts the timeout is abandoned', async () => {
    await server.setFault({ type: 'trickle', chunkDelayMs: 100, chunkSize: 8 });
    const { code, ms } = await outcome(verifier({ timeoutMs: 300 }));
    expect(code).toBe('jwks_unavailable');
    expect(ms).toBeLessThan(800);
  });

  it.each([false, true])(
    'a huge body (declared length: %s) is aborted at the cap with bounded memory',
    async (declareLength) => {
      const events: JwksEvent[] = [];
      await server.setFault({ type: 'huge', bytes: 200 * 1024 * 1024, declareLength });
      const before = process.memoryUsage().arrayBuffers;
      const { code, ms } = await outcome(verifier({ maxBytes: 64 * 1024, timeoutMs: 3000 }, events));
      expect(code).toBe('jwks_unavailable');
      expect(ms).toBeLessThan(2000);
      expect(events.find((e) => e.type === 'jwks_fetch_failure')).toMatchObject({
        error: expect.stringMatching(/cap/),
      });
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    },
  );

  it('holds the deadline even when a custom fetch ignores the abort signal', async () => {
    const hanging = (_url: string, _init: RequestInit) => new Promise<Response>(() => {});
    const slowBody = async () =>
      new Response(
        new ReadableStream({
          pull: () => new Promise(() => {}),
        }),
      );
    for (const fetch of [hanging, slowBody]) {
      const v = verifier({ fetch, timeoutMs: 100 });
      const { code, ms } = await outcome(v);
      expect(code).toBe('jwks_unavailable');
      expect(ms).toBeLessThan(1000);
      v.close();
    }
  });

  it('a custom fetch that answers nonsense or throws oddly ends in jwks_unavailable, never a TypeError', async () => {
    const answers: Array<() => unknown> = [
      () => undefined,
      () => null,
      () => ({}),
      () => ({ status: 200, headers: new Headers(), body: 'not a stream' }),
      () => ({ then: (resolve: (v: unknown) => void) => resolve(42) }),
      () => {
        throw 'a string';
      },
      () => Promise.reject(null),
    ];
    for (const answer of answers) {
      const v = verifier({ fetch: async () => answer() as Response, timeoutMs: 200 });
      expect((await outcome(v)).code).toBe('jwks_unavailable');
      v.close();
    }
  });

  it('does not follow redirects', async () => {
    await server.setFault({ type: 'redirect', location: other.jwksUri });
    expect((await outcome(verifier())).code).toBe('jwks_unavailable');
    expect(other.requestCount).toBe(0);
  });

  it('404 over loopback → unknown_key (401): the issuer publishes no keys', async () => {
    await server.setFault({ type: 'status', status: 404 });
    expect((await outcome(verifier())).code).toBe('unknown_key');
    expect(server.requestCount).toBe(1);
  });

  it.each([
    ['429', { type: 'status', status: 429 } as const, 1],
    ['503 (retried once)', { type: 'status', status: 503 } as const, 2],
    ['an HTML page', { type: 'html' } as const, 1],
    ['malformed JSON', { type: 'malformed' } as const, 1],
  ])('%s → jwks_unavailable', async (_name, fault, requests) => {
    await server.setFault(fault);
    expect((await outcome(verifier())).code).toBe('jwks_unavailable');
    expect(server.requestCount).toBe(requests);
  });

  it('recovers after a transient 5xx with its one retry', async () => {
    let calls = 0;
    const flaky = async (url: string, init: RequestInit) => {
      calls++;
      return calls === 1 ? new Response('oops', { status: 502 }) : fetch(url, init);
    };
    expect((await outcome(verifier({ fetch: flaky }))).code).toBe('ok');
    expect(calls).toBe(2);
  });

  it('refuses plain http to non-loopback hosts at creation', () => {
    expect(() => verifier({ uri: 'http://10.0.0.1/jwks.json' })).toThrow(/https/);
  });
});
