/**
 * The deny-list: what each kind of entry covers, expiry on the injected clock, staleness when the
 * store stops vouching for the list (push and poll stores), hostile store answers (fail closed,
 * bounded by a timeout), and the verifier consulting it on every call, cached ones included.
 * Timers are faked; the deny-list's clock is injected. Nothing waits on real time.
 */
import {
  type AuthError,
  ConfigurationError,
  createDenyList,
  createMemoryStore,
  createOidcVerifier,
  createVerifier,
  type DenyEntry,
  type DenyList,
  type DenyListEvent,
  type DenyListOptions,
  type DenyListStore,
  type DenyStoreListener,
  type VerifierOptions,
} from '@cognito-gate/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIENCE, atClaims, makeOidcKey, OIDC_ISSUER, signOidc } from '../support/oidc-signer.js';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const LIFETIME = 86_400;
let clock = NOW * 1000;
const now = () => clock;

beforeEach(() => {
  clock = NOW * 1000;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const token = (claims: Record<string, unknown> = {}, sub = SUB) => ({
  claims: { jti: 'jti-1', origin_jti: 'origin-1', iat: NOW - 60, ...claims },
  sub,
});

/** A store the test drives: answers, failures and pushes on demand. */
function fakeStore(push = true) {
  let listener: DenyStoreListener | undefined;
  const store = {
    push,
    entries: [] as unknown,
    load: vi.fn((): unknown => Promise.resolve(store.entries)),
    add: vi.fn((_entry: DenyEntry): unknown => Promise.resolve()),
    subscribe: vi.fn((l: DenyStoreListener) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    }),
    close: vi.fn(() => Promise.resolve()),
    push_: (entry: unknown) => listener?.entry(entry as DenyEntry),
    status: (status: unknown) => listener?.status(status as never),
  };
  return store;
}

function list(options: DenyListOptions = {}, events: DenyListEvent[] = []): DenyList {
  return createDenyList({ now, onEvent: (e) => events.push(e), ...options });
}

const asStore = (s: ReturnType<typeof fakeStore>) => s as unknown as DenyListStore;

describe('what each entry covers', () => {
  it('a token entry covers that jti only', async () => {
    const denyList = list();
    await denyList.ready();
    await denyList.denyToken('jti-1');
    expect(denyList.isDenied(token())).toBe(true);
    expect(denyList.isDenied(token({ jti: 'jti-2' }))).toBe(false);
  });

  it('a session entry covers every token with that origin_jti', async () => {
    const denyList = list();
    await denyList.denySession('origin-1');
    expect(denyList.isDenied(token({ jti: 'any' }))).toBe(true);
    expect(denyList.isDenied(token({ origin_jti: 'origin-2' }))).toBe(false);
  });

  it('a user entry covers tokens of that sub issued before the sign-out, and fails closed without iat', async () => {
    const denyList = list();
    await denyList.denyUser(SUB, NOW);
    expect(denyList.isDenied(token({ iat: NOW - 1 }))).toBe(true);
    expect(denyList.isDenied(token({ iat: NOW }))).toBe(false);
    expect(denyList.isDenied(token({ iat: NOW - 1 }, 'someone-else'))).toBe(false);
    for (const iat of [undefined, '9999999999', Number.NaN, null]) {
      expect(denyList.isDenied(token({ iat }))).toBe(true);
    }
  });

  it('denyUser without a time covers tokens issued earlier in the current second', async () => {
    clock = NOW * 1000 + 400;
    const denyList = list();
    await denyList.denyUser(SUB);
    expect(denyList.isDenied(token({ iat: NOW }))).toBe(true);
    expect(denyList.isDenied(token({ iat: NOW + 1 }))).toBe(false);
  });

  it('ignores claims of the wrong type instead of matching them', async () => {
    const denyList = list();
    await denyList.denyToken('1');
    expect(denyList.isDenied(token({ jti: 1 }))).toBe(false);
  });

  it('keeps one entry per identity; the later sign-out of a user wins', async () => {
    const denyList = list();
    await denyList.denyToken('jti-1');
    await denyList.denyToken('jti-1');
    await denyList.denyUser(SUB, NOW - 100);
    await denyList.denyUser(SUB, NOW);
    await denyList.denyUser(SUB, NOW - 50);
    expect(denyList.size).toBe(2);
    expect(denyList.isDenied(token({ jti: 'x', iat: NOW - 10 }))).toBe(true);
  });
});

describe('expiry', () => {
  it('drops entries once no token they cover can be valid (injected clock, periodic sweep)', async () => {
    const denyList = list({ maxTokenLifetimeSeconds: 3600 });
    await denyList.denyToken('jti-1');
    await denyList.denySession('origin-1');
    await denyList.denyUser(SUB, NOW);
    clock += 3599 * 1000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(denyList.size).toBe(3);
    clock += 3 * 1000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(denyList.size).toBe(0);
    await denyList.close();
  });

  it('defaults to one day (the longest Cognito token lifetime)', async () => {
    const entries: DenyEntry[] = [];
    const store = fakeStore();
    store.add.mockImplementation((entry) => {
      entries.push(entry);
      return Promise.resolve();
    });
    const denyList = list({ store: asStore(store) });
    await denyList.denyToken('jti-1');
    expect(entries[0]).toMatchObject({
      kind: 'token',
      jti: 'jti-1',
      expiresAt: NOW + LIFETIME,
      writtenAt: clock,
    });
  });

  it('brings an expiry further out than the longest lifetime back to it, and skips expired entries', async () => {
    const store = fakeStore();
    store.entries = [
      { kind: 'token', jti: 'far', expiresAt: NOW + 10 * LIFETIME },
      { kind: 'token', jti: 'gone', expiresAt: NOW - 1 },
    ];
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store) }, events);
    await denyList.ready();
    expect(denyList.size).toBe(1);
    expect(events).toContainEqual({ type: 'loaded', count: 2, rejected: 0, size: 1 });
    clock += (LIFETIME + 1) * 1000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(denyList.size).toBe(0);
  });
});

