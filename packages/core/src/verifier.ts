/**
 * `createVerifier`: the whole verification pipeline in one straight path
 *   decode → header policy → issuer lookup → key → signature → claims → result,
 * then per-call rules and the revocation hook. The first part depends only on the token string
 * and the keys, which is what lets a verified-token cache sit in front of it.
 */

import { type AuthorizeSettings, authorizeSync, authorizeVerified, toAuthError } from './authorize.js';
import { parseBearer } from './bearer.js';
import { checkCognitoClaims, checkTimes } from './claims.js';
import type { DecodedToken } from './decode.js';
import { decodeToken } from './decode.js';
import { type DenyCheck, denyCheckOf } from './deny-list.js';
import { AuthError } from './errors.js';
import { checkHeader } from './header.js';
import { freezeJson, ImmutableDate } from './immutable.js';
import { type ImportedKey, importJwks } from './jwk.js';
import { type HydrateResult, JwksCache } from './jwks-cache.js';
import {
  fail,
  type IssuerEntry,
  nonNegativeNumber,
  type ResolvedOptions,
  rejectUnknownKeys,
  resolveOptions,
  type VerifierOptions,
} from './options.js';
import type { AuthRules, CompiledRules } from './rules.js';
import { verifyRs256 } from './signature.js';
import { DEFAULT_CACHE_ENTRIES, VerifiedTokenCache } from './token-cache.js';
import type { CognitoClaims, JwtPayload, VerifiedToken } from './types.js';
import { markVerified } from './verified-token.js';

export interface HydrateReport {
  /** True when every configured pool has a usable key set. */
  readonly ok: boolean;
  /**
   * One entry per JWKS URL; a failed one says why in `error` (one line) and `cause` (`kind`, and
   * the network/TLS `code` or HTTP `status`), for logs: never send them to clients.
   */
  readonly results: readonly HydrateResult[];
}

export interface Verifier {
  /**
   * Verify a bare token (no `Bearer ` prefix) and apply `rules`. Rejects only with `AuthError`.
   *
   * @example
   * const auth = await verifier.verify(token, { groups: 'admin' });
   * console.log(auth.sub, auth.groups);
   */
  verify<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>>;
  /**
   * `verify` for hot paths: returns the result itself when no I/O is needed (a cached token or a
   * loaded key, and no or a synchronous `isRevoked`), a promise otherwise. Throws or rejects only
   * with AuthError. Adapters use it to skip a promise and a microtask turn per request.
   *
   * @example
   * const result = verifier.verifyDirect(token);
   * if (result instanceof Promise) result.then(onAuth, onError); else onAuth(result);
   */
  verifyDirect<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C> | Promise<VerifiedToken<C>>;
  /**
   * `verify` without a promise, for callers that cannot await. It needs the token's key to be
   * loaded already (`jwks.keys`, `hydrate()` or an earlier `verify`): when it is not, it starts
   * loading it in the background and throws `jwks_unavailable`. `isRevoked` must then answer
   * synchronously. Throws only AuthError (and ConfigurationError for an async `isRevoked`).
   *
   * @example
   * await verifier.hydrate();
   * const auth = verifier.verifySync(token, { scopes: 'orders/read' });
   */
  verifySync<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C>;
  /** Parse an Authorization header value, then `verify`. */
  verifyAuthorization<C extends JwtPayload = CognitoClaims>(
    header: string | readonly string[] | undefined | null,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>>;
  /**
   * Prefetch the JWKS of every configured issuer. Never throws; failures are in the report, each
   * with its cause.
   *
   * @example
   * const report = await verifier.hydrate();
   * for (const r of report.results) if (!r.ok) console.warn(r.uri, r.error, r.cause?.code ?? r.cause?.status);
   */
  hydrate(): Promise<HydrateReport>;
  /** Release sockets and timers. */
  close(): void;
  /** The distinct JWKS URLs this verifier may fetch. */
  readonly jwksUris: readonly string[];
  /**
   * The exact `iss` values this verifier accepts. `combineVerifiers` routes tokens by it; a custom
   * verifier without it cannot be combined.
   */
  readonly issuers?: readonly string[];
  /** Tokens currently held by the verified-token cache (for metrics). */
  readonly cachedTokens: number;
}

function freezeToken(
  token: string,
  decoded: DecodedToken,
  entry: IssuerEntry,
  checked: ReturnType<typeof checkCognitoClaims>,
  exp: number,
  now: () => number,
  denyMemo: boolean,
): VerifiedToken {
  const isMachine =
    checked.tokenUse === 'access' && checked.username === undefined && checked.sub === checked.clientId;
  return Object.freeze(
    markVerified(
      {
        token,
        header: decoded.header,
        claims: freezeJson(decoded.payload) as CognitoClaims,
        sub: checked.sub,
        tokenUse: checked.tokenUse,
        clientId: checked.clientId,
        username: checked.username,
        groups: checked.groups,
        scopes: checked.scopes,
        isMachine,
        issuer: entry.issuer,
        userPoolId: entry.userPoolId,
        expiresAt: Object.freeze(new ImmutableDate(exp * 1000)),
      },
      now,
      denyMemo,
    ),
  );
}

class CognitoVerifier implements Verifier {
  readonly #options: ResolvedOptions;
  readonly #jwks: JwksCache;
  readonly #cache: VerifiedTokenCache | undefined;
  readonly #hasShippedKeys: boolean;
  readonly #denyList: DenyCheck | undefined;
  readonly #authorization: AuthorizeSettings;
  readonly jwksUris: readonly string[];
  readonly issuers: readonly string[];

