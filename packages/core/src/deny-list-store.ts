/**
 * The contract between a deny-list (held in memory by every verifier instance, consulted on every
 * call) and the store that shares it across a fleet (Redis, DynamoDB, or memory for one process).
 * Stores move entries; they never decide whether a token is denied.
 */

/**
 * One deny-list entry. Times are epoch seconds. `expiresAt` is when no token the entry covers can
 * still be valid (the moment it was written plus the longest token lifetime): the store and every
 * instance drop it then, so the list stays small.
 * - `token`: one token, by its `jti`.
 * - `session`: one sign-in, by `origin_jti`: its ID and access tokens and every token refreshed from it.
 * - `user`: every token of `sub` issued (`iat`) before `before` (a global sign-out at that time).
 * `writtenAt` (optional, epoch milliseconds) is when the deny-list wrote the entry: a store that
 * carries it lets every instance measure propagation lag; a store may drop it.
 */
export type DenyEntry =
  | { readonly kind: 'token'; readonly jti: string; readonly expiresAt: number; readonly writtenAt?: number }
  | {
      readonly kind: 'session';
      readonly originJti: string;
      readonly expiresAt: number;
      readonly writtenAt?: number;
    }
  | {
      readonly kind: 'user';
      readonly sub: string;
      readonly before: number;
      readonly expiresAt: number;
      readonly writtenAt?: number;
    };

/** What a store tells its deny-list about the connection, for `onEvent` and the staleness rule. */
export type DenyStoreStatus =
  | { readonly type: 'connected' }
  /** The store is unreachable; `error` is operator-facing text (never sent to clients). */
  | { readonly type: 'disconnected'; readonly error: string };

/** Receives what a store learns. Called synchronously by the store; must not throw (guarded anyway). */
export interface DenyStoreListener {
  /** An entry added anywhere in the fleet, this instance included. Duplicates are harmless. */
  entry(entry: DenyEntry): void;
  status(status: DenyStoreStatus): void;
}

/**
 * A shared store of deny-list entries.
 * - `load()` returns every entry not yet expired: at start, after a reconnect, and (for stores
 *   without push, such as DynamoDB) on the refresh interval.
 * - `add()` writes durably, then makes the entry reach every subscriber (push where the store can).
 * - `subscribe()` starts push delivery, if the store has it (`push: true`); it returns a function
 *   that stops it.
 * Every method may reject; the deny-list decides what an unreachable store means.
 */
export interface DenyListStore {
  /** True when the store pushes new entries to `subscribe` listeners; false means poll `load()`. */
  readonly push: boolean;
  load(): Promise<readonly DenyEntry[]>;
  add(entry: DenyEntry): Promise<void>;
  subscribe(listener: DenyStoreListener): () => void;
  close(): Promise<void>;
}