describe('a fleet sharing a memory store', () => {
  it('an entry written by one instance is refused by the other, with its lag reported', async () => {
    const store = createMemoryStore({ now });
    const events: DenyListEvent[] = [];
    const a = list({ store });
    const b = list({ store }, events);
    await Promise.all([a.ready(), b.ready()]);
    clock += 7;
    await a.denySession('origin-1');
    expect(b.isDenied(token())).toBe(true);
    expect(events).toContainEqual({ type: 'entry', kind: 'session' });
    expect(events).toContainEqual({ type: 'lag', ms: 0, kind: 'session' });
    // A third instance started later loads what the fleet already denied.
    const c = list({ store });
    await c.ready();
    expect(c.isDenied(token())).toBe(true);
  });
});

describe('staleness of a push store', () => {
  async function setup(options: DenyListOptions = {}) {
    const store = fakeStore(true);
    store.entries = [{ kind: 'token', jti: 'jti-old', expiresAt: NOW + 100 }];
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store), maxStaleSeconds: 30, ...options }, events);
    await denyList.ready();
    return { store, events, denyList };
  }

  it('serves the last known list for maxStaleSeconds, then fails closed, then recovers with a full load', async () => {
    const { store, events, denyList } = await setup();
    expect(denyList.state).toBe('fresh');
    store.status({ type: 'disconnected', error: 'ECONNRESET' });
    expect(events).toContainEqual({ type: 'stale', error: 'ECONNRESET' });
    clock += 30_000;
    expect(denyList.state).toBe('stale');
    clock += 1;
    expect(denyList.state).toBe('failed');
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1);
    expect(denyList.state).toBe('failed');
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1);
    // Written during the gap: pub/sub does not replay it, the reload after reconnect finds it.
    store.entries = [{ kind: 'token', jti: 'jti-gap', expiresAt: NOW + 100 }];
    store.status({ type: 'connected' });
    await vi.advanceTimersByTimeAsync(0);
    expect(denyList.state).toBe('fresh');
    expect(denyList.isDenied(token({ jti: 'jti-gap' }))).toBe(true);
    expect(denyList.isDenied(token({ jti: 'jti-old' }))).toBe(true);
    expect(events).toContainEqual({ type: 'recovered', outageMs: 30_001 });
  });

  it('retries a failed load on the refresh interval while connected', async () => {
    const { store, events, denyList } = await setup({ refreshIntervalMs: 1000 });
    store.load.mockImplementationOnce(() => Promise.reject(new Error('LOADING Redis is loading')));
    store.status({ type: 'connected' }); // a reconnect: reload, which fails
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toContainEqual({ type: 'stale', error: 'load failed: LOADING Redis is loading' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(denyList.state).toBe('fresh');
    expect(events.at(-1)).toMatchObject({ type: 'recovered' });
  });
});

