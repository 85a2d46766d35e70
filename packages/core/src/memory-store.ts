/**
 * `createMemoryStore`: a deny-list store held in this process. Several deny-lists sharing one memory
 * store see each other's entries at once (push), which is what tests of a "fleet" in one process
 * need; a real fleet needs a shared store (Redis, DynamoDB).
 */
import type { DenyEntry, DenyListStore, DenyStoreListener } from './deny-list-store.js';

export interface MemoryStoreOptions {
  /** Clock in milliseconds, for dropping expired entries. Default `Date.now`. */
  readonly now?: () => number;
}

function keyOf(entry: DenyEntry): string {
  if (entry.kind === 'token') return `t:${entry.jti}`;
  if (entry.kind === 'session') return `s:${entry.originJti}`;
  return `u:${entry.sub}`;
}

/** What two entries for one identity cover together: the later expiry, the later sign-out. */
function merged(held: DenyEntry | undefined, entry: DenyEntry): DenyEntry {
  if (held === undefined) return entry;
  const expiresAt = Math.max(held.expiresAt, entry.expiresAt);
  if (held.kind === 'user' && entry.kind === 'user') {
    return Object.freeze({ ...entry, before: Math.max(held.before, entry.before), expiresAt });
  }
  return Object.freeze({ ...entry, expiresAt });
}

class MemoryStore implements DenyListStore {
  readonly push = true;
  readonly #entries = new Map<string, DenyEntry>();
  readonly #listeners = new Set<DenyStoreListener>();
  readonly #now: () => number;
  #closed = false;

  constructor(options: MemoryStoreOptions) {
    this.#now = options.now ?? Date.now;
  }

  load(): Promise<readonly DenyEntry[]> {
    if (this.#closed) return Promise.reject(new Error('memory store is closed'));
    const nowSeconds = this.#now() / 1000;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= nowSeconds) this.#entries.delete(key);
    return Promise.resolve([...this.#entries.values()]);
  }

  add(entry: DenyEntry): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('memory store is closed'));
    if (typeof entry !== 'object' || entry === null) return Promise.reject(new TypeError('not an entry'));
    const copy = Object.freeze({ ...entry });
    const key = keyOf(copy);
    this.#entries.set(key, merged(this.#entries.get(key), copy));
    for (const listener of [...this.#listeners]) {
      try {
        listener.entry(copy);
      } catch {
        // One subscriber's failure must not keep the entry from the others.
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: DenyStoreListener): () => void {
    this.#listeners.add(listener);
    try {
      listener.status({ type: 'connected' });
    } catch {
      // As in add().
    }
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    return Promise.resolve();
  }
}

/**
 * A deny-list store in this process's memory (push: every subscriber hears every entry at once).
 *
 * @example
 * const store = createMemoryStore();
 * const a = createDenyList({ store });
 * const b = createDenyList({ store });
 * await a.denyToken(jti); // b refuses it too
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): DenyListStore {
  return new MemoryStore(options);
}
