/**
 * `createDenyList`: sign-out that takes effect. Each instance holds the fleet's deny-list in memory
 * (three maps: token `jti`, session `origin_jti`, user `sub` → sign-out time), so the check on every
 * verification is at most three Map lookups, and for a cached result already found not denied by
 * an unchanged list, two property reads; it never touches the network. The store behind it shares the
 * list: a full load at start and after every gap, push (or polling, for stores without push) in
 * between.
 *
 * When the store cannot vouch for the list, the last known list is served for `maxStaleSeconds`,
 * then the verifier fails closed (`whenStale`). There is deliberately no "open" mode: serving a list
 * known to be incomplete without a bound is how a sign-out silently stops working.
 */
import { readEntry } from './deny-entry.js';
import {
  type DeniableToken,
  type DenyList,
  type DenyListEvent,
  type DenyListOptions,
  type DenyListState,
  resolveDenyListOptions,
} from './deny-list-options.js';
import type { DenyEntry, DenyListStore, DenyStoreListener, DenyStoreStatus } from './deny-list-store.js';
import { AuthError } from './errors.js';
import { createMemoryStore } from './memory-store.js';
import { fail } from './options.js';
import { DENY_MEMO, type DenyMemo } from './verified-token.js';

export type {
  DeniableToken,
  DenyList,
  DenyListEvent,
  DenyListOptions,
  DenyListState,
} from './deny-list-options.js';

/**
 * The verifier's check, keyed by a registry symbol so two installed copies of this package still
 * recognise each other's deny-lists. Throws `revoked` / `revocation_unavailable`, returns a promise
 * when it must wait for a load (first load, or a list left old by a frozen process), else undefined.
 */
export const DENY_CHECK = Symbol.for('@cognito-gate/core.deny-list-check');
export interface DenyCheck {
  [DENY_CHECK](token: DeniableToken, mayWait: boolean): Promise<void> | undefined;
}

const MAX_LOADED = 1_000_000;
const SWEEP_INTERVAL_MS = 5000;
const SWEEP_BATCH = 2048;

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed';
  return text.split('\n', 1)[0]!.slice(0, 200);
}

