/**
 * The JWKS cache: the only I/O near the hot path, so it is built to never turn an endpoint problem
 * into an outage nor into a lever for denial of service.
 * - `lookup` is synchronous and allocation-free for known keys; it starts a background refresh when
 *   the TTL has passed and keeps serving the keys it has while that runs.
 * - Refreshes are single-flight per URL; unknown kids cause at most one fetch per cooldown (only
 *   kid-miss fetches count, so a key rotated in just after an unrelated fetch is found at once).
 * - A failed refresh never empties the cache: keys stay usable for `maxStale` past the TTL.
 * - A failing endpoint is retried at most once per cooldown, or after the server's `Retry-After`.
 * - A 403/404/410 means the issuer publishes no keys: its tokens are refused with a 401
 *   (`unknown_key`), never reported as an outage that anyone could trigger with a forged `iss`.
 * - A refresh that brings the same key material under the same kid keeps the imported key, so
 *   verified tokens cached with it stay valid.
 * No timers: refreshes are driven by lookups, so an idle verifier holds nothing open.
 */
import { AuthError } from './errors.js';
import { type JwksEvent, type JwksFetchReason, safeEmitter } from './events.js';
import { type ImportedKey, importJwks, type KeySet } from './jwk.js';
import { type JwksFailureCause, jwksFailure } from './jwks-failure.js';
import { fetchJwks, type JwksFailureKind, JwksFetchError, type JwksFetchFunction } from './jwks-fetch.js';

export interface JwksCacheSettings {
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  readonly cooldownMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** `false`: never fetch (only preloaded keys). */
  readonly fetch: JwksFetchFunction | false;
  /** Keys shipped with the code; consulted for every URL and never expired. */
  readonly preloaded: KeySet | undefined;
  /** Consult shipped keys only while a URL has no usable fetched set. */
  readonly preferFetched: boolean;
  readonly now: () => number;
  readonly onEvent?: ((event: JwksEvent) => void) | undefined;
  /** Called with kids that left a JWKS (the verified-token cache purges their tokens). */
  readonly onKeysRemoved?: ((kids: readonly string[]) => void) | undefined;
  /** The key policy applied to fetched documents. Default `importJwks` (Cognito: RS256 only). */
  readonly importKeys?: ((document: unknown) => KeySet | undefined) | undefined;
}

interface UriState {
  keys: KeySet | undefined;
  fetchedAt: number;
  lastAttemptAt: number;
  /** When the last fetch caused by an unknown kid started: the cooldown counts from here. */
  lastKidMissAt: number;
  inflight: Promise<void> | undefined;
  lastError: string | undefined;
  /** Why the last attempt failed (cleared by a success). */
  lastCause: JwksFailureCause | undefined;
  /** What the last failed attempt said about the issuer (cleared by a success). */
  failure: JwksFailureKind | undefined;
  /** The server's requested pause after the last failure, in ms. */
  retryAfterMs: number | undefined;
}

/** Outcome of one URL during `hydrate()`. */
export interface HydrateResult {
  readonly uri: string;
  readonly ok: boolean;
  /** Usable keys in the set (when `ok`). */
  readonly keys?: number;
  /** What failed, in one line with its cause (when not `ok`), e.g. `JWKS request failed: getaddrinfo ENOTFOUND …`. */
  readonly error?: string;
  /** Why it failed, as data (when not `ok`): network or TLS code, HTTP status, limit hit. For logs only. */
  readonly cause?: JwksFailureCause;
}

function usableCount(keys: KeySet): number {
  let count = 0;
  for (const key of keys.values()) if ('key' in key) count++;
  return count;
}

export class JwksCache {
  readonly #settings: JwksCacheSettings;
  readonly #states = new Map<string, UriState>();
  readonly #emit: (event: JwksEvent) => void;
  readonly #closer = new AbortController();

  constructor(settings: JwksCacheSettings) {
    this.#settings = settings;
    this.#emit = safeEmitter(settings.onEvent);
  }