describe('a push store whose push is down but whose loads work', () => {
  it('polls while disconnected: the list stays served, its bound counted from the last good load', async () => {
    const store = fakeStore(true);
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store), refreshIntervalMs: 5000, maxStaleSeconds: 10 }, events);
    await denyList.ready();
    store.status({ type: 'disconnected', error: 'subscriber connection lost' });
    store.entries = [{ kind: 'token', jti: 'jti-1', expiresAt: NOW + 600 }];
    clock += 8000;
    await vi.advanceTimersByTimeAsync(5000);
    expect(denyList.isDenied(token())).toBe(true);
    clock += 9000; // 17 s after the disconnect, 9 s after the last good load
    expect(denyList.state).toBe('stale');
    expect(events.map((e) => e.type)).not.toContain('recovered');
  });
});

describe('staleness of a store without push', () => {
  it('reloads on the interval and picks up entries written elsewhere', async () => {
    const store = fakeStore(false);
    const denyList = list({ store: asStore(store), refreshIntervalMs: 5000 });
    await denyList.ready();
    store.entries = [{ kind: 'session', originJti: 'origin-1', expiresAt: NOW + 100 }];
    clock += 5000;
    await vi.advanceTimersByTimeAsync(5000);
    expect(denyList.isDenied(token())).toBe(true);
    expect(store.load).toHaveBeenCalledTimes(2);
  });

  it('is stale past one interval plus a load once loads fail, and fails closed past maxStaleSeconds', async () => {
    const store = fakeStore(false);
    const denyList = list({
      store: asStore(store),
      refreshIntervalMs: 5000,
      storeTimeoutMs: 1000,
      maxStaleSeconds: 10,
    });
    await denyList.ready();
    store.load.mockImplementation(() => Promise.reject(new Error('ThrottlingException')));
    clock += 5000;
    await vi.advanceTimersByTimeAsync(5000);
    expect(denyList.state).toBe('stale');
    // The list is complete as of its last good load: one interval, one load, then maxStaleSeconds.
    clock += 11_000;
    expect(denyList.state).toBe('stale');
    clock += 1;
    expect(denyList.state).toBe('failed');
  });
});

