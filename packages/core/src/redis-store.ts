/**
 * A deny-list store on Redis, for fleets of servers. Entries live in one sorted set scored by
 * `expiresAt` (so pruning is one `ZREMRANGEBYSCORE` and a load is a bounded `ZSCAN`); every `add`
 * publishes the entry on a channel that every instance subscribes to. Pub/sub does not replay what
 * was sent while a subscriber was away, so the store reports `disconnected` as soon as either
 * connection drops and `connected` only once the subscription is live again: the deny-list reloads
 * on `connected`, and an entry is then either in the set it loads or in a message it receives.
 * An `add` that fails (not connected, error, timeout) rejects, and the store keeps the entry and
 * writes it once the connection is back, so a sign-out during an outage still reaches the fleet.
 *
 * The caller creates the client (node-redis 5 or 6, `redis` on npm), so TLS, auth, sentinel and
 * retry settings stay theirs. This module never imports `redis`: it needs only the few methods typed
 * below, and importing `@cognito-gate/core` never loads it.
 */
import { decodeDenyEntry, encodeDenyEntry } from './deny-entry-json.js';
import type { DenyEntry, DenyListStore, DenyStoreListener, DenyStoreStatus } from './deny-list-store.js';
import { ConfigurationError } from './options.js';

/** The commands connection: a node-redis client (its `sendCommand`, readiness and events). */
export interface RedisStoreClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: readonly string[]): Promise<unknown>;
  on(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: (error?: unknown) => void): unknown;
  off(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: (error?: unknown) => void): unknown;
  /** A new, unconnected client with the same settings: the default subscriber. */
  duplicate?(): RedisStoreSubscriber;
}

/** The subscriber connection: a node-redis client dedicated to pub/sub. */
export interface RedisStoreSubscriber extends Omit<RedisStoreClient, 'sendCommand' | 'duplicate'> {
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Closes at once, also while (re)connecting: used on a subscriber the store created. */
  destroy?(): void;
  close?(): Promise<unknown>;
}

/** Why a stored entry or a message was skipped. `reason` never quotes the value. */
export interface RedisStoreInvalidEvent {
  readonly source: 'load' | 'message';
  readonly reason: string;
}

export interface RedisStoreOptions {
  /** Runs ZADD, ZSCAN, ZREMRANGEBYSCORE and PUBLISH. Yours: the store never closes it. */
  readonly client: RedisStoreClient;
  /**
   * A connection for SUBSCRIBE (RESP2 gives pub/sub a connection of its own). Default:
   * `client.duplicate()`, connected by the store and closed by `close()`. One you pass is connected
   * if it is not open yet, and left open by `close()`.
   */
  readonly subscriber?: RedisStoreSubscriber;
  /** Prefix of the sorted set's key (`{prefix}entries`). Use a `{hash tag}` on Redis Cluster if you like. */
  readonly keyPrefix?: string;
  /** The pub/sub channel; `{keyPrefix}events` by default. */
  readonly channel?: string;
  /** A command that has not answered within this many ms rejects. Default 2000 (below the deny-list's 3000). */
  readonly commandTimeoutMs?: number;
  /** `load()` rejects when the set holds more entries than this (a flood, or the wrong key). Default 1,000,000. */
  readonly maxEntries?: number;
  /**
   * Entries whose `add` failed (not connected, error, timeout) are kept and written when the client
   * is ready again; at most this many (more are only rejected). Default 10,000.
   */
  readonly maxPending?: number;
  /** ZSCAN `COUNT` hint per call. Default 1000. */
  readonly scanCount?: number;
  /** Clock in ms, to skip and prune entries that have expired. Default `Date.now`. */
  readonly now?: () => number;
  /** Called for each malformed stored entry or message (skipped, never delivered). Must not throw. */
  readonly onInvalid?: (event: RedisStoreInvalidEvent) => void;
}

