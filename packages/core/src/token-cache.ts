/**
 * The verified-token cache: exact token string → verified result. A hit skips decoding and the RSA
 * operation; the expiry check, rules and `isRevoked` still run on every call (the verifier does
 * that). Bounded LRU (a Map in recency order), entries die with their token and are purged when
 * their signing key leaves the JWKS.
 */
import type { ImportedKey } from './jwk.js';
import type { VerifiedToken } from './types.js';

export const DEFAULT_CACHE_ENTRIES = 10_000;

/**
 * The Map is keyed by the last characters of the token (the tail of its signature, 258 random bits)
 * rather than the whole ~1 KB string: every request brings a fresh string whose hash V8 must
 * compute, and hashing 43 characters instead of 1,000 is most of the cost of a hit. A hit is then
 * confirmed by comparing the whole token, so a key collision can only cost a miss, never a wrong
 * answer.
 */
const KEY_LENGTH = 43;

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(token.length - KEY_LENGTH) : token;
}

/** A cached result with what a hit must re-check: expiry, and that its key is still current. */
export interface CacheEntry {
  readonly token: VerifiedToken;
  /** `exp` in milliseconds, compared against the verifier clock on every hit. */
  readonly expiresAtMs: number;
  readonly jwksUri: string;
  /** The key that verified it; a hit is valid only while the JWKS still maps the kid to it. */
  readonly key: ImportedKey;
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for exactly this token string, if it has not expired at `nowMs`. */
  get(token: string, nowMs: number): CacheEntry | undefined {
    const key = keyOf(token);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.token.token !== token) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  delete(token: string): void {
    const key = keyOf(token);
    if (this.#entries.get(key)?.token.token === token) this.#entries.delete(key);
  }

  set(token: string, entry: CacheEntry): void {
    if (this.#maxEntries === 0) return;
    if (this.#entries.size >= this.#maxEntries) {
      // Evict the oldest insertion: insertion order approximates recency without reordering the
      // Map on every hit, which would cost a delete and an insert on the hot path.
      // maxEntries > 0 here, so the Map is not empty.
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(keyOf(token), entry);
  }

  /** Drop every token signed by one of these kids (they left the JWKS). */
  purgeKids(kids: readonly string[]): void {
    const gone = new Set(kids);
    for (const [key, entry] of this.#entries) {
      if (gone.has(entry.token.header.kid)) this.#entries.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