describe('hostile store answers', () => {
  it.each([
    ['an object', {}],
    ['a string', 'jti-1'],
    ['null', null],
    ['an array-like', { length: 1, 0: { kind: 'token', jti: 'x', expiresAt: NOW + 1 } }],
  ])(
    'a load answering %s is a failed load: state failed, verifications fail closed',
    async (_what, answer) => {
      const store = fakeStore();
      store.load.mockImplementation(() => Promise.resolve(answer));
      const events: DenyListEvent[] = [];
      const denyList = list({ store: asStore(store) }, events);
      await denyList.ready();
      expect(denyList.state).toBe('failed');
      expect(events.map((e) => e.type)).toEqual(['stale', 'failed']);
    },
  );

  it('a load that never settles is bounded by storeTimeoutMs; ready() still resolves', async () => {
    const store = fakeStore();
    store.load.mockImplementation(() => ({ then() {} }));
    const denyList = list({ store: asStore(store), storeTimeoutMs: 2000 });
    let settled = false;
    void denyList.ready().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(denyList.state).toBe('failed');
  });

  it.each([
    [
      'throws synchronously',
      () => {
        throw new Error('boom');
      },
    ],
    [
      'answers a thenable whose then getter throws',
      () => ({
        get then() {
          throw new Error('boom');
        },
      }),
    ],
    [
      'answers a thenable that throws when called',
      () => ({
        then() {
          throw new Error('boom');
        },
      }),
    ],
  ])('a load that %s fails the load', async (_what, load) => {
    const store = fakeStore();
    store.load.mockImplementation(load);
    const denyList = list({ store: asStore(store) });
    await denyList.ready();
    expect(denyList.state).toBe('failed');
  });

  it('skips entries that cannot match anything, and reads doubtful ones the way that denies more', async () => {
    const store = fakeStore();
    const hostile = {
      kind: 'token',
      get jti(): string {
        throw new Error('getter');
      },
    };
    store.entries = [
      null,
      'jti-1',
      [],
      { kind: 'admin', jti: 'x' },
      { kind: 'token', jti: '' },
      { kind: 'token', jti: 'x'.repeat(1025) },
      { kind: 'token', jti: 5 },
      { kind: 'session', jti: 'wrong-field' },
      hostile,
      { kind: 'token', jti: 'no-expiry' },
      { kind: 'session', originJti: 'origin-1', expiresAt: 'tomorrow' },
      { kind: 'user', sub: SUB, before: 'yesterday', expiresAt: NOW + 10 },
      { kind: 'token', jti: '__proto__', expiresAt: NOW + 10 },
    ];
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store) }, events);
    await denyList.ready();
    expect(events).toContainEqual({ type: 'loaded', count: 13, rejected: 9, size: 4 });
    expect(denyList.isDenied(token({ jti: 'no-expiry', origin_jti: 'o' }, 'u'))).toBe(true);
    expect(denyList.isDenied(token({ jti: 'j', origin_jti: 'origin-1' }, 'u'))).toBe(true);
    // An unreadable sign-out time covers every token the user holds now…
    expect(denyList.isDenied(token({ jti: 'j', origin_jti: 'o', iat: NOW }))).toBe(true);
    // …but not tokens issued after it.
    expect(denyList.isDenied(token({ jti: 'j', origin_jti: 'o', iat: NOW + 1 }))).toBe(false);
    expect(denyList.isDenied(token({ jti: '__proto__', origin_jti: 'o' }, 'u'))).toBe(true);
    expect(denyList.isDenied(token({ jti: 'constructor', origin_jti: 'o' }, 'u'))).toBe(false);
    // No expiry given: kept as long as any token could still be valid, then dropped.
    clock += (LIFETIME + 1) * 1000;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(denyList.size).toBe(0);
  });

  it('reports a pushed entry it cannot use, and never throws into the store', async () => {
    const store = fakeStore();
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store) }, events);
    await denyList.ready();
    expect(() => store.push_({ kind: 'token' })).not.toThrow();
    expect(() => store.push_(undefined)).not.toThrow();
    expect(() => store.status(null)).not.toThrow();
    expect(() => store.status({ type: 'disconnected', error: { toString: () => 1 } })).not.toThrow();
    expect(events).toContainEqual({ type: 'invalid_entry', reason: 'token entry without a usable jti' });
    expect(denyList.size).toBe(0);
  });

  it('an onEvent hook that throws changes nothing', async () => {
    const store = createMemoryStore({ now });
    const denyList = createDenyList({
      store,
      now,
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    await denyList.ready();
    await createDenyList({ store, now }).denyToken('jti-1');
    expect(denyList.isDenied(token())).toBe(true);
  });
});

