/**
 * The public shape of a deny-list (options, events, the interface), and the validation of its
 * options: checked once, at creation, with messages that name the option.
 */
import type { DenyEntry, DenyListStore } from './deny-list-store.js';
import { fail, nonNegativeNumber, rejectUnknownKeys } from './options.js';

export type DenyListState = 'loading' | 'fresh' | 'stale' | 'failed';

/** Store events, for logs and metrics. Delivered synchronously; a hook that throws is ignored. */
export type DenyListEvent =
  | { readonly type: 'connected' }
  /** A full load: `count` entries read, `rejected` unusable ones skipped, `size` now held. */
  | { readonly type: 'loaded'; readonly count: number; readonly rejected: number; readonly size: number }
  /** An entry pushed by the store (this instance's own writes come back too). */
  | { readonly type: 'entry'; readonly kind: DenyEntry['kind'] }
  /** Milliseconds between the write and its arrival here (entries that carry `writtenAt`). */
  | { readonly type: 'lag'; readonly ms: number; readonly kind: DenyEntry['kind'] }
  /** A pushed entry that could not be used, and why (never its content). */
  | { readonly type: 'invalid_entry'; readonly reason: string }
  /** The store stopped vouching for the list; the last known list is served for `maxStaleSeconds`. */
  | { readonly type: 'stale'; readonly error: string }
  /** Past the bound (or the first load failed): verifications now fail closed (`whenStale`). */
  | { readonly type: 'failed'; readonly error: string }
  /** The list is current again after an outage of `outageMs`. */
  | { readonly type: 'recovered'; readonly outageMs: number };

export interface DenyListOptions {
  /** Where the list is shared. Default: a memory store of its own (one process, tests). */
  readonly store?: DenyListStore;
  /** The longest lifetime of a token you accept; entries expire this long after they are written. Default 86400. */
  readonly maxTokenLifetimeSeconds?: number;
  /**
   * What a verification answers once the list is past `maxStaleSeconds` (or was never loaded):
   * `'unavailable'` (default): 503 `revocation_unavailable` with Retry-After: clients retry and
   * keep their tokens; `'revoke'`: 401 `revoked`: clients drop the token and sign in again.
   * Both fail closed.
   */
  readonly whenStale?: 'revoke' | 'unavailable';
  /** How long the last known list is served once the store stops vouching for it. Default 30. */
  readonly maxStaleSeconds?: number;
  /** Reload interval for stores without push (and retry interval after a failed load). Default 5000. */
  readonly refreshIntervalMs?: number;
  /** Deadline for each store call (`load`, `add`); past it the call counts as failed. Default 3000. */
  readonly storeTimeoutMs?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  readonly onEvent?: (event: DenyListEvent) => void;
}

export interface DenyList {
  /** Resolves once the first load settled (never rejects: a failed first load leaves `failed`). */
  ready(): Promise<void>;
  /** Deny one token, by its `jti`. */
  denyToken(jti: string): Promise<void>;
  /** Deny one sign-in: its ID and access tokens and every token refreshed from it (`origin_jti`). */
  denySession(originJti: string): Promise<void>;
  /** Deny every token of `sub` issued before `before` (epoch seconds; default: now, rounded up). */
  denyUser(sub: string, before?: number): Promise<void>;
  /** Applied here at once, then written to the store; rejects if the write fails (the entry stays here). */
  deny(entry: DenyEntry): Promise<void>;
  /** Is this verified token covered by an entry? Map lookups only; says nothing about staleness (see `state`). */
  isDenied(token: {
    readonly claims: { readonly jti?: unknown; readonly origin_jti?: unknown; readonly iat?: unknown };
    readonly sub: string;
  }): boolean;
  readonly state: DenyListState;
  readonly size: number;
  /** Stop timers and the subscription. A store passed in `store` is left open: it may be shared. */
  close(): Promise<void>;
}

/** What `isDenied` reads of a verified token. */
export type DeniableToken = Parameters<DenyList['isDenied']>[0];

const MAX_TIMER_MS = 2_147_483_647;

function positiveMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS)
    fail(`${name} must be a number of milliseconds > 0`);
  return value;
}

function checkStore(store: unknown): DenyListStore {
  const s = store as Partial<DenyListStore> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.push !== 'boolean' ||
    typeof s.load !== 'function' ||
    typeof s.add !== 'function' ||
    typeof s.subscribe !== 'function' ||
    typeof s.close !== 'function'
  )
    fail('denyList store must have push, load(), add(), subscribe() and close()');
  return s as DenyListStore;
}

const OPTION_KEYS = new Set([
  'store',
  'maxTokenLifetimeSeconds',
  'whenStale',
  'maxStaleSeconds',
  'refreshIntervalMs',
  'storeTimeoutMs',
  'now',
  'onEvent',
]);

export interface ResolvedDenyListOptions {
  /** Undefined: the deny-list makes (and owns) a memory store. */
  readonly store: DenyListStore | undefined;
  readonly lifetimeSeconds: number;
  readonly revoke: boolean;
  readonly maxStaleMs: number;
  readonly refreshMs: number;
  readonly timeoutMs: number;
  readonly now: () => number;
  /** The `onEvent` hook, wrapped so that it can never throw. */
  readonly emit: (event: DenyListEvent) => void;
}

/** Validate `createDenyList` options (ConfigurationError on any mistake). */
export function resolveDenyListOptions(options: DenyListOptions): ResolvedDenyListOptions {
  if (typeof options !== 'object' || options === null) fail('createDenyList options must be an object');
  rejectUnknownKeys(options, OPTION_KEYS, 'deny-list options');
  const { whenStale, now, onEvent } = options;
  if (whenStale !== undefined && whenStale !== 'revoke' && whenStale !== 'unavailable')
    fail(
      "whenStale must be 'revoke' or 'unavailable' (there is no open mode: raise maxStaleSeconds to serve the last known list for longer)",
    );
  if (now !== undefined && typeof now !== 'function') fail('now must be a function');
  if (onEvent !== undefined && typeof onEvent !== 'function') fail('onEvent must be a function');
  const lifetimeSeconds = nonNegativeNumber(
    options.maxTokenLifetimeSeconds,
    'maxTokenLifetimeSeconds',
    86_400,
  );
  if (lifetimeSeconds === 0) fail('maxTokenLifetimeSeconds must be > 0');
  return {
    store: options.store === undefined ? undefined : checkStore(options.store),
    lifetimeSeconds,
    revoke: whenStale === 'revoke',
    maxStaleMs: nonNegativeNumber(options.maxStaleSeconds, 'maxStaleSeconds', 30) * 1000,
    refreshMs: positiveMs(options.refreshIntervalMs, 'refreshIntervalMs', 5000),
    timeoutMs: positiveMs(options.storeTimeoutMs, 'storeTimeoutMs', 3000),
    now: now ?? Date.now,
    emit: (event) => {
      try {
        onEvent?.(event);
      } catch {
        // Observability must not change what the deny-list holds or answers.
      }
    },
  };
}
