/**
 * `createOidcVerifier`: the verification pipeline for one OpenID Connect issuer other than Cognito,
 * behind the same `Verifier` interface, so every adapter takes it unchanged:
 *   decode → exact `iss` → header policy (the issuer's algorithms) → key (discovered or configured
 *   JWKS, per-type key policy) → key/alg fit → signature → times → OIDC claims → result,
 * then per-call rules and the revocation hook, as for Cognito. Nothing here touches the Cognito
 * path: a Cognito verifier still accepts RS256 and RSA keys only.
 */
import type { OidcAlgorithm } from './algorithms.js';
import { type AuthorizeSettings, authorizeSync, authorizeVerified } from './authorize.js';
import { parseBearer } from './bearer.js';
import { checkTimes } from './claims.js';
import { type DecodedToken, decodeToken } from './decode.js';
import { type DenyCheck, denyCheckOf } from './deny-list.js';
import { AuthError } from './errors.js';
import { freezeJson, ImmutableDate } from './immutable.js';
import type { ImportedKey, KeySet } from './jwk.js';
import { JwksCache } from './jwks-cache.js';
import { importOidcJwks, keyMismatch } from './key-policy.js';
import { checkOidcClaims } from './oidc-claims.js';
import { DiscoveryCache } from './oidc-discovery.js';
import { checkOidcHeader } from './oidc-header.js';
import { type OidcIssuerEntry, type OidcVerifierOptions, resolveOidcEntry } from './oidc-options.js';
import {
  checkedClock,
  fail,
  JWKS_KEYS,
  nonNegativeNumber,
  positiveTimeout,
  rejectUnknownKeys,
} from './options.js';
import type { AuthRules, CompiledRules } from './rules.js';
import { verifyJws } from './signature.js';
import type { VerifiedTokenCache } from './token-cache.js';
import type { CognitoClaims, JwtPayload, VerifiedToken } from './types.js';
import { markVerified } from './verified-token.js';
import { cacheFrom, type HydrateReport, preferFetched, toAuthError, type Verifier } from './verifier.js';

/** The JwksCache key of keys that only come from `jwks.keys` (no URL is ever fetched for it). */
const SHIPPED_ONLY = 'jwks.keys';

class OidcVerifier implements Verifier {
  readonly #entry: OidcIssuerEntry;
  readonly #jwks: JwksCache;
  readonly #discovery: DiscoveryCache | undefined;
  readonly #cache: VerifiedTokenCache | undefined;
  readonly #hasShippedKeys: boolean;
  readonly #now: () => number;
  readonly #clockTolerance: number;
  readonly #maxTokenLength: number;
  readonly #denyList: DenyCheck | undefined;
  readonly #authorization: AuthorizeSettings;
  readonly #closer = new AbortController();
  readonly issuers: readonly string[];

