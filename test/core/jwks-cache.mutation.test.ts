/**
 * JwksCache edge cases left open by a mutation run: exact TTL, max-stale, cooldown and back-off
 * boundaries, the answers for URLs never seen, hydrate reports, and the exact content of events.
 * The cache is driven directly with an injected fetch and a fake clock: no network, no timing.
 */
import { createPublicKey } from 'node:crypto';
import {
  AuthError,
  importJwks,
  type JwksEvent,
  type JwksFetchFunction,
  type KeySet,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { JwksCache, type JwksCacheSettings } from '../../packages/core/src/jwks-cache.js';
import { makeKey } from '../support/signer.js';

const keyA = makeKey('key-a');
const keyB = makeKey('key-b');
const URI = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Mutation/.well-known/jwks.json';
const OTHER_URI = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Unseen/.well-known/jwks.json';
/** A clock far from 0, so `now + t` and `now - t` give very different numbers. */
const T0 = 1_700_000_000_000;
const TTL = 60_000;
const MAX_STALE = 30_000;
const COOLDOWN = 10_000;

/** A JWKS endpoint in memory: swap its document, break it, hold its answer, count its requests. */
function harness(overrides: Partial<JwksCacheSettings> = {}) {
  const clock = { now: T0 };
  const server = {
    document: { keys: [keyA.jwk] } as unknown,
    broken: false,
    requests: 0,
    gate: undefined as Promise<void> | undefined,
    /** Milliseconds the fake clock moves while a request is served (negative: a clock step back). */
    takesMs: 0,
  };
  const fetch: JwksFetchFunction = async () => {
    server.requests++;
    clock.now += server.takesMs;
    if (server.gate !== undefined) await server.gate;
    // A body that is not JSON: a failure that is not retried inside fetchJwks.
    const body = server.broken ? 'not json' : JSON.stringify(server.document);
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const events: JwksEvent[] = [];
  const cache = new JwksCache({
    ttlMs: TTL,
    maxStaleMs: MAX_STALE,
    cooldownMs: COOLDOWN,
    timeoutMs: 5_000,
    maxBytes: 1_000_000,
    fetch,
    preloaded: undefined,
    preferFetched: false,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  const ofType = <T extends JwksEvent['type']>(type: T) =>
    events.filter((event): event is Extract<JwksEvent, { type: T }> => event.type === type);
  return { clock, server, events, ofType, cache };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

/** Let background refreshes settle (the fake clock does not move). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('JwksCache boundaries', () => {
  it('a lookup at exactly the TTL serves the set without starting a refresh', async () => {
    const { clock, server, cache, ofType } = harness();
    await cache.resolve(URI, 'key-a');
    clock.now = T0 + TTL;

    expect(cache.lookup(URI, 'key-a')).toBeDefined();
    await settle();

    expect(server.requests).toBe(1);
    expect(ofType('jwks_fetch_start').map((e) => e.reason)).toEqual(['cold']);
  });

  it('keys are still served at exactly TTL + maxStale, and not one millisecond later', async () => {
    const { clock, server, cache } = harness();
    await cache.resolve(URI, 'key-a');
    server.broken = true;

    clock.now = T0 + TTL + MAX_STALE;
    expect(cache.lookup(URI, 'key-a')).toBeDefined();
    expect(cache.hasUsableKeys(URI)).toBe(true);
    await settle();

    clock.now = T0 + TTL + MAX_STALE + 1;
    expect(cache.lookup(URI, 'key-a')).toBeUndefined();
    expect(cache.hasUsableKeys(URI)).toBe(false);
  });

  it('an unknown kid refetches once per cooldown, counted to the millisecond, and says so in kid_miss events', async () => {
    const { clock, server, cache, ofType } = harness();
    await cache.resolve(URI, 'key-a');

    clock.now = T0 + 1_000;
    expect(await codeOf(cache.resolve(URI, 'unknown'))).toBe('unknown_key');
    clock.now = T0 + 1_000 + COOLDOWN - 1;
    expect(await codeOf(cache.resolve(URI, 'unknown'))).toBe('unknown_key');
    expect(server.requests).toBe(2);
    clock.now = T0 + 1_000 + COOLDOWN;
    expect(await codeOf(cache.resolve(URI, 'unknown'))).toBe('unknown_key');

    expect(server.requests).toBe(3);
    expect(ofType('jwks_kid_miss').map((e) => e.fetched)).toEqual([true, false, true]);
    expect(ofType('jwks_fetch_start').map((e) => e.reason)).toEqual(['cold', 'kid_miss', 'kid_miss']);
  });

  it('a failing cold endpoint is left alone until exactly the retry delay, with no kid_miss events', async () => {
    const { clock, server, cache, ofType } = harness();
    server.broken = true;
    expect(await codeOf(cache.resolve(URI, 'key-a'))).toBe('jwks_unavailable');

    clock.now = T0 + COOLDOWN - 1;
    expect(await codeOf(cache.resolve(URI, 'key-a'))).toBe('jwks_unavailable');
    expect(server.requests).toBe(1);

    clock.now = T0 + COOLDOWN;
    server.broken = false;
    expect(await cache.resolve(URI, 'key-a')).toBeDefined();
    expect(server.requests).toBe(2);
    expect(ofType('jwks_kid_miss')).toEqual([]);
  });
});

describe('JwksCache without fetching', () => {
  it('with fetch: false a kid missing from the shipped keys is unknown_key, not an outage', async () => {
    const preloaded = importJwks({ keys: [keyA.jwk] });
    const { cache, server } = harness({ fetch: false, preloaded });

    expect(await cache.resolve(URI, 'key-a')).toBeDefined();
    expect(await codeOf(cache.resolve(URI, 'key-b'))).toBe('unknown_key');
    expect(await cache.hydrate([URI])).toEqual([]);
    expect(server.requests).toBe(0);
  });

  it('with fetch: false and no shipped keys every URL still counts as answerable', () => {
    const { cache } = harness({ fetch: false });
    expect(cache.hasUsableKeys(URI)).toBe(true);
  });
});

describe('JwksCache status queries', () => {
  it('a URL never seen has no usable keys and no last error', () => {
    const { cache } = harness();
    expect(cache.hasUsableKeys(OTHER_URI)).toBe(false);
    expect(cache.lastError(OTHER_URI)).toBeUndefined();
  });

  it('shipped keys make a URL never seen answerable while fetching is on', () => {
    const { cache } = harness({ preloaded: importJwks({ keys: [keyA.jwk] }) });
    expect(cache.hasUsableKeys(OTHER_URI)).toBe(true);
  });

  it('a fetched set makes its URL answerable', async () => {
    const { cache } = harness();
    await cache.resolve(URI, 'key-a');
    expect(cache.hasUsableKeys(URI)).toBe(true);
    expect(cache.hasUsableKeys(OTHER_URI)).toBe(false);
  });
});

describe('JwksCache hydrate', () => {
  it('reports a failed re-download as not ok even though older keys are still held', async () => {
    const { clock, server, cache, ofType } = harness();
    expect(await cache.hydrate([URI])).toEqual([{ uri: URI, ok: true, keys: 1 }]);

    clock.now = T0 + 1_000;
    server.broken = true;
    const [report] = await cache.hydrate([URI]);

    expect(report?.ok).toBe(false);
    expect(report?.error).toEqual(expect.any(String));
    expect(report?.cause).toBeDefined();
    expect(ofType('jwks_fetch_start').map((e) => e.reason)).toEqual(['hydrate', 'hydrate']);
  });

  it('reports a failed cold download as not ok', async () => {
    const { server, cache } = harness();
    server.broken = true;
    const [report] = await cache.hydrate([URI]);
    expect(report?.ok).toBe(false);
    expect(report?.keys).toBeUndefined();
  });

  it('a download that ends before it started (clock stepped back) is not ok and carries no cause', async () => {
    const { server, cache } = harness();
    server.takesMs = -1_000;
    const [report] = await cache.hydrate([URI]);
    expect(report).toStrictEqual({ uri: URI, ok: false, error: 'JWKS fetch failed' });
    expect(report !== undefined && 'cause' in report).toBe(false);
  });
});

describe('JwksCache background refresh events', () => {
  it('jwks_stale is emitted only after a failed refresh, once per attempt, with the age in seconds', async () => {
    const { clock, server, cache, ofType } = harness();
    await cache.resolve(URI, 'key-a');
    server.broken = true;

    // First stale lookup: no earlier error, so no jwks_stale.
    clock.now = T0 + TTL + 1;
    expect(cache.lookup(URI, 'key-a')).toBeDefined();
    await settle();
    expect(ofType('jwks_stale')).toEqual([]);
    expect(ofType('jwks_fetch_start').map((e) => e.reason)).toEqual(['cold', 'refresh']);
    expect(cache.lastError(URI)).toEqual(expect.any(String));

    // After the retry delay: one stale event, then the refresh hangs.
    let open!: () => void;
    server.gate = new Promise((resolve) => {
      open = resolve;
    });
    clock.now = T0 + TTL + 1 + COOLDOWN;
    expect(cache.lookup(URI, 'key-a')).toBeDefined();
    expect(ofType('jwks_stale')).toEqual([{ type: 'jwks_stale', uri: URI, ageSeconds: 70 }]);

    // The retry delay passes again while that refresh is still running: nothing new starts.
    clock.now = T0 + TTL + 1 + 2 * COOLDOWN;
    expect(cache.lookup(URI, 'key-a')).toBeDefined();
    expect(ofType('jwks_stale')).toHaveLength(1);

    open();
    await settle();
    expect(server.requests).toBe(3);
  });

  it('a failure event measures the download on the injected clock', async () => {
    const { server, cache, ofType } = harness();
    server.broken = true;
    server.takesMs = 250;
    await codeOf(cache.resolve(URI, 'key-a'));
    expect(ofType('jwks_fetch_failure').map((e) => e.durationMs)).toEqual([250]);
  });
});

describe('JwksCache key changes', () => {
  it('a kid that left the set is reported even without an onKeysRemoved hook', async () => {
    const { clock, server, cache, ofType } = harness();
    server.document = { keys: [keyA.jwk, keyB.jwk] };
    await cache.resolve(URI, 'key-a');
    server.document = { keys: [keyA.jwk] };

    clock.now = T0 + TTL + 1;
    cache.lookup(URI, 'key-a');
    await settle();

    expect(ofType('jwks_keys_removed')).toEqual([{ type: 'jwks_keys_removed', uri: URI, kids: ['key-b'] }]);
    expect(ofType('jwks_fetch_success')).toHaveLength(2);
    expect(ofType('jwks_fetch_failure')).toEqual([]);
    expect(cache.lastError(URI)).toBeUndefined();
  });

  it('a refresh with the same keys removes nothing', async () => {
    const removedCalls: (readonly string[])[] = [];
    const { clock, cache, ofType } = harness({ onKeysRemoved: (kids) => removedCalls.push(kids) });
    await cache.resolve(URI, 'key-a');
    const before = cache.lookup(URI, 'key-a');

    clock.now = T0 + TTL + 1;
    cache.lookup(URI, 'key-a');
    await settle();

    expect(ofType('jwks_fetch_success')).toHaveLength(2);
    expect(ofType('jwks_keys_removed')).toEqual([]);
    expect(removedCalls).toEqual([]);
    expect(cache.lookup(URI, 'key-a')).toBe(before);
  });

  it('the same material under a new alg replaces the imported key and counts as removed', async () => {
    const material = createPublicKey({ key: keyA.jwk, format: 'jwk' });
    const importKeys = (document: unknown): KeySet => {
      const alg = (document as { alg: string }).alg;
      return new Map([['k', { kid: 'k', key: material, alg, bits: 2048 }]]);
    };
    const { clock, server, cache, ofType } = harness({ importKeys });
    server.document = { alg: 'RS256' };
    await cache.resolve(URI, 'k');
    server.document = { alg: 'RS512' };

    clock.now = T0 + TTL + 1;
    cache.lookup(URI, 'k');
    await settle();

    const now = cache.lookup(URI, 'k');
    expect(now !== undefined && 'alg' in now ? now.alg : undefined).toBe('RS512');
    expect(ofType('jwks_keys_removed').map((e) => e.kids)).toEqual([['k']]);
  });
});

describe('JwksCache key policy failures', () => {
  it('a key policy that throws an Error is recorded as invalid_jwks with its message', async () => {
    const { cache, ofType } = harness({
      importKeys: () => {
        throw new Error('policy exploded');
      },
    });
    expect(await codeOf(cache.resolve(URI, 'key-a'))).toBe('jwks_unavailable');
    expect(cache.lastError(URI)).toBe('policy exploded');
    expect(ofType('jwks_fetch_failure').map((e) => e.cause.kind)).toEqual(['invalid_jwks']);
  });

  it('a key policy that throws a non-Error is recorded with a generic message', async () => {
    const { cache, ofType } = harness({
      importKeys: () => {
        throw 'not an error';
      },
    });
    expect(await codeOf(cache.resolve(URI, 'key-a'))).toBe('jwks_unavailable');
    expect(cache.lastError(URI)).toBe('JWKS fetch failed');
    expect(ofType('jwks_fetch_failure').map((e) => [e.error, e.cause.kind])).toEqual([
      ['JWKS fetch failed', 'invalid_jwks'],
    ]);
  });
});