  /** The key for `kid` if known and still usable; never waits. Past the TTL it starts a refresh. */
  lookup(uri: string, kid: string): ImportedKey | undefined {
    const state = this.#states.get(uri);
    if (state?.keys !== undefined) {
      const age = this.#settings.now() - state.fetchedAt;
      let fresh = true;
      if (age > this.#settings.ttlMs) {
        this.#refreshInBackground(uri, state);
        fresh = age <= this.#settings.ttlMs + this.#settings.maxStaleMs;
      }
      if (fresh) {
        const fetched = state.keys.get(kid);
        // With preferFetched, the published set is the whole truth once we have it.
        if (fetched !== undefined || this.#settings.preferFetched) return fetched;
      }
    }
    return this.#settings.preloaded?.get(kid);
  }

  /**
   * The slow path, for when `lookup` found nothing: fetch if allowed, then answer or throw
   * `unknown_key` (the set is fine, the kid is not in it; or the issuer publishes no keys) or
   * `jwks_unavailable` (no usable set and the endpoint is failing).
   */
  async resolve(uri: string, kid: string): Promise<ImportedKey> {
    const state = this.#state(uri);
    const now = this.#settings.now();
    const usable = this.#usable(state, now);
    if (this.#settings.fetch !== false) {
      if (state.inflight !== undefined) {
        await state.inflight;
      } else if (this.#mayFetch(state, now, usable)) {
        if (usable) {
          state.lastKidMissAt = now;
          this.#emit({ type: 'jwks_kid_miss', uri, fetched: true });
        }
        await this.#refresh(uri, state, usable ? 'kid_miss' : 'cold');
      } else if (usable) {
        this.#emit({ type: 'jwks_kid_miss', uri, fetched: false });
      }
    }
    const found = this.lookup(uri, kid);
    if (found !== undefined) return found;
    if (this.#usable(state, this.#settings.now()) || this.#settings.fetch === false) {
      throw new AuthError('unknown_key', { detail: 'kid not in the JWKS' });
    }
    if (state.failure === 'absent') {
      throw new AuthError('unknown_key', { detail: `issuer publishes no keys (${state.lastError})` });
    }
    throw new AuthError('jwks_unavailable', {
      detail: state.lastError ?? 'no usable JWKS',
      retryAfterSeconds: Math.max(1, Math.ceil(this.#retryDelayMs(state) / 1000)),
    });
  }

  /** True when a usable fetched set (or, without preferFetched, a shipped key) can answer for `uri`. */
  hasUsableKeys(uri: string): boolean {
    const state = this.#states.get(uri);
    if (state !== undefined && this.#usable(state, this.#settings.now())) return true;
    return this.#settings.fetch === false || this.#settings.preloaded !== undefined;
  }

  /** Why the last download of `uri` failed, in one line, unless one succeeded since. */
  lastError(uri: string): string | undefined {
    return this.#states.get(uri)?.lastError;
  }

  /** Fetch every URL now (cold starts). Failures are reported in the result, never thrown. */
  async hydrate(uris: Iterable<string>): Promise<HydrateResult[]> {
    if (this.#settings.fetch === false) return [];
    const unique = [...new Set(uris)];
    return Promise.all(
      unique.map(async (uri) => {
        const state = this.#state(uri);
        await (state.inflight ?? this.#refresh(uri, state, 'hydrate'));
        const ok = state.keys !== undefined && state.lastAttemptAt <= state.fetchedAt;
        if (ok) return { uri, ok, keys: usableCount(state.keys!) };
        const failed: HydrateResult = { uri, ok, error: state.lastError ?? 'JWKS fetch failed' };
        return state.lastCause === undefined ? failed : { ...failed, cause: state.lastCause };
      }),
    );
  }

  /** Abort downloads in flight. */
  close(): void {
    this.#closer.abort();
  }

  #state(uri: string): UriState {
    let state = this.#states.get(uri);
    if (state === undefined) {
      // -Infinity: "never", which also works with fake clocks that start at 0.
      state = {
        keys: undefined,
        fetchedAt: -Infinity,
        lastAttemptAt: -Infinity,
        lastKidMissAt: -Infinity,
        inflight: undefined,
        lastError: undefined,
        lastCause: undefined,
        failure: undefined,
        retryAfterMs: undefined,
      };
      this.#states.set(uri, state);
    }
    return state;
  }

  #usable(state: UriState, now: number): boolean {
    return (
      state.keys !== undefined && now - state.fetchedAt <= this.#settings.ttlMs + this.#settings.maxStaleMs
    );
  }

  /** How long to leave a failing endpoint alone: our cooldown, or longer if the server asked. */
  #retryDelayMs(state: UriState): number {
    return Math.max(this.#settings.cooldownMs, state.retryAfterMs ?? 0);
  }

  /** True while the last attempt failed and the retry delay since it has not passed. */
  #backingOff(state: UriState, now: number): boolean {
    return state.lastAttemptAt > state.fetchedAt && now - state.lastAttemptAt < this.#retryDelayMs(state);
  }

  /** May a lookup that found nothing fetch now? */
  #mayFetch(state: UriState, now: number, usable: boolean): boolean {
    if (this.#backingOff(state, now)) return false;
    // A usable set that lacks the kid: at most one such refetch per cooldown, counted from the
    // last kid-miss fetch only, so unknown kids cannot make us hammer the endpoint.
    return !usable || now - state.lastKidMissAt >= this.#settings.cooldownMs;
  }

  #refreshInBackground(uri: string, state: UriState): void {
    if (state.inflight !== undefined || this.#settings.fetch === false) return;
    const now = this.#settings.now();
    // While the endpoint fails, retry at most once per retry delay instead of on every request.
    if (this.#backingOff(state, now)) return;
    if (state.lastError !== undefined) {
      this.#emit({ type: 'jwks_stale', uri, ageSeconds: Math.round((now - state.fetchedAt) / 1000) });
    }
    void this.#refresh(uri, state, 'refresh');
  }

  /** Single-flight download of one URL; never rejects (failures are recorded on the state). */
  #refresh(uri: string, state: UriState, reason: JwksFetchReason): Promise<void> {
    if (state.inflight !== undefined) return state.inflight;
    const fetch = this.#settings.fetch;
    if (fetch === false) return Promise.resolve();
    const started = this.#settings.now();
    state.lastAttemptAt = started;
    this.#emit({ type: 'jwks_fetch_start', uri, reason });
    const run = async (): Promise<void> => {
      try {
        const document = await fetchJwks(uri, {
          fetch,
          timeoutMs: this.#settings.timeoutMs,
          maxBytes: this.#settings.maxBytes,
          signal: this.#closer.signal,
          now: this.#settings.now,
        });
        const keys = (this.#settings.importKeys ?? importJwks)(document);
        if (keys === undefined) throw invalidJwks('JWKS document has no keys array');
        const usable = usableCount(keys);
        // An empty or all-invalid set is treated as a failure: it would otherwise wipe good keys.
        if (usable === 0) throw invalidJwks(`JWKS contains no usable key (${rejectionSummary(keys)})`);
        this.#install(uri, state, keys);
        this.#emit({
          type: 'jwks_fetch_success',
          uri,
          reason,
          durationMs: this.#settings.now() - started,
          keys: usable,
          rejectedKeys: keys.size - usable,
        });
      } catch (error) {
        state.lastError = error instanceof Error ? error.message : 'JWKS fetch failed';
        state.lastCause =
          error instanceof JwksFetchError ? error.failure : jwksFailure('invalid_jwks', state.lastError);
        state.failure = error instanceof JwksFetchError ? error.kind : 'outage';
        const pause = error instanceof JwksFetchError ? error.retryAfterSeconds : undefined;
        state.retryAfterMs = pause === undefined ? undefined : pause * 1000;
        this.#emit({
          type: 'jwks_fetch_failure',
          uri,
          reason,
          durationMs: this.#settings.now() - started,
          error: state.lastError,
          cause: state.lastCause,
        });
      } finally {
        state.inflight = undefined;
      }
    };
    state.inflight = run();
    return state.inflight;
  }