describe('deny()', () => {
  it('applies the entry at once and rejects when the store write fails; the entry stays', async () => {
    const store = fakeStore();
    store.add.mockImplementation(() => Promise.reject(new Error('READONLY')));
    const denyList = list({ store: asStore(store) });
    await expect(denyList.denyToken('jti-1')).rejects.toThrow('READONLY');
    expect(denyList.isDenied(token())).toBe(true);
  });

  it('rejects a write that never settles after storeTimeoutMs', async () => {
    const store = fakeStore();
    store.add.mockImplementation(() => new Promise(() => {}));
    const denyList = list({ store: asStore(store), storeTimeoutMs: 500 });
    const written = denyList.denySession('origin-1');
    const outcome = expect(written).rejects.toThrow('did not answer within 500 ms');
    await vi.advanceTimersByTimeAsync(500);
    await outcome;
    expect(denyList.isDenied(token())).toBe(true);
  });

  it.each([
    ['an empty jti', (d: DenyList) => d.denyToken('')],
    ['a non-string session', (d: DenyList) => d.denySession(42 as never)],
    ['an unknown kind', (d: DenyList) => d.deny({ kind: 'ip', ip: '1.2.3.4' } as never)],
    ['null', (d: DenyList) => d.deny(null as never)],
    ['a sign-out time that is not a number', (d: DenyList) => d.denyUser('sub', Number.NaN)],
    ['an entry without expiresAt', (d: DenyList) => d.deny({ kind: 'token', jti: 'j' } as never)],
  ])('rejects %s with a TypeError and writes nothing', async (_what, call) => {
    const store = fakeStore();
    const denyList = list({ store: asStore(store) });
    await expect(call(denyList)).rejects.toThrow(TypeError);
    expect(store.add).not.toHaveBeenCalled();
  });
});