  constructor(options: OidcVerifierOptions) {
    const entry = resolveOidcEntry(options);
    this.#entry = entry;
    this.issuers = Object.freeze([entry.issuer]);
    const jwks = options.jwks ?? {};
    rejectUnknownKeys(jwks, JWKS_KEYS, 'jwks options');
    if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function');
    if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function')
      fail('isRevoked must be a function');
    if (jwks.fetch !== undefined && jwks.fetch !== false && typeof jwks.fetch !== 'function')
      fail('jwks.fetch must be a fetch function or false');
    this.#now = options.now === undefined ? Date.now : checkedClock(options.now);
    this.#clockTolerance = nonNegativeNumber(options.clockToleranceSeconds, 'clockToleranceSeconds', 0);
    this.#maxTokenLength = nonNegativeNumber(options.maxTokenLength, 'maxTokenLength', 16 * 1024);
    this.#denyList = denyCheckOf(options.denyList);
    this.#authorization = {
      denyList: this.#denyList,
      isRevoked: options.isRevoked,
      revocationTimeoutMs: positiveTimeout(options.revocationTimeoutMs),
    };
    const importKeys = (document: unknown): KeySet | undefined => importOidcJwks(document, entry.algorithms);
    let preloaded: KeySet | undefined;
    if (jwks.keys !== undefined) {
      preloaded = importKeys(jwks.keys);
      if (preloaded === undefined) fail('jwks.keys must be a JWKS ({ keys: [...] }) or an array of JWKs');
    }
    this.#hasShippedKeys = preloaded !== undefined && [...preloaded.values()].some((key) => 'key' in key);
    this.#cache = cacheFrom(options.cache);
    const seconds = (value: number | undefined, name: string, fallback: number) =>
      nonNegativeNumber(value, `jwks.${name}`, fallback) * 1000;
    const fetch = jwks.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));
    const limits = {
      ttlMs: seconds(jwks.ttlSeconds, 'ttlSeconds', 3600),
      maxStaleMs: seconds(jwks.maxStaleSeconds, 'maxStaleSeconds', 86_400),
      cooldownMs: seconds(jwks.cooldownSeconds, 'cooldownSeconds', 10),
      timeoutMs: nonNegativeNumber(jwks.timeoutMs, 'jwks.timeoutMs', 3000),
      maxBytes: nonNegativeNumber(jwks.maxBytes, 'jwks.maxBytes', 512 * 1024),
      now: this.#now,
    };
    this.#jwks = new JwksCache({
      ...limits,
      fetch,
      preloaded,
      preferFetched: preferFetched(jwks.preferFetched),
      onEvent: options.onEvent,
      onKeysRemoved: (kids) => this.#cache?.purgeKids(kids),
      importKeys,
    });
    this.#discovery =
      entry.discoveryUri === undefined || fetch === false
        ? undefined
        : new DiscoveryCache(entry.discoveryUri, entry.issuer, {
            ...limits,
            fetch,
            signal: this.#closer.signal,
          });
  }

  /** The JWKS URLs known now (a discovered one appears once discovery succeeded). */
  get jwksUris(): readonly string[] {
    const uri = this.#entry.jwksUri ?? this.#discovery?.current();
    return Object.freeze(uri === undefined ? [] : [uri]);
  }

  get cachedTokens(): number {
    return this.#cache?.size ?? 0;
  }

  verify<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>> {
    try {
      const result = this.verifyDirect<C>(token, rules);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  verifyDirect<C extends JwtPayload = CognitoClaims>(
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

  verifyAuthorization<C extends JwtPayload = CognitoClaims>(
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

  verifySync<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C> {
    let verified: VerifiedToken;
    try {
      verified = this.#verifyToken(token, false) as VerifiedToken;
    } catch (error) {
      throw toAuthError(error);
    }
    return authorizeSync<C>(verified, rules, this.#authorization);
  }

  async hydrate(): Promise<HydrateReport> {
    let uri = this.#entry.jwksUri;
    const failures = [];
    if (uri === undefined && this.#discovery !== undefined) {
      const outcome = await this.#discovery.hydrate();
      if (outcome.ok) uri = this.#discovery.current();
      else failures.push({ ...outcome, uri: this.#discovery.uri });
    }
    const results = uri === undefined ? [] : await this.#jwks.hydrate([uri]);
    const loaded = results.some((r) => r.ok);
    return { ok: this.#hasShippedKeys || loaded, results: [...failures, ...results] };
  }

  close(): void {
    this.#closer.abort();
    this.#jwks.close();
    this.#cache?.clear();
  }

  /** The JWKS URL to look keys up under now, or undefined while discovery has no answer. */
  #currentJwksUri(): string | undefined {
    if (this.#entry.jwksUri !== undefined) return this.#entry.jwksUri;
    if (this.#discovery === undefined) return SHIPPED_ONLY;
    return this.#discovery.current();
  }

  #verifyToken(token: string, mayWait = true): VerifiedToken | Promise<VerifiedToken> {
    if (this.#cache !== undefined && typeof token === 'string') {
      const hit = this.#cache.get(token, this.#now() - this.#clockTolerance * 1000);
      if (hit !== undefined) {
        if (this.#jwks.lookup(hit.jwksUri, hit.token.header.kid) === hit.key) return hit.token;
        this.#cache.delete(token);
      }
    }
    const decoded = decodeToken(token, this.#maxTokenLength);
    if (decoded.payload.iss !== this.#entry.issuer)
      throw new AuthError('invalid_issuer', { detail: 'issuer not configured' });
    const { kid, alg, atJwt } = checkOidcHeader(decoded.header, this.#entry.algorithms);
    const uri = this.#currentJwksUri();
    const key = uri === undefined ? undefined : this.#jwks.lookup(uri, kid);
    if (key !== undefined) return this.#finish(token, decoded, uri!, key, alg, atJwt);
    if (!mayWait) {
      if (uri === undefined) {
        this.#discovery?.resolve().catch(() => {});
        const failed = this.#discovery?.lastError;
        throw new AuthError('jwks_unavailable', {
          detail: failed === undefined ? 'discovery not done yet; use verify() or hydrate() first' : failed,
        });
      }
      this.#jwks.resolve(uri, kid).catch(() => {});
      if (this.#jwks.hasUsableKeys(uri))
        throw new AuthError('unknown_key', { detail: 'kid not in the loaded JWKS' });
      const failed = this.#jwks.lastError(uri);
      throw new AuthError('jwks_unavailable', {
        detail: failed === undefined ? 'key not loaded yet; use verify() or hydrate() first' : failed,
      });
    }
    const located = uri === undefined ? this.#discovery!.resolve() : Promise.resolve(uri);
    return located.then((found) =>
      this.#jwks
        .resolve(found, kid)
        .then((imported) => this.#finish(token, decoded, found, imported, alg, atJwt)),
    );
  }

  #finish(
    token: string,
    decoded: DecodedToken,
    jwksUri: string,
    key: ImportedKey,
    alg: OidcAlgorithm,
    atJwt: boolean,
  ): VerifiedToken {
    if (!('key' in key)) throw new AuthError('invalid_key', { detail: key.rejected });
    const mismatch = keyMismatch(key, alg);
    if (mismatch !== undefined) throw new AuthError('invalid_key', { detail: mismatch });
    if (!verifyJws(alg, decoded.signingInput, decoded.signature, key.key))
      throw new AuthError('invalid_signature');
    const exp = checkTimes(decoded.payload, this.#now() / 1000, this.#clockTolerance);
    const checked = checkOidcClaims(decoded.payload, this.#entry, atJwt);
    const isMachine =
      checked.tokenUse === 'access' && checked.username === undefined && checked.sub === checked.clientId;
    const verified: VerifiedToken = Object.freeze(
      markVerified(
        {
          token,
          header: decoded.header,
          claims: freezeJson(decoded.payload) as CognitoClaims,
          ...checked,
          isMachine,
          issuer: this.#entry.issuer,
          userPoolId: '',
          expiresAt: Object.freeze(new ImmutableDate(exp * 1000)),
        },
        this.#now,
        this.#denyList !== undefined,
      ),
    );
    this.#cache?.set(token, { token: verified, expiresAtMs: exp * 1000, jwksUri, key });
    return verified;
  }
}

/**
 * Create a verifier for one OpenID Connect issuer other than Cognito (Okta, Auth0, Entra ID,
 * Keycloak, Google…). It implements `Verifier`, so every adapter takes it as is; combine it with a
 * Cognito verifier with `combineVerifiers`. Options are validated now (`ConfigurationError`).
 *
 * @example
 * const partner = createOidcVerifier({
 *   issuer: 'https://login.partner.example',
 *   audience: 'https://api.example.com',
 *   algorithms: ['ES256'],
 * });
 * const auth = await partner.verifyAuthorization(req.headers.authorization, { scopes: 'orders:read' });
 */
export function createOidcVerifier(options: OidcVerifierOptions): Verifier {
  return new OidcVerifier(options);
}