/** A store call that settles within `ms`, whatever the store answers (throws, thenables, nothing). */
function within<T>(call: () => unknown, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`store ${what}() did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    try {
      Promise.resolve(call()).then(
        (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}

class StoreDenyList implements DenyList {
  readonly #tokens = new Map<string, number>();
  readonly #sessions = new Map<string, number>();
  readonly #users = new Map<string, { before: number; expiresAt: number }>();
  readonly #store: DenyListStore;
  readonly #ownsStore: boolean;
  readonly #push: boolean;
  readonly #lifetime: number;
  readonly #revoke: boolean;
  readonly #maxStaleMs: number;
  readonly #refreshMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #emit: (event: DenyListEvent) => void;
  readonly #ready: Promise<void>;
  readonly #unsubscribe: () => void;
  readonly #sweepTimer: ReturnType<typeof setInterval>;
  #sweep: Iterator<[string, unknown]> | undefined;
  #sweepMap = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #loading: Promise<void> | undefined;
  #loaded = false;
  /** Start of the last successful load: the list is complete as of then. */
  #loadedAt = 0;
  /** Since when the store cannot vouch for the list (disconnected, or a load failed). */
  #outageSince: number | undefined;
  #outageError = '';
  #failedAnnounced = false;
  #disconnected = false;
  #closed = false;
  /** Bumped by every entry applied: a result's memo of "not denied" holds until it changes. */
  #version = 0;
  /** `#version` while the list is current (push store, loaded, no outage), else -2: one comparison per call. */
  #fast = -2;

  constructor(options: DenyListOptions) {
    const resolved = resolveDenyListOptions(options);
    this.#lifetime = resolved.lifetimeSeconds;
    this.#revoke = resolved.revoke;
    this.#maxStaleMs = resolved.maxStaleMs;
    this.#refreshMs = resolved.refreshMs;
    this.#timeoutMs = resolved.timeoutMs;
    this.#now = resolved.now;
    this.#emit = resolved.emit;
    this.#ownsStore = resolved.store === undefined;
    this.#store = resolved.store ?? createMemoryStore({ now: this.#now });
    this.#push = this.#store.push;
    this.#sweepTimer = setInterval(() => this.#sweepSome(), SWEEP_INTERVAL_MS);
    this.#sweepTimer.unref?.();
    // Subscribe before loading: an entry written while the load runs arrives by push, not lost.
    this.#unsubscribe = this.#subscribe();
    this.#ready = this.#reload();
  }

  get size(): number {
    return this.#tokens.size + this.#sessions.size + this.#users.size;
  }

  get state(): DenyListState {
    return this.#stateAt(this.#now());
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  denyToken(jti: string): Promise<void> {
    return this.deny({ kind: 'token', jti, expiresAt: this.#nowSeconds() + this.#lifetime });
  }

  denySession(originJti: string): Promise<void> {
    return this.deny({ kind: 'session', originJti, expiresAt: this.#nowSeconds() + this.#lifetime });
  }

  denyUser(sub: string, before?: number): Promise<void> {
    // Rounded up: a token issued earlier in the same second as the sign-out is covered too.
    const at = before ?? Math.floor(this.#nowSeconds()) + 1;
    return this.deny({
      kind: 'user',
      sub,
      before: at,
      expiresAt: Math.max(at, this.#nowSeconds()) + this.#lifetime,
    });
  }

  async deny(entry: DenyEntry): Promise<void> {
    // Store data is read leniently (deny-entry.ts); a caller's mistake is refused instead.
    const times = entry as { expiresAt?: unknown; before?: unknown; kind?: unknown } | null;
    if (typeof times === 'object' && times !== null) {
      if (!Number.isFinite(times.expiresAt))
        throw new TypeError('cognito-gate: deny(): expiresAt must be a number');
      if (times.kind === 'user' && !Number.isFinite(times.before))
        throw new TypeError('cognito-gate: deny(): before must be a number of epoch seconds');
    }
    const raw = typeof entry === 'object' && entry !== null ? { writtenAt: this.#now(), ...entry } : entry;
    const parsed = readEntry(raw, this.#nowSeconds(), this.#lifetime);
    if (typeof parsed === 'string') throw new TypeError(`cognito-gate: deny(): ${parsed}`);
    if (this.#closed) throw new Error('cognito-gate: the deny-list is closed');
    this.#apply(parsed);
    await within<void>(() => this.#store.add(parsed), this.#timeoutMs, 'add');
  }

  isDenied(token: DeniableToken): boolean {
    const claims = token.claims;
    if (this.#tokens.size !== 0) {
      const jti = claims.jti;
      if (typeof jti === 'string' && this.#tokens.has(jti)) return true;
    }
    if (this.#sessions.size !== 0) {
      const originJti = claims.origin_jti;
      if (typeof originJti === 'string' && this.#sessions.has(originJti)) return true;
    }
    if (this.#users.size !== 0) {
      const user = this.#users.get(token.sub);
      if (user !== undefined) {
        const iat = claims.iat;
        // A token without a numeric iat cannot prove it came after the sign-out: denied.
        return typeof iat !== 'number' || !(iat >= user.before);
      }
    }
    return false;
  }

  [DENY_CHECK](token: DeniableToken, mayWait: boolean): Promise<void> | undefined {
    // A result found not denied by this list, which is current and has gained nothing since.
    const memo = (token as { [DENY_MEMO]?: DenyMemo })[DENY_MEMO];
    if (memo !== undefined && memo.version === this.#fast && memo.list === this) return undefined;
    if (memo === undefined || memo.list !== this || memo.version !== this.#version) {
      if (this.isDenied(token)) throw new AuthError('revoked', { detail: 'on the deny-list' });
      if (memo !== undefined) {
        memo.list = this;
        memo.version = this.#version;
      }
    }
    // A connected push store with a loaded list is current: no clock reading needed.
    if (this.#push && this.#loaded && this.#outageSince === undefined) return undefined;
    const state = this.#stateAt(this.#now());
    if (state === 'fresh' || state === 'stale') {
      if (state === 'stale' && !this.#push && this.#outageSince === undefined) void this.#reload();
      return undefined;
    }
    // Not loaded yet, or left old by timers that did not run (a frozen Lambda): worth one wait.
    if (this.#outageSince === undefined) {
      const reloaded = this.#reload();
      if (mayWait) return reloaded.then(() => this[DENY_CHECK](token, false));
    }
    throw this.#unavailable();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweepTimer);
    clearTimeout(this.#refreshTimer);
    try {
      this.#unsubscribe();
    } catch {
      // The store's problem; this deny-list is closed either way.
    }
    if (this.#ownsStore) await this.#store.close();
  }

  #syncFast(): void {
    const current = this.#push && this.#loaded && this.#outageSince === undefined;
    this.#fast = current ? this.#version : -2;
  }

  #nowSeconds(): number {
    return this.#now() / 1000;
  }

  #stateAt(now: number): DenyListState {
    if (!this.#loaded) return this.#outageSince === undefined ? 'loading' : 'failed';
    let state: DenyListState;
    if (this.#push) {
      state =
        this.#outageSince === undefined
          ? 'fresh'
          : now - this.#outageSince <= this.#maxStaleMs
            ? 'stale'
            : 'failed';
    } else {
      // Without push the list is as old as its last load; one interval (plus the load) is normal.
      const age = now - this.#loadedAt;
      const normal = this.#refreshMs + this.#timeoutMs;
      state =
        age <= normal && this.#outageSince === undefined
          ? 'fresh'
          : age <= normal + this.#maxStaleMs
            ? 'stale'
            : 'failed';
    }
    // A list left old without a known outage (timers that did not run) is reloaded, not announced.
    if (state === 'failed' && this.#outageSince !== undefined) this.#announceFailed(this.#outageError);
    return state;
  }

  #unavailable(): AuthError {
    const detail = `deny-list unavailable: ${this.#outageError || 'not loaded'}`;
    if (this.#revoke) return new AuthError('revoked', { detail });
    // The next reload attempt comes within one refresh interval.
    const retryAfterSeconds = Math.max(1, Math.ceil(this.#refreshMs / 1000));
    return new AuthError('revocation_unavailable', { detail, retryAfterSeconds });
  }

  #announceFailed(error: string): void {
    if (this.#failedAnnounced) return;
    this.#failedAnnounced = true;
    this.#emit({ type: 'failed', error });
  }

  #outage(at: number, error: string): void {
    this.#outageError = error;
    if (this.#outageSince !== undefined) return;
    this.#outageSince = at;
    this.#syncFast();
    this.#emit({ type: 'stale', error });
  }

  #subscribe(): () => void {
    const listener: DenyStoreListener = {
      entry: (raw) => {
        try {
          this.#received(raw);
        } catch {
          // Never throw into the store's delivery loop.
        }
      },
      status: (status) => {
        try {
          this.#statusChanged(status);
        } catch {
          // As above.
        }
      },
    };
    try {
      const stop = this.#store.subscribe(listener);
      return typeof stop === 'function' ? stop : () => {};
    } catch (error) {
      this.#disconnected = true;
      this.#outage(this.#now(), `subscribe() failed: ${describe(error)}`);
      return () => {};
    }
  }

  #received(raw: unknown): void {
    if (this.#closed) return;
    const now = this.#now();
    const entry = readEntry(raw, now / 1000, this.#lifetime);
    if (typeof entry === 'string') {
      if (entry !== 'expired') this.#emit({ type: 'invalid_entry', reason: entry });
      return;
    }
    this.#apply(entry);
    this.#emit({ type: 'entry', kind: entry.kind });
    if (entry.writtenAt !== undefined) {
      this.#emit({ type: 'lag', ms: Math.max(0, now - entry.writtenAt), kind: entry.kind });
    }
  }

  #statusChanged(status: DenyStoreStatus): void {
    if (this.#closed || typeof status !== 'object' || status === null) return;
    if (status.type === 'connected') {
      this.#disconnected = false;
      this.#emit({ type: 'connected' });
      // Pub/sub does not replay what was sent during a gap: (re)load the full list on every
      // connection (the first one joins the initial load).
      void this.#reload();
    } else if (status.type === 'disconnected') {
      this.#disconnected = true;
      this.#outage(this.#now(), describe(status.error));
      this.#schedule();
    }
  }

  #apply(entry: DenyEntry): void {
    this.#version++;
    this.#syncFast();
    if (entry.kind === 'token') {
      this.#tokens.set(entry.jti, Math.max(entry.expiresAt, this.#tokens.get(entry.jti) ?? 0));
    } else if (entry.kind === 'session') {
      const held = this.#sessions.get(entry.originJti) ?? 0;
      this.#sessions.set(entry.originJti, Math.max(entry.expiresAt, held));
    } else {
      // Two sign-outs of one user: the later one covers everything the earlier one did.
      const held = this.#users.get(entry.sub);
      this.#users.set(entry.sub, {
        before: Math.max(entry.before, held?.before ?? 0),
        expiresAt: Math.max(entry.expiresAt, held?.expiresAt ?? 0),
      });
    }
  }

  /** One load at a time; every caller shares it. Never rejects. */
  #reload(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#loading ??= this.#loadOnce().finally(() => {
      this.#loading = undefined;
      this.#schedule();
    });
    return this.#loading;
  }

  async #loadOnce(): Promise<void> {
    const started = this.#now();
    let answer: unknown;
    try {
      answer = await within<unknown>(() => this.#store.load(), this.#timeoutMs, 'load');
      if (!Array.isArray(answer)) throw new Error('store load() answered something other than an array');
      if (answer.length > MAX_LOADED)
        throw new Error(`store load() answered more than ${MAX_LOADED} entries`);
    } catch (error) {
      if (this.#closed) return;
      this.#outage(started, `load failed: ${describe(error)}`);
      if (!this.#loaded) this.#announceFailed(this.#outageError);
      return;
    }
    if (this.#closed) return;
    const nowSeconds = this.#nowSeconds();
    let rejected = 0;
    for (let i = 0; i < answer.length; i++) {
      const entry = readEntry(answer[i], nowSeconds, this.#lifetime);
      if (typeof entry !== 'string') this.#apply(entry);
      else if (entry !== 'expired') rejected++;
    }
    this.#loaded = true;
    this.#syncFast();
    this.#loadedAt = started;
    this.#emit({ type: 'loaded', count: answer.length, rejected, size: this.size });
    if (this.#outageSince === undefined) return;
    if (this.#disconnected) {
      // Loads work but push does not: the list is complete as of this load.
      this.#outageSince = Math.max(this.#outageSince, started);
      return;
    }
    const outageMs = this.#now() - this.#outageSince;
    this.#outageSince = undefined;
    this.#syncFast();
    this.#outageError = '';
    this.#failedAnnounced = false;
    this.#emit({ type: 'recovered', outageMs });
  }

  /** Poll stores reload on the interval; push stores retry while the list is not vouched for. */
  #schedule(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
    if (this.#closed || (this.#push && this.#outageSince === undefined && this.#loaded)) return;
    this.#refreshTimer = setTimeout(() => void this.#reload(), this.#refreshMs);
    this.#refreshTimer.unref?.();
  }

  /** Drop expired entries, a bounded batch per tick, resuming where the last tick stopped. */
  #sweepSome(): void {
    const nowSeconds = this.#nowSeconds();
    const maps = [this.#tokens, this.#sessions, this.#users] as const;
    for (let budget = SWEEP_BATCH; budget > 0; budget--) {
      this.#sweep ??= maps[this.#sweepMap]!.entries();
      const next = this.#sweep.next();
      if (next.done === true) {
        this.#sweep = undefined;
        this.#sweepMap = (this.#sweepMap + 1) % maps.length;
        if (this.#sweepMap === 0) return;
        continue;
      }
      const [key, value] = next.value;
      const expiresAt = typeof value === 'number' ? value : (value as { expiresAt: number }).expiresAt;
      if (expiresAt <= nowSeconds) maps[this.#sweepMap]!.delete(key);
    }
  }
}

/**
 * Create a deny-list and start loading it. Pass it to `createVerifier({ denyList })`: every
 * verification, cached or not, then refuses what it covers with `revoked` (401).
 *
 * @example
 * const denyList = createDenyList({ store: createRedisStore({ ... }) });
 * await denyList.ready();
 * const verifier = createVerifier({ userPoolId, clientId, denyList });
 * // on sign-out:
 * await denyList.denySession(auth.claims.origin_jti);
 */
export function createDenyList(options: DenyListOptions = {}): DenyList {
  return new StoreDenyList(options);
}

/** The check a verifier runs, or a ConfigurationError for anything that is not a deny-list of ours. */
export function denyCheckOf(value: unknown): DenyCheck | undefined {
  if (value === undefined) return undefined;
  const check =
    typeof value === 'object' && value !== null
      ? (value as { [DENY_CHECK]?: unknown })[DENY_CHECK]
      : undefined;
  if (typeof check !== 'function') fail('denyList must be made by createDenyList()');
  return value as DenyCheck;
}