describe('options', () => {
  it.each([
    [{ whenStale: 'open' }, /no open mode/],
    [{ maxStaleSeconds: Number.POSITIVE_INFINITY }, /maxStaleSeconds/],
    [{ maxTokenLifetimeSeconds: 0 }, /maxTokenLifetimeSeconds/],
    [{ refreshIntervalMs: 0 }, /refreshIntervalMs/],
    [{ storeTimeoutMs: -1 }, /storeTimeoutMs/],
    [{ store: { push: true, load() {} } }, /store must have/],
    [{ ttl: 5 }, /unknown option ttl/],
  ])('rejects %o at creation', (options, message) => {
    expect(() => createDenyList(options as DenyListOptions)).toThrow(ConfigurationError);
    expect(() => createDenyList(options as DenyListOptions)).toThrow(message);
  });

  it('close() stops its timers and subscription, and leaves a store passed in open', async () => {
    const store = fakeStore(false);
    const denyList = list({ store: asStore(store), refreshIntervalMs: 1000 });
    await denyList.ready();
    await denyList.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.load).toHaveBeenCalledTimes(1);
    expect(store.close).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the verifier consults the deny-list on every call', () => {
  const key = makeKey('key-1');
  const jwt = signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(), key);

  function verifier(denyList: DenyList, overrides: Partial<VerifierOptions> = {}) {
    return createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [key.jwk] }, fetch: false },
      now,
      denyList,
      ...overrides,
    });
  }

  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: AuthError) => e.code,
    );
  const syncCode = (call: () => unknown) => {
    try {
      call();
      return 'ok';
    } catch (e) {
      return (e as AuthError).code;
    }
  };

  it('refuses a cached token once denied, in verify, verifyDirect, verifySync and verifyAuthorization', async () => {
    const denyList = list();
    const v = verifier(denyList);
    await v.verify(jwt);
    expect(v.cachedTokens).toBe(1);
    await denyList.denyToken('jti-1');
    expect(await code(v.verify(jwt))).toBe('revoked');
    expect(syncCode(() => v.verifyDirect(jwt))).toBe('revoked');
    expect(syncCode(() => v.verifySync(jwt))).toBe('revoked');
    expect(await code(v.verifyAuthorization(`Bearer ${jwt}`))).toBe('revoked');
  });

  it('answers revoked (401) before a rule would answer 403', async () => {
    const denyList = list();
    await denyList.denySession('origin-1');
    expect(await code(verifier(denyList).verify(jwt, { groups: 'nobody' }))).toBe('revoked');
  });

  it('stays synchronous on a fresh list (no promise, no extra turn)', async () => {
    const denyList = list();
    await denyList.ready();
    const v = verifier(denyList);
    expect(v.verifyDirect(jwt)).not.toBeInstanceOf(Promise);
  });

  it('waits for the first load in verify, and fails closed in verifySync meanwhile', async () => {
    const store = fakeStore();
    let release: (entries: unknown) => void = () => {};
    store.load.mockImplementation(() => new Promise((resolve) => (release = resolve)));
    const denyList = list({ store: asStore(store) });
    const v = verifier(denyList);
    expect(syncCode(() => v.verifySync(jwt))).toBe('revocation_unavailable');
    const pending = code(v.verify(jwt));
    release([{ kind: 'token', jti: 'jti-1', expiresAt: NOW + 60 }]);
    expect(await pending).toBe('revoked');
  });

  it('waits for one reload when a poll store was left old by timers that did not run (frozen Lambda)', async () => {
    const store = fakeStore(false);
    const events: DenyListEvent[] = [];
    const denyList = list({ store: asStore(store), refreshIntervalMs: 5000, maxStaleSeconds: 30 }, events);
    await denyList.ready();
    const v = verifier(denyList);
    store.entries = [{ kind: 'token', jti: 'jti-1', expiresAt: NOW + 600 }];
    clock += 300_000; // thawed after five idle minutes; the interval timer has not fired yet
    expect(syncCode(() => v.verifySync(jwt))).toBe('revocation_unavailable');
    expect(await code(v.verify(jwt))).toBe('revoked');
    expect(denyList.state).toBe('fresh');
    // An overdue list is reloaded, not announced as an outage.
    expect(events.map((e) => e.type)).not.toContain('failed');
  });

  it.each([
    ['unavailable', 'revocation_unavailable', 503],
    ['revoke', 'revoked', 401],
  ] as const)('past the staleness bound, whenStale %s answers %s', async (whenStale, expected, status) => {
    const store = fakeStore();
    const denyList = list({ store: asStore(store), whenStale, maxStaleSeconds: 5 });
    await denyList.ready();
    const v = verifier(denyList);
    store.status({ type: 'disconnected', error: 'ECONNREFUSED' });
    clock += 5000;
    expect(await code(v.verify(jwt))).toBe('ok');
    clock += 1;
    const error = await v.verify(jwt).catch((e: AuthError) => e);
    expect(error).toMatchObject({ code: expected, status });
    if (status === 503) {
      expect((error as AuthError).headers).toEqual({ 'retry-after': '5' });
      expect((error as AuthError).detail).toBe('deny-list unavailable: ECONNREFUSED');
    }
  });

  it('rejects a denyList that createDenyList did not make', () => {
    const fake = { isDenied: () => false, state: 'fresh' };
    expect(() => verifier(fake as never)).toThrow(/denyList must be made by createDenyList/);
  });

  it('is taken by the OIDC verifier too', async () => {
    const oidcKey = makeOidcKey('ES256');
    const oidcToken = signOidc({ typ: 'at+jwt' }, atClaims(), oidcKey);
    const denyList = list();
    const v = createOidcVerifier({
      issuer: OIDC_ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwks: { keys: [oidcKey.jwk], fetch: false },
      now,
      denyList,
    });
    expect(await code(v.verify(oidcToken))).toBe('ok');
    await denyList.denyToken('at-jti-1');
    expect(await code(v.verify(oidcToken))).toBe('revoked');
    expect(syncCode(() => v.verifySync(oidcToken))).toBe('revoked');
  });
});
