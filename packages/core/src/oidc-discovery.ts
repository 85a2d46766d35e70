/**
 * OpenID Connect Discovery for one issuer: where its JWKS lives. The document is downloaded with the
 * JWKS download's hardening (`fetchJwks`: deadline covering the retry, body cap, no redirects, 200
 * only) and kept under the JWKS cache's rules: refreshed in the background after the TTL, the last
 * good answer served for max-stale past it while refreshes fail, a failing endpoint retried at most
 * once per cooldown (or after its `Retry-After`), downloads single-flight. A failed download is never
 * remembered as an answer (auth0's node-oauth2-jwt-bearer drops failed discovery promises too).
 *
 * The document must name the configured issuer exactly (oauth4webapi `processDiscoveryResponse`):
 * an issuer that serves another issuer's metadata, or a URL that answers for a different tenant, is
 * refused. Its `jwks_uri` must pass the JWKS URL policy (https, or http on loopback).
 */
import { AuthError } from './errors.js';
import { type JwksFailureCause, jwksFailure } from './jwks-failure.js';
import { fetchJwks, JwksFetchError, type JwksFetchFunction } from './jwks-fetch.js';
import { jwksUriProblem } from './pools.js';

export interface DiscoverySettings {
  readonly fetch: JwksFetchFunction;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  readonly cooldownMs: number;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

/** The outcome of one discovery download, for `hydrate()` reports. */
export interface DiscoveryOutcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly cause?: JwksFailureCause;
}

function invalid(message: string): JwksFetchError {
  return new JwksFetchError(message, false, undefined, { failure: jwksFailure('invalid_response', message) });
}

/** The `jwks_uri` of a discovery document that names `issuer`; throws a JwksFetchError otherwise. */
export function jwksUriFromDiscovery(document: unknown, issuer: string): string {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw invalid('discovery document is not a JSON object');
  const { issuer: named, jwks_uri: jwksUri } = document as Record<string, unknown>;
  // Exact comparison: no case folding, no trailing-slash forgiveness (OpenID Connect Discovery §4.3).
  if (named !== issuer) throw invalid('discovery document names another issuer');
  if (typeof jwksUri !== 'string') throw invalid('discovery document has no jwks_uri');
  const problem = jwksUriProblem(jwksUri);
  if (problem !== undefined) throw invalid(`discovery jwks_uri ${problem}`);
  return jwksUri;
}

export class DiscoveryCache {
  readonly uri: string;
  readonly #issuer: string;
  readonly #settings: DiscoverySettings;
  #jwksUri: string | undefined;
  #fetchedAt = -Infinity;
  #lastAttemptAt = -Infinity;
  #retryAfterMs: number | undefined;
  #inflight: Promise<void> | undefined;
  #lastError: string | undefined;
  #lastCause: JwksFailureCause | undefined;

  constructor(uri: string, issuer: string, settings: DiscoverySettings) {
    this.uri = uri;
    this.#issuer = issuer;
    this.#settings = settings;
  }

  /** The JWKS URL while the last good document is usable; past the TTL it starts a refresh. */
  current(): string | undefined {
    if (this.#jwksUri === undefined) return undefined;
    const age = this.#settings.now() - this.#fetchedAt;
    if (age <= this.#settings.ttlMs) return this.#jwksUri;
    if (this.#inflight === undefined && !this.#backingOff()) void this.#refresh();
    return age <= this.#settings.ttlMs + this.#settings.maxStaleMs ? this.#jwksUri : undefined;
  }

  /** The JWKS URL, downloading the document when there is no usable one (and not backing off). */
  async resolve(): Promise<string> {
    const known = this.current();
    if (known !== undefined) return known;
    if (this.#inflight !== undefined) await this.#inflight;
    else if (!this.#backingOff()) await this.#refresh();
    const found = this.current();
    if (found !== undefined) return found;
    const retry = Math.max(this.#settings.cooldownMs, this.#retryAfterMs ?? 0);
    throw new AuthError('jwks_unavailable', {
      detail: `discovery failed: ${this.#lastError ?? 'no usable document'}`,
      retryAfterSeconds: Math.max(1, Math.ceil(retry / 1000)),
    });
  }

  /** Why the last download failed, unless one succeeded since. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Download now (cold start); never throws. */
  async hydrate(): Promise<DiscoveryOutcome> {
    await (this.#inflight ?? this.#refresh());
    if (this.#jwksUri !== undefined && this.#lastAttemptAt <= this.#fetchedAt) return { ok: true };
    const failed = { ok: false, error: `discovery failed: ${this.#lastError ?? 'no usable document'}` };
    return this.#lastCause === undefined ? failed : { ...failed, cause: this.#lastCause };
  }

  #backingOff(): boolean {
    const retry = Math.max(this.#settings.cooldownMs, this.#retryAfterMs ?? 0);
    return this.#lastAttemptAt > this.#fetchedAt && this.#settings.now() - this.#lastAttemptAt < retry;
  }

  #refresh(): Promise<void> {
    if (this.#inflight !== undefined) return this.#inflight;
    this.#lastAttemptAt = this.#settings.now();
    const run = async (): Promise<void> => {
      try {
        const document = await fetchJwks(this.uri, this.#settings);
        this.#jwksUri = jwksUriFromDiscovery(document, this.#issuer);
        this.#fetchedAt = this.#settings.now();
        this.#lastError = undefined;
        this.#lastCause = undefined;
        this.#retryAfterMs = undefined;
      } catch (error) {
        // The download's messages name the JWKS ("JWKS endpoint answered 503"); here it is the
        // discovery document, which `discovery failed: ` in front of every message says.
        this.#lastError = error instanceof Error ? error.message.replace(/^JWKS /, '') : 'no usable document';
        this.#lastCause =
          error instanceof JwksFetchError ? error.failure : jwksFailure('invalid_response', this.#lastError);
        const pause = error instanceof JwksFetchError ? error.retryAfterSeconds : undefined;
        this.#retryAfterMs = pause === undefined ? undefined : pause * 1000;
      } finally {
        this.#inflight = undefined;
      }
    };
    this.#inflight = run();
    return this.#inflight;
  }
}