  #install(uri: string, state: UriState, fetched: KeySet): void {
    const previous = state.keys;
    const keys = previous === undefined ? fetched : keepUnchanged(previous, fetched);
    state.keys = keys;
    state.fetchedAt = this.#settings.now();
    state.lastError = undefined;
    state.lastCause = undefined;
    state.failure = undefined;
    state.retryAfterMs = undefined;
    if (previous === undefined) return;
    // A kid whose key object changed (new material, or now rejected) counts as removed too: tokens
    // cached with the old key must be verified again.
    const removed = [...previous.keys()].filter((kid) => keys.get(kid) !== previous.get(kid));
    if (removed.length === 0) return;
    this.#emit({ type: 'jwks_keys_removed', uri, kids: removed });
    this.#settings.onKeysRemoved?.(removed);
  }
}

/** A JSON document that is not a usable JWKS: an outage for this issuer, like any failed download. */
function invalidJwks(message: string): JwksFetchError {
  return new JwksFetchError(message, false, undefined, { failure: jwksFailure('invalid_jwks', message) });
}

/** How many members were refused and the first reason (our policy's fixed wording, never the document's). */
function rejectionSummary(keys: KeySet): string {
  if (keys.size === 0) return 'no member with a kid';
  const first = [...keys.values()].find((key) => 'rejected' in key);
  const reason = first !== undefined && 'rejected' in first ? first.rejected : 'rejected';
  return `${keys.size} rejected, first: ${reason}`;
}

/** `fetched`, with each key whose kid, alg and material are unchanged replaced by the one we had. */
function keepUnchanged(previous: KeySet, fetched: KeySet): KeySet {
  const merged = new Map<string, ImportedKey>();
  for (const [kid, key] of fetched) {
    const old = previous.get(kid);
    const same =
      old !== undefined && 'key' in old && 'key' in key && old.alg === key.alg && old.key.equals(key.key);
    merged.set(kid, same ? old : key);
  }
  return merged;
}