/** The Redis store: a {@link DenyListStore} with its key, channel and count of skipped values. */
export interface RedisDenyListStore extends DenyListStore {
  readonly key: string;
  readonly channel: string;
  /** Stored entries and messages skipped as malformed since the store was created. */
  readonly invalidCount: number;
  /** Entries whose `add` failed, waiting to be written when the connection is back. */
  readonly pendingCount: number;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'cognito-gate:deny:';
const EVENTS = ['ready', 'error', 'end', 'reconnecting'] as const;
const REPLAY_RETRY_MS = 250;

/**
 * Creates the Redis store. The deny-list calls `subscribe`, `load` and `add`; you call nothing but
 * `close()` on shutdown (after the deny-list's).
 *
 * @example
 * import { createClient } from 'redis';
 * import { createRedisStore } from '@cognito-gate/core/redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (err) => log.warn(err));
 * await client.connect();
 * const store = createRedisStore({ client });
 */
export function createRedisStore(options: RedisStoreOptions): RedisDenyListStore {
  const settings = checkOptions(options);
  const { client, key, channel, timeoutMs, maxEntries, scanCount, now } = settings;
  const listeners = new Set<DenyStoreListener>();
  let subscriber = options.subscriber;
  const ownsSubscriber = subscriber === undefined;
  let subscribed = false;
  let subscribing: Promise<void> | undefined;
  let connected: boolean | undefined;
  let closed = false;
  let invalidCount = 0;
  const maxPending = settings.maxPending;

  const invalid = (source: RedisStoreInvalidEvent['source'], reason: string) => {
    invalidCount++;
    try {
      options.onInvalid?.({ source, reason });
    } catch {
      // An observer must not break loading or delivery.
    }
  };

  const tell = (status: DenyStoreStatus, only?: DenyStoreListener) => {
    for (const listener of only === undefined ? [...listeners] : [only]) {
      try {
        listener.status(status);
      } catch {
        // Guarded: the contract says listeners must not throw.
      }
    }
  };

  const up = () => {
    if (closed || connected === true || !subscribed) return;
    if (!client.isReady || subscriber?.isReady !== true) return;
    connected = true;
    tell({ type: 'connected' });
  };

  const down = (error: unknown) => {
    if (closed || connected === false) return;
    connected = false;
    tell({ type: 'disconnected', error: describeError(error) });
  };

  const onMessage = (message: string) => {
    const decoded = decodeDenyEntry(message);
    if (!decoded.ok) {
      invalid('message', decoded.reason);
      return;
    }
    if (decoded.entry.expiresAt * 1000 <= now()) return;
    for (const listener of [...listeners]) {
      try {
        listener.entry(decoded.entry);
      } catch {
        // Guarded, as above.
      }
    }
  };

  // node-redis emits 'ready' on a reconnect only after it has resubscribed, so 'ready' on the
  // subscriber means pushes flow again; 'error' and 'reconnecting' come first when a socket drops.
  const handlers = {
    ready: () => {
      void replay();
      up();
    },
    error: (error?: unknown) => down(error ?? 'connection error'),
    end: () => down('connection closed'),
    reconnecting: () => down('reconnecting'),
  };
  const attach = (emitter: RedisStoreClient | RedisStoreSubscriber) => {
    for (const event of EVENTS) emitter.on(event, handlers[event]);
  };
  const detach = (emitter: RedisStoreClient | RedisStoreSubscriber) => {
    for (const event of EVENTS) emitter.off(event, handlers[event]);
  };

  const startSubscription = async (): Promise<void> => {
    if (subscriber === undefined) {
      if (client.duplicate === undefined) throw new ConfigurationError('redis store: pass `subscriber`');
      subscriber = client.duplicate();
    }
    const sub = subscriber;
    attach(sub);
    if (!sub.isOpen) await sub.connect();
    if (closed) return;
    await sub.subscribe(channel, onMessage);
    subscribed = true;
    if (closed && !ownsSubscriber) await sub.unsubscribe(channel, onMessage);
    up();
  };

  const ensureSubscribed = () => {
    subscribing ??= startSubscription().catch((error: unknown) => {
      // node-redis retries the connection itself; a failure here is a closed client or bad settings.
      subscribing = undefined;
      down(error);
    });
    return subscribing;
  };

  const load = async (): Promise<readonly DenyEntry[]> => {
    if (closed) throw new Error('redis store: closed');
    // A load must start after the subscription is live, or an entry published in between would
    // be in neither the load nor a message (the deny-list subscribes first, then loads).
    if (subscribing !== undefined) await withTimeout(subscribing, timeoutMs, 'SUBSCRIBE');
    const nowSeconds = now() / 1000;
    const entries: DenyEntry[] = [];
    // ZSCAN returns every member present for the whole scan (perhaps twice; duplicates are
    // harmless), whatever is added or pruned meanwhile; paging by rank or score would skip some.
    let cursor = '0';
    let seen = 0;
    do {
      const reply = await command(['ZSCAN', key, cursor, 'COUNT', String(scanCount)]);
      const page = scanPage(reply);
      if (page === undefined) throw new Error('redis store: unexpected ZSCAN reply');
      cursor = page.cursor;
      seen += page.members.length;
      if (seen > maxEntries) throw new Error(`redis store: more than ${maxEntries} entries under ${key}`);
      for (const member of page.members) {
        const decoded = decodeDenyEntry(member);
        if (!decoded.ok) invalid('load', decoded.reason);
        else if (decoded.entry.expiresAt > nowSeconds) entries.push(decoded.entry);
      }
    } while (cursor !== '0');
    return entries;
  };

  const add = async (entry: DenyEntry): Promise<void> => {
    if (closed) throw new Error('redis store: closed');
    const member = encodeDenyEntry(entry);
    // Not connected: fail now rather than wait in the client's offline queue for an unknown time.
    if (!client.isReady) {
      keep(member, entry);
      throw new Error('redis store: not connected (the entry is written when the connection is back)');
    }
    try {
      // An add after subscribe() on this store reaches its own listeners: publish once SUBSCRIBE is live.
      if (subscribing !== undefined) await withTimeout(subscribing, timeoutMs, 'SUBSCRIBE');
      await write(member, entry);
    } catch (error) {
      keep(member, entry);
      throw error;
    }
  };

  /** Durable first, then announced: an instance that misses the message finds it on its reload. */
  const write = async (member: string, entry: DenyEntry) => {
    const zadd = command(['ZADD', key, String(entry.expiresAt), member]);
    const prune = command(['ZREMRANGEBYSCORE', key, '-inf', String(Math.floor(now() / 1000))]);
    await Promise.all([zadd, prune]);
    await command(['PUBLISH', channel, encodeDenyEntry(entry, true)]);
  };

  // A failed add rejects (the deny-list reports it), and the store still writes the entry once
  // the connection is back, so a sign-out during an outage reaches the fleet without a retry.
  // Bounded; ZADD and PUBLISH of an entry twice are harmless.
  const pending = new Map<string, DenyEntry>();
  const keep = (member: string, entry: DenyEntry) => {
    if (pending.size < maxPending || pending.has(member)) pending.set(member, entry);
  };
  let replaying = false;
  let retry: NodeJS.Timeout | undefined;
  const replay = async () => {
    if (replaying || closed) return;
    replaying = true;
    clearTimeout(retry);
    try {
      for (const [member, entry] of [...pending]) {
        if (closed || !client.isReady) return;
        // Counted as pending until written: a failed write leaves it for the next try.
        if (entry.expiresAt * 1000 > now()) await write(member, entry);
        pending.delete(member);
      }
    } catch {
      // Left pending; retried below or on the next connection.
    } finally {
      replaying = false;
      // Ready is not always writable (a restarted server answers LOADING while it reads its AOF):
      // try again shortly; a new connection triggers a replay of its own.
      if (pending.size > 0 && !closed && client.isReady) {
        retry = setTimeout(() => void replay(), REPLAY_RETRY_MS);
        retry.unref?.();
      }
    }
  };

  const command = (args: readonly string[]): Promise<unknown> =>
    withTimeout(client.sendCommand(args), timeoutMs, args[0]!);

  const subscribe = (listener: DenyStoreListener) => {
    // Wrapped, so the same listener subscribed twice gets two independent subscriptions.
    const own: DenyStoreListener = { entry: (e) => listener.entry(e), status: (s) => listener.status(s) };
    if (closed) return () => {};
    listeners.add(own);
    void ensureSubscribed();
    // A late listener learns the state the others already know.
    queueMicrotask(() => {
      if (!listeners.has(own) || connected === undefined) return;
      tell(connected ? { type: 'connected' } : { type: 'disconnected', error: 'not connected' }, own);
    });
    return () => {
      listeners.delete(own);
    };
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    clearTimeout(retry);
    listeners.clear();
    detach(client);
    const sub = subscriber;
    if (sub === undefined) return;
    detach(sub);
    if (ownsSubscriber) {
      // destroy() also ends a connect() that is still retrying against a server that is down.
      if (sub.destroy !== undefined) sub.destroy();
      else await sub.close?.().catch(() => {});
    } else if (subscribed) {
      await sub.unsubscribe(channel, onMessage).catch(() => {});
    }
  };

  attach(client);
  return {
    push: true,
    key,
    channel,
    get invalidCount() {
      return invalidCount;
    },
    get pendingCount() {
      return pending.size;
    },
    load,
    add,
    subscribe,
    close,
  };
}

function checkOptions(options: RedisStoreOptions) {
  const client = options?.client;
  if (typeof client?.sendCommand !== 'function' || typeof client.on !== 'function') {
    throw new ConfigurationError('redis store: `client` must be a node-redis client');
  }
  if (options.subscriber === undefined && typeof client.duplicate !== 'function') {
    throw new ConfigurationError('redis store: pass `subscriber` (the client has no duplicate())');
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  if (typeof keyPrefix !== 'string')
    throw new ConfigurationError('redis store: `keyPrefix` must be a string');
  const channel = options.channel ?? `${keyPrefix}events`;
  if (typeof channel !== 'string' || channel === '') {
    throw new ConfigurationError('redis store: `channel` must be a non-empty string');
  }
  return {
    client,
    key: `${keyPrefix}entries`,
    channel,
    timeoutMs: positiveInteger(options.commandTimeoutMs, 2000, 'commandTimeoutMs'),
    maxEntries: positiveInteger(options.maxEntries, 1_000_000, 'maxEntries'),
    maxPending: positiveInteger(options.maxPending, 10_000, 'maxPending'),
    scanCount: positiveInteger(options.scanCount, 1000, 'scanCount'),
    now: options.now ?? Date.now,
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigurationError(`redis store: \`${name}\` must be a positive integer`);
  }
  return value;
}

/** `[cursor, [member, score, member, score, …]]`, checked: members are every other item. */
function scanPage(reply: unknown): { cursor: string; members: string[] } | undefined {
  if (!Array.isArray(reply) || reply.length !== 2) return undefined;
  const [cursor, items] = reply as [unknown, unknown];
  if (
    typeof cursor !== 'string' ||
    !/^\d+$/.test(cursor) ||
    !Array.isArray(items) ||
    items.length % 2 !== 0
  ) {
    return undefined;
  }
  const members: string[] = [];
  // Non-string members (RESP3 maps, buffers) are passed on to the decoder, which refuses them.
  for (let i = 0; i < items.length; i += 2) members.push(items[i] as string);
  return { cursor, members };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis store: ${what} did not answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Operator-facing text for a connection problem: the error's message only (never its options),
 * with any `user:password@` in a URL masked, and bounded in length.
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\/\/[^\s/@]*@/g, '//***@').slice(0, 300);
}
