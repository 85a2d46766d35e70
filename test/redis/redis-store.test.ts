/**
 * The Redis store against a real Redis (the machine's, with a random prefix and channel per run):
 * round-trips of every entry kind, expiry, push between two stores, hostile stored values and
 * messages (skipped and counted, never thrown), and the bounds on what a load reads.
 */
import { EventEmitter } from 'node:events';
import type { RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DenyEntry,
  DenyStoreListener,
  DenyStoreStatus,
} from '../../packages/core/src/deny-list-store.js';
import { ConfigurationError } from '../../packages/core/src/options.js';
import {
  createRedisStore,
  type RedisStoreInvalidEvent,
  type RedisStoreOptions,
} from '../../packages/core/src/redis.js';
import { describeError } from '../../packages/core/src/redis-store.js';
import {
  connectClient,
  deletePrefix,
  describeWithRedis,
  redisReachable,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';

const available = await redisReachable();
const NOW = Math.floor(Date.now() / 1000);

/** A listener that records what it is told, and resolves waits on it. */
function recorder() {
  const entries: DenyEntry[] = [];
  const statuses: DenyStoreStatus[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const listener: DenyStoreListener = {
    entry: (entry) => {
      entries.push(entry);
      wake();
    },
    status: (status) => {
      statuses.push(status);
      wake();
    },
  };
  const until = async (done: () => boolean, what: string, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return { listener, entries, statuses, until };
}

describe('redis store without a server (options, a stand-in client)', () => {
  it('refuses a missing or unusable client at creation', () => {
    expect(() => createRedisStore({} as RedisStoreOptions)).toThrow(ConfigurationError);
    expect(() => createRedisStore({ client: { sendCommand: 1 } } as unknown as RedisStoreOptions)).toThrow(
      ConfigurationError,
    );
  });

  it('refuses bad bounds at creation', () => {
    const client = { sendCommand: async () => null, on() {}, off() {}, duplicate() {} };
    const make = (extra: object) => () =>
      createRedisStore({ client, ...extra } as unknown as RedisStoreOptions);
    expect(make({ commandTimeoutMs: 0 })).toThrow(ConfigurationError);
    expect(make({ maxEntries: 1.5 })).toThrow(ConfigurationError);
    expect(make({ scanCount: -1 })).toThrow(ConfigurationError);
    expect(make({ channel: '' })).toThrow(ConfigurationError);
    expect(make({})).not.toThrow();
  });

  it('writes an entry whose add failed once the client is back, retrying while the server is loading', async () => {
    // A stand-in client: down at first, then ready but answering LOADING twice, as a restarted
    // Redis does while it reads its AOF.
    const fake = Object.assign(new EventEmitter(), {
      isOpen: true,
      isReady: false,
      loading: 2,
      sent: [] as string[][],
      async sendCommand(args: readonly string[]) {
        if (args[0] === 'ZADD' && fake.loading-- > 0) throw new Error('LOADING Redis is loading the dataset');
        fake.sent.push([...args]);
        return 1;
      },
      duplicate() {
        throw new Error('not used');
      },
    });
    const s = createRedisStore({ client: fake });
    const entry: DenyEntry = { kind: 'token', jti: 'during-outage', expiresAt: NOW + 600 };

    await expect(s.add(entry)).rejects.toThrow(/not connected/);
    expect(s.pendingCount).toBe(1);
    fake.isReady = true;
    fake.emit('ready');
    const deadline = Date.now() + 5000;
    while (s.pendingCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    expect(s.pendingCount).toBe(0);
    const names = fake.sent.map((args) => args[0]);
    expect(names.filter((n) => n === 'ZADD')).toHaveLength(1);
    expect(names.at(-1)).toBe('PUBLISH');
    expect(fake.loading).toBeLessThan(0);
    await s.close();
  });

  it('masks credentials in connection error text', () => {
    const text = describeError(new Error('connect to redis://admin:hunter2@cache.internal:6379 failed'));
    expect(text).not.toContain('hunter2');
    expect(text).toContain('redis://***@cache.internal:6379');
    expect(describeError('x'.repeat(1000)).length).toBeLessThanOrEqual(300);
  });
});

describeWithRedis('redis store (shared Redis)', available, `a Redis at ${SHARED_REDIS_URL}`, () => {
  const prefix = uniquePrefix();
  let client: RedisClientType;
  let other: RedisClientType;
  const stores: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    client = await connectClient(SHARED_REDIS_URL);
    other = await connectClient(SHARED_REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    if (client?.isReady) await deletePrefix(client, prefix);
    await client?.close();
    await other?.close();
  });

  /** A store on its own prefix (a sub-prefix of this run's). */
  function store(name: string, options: Partial<RedisStoreOptions> = {}, on = client) {
    const created = createRedisStore({ client: on, keyPrefix: `${prefix}${name}:`, ...options });
    stores.push(created);
    return created;
  }

  it('loads every kind of entry it added, with their fields intact', async () => {
    const s = store('round-trip');
    const added: DenyEntry[] = [
      { kind: 'token', jti: 'a3f1c2d4-0000-4000-8000-000000000001', expiresAt: NOW + 3600 },
      { kind: 'session', originJti: 'b3f1c2d4-0000-4000-8000-000000000002', expiresAt: NOW + 3600 },
      { kind: 'user', sub: 'c3f1c2d4-0000-4000-8000-000000000003', before: NOW, expiresAt: NOW + 86_400 },
    ];
    for (const entry of added) await s.add(entry);

    const loaded = await s.load();

    expect(loaded).toHaveLength(3);
    expect(loaded).toEqual(expect.arrayContaining(added));
  });

  it('keeps one member for an entry added twice', async () => {
    const s = store('twice');
    const entry: DenyEntry = { kind: 'token', jti: 'same', expiresAt: NOW + 60 };
    await s.add(entry);
    await s.add({ ...entry });

    expect(await s.load()).toEqual([entry]);
    expect(await client.zCard(s.key)).toBe(1);
  });

  it('skips entries past expiresAt on load, and prunes them from Redis on the next add', async () => {
    let clock = NOW * 1000;
    const s = store('expiry', { now: () => clock });
    await s.add({ kind: 'token', jti: 'short', expiresAt: NOW + 10 });
    await s.add({ kind: 'token', jti: 'long', expiresAt: NOW + 1000 });
    expect((await s.load()).map((e) => (e.kind === 'token' ? e.jti : ''))).toEqual(
      expect.arrayContaining(['short', 'long']),
    );

    clock = (NOW + 10) * 1000;
    const loaded = await s.load();
    await s.add({ kind: 'token', jti: 'later', expiresAt: NOW + 1000 });

    expect(loaded).toEqual([{ kind: 'token', jti: 'long', expiresAt: NOW + 1000 }]);
    expect((await client.zRange(s.key, 0, -1)).some((m) => m.includes('"short"'))).toBe(false);
    expect(await client.zCard(s.key)).toBe(2);
  });

  it('pushes an entry added on one store to a store on another connection, and reports connected', async () => {
    const writer = store('push');
    const reader = createRedisStore({ client: other, keyPrefix: `${prefix}push:` });
    stores.push(reader);
    const seen = recorder();
    reader.subscribe(seen.listener);
    await seen.until(() => seen.statuses.some((s) => s.type === 'connected'), 'connected');

    const entry: DenyEntry = { kind: 'session', originJti: 'pushed', expiresAt: NOW + 600 };
    await writer.add(entry);
    await seen.until(() => seen.entries.length > 0, 'the pushed entry');

    expect(seen.entries).toEqual([entry]);
    expect(writer.push).toBe(true);
  });

  it('delivers to the adding store itself and to every listener, and stops after unsubscribe', async () => {
    const s = store('listeners');
    const a = recorder();
    const b = recorder();
    s.subscribe(a.listener);
    const stopB = s.subscribe(b.listener);
    await b.until(() => b.statuses.some((x) => x.type === 'connected'), 'connected');
    await a.until(() => a.statuses.some((x) => x.type === 'connected'), 'connected');

    await s.add({ kind: 'token', jti: 'one', expiresAt: NOW + 60 });
    await b.until(() => b.entries.length === 1, 'entry one');
    stopB();
    await s.add({ kind: 'token', jti: 'two', expiresAt: NOW + 60 });
    await a.until(() => a.entries.length === 2, 'entry two');

    expect(b.entries).toHaveLength(1);
  });

  it('skips and counts hostile stored members without throwing, and still loads the good ones', async () => {
    const invalid: RedisStoreInvalidEvent[] = [];
    const s = store('hostile-load', { onInvalid: (e) => invalid.push(e) });
    const good: DenyEntry = { kind: 'user', sub: 'good', before: NOW, expiresAt: NOW + 60 };
    await s.add(good);
    const hostile = [
      'not json',
      '[]',
      'null',
      '"a string"',
      '{"kind":"token"}',
      '{"kind":"token","jti":"","expiresAt":99999999999}',
      '{"kind":"token","jti":123,"expiresAt":99999999999}',
      '{"kind":"token","jti":"x","expiresAt":"99999999999"}',
      '{"kind":"token","jti":"x","expiresAt":1e400}',
      '{"kind":"admin","jti":"x","expiresAt":99999999999}',
      '{"kind":"user","sub":"x","expiresAt":99999999999}',
      '{"kind":"user","sub":"x","before":null,"expiresAt":99999999999}',
      '{"__proto__":{"kind":"token"},"jti":"x","expiresAt":99999999999}',
      `{"kind":"token","jti":"${'j'.repeat(2000)}","expiresAt":99999999999}`,
      'x'.repeat(10_000),
    ];
    await client.zAdd(
      s.key,
      hostile.map((value) => ({ score: NOW + 60, value })),
    );

    const loaded = await s.load();

    expect(loaded).toEqual([good]);
    expect(s.invalidCount).toBe(hostile.length);
    expect(invalid.every((e) => e.source === 'load')).toBe(true);
    for (const e of invalid) for (const value of hostile) expect(e.reason).not.toContain(value);
  });

  it('accepts a stored entry with fields of a later version, ignoring them', async () => {
    const s = store('forward');
    await client.zAdd(s.key, {
      score: NOW + 60,
      value: `{"kind":"token","jti":"newer","expiresAt":${NOW + 60},"reason":"admin","v":2}`,
    });

    expect(await s.load()).toEqual([{ kind: 'token', jti: 'newer', expiresAt: NOW + 60 }]);
  });

  it('publishes writtenAt (for lag measurement) but stores members without it', async () => {
    const s = store('written-at');
    const seen = recorder();
    s.subscribe(seen.listener);
    await seen.until(() => seen.statuses.some((x) => x.type === 'connected'), 'connected');
    const entry: DenyEntry = { kind: 'token', jti: 'timed', expiresAt: NOW + 60, writtenAt: NOW * 1000 + 7 };

    await s.add(entry);
    await seen.until(() => seen.entries.length === 1, 'the entry');

    expect(seen.entries).toEqual([entry]);
    expect(await client.zRange(s.key, 0, -1)).toEqual([
      `{"kind":"token","jti":"timed","expiresAt":${NOW + 60}}`,
    ]);
  });

  it('skips and counts hostile messages on the channel, and delivers the next good one', async () => {
    const invalid: RedisStoreInvalidEvent[] = [];
    const s = store('hostile-push', { onInvalid: (e) => invalid.push(e) });
    const seen = recorder();
    s.subscribe(seen.listener);
    await seen.until(() => seen.statuses.some((x) => x.type === 'connected'), 'connected');

    for (const message of ['{', '{"kind":"session","originJti":null,"expiresAt":1}', 'y'.repeat(100_000)]) {
      await client.publish(s.channel, message);
    }
    // An expired entry is valid but not delivered (nor counted).
    await client.publish(s.channel, `{"kind":"token","jti":"old","expiresAt":${NOW - 1}}`);
    await s.add({ kind: 'token', jti: 'fine', expiresAt: NOW + 60 });
    await seen.until(() => seen.entries.length > 0, 'the good entry');

    expect(seen.entries).toEqual([{ kind: 'token', jti: 'fine', expiresAt: NOW + 60 }]);
    expect(s.invalidCount).toBe(3);
    expect(invalid.every((e) => e.source === 'message')).toBe(true);
  });

  it('guards listeners that throw: the others still get the entry', async () => {
    const s = store('throwing');
    const good = recorder();
    s.subscribe({
      entry: () => {
        throw new Error('listener bug');
      },
      status: () => {
        throw new Error('listener bug');
      },
    });
    s.subscribe(good.listener);
    await good.until(() => good.statuses.some((x) => x.type === 'connected'), 'connected');

    await s.add({ kind: 'token', jti: 'still', expiresAt: NOW + 60 });
    await good.until(() => good.entries.length === 1, 'the entry');
  });

  it('reads a set larger than one ZSCAN page, and rejects a load over maxEntries', async () => {
    const s = store('many', { scanCount: 50, maxEntries: 2000 });
    const members = Array.from({ length: 1500 }, (_, i) => ({
      score: NOW + 600,
      value: JSON.stringify({ kind: 'token', jti: `bulk-${i}`, expiresAt: NOW + 600 }),
    }));
    await client.zAdd(s.key, members);

    const loaded = await s.load();
    const tight = store('many', { scanCount: 50, maxEntries: 1000 });

    expect(new Set(loaded.map((e) => (e.kind === 'token' ? e.jti : ''))).size).toBe(1500);
    await expect(tight.load()).rejects.toThrow(/more than 1000 entries/);
  });

  it('refuses to add an entry it could not read back, before writing anything', async () => {
    const s = store('refuse');
    const bad = { kind: 'token', jti: '', expiresAt: NOW + 60 } as DenyEntry;

    await expect(s.add(bad)).rejects.toThrow(/invalid deny-list entry/);
    expect(await client.exists(s.key)).toBe(0);
  });

  it('leaves the caller’s client open on close, and rejects calls after close', async () => {
    const own = await connectClient(SHARED_REDIS_URL);
    const s = createRedisStore({ client: own, keyPrefix: `${prefix}close:` });
    const seen = recorder();
    s.subscribe(seen.listener);
    await seen.until(() => seen.statuses.some((x) => x.type === 'connected'), 'connected');

    await s.close();

    expect(own.isReady).toBe(true);
    await expect(s.load()).rejects.toThrow(/closed/);
    await expect(s.add({ kind: 'token', jti: 'z', expiresAt: NOW + 60 })).rejects.toThrow(/closed/);
    await own.close();
  });

  it('uses a subscriber the caller passes, and only unsubscribes it on close', async () => {
    const subscriber = await connectClient(SHARED_REDIS_URL);
    const s = createRedisStore({ client, subscriber, keyPrefix: `${prefix}own-sub:` });
    const seen = recorder();
    s.subscribe(seen.listener);
    await seen.until(() => seen.statuses.some((x) => x.type === 'connected'), 'connected');
    await s.add({ kind: 'token', jti: 'via-own', expiresAt: NOW + 60 });
    await seen.until(() => seen.entries.length === 1, 'the entry');

    await s.close();

    expect(subscriber.isReady).toBe(true);
    expect(await client.sendCommand(['PUBSUB', 'NUMSUB', s.channel])).toEqual([s.channel, 0]);
    await subscriber.close();
  });
});