  constructor(options: VerifierOptions) {
    this.#options = resolveOptions(options);
    this.#denyList = denyCheckOf(options.denyList);
    this.#authorization = {
      denyList: this.#denyList,
      isRevoked: this.#options.isRevoked,
      revocationTimeoutMs: this.#options.revocationTimeoutMs,
    };
    const jwks = options.jwks ?? {};
    let preloaded: ReturnType<typeof importJwks>;
    if (jwks.keys !== undefined) {
      preloaded = importJwks(jwks.keys);
      if (preloaded === undefined) fail('jwks.keys must be a JWKS ({ keys: [...] }) or an array of JWKs');
    }
    if (jwks.fetch !== undefined && jwks.fetch !== false && typeof jwks.fetch !== 'function') {
      fail('jwks.fetch must be a fetch function or false');
    }
    this.#cache = cacheFrom(options.cache);
    this.#hasShippedKeys = preloaded !== undefined && [...preloaded.values()].some((key) => 'key' in key);
    const seconds = (value: number | undefined, name: string, fallback: number) =>
      nonNegativeNumber(value, `jwks.${name}`, fallback) * 1000;
    this.#jwks = new JwksCache({
      ttlMs: seconds(jwks.ttlSeconds, 'ttlSeconds', 3600),
      maxStaleMs: seconds(jwks.maxStaleSeconds, 'maxStaleSeconds', 86_400),
      cooldownMs: seconds(jwks.cooldownSeconds, 'cooldownSeconds', 10),
      timeoutMs: nonNegativeNumber(jwks.timeoutMs, 'jwks.timeoutMs', 3000),
      maxBytes: nonNegativeNumber(jwks.maxBytes, 'jwks.maxBytes', 512 * 1024),
      fetch: jwks.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      preloaded,
      preferFetched: preferFetched(jwks.preferFetched),
      now: this.#options.now,
      onEvent: options.onEvent,
      onKeysRemoved: (kids) => this.#cache?.purgeKids(kids),
    });
    this.jwksUris = Object.freeze([...new Set([...this.#options.issuers.values()].map((e) => e.jwksUri))]);
    this.issuers = Object.freeze([...this.#options.issuers.keys()]);
  }

  // verify() is not an `async` function on purpose: a cached or preloaded-key verification
  // completes synchronously, and settling it as one resolved promise skips the extra microtask
  // turns an `async` function with an inner `await` costs on every request.
  verify<C extends JwtPayload>(token: string, rules?: AuthRules | CompiledRules): Promise<VerifiedToken<C>> {
    try {
      const result = this.verifyDirect<C>(token, rules);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  verifyDirect<C extends JwtPayload>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C> | Promise<VerifiedToken<C>> {
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = this.#verifyToken(token);
    } catch (error) {
      throw toAuthError(error);
    }
    return authorizeVerified<C>(verified, rules, this.#authorization);
  }

  verifyAuthorization<C extends JwtPayload>(
    header: string | readonly string[] | undefined | null,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>> {
    let token: string;
    try {
      token = parseBearer(header);
    } catch (error) {
      return Promise.reject(toAuthError(error));
    }
    return this.verify<C>(token, rules);
  }

  verifySync<C extends JwtPayload>(token: string, rules?: AuthRules | CompiledRules): VerifiedToken<C> {
    let verified: VerifiedToken;
    try {
      verified = this.#verifyToken(token, false) as VerifiedToken;
    } catch (error) {
      throw toAuthError(error);
    }
    return authorizeSync<C>(verified, rules, this.#authorization);
  }

  async hydrate(): Promise<HydrateReport> {
    const results = await this.#jwks.hydrate(this.jwksUris);
    const loaded = new Set(results.filter((r) => r.ok).map((r) => r.uri));
    const pools = new Map<string, boolean>();
    for (const entry of this.#options.issuers.values()) {
      pools.set(entry.userPoolId, (pools.get(entry.userPoolId) ?? false) || loaded.has(entry.jwksUri));
    }
    // Keys shipped with the code serve every pool, so a verifier that has them is ready either way.
    return { ok: this.#hasShippedKeys || [...pools.values()].every(Boolean), results };
  }

  get cachedTokens(): number {
    return this.#cache?.size ?? 0;
  }

  close(): void {
    this.#jwks.close();
    this.#cache?.clear();
  }

  /** Everything that depends only on the token and the keys; the cache sits in front of it. */
  #verifyToken(token: string, mayWait = true): VerifiedToken | Promise<VerifiedToken> {
    if (this.#cache !== undefined && typeof token === 'string') {
      const nowMs = this.#options.now();
      const hit = this.#cache.get(token, nowMs - this.#options.clockTolerance * 1000);
      if (hit !== undefined) {
        // Looking the key up again keeps TTL refreshes going and drops tokens whose key left the
        // JWKS or went too stale; it is one Map lookup.
        if (this.#jwks.lookup(hit.jwksUri, hit.token.header.kid) === hit.key) return hit.token;
        this.#cache.delete(token);
      }
    }
    const decoded = decodeToken(token, this.#options.maxTokenLength);
    const kid = checkHeader(decoded.header);
    const iss = decoded.payload.iss;
    const entry = typeof iss === 'string' ? this.#options.issuers.get(iss) : undefined;
    if (entry === undefined) throw new AuthError('invalid_issuer', { detail: 'issuer not configured' });
    const key = this.#jwks.lookup(entry.jwksUri, kid);
    if (key !== undefined) return this.#finish(token, decoded, entry, key);
    if (!mayWait) {
      // Start loading so a later call succeeds; this one cannot wait for it.
      this.#jwks.resolve(entry.jwksUri, kid).catch(() => {});
      // With a usable key set loaded, a missing kid is the token's problem, as verify() says.
      if (this.#jwks.hasUsableKeys(entry.jwksUri)) {
        throw new AuthError('unknown_key', { detail: 'kid not in the loaded JWKS' });
      }
      // When a download already failed, its cause is what the operator needs to see.
      const failed = this.#jwks.lastError(entry.jwksUri);
      throw new AuthError('jwks_unavailable', {
        detail:
          failed === undefined
            ? 'key not loaded yet; use verify() or hydrate() first'
            : `key not loaded: ${failed}`,
      });
    }
    return this.#jwks.resolve(entry.jwksUri, kid).then((found) => this.#finish(token, decoded, entry, found));
  }

  #finish(token: string, decoded: DecodedToken, entry: IssuerEntry, key: ImportedKey): VerifiedToken {
    if (!('key' in key)) throw new AuthError('invalid_key', { detail: key.rejected });
    if (!verifyRs256(decoded.signingInput, decoded.signature, key.key)) {
      throw new AuthError('invalid_signature');
    }
    const exp = checkTimes(decoded.payload, this.#options.now() / 1000, this.#options.clockTolerance);
    const checked = checkCognitoClaims(decoded.payload, entry);
    const verified = freezeToken(
      token,
      decoded,
      entry,
      checked,
      exp,
      this.#options.now,
      this.#denyList !== undefined,
    );
    this.#cache?.set(token, { token: verified, expiresAtMs: exp * 1000, jwksUri: entry.jwksUri, key });
    return verified;
  }
}

export { rejectAsAuthError, toAuthError } from './authorize.js';

export function cacheFrom(option: VerifierOptions['cache']): VerifiedTokenCache | undefined {
  if (option === false) return undefined;
  if (option === undefined) return new VerifiedTokenCache(DEFAULT_CACHE_ENTRIES);
  if (typeof option !== 'object' || option === null) fail('cache must be { maxEntries } or false');
  rejectUnknownKeys(option, CACHE_KEYS, 'cache options');
  const max = nonNegativeNumber(option.maxEntries, 'cache.maxEntries', DEFAULT_CACHE_ENTRIES);
  return max === 0 ? undefined : new VerifiedTokenCache(Math.floor(max));
}

const CACHE_KEYS = new Set(['maxEntries']);

export function preferFetched(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail('jwks.preferFetched must be a boolean');
  return value;
}

/**
 * Create a verifier for one or more Cognito user pools. Options are validated now; a mistake
 * throws a `ConfigurationError` at startup, not on the first request.
 *
 * @example
 * const verifier = createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });
 * const auth = await verifier.verifyAuthorization(req.headers.authorization, { scopes: 'orders/read' });
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return new CognitoVerifier(options);
}
