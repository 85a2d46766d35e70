/**
 * Verifier options: their public shape, and their validation into the internal form the pipeline
 * reads. Everything is checked once, at creation, with messages that name the option; a typo in an
 * option name fails loudly instead of silently weakening verification.
 */

import type { DenyList } from './deny-list.js';
import { AuthError } from './errors.js';
import type { JwksEvent } from './events.js';
import { announceInsecureHttpHosts, parseInsecureHttpHosts } from './insecure-hosts.js';
import type { JwksFetchFunction } from './jwks-fetch.js';
import {
  globalIssuer,
  issuerOverrideProblem,
  jwksUriOf,
  jwksUriProblem,
  poolRegion,
  regionalIssuer,
} from './pools.js';
import { DEFAULT_REVOCATION_TIMEOUT_MS } from './revocation.js';
import type { TokenUse, VerifiedToken } from './types.js';

export type TokenUseOption = TokenUse | 'any';

/** Per-pool settings, for verifiers that accept tokens from several pools. */
export interface PoolOptions {
  readonly userPoolId: string;
  readonly clientId?: string | readonly string[] | null;
  readonly tokenUse?: TokenUseOption;
  /** Override this pool's JWKS URL (both issuer forms then share it). */
  readonly jwksUri?: string;
  /**
   * Local emulators (cognito-local, LocalStack): the exact `iss` this pool's tokens carry, instead
   * of the Cognito issuers derived from `userPoolId`. Only this string is accepted for the pool; it
   * needs an explicit JWKS URL (`jwksUri` or `jwks.uri`), and `userPoolId` is then a free-form label
   * (`local_AbC12345`). Every other check is unchanged. Default: the Cognito issuers.
   */
  readonly issuer?: string;
}

export interface JwksOptions {
  /** Override the JWKS URL for every pool (local emulators, tests). */
  readonly uri?: string;
  /**
   * A JWKS shipped with the code (`{ keys: [...] }` or a bare array); used before any fetch. By
   * default a shipped key stays trusted for as long as the code runs, even after the pool stops
   * publishing it (a retired or compromised key keeps verifying): set `preferFetched` to let the
   * fetched set replace the shipped one once it is in.
   */
  readonly keys?: unknown;
  /**
   * Consult `keys` only while a URL has no usable fetched set (cold start, endpoint down past
   * max-stale). Default false: shipped keys are always consulted.
   */
  readonly preferFetched?: boolean;
  /** Refresh known keys after this long. Default 3600. */
  readonly ttlSeconds?: number;
  /** Keep serving known keys this long after the TTL while refreshes fail. Default 86400. */
  readonly maxStaleSeconds?: number;
  /** Total time for one fetch, retry included. Default 3000. */
  readonly timeoutMs?: number;
  /** Largest JWKS body accepted. Default 512 KiB. */
  readonly maxBytes?: number;
  /** At most one fetch per URL in this window when unknown kids arrive. Default 10. */
  readonly cooldownSeconds?: number;
  /** A fetch implementation (proxies, instrumentation), or `false` to never use the network. */
  readonly fetch?: JwksFetchFunction | false;
}

export interface VerifierOptions {
  /** A pool id, several pool ids (sharing clientId/tokenUse), or per-pool settings. */
  readonly userPoolId: string | readonly string[] | readonly PoolOptions[];
  /** Accepted app client id(s); `null` explicitly accepts any client. Required otherwise. */
  readonly clientId?: string | readonly string[] | null;
  /** Which tokens this API accepts. Default `'access'`. */
  readonly tokenUse?: TokenUseOption;
  /**
   * Resource binding (RFC 8707): the resource server(s) this API is. When set, an access token's
   * `aud` (a string or a list) must name one of them, and a token without `aud` is refused
   * (`invalid_client`). Needs `tokenUse: 'access'` (ID tokens carry no resource binding). Unset:
   * `aud` on access tokens is only type-checked, as before.
   */
  readonly audience?: string | readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`. Default 0. */
  readonly clockToleranceSeconds?: number;
  /** Accept the global issuer form of each pool as well as the regional one. Default true. */
  readonly acceptGlobalIssuer?: boolean;
  /**
   * Development hosts whose JWKS and issuer URLs may use plain http (`['localhost.localstack.cloud']`,
   * a docker-compose service name, `'host.docker.internal'`). Loopback needs no entry. Refused when
   * `NODE_ENV` is `production`; announced once per process with a console warning. Default none.
   */
  readonly insecureHttpHosts?: readonly string[];
  /** Longest token accepted, checked before decoding. Default 16384 characters. */
  readonly maxTokenLength?: number;
  readonly jwks?: JwksOptions;
  /** The verified-token cache; `false` turns it off. */
  readonly cache?: { readonly maxEntries?: number } | false;
  /**
   * A deny-list check run on every call (cached or not), after the signature and claims passed.
   * The answer rule fails closed: only `false`, `null` and `undefined` mean "not revoked"; any
   * other value revokes (`true`, but also `1`, `'true'`, `'false'`, a found record). Promises and
   * other thenables are awaited; a throw, a rejection or no answer within `revocationTimeoutMs`
   * revokes. A revoked token is rejected with `revoked` (401).
   */
  readonly isRevoked?: (token: VerifiedToken) => unknown;
  /** Deadline for an asynchronous `isRevoked` answer; past it the token counts as revoked. Default 3000. */
  readonly revocationTimeoutMs?: number;
  /**
   * A fleet-wide deny-list (`createDenyList`), consulted on every call (cached or not) before the
   * rules and `isRevoked`: a covered token is rejected with `revoked` (401). While its store is
   * unreachable past its staleness bound, calls fail closed (`revocation_unavailable`, 503, or
   * `revoked`, as the deny-list's `whenStale` says).
   */
  readonly denyList?: DenyList;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Operational events (JWKS fetches, refreshes, stale serving, kid misses). */
  readonly onEvent?: (event: JwksEvent) => void;
}

/** Raised for invalid options, at creation time. */
export class ConfigurationError extends TypeError {
  override readonly name = 'ConfigurationError';
}

/** One issuer string we accept, with the pool it belongs to. */
export interface IssuerEntry {
  readonly issuer: string;
  readonly userPoolId: string;
  readonly jwksUri: string;
  /** `null`: any client. */
  readonly clientIds: ReadonlySet<string> | null;
  readonly tokenUse: TokenUseOption;
  /** Resource servers an access token's `aud` must name one of; absent: `aud` is not checked. */
  readonly accessAudiences?: ReadonlySet<string> | undefined;
}

export interface ResolvedOptions {
  readonly issuers: ReadonlyMap<string, IssuerEntry>;
  readonly clockTolerance: number;
  readonly maxTokenLength: number;
  readonly isRevoked: VerifierOptions['isRevoked'];
  readonly revocationTimeoutMs: number;
  readonly now: () => number;
}

const TOP_LEVEL = new Set([
  'userPoolId',
  'clientId',
  'tokenUse',
  'audience',
  'clockToleranceSeconds',
  'acceptGlobalIssuer',
  'insecureHttpHosts',
  'maxTokenLength',
  'jwks',
  'cache',
  'isRevoked',
  'revocationTimeoutMs',
  'denyList',
  'now',
  'onEvent',
]);
const POOL_KEYS = new Set(['userPoolId', 'clientId', 'tokenUse', 'jwksUri', 'issuer']);
export const JWKS_KEYS = new Set([
  'uri',
  'keys',
  'ttlSeconds',
  'maxStaleSeconds',
  'timeoutMs',
  'maxBytes',
  'cooldownSeconds',
  'fetch',
  'preferFetched',
]);

export function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate: ${message}`);
}

export function rejectUnknownKeys(value: object, allowed: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.has(key));
  if (unknown.length > 0)
    fail(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in ${where}`);
}

export function nonNegativeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(`${name} must be a number >= 0`);
  return value;
}

export function positiveTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_REVOCATION_TIMEOUT_MS;
  // setTimeout's range: a larger value would fire at once.
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2_147_483_647)
    fail('revocationTimeoutMs must be a number of milliseconds > 0');
  return value;
}

/**
 * An injected clock whose every reading is checked: a clock answering NaN or a string would make
 * every time comparison false, so `exp` would never pass. A bad reading rejects the token instead.
 */
export function checkedClock(now: () => number): () => number {
  return function checkedNow() {
    const value = now();
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new AuthError('expired', { detail: 'the now() clock returned a non-finite number' });
    }
    return value;
  };
}

function clientSet(value: unknown, where: string): ReadonlySet<string> | null {
  if (value === null) return null;
  if (value === undefined) {
    fail(`clientId is required for ${where}; pass clientId: null to accept tokens of any app client`);
  }
  const ids = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.some((id) => typeof id !== 'string' || id.length === 0)
  ) {
    fail(`clientId for ${where} must be a non-empty string, an array of them, or null`);
  }
  return new Set(ids as string[]);
}

function tokenUseOf(value: unknown, where: string): TokenUseOption {
  if (value === undefined) return 'access';
  if (value !== 'access' && value !== 'id' && value !== 'any')
    fail(`tokenUse for ${where} must be 'access', 'id' or 'any'`);
  return value;
}

function audienceSet(value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((v) => typeof v !== 'string' || v.length === 0)
  ) {
    fail('audience must be a non-empty string or an array of them');
  }
  return new Set(list as string[]);
}

function poolList(options: VerifierOptions): PoolOptions[] {
  const raw = options.userPoolId;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail('userPoolId must name at least one user pool');
  return list.map((entry: unknown) => {
    if (typeof entry === 'string') {
      return { userPoolId: entry, clientId: options.clientId, tokenUse: options.tokenUse };
    }
    if (typeof entry !== 'object' || entry === null) fail('userPoolId entries must be strings or objects');
    rejectUnknownKeys(entry, POOL_KEYS, 'a userPoolId entry');
    const pool = entry as PoolOptions;
    return {
      ...pool,
      clientId: 'clientId' in pool ? pool.clientId : options.clientId,
      tokenUse: pool.tokenUse ?? options.tokenUse,
    };
  });
}

function insecureHostsOf(value: unknown): ReadonlySet<string> {
  const parsed = parseInsecureHttpHosts(value, process.env.NODE_ENV);
  if ('problem' in parsed) fail(parsed.problem);
  announceInsecureHttpHosts(parsed.hosts);
  return parsed.hosts;
}

/**
 * The `iss` values a pool is known by: the Cognito issuers derived from its id (regional, and the
 * global form unless turned off), or exactly its `issuer` override, which needs an explicit JWKS URL.
 */
function issuerForms(
  pool: PoolOptions,
  where: string,
  uriOverride: string | undefined,
  acceptGlobal: boolean,
  insecureHosts: ReadonlySet<string>,
): string[] {
  if (pool.issuer !== undefined) {
    if (typeof pool.userPoolId !== 'string' || pool.userPoolId.length === 0) {
      fail('userPoolId must be a non-empty string');
    }
    const problem = issuerOverrideProblem(pool.issuer, insecureHosts);
    if (problem !== undefined) fail(`issuer of ${where} ${problem}`);
    if (pool.jwksUri === undefined && uriOverride === undefined) {
      fail(`${where} has an issuer override, so it needs an explicit JWKS URL (jwksUri or jwks.uri)`);
    }
    return [pool.issuer];
  }
  const region = typeof pool.userPoolId === 'string' ? poolRegion(pool.userPoolId) : undefined;
  if (region === undefined) fail(`userPoolId must look like "us-east-1_AbC123" (got an invalid pool id)`);
  const forms = [regionalIssuer(pool.userPoolId, region)];
  if (acceptGlobal) forms.push(globalIssuer(pool.userPoolId, region));
  return forms;
}

/** Validate options and build the issuer table the pipeline looks tokens up in. */
export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('createVerifier needs an options object');
  rejectUnknownKeys(options, TOP_LEVEL, 'verifier options');
  if (options.jwks !== undefined) rejectUnknownKeys(options.jwks, JWKS_KEYS, 'jwks options');
  const insecureHosts = insecureHostsOf(options.insecureHttpHosts);
  const uriOverride = options.jwks?.uri;
  if (uriOverride !== undefined) {
    const problem = jwksUriProblem(uriOverride, insecureHosts);
    if (problem !== undefined) fail(`jwks.uri ${problem}`);
  }
  const acceptGlobal = options.acceptGlobalIssuer ?? true;
  const accessAudiences = audienceSet(options.audience);
  const issuers = new Map<string, IssuerEntry>();
  for (const pool of poolList(options)) {
    const where = `user pool ${String(pool.userPoolId)}`;
    const forms = issuerForms(pool, where, uriOverride, acceptGlobal, insecureHosts);
    if (pool.jwksUri !== undefined) {
      const problem = jwksUriProblem(pool.jwksUri, insecureHosts);
      if (problem !== undefined) fail(`jwksUri of ${where} ${problem}`);
    }
    const clientIds = clientSet(pool.clientId, where);
    const tokenUse = tokenUseOf(pool.tokenUse, where);
    if (accessAudiences !== undefined && tokenUse !== 'access') {
      fail(`audience binds access tokens: ${where} must use tokenUse 'access' (it accepts ${tokenUse})`);
    }
    for (const issuer of forms) {
      if (issuers.has(issuer)) fail(`${where} is configured twice`);
      const jwksUri = pool.jwksUri ?? uriOverride ?? jwksUriOf(issuer);
      issuers.set(issuer, {
        issuer,
        userPoolId: pool.userPoolId,
        jwksUri,
        clientIds,
        tokenUse,
        accessAudiences,
      });
    }
  }
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function');
  if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function')
    fail('isRevoked must be a function');
  const maxTokenLength = nonNegativeNumber(options.maxTokenLength, 'maxTokenLength', 16 * 1024);
  return {
    issuers,
    clockTolerance: nonNegativeNumber(options.clockToleranceSeconds, 'clockToleranceSeconds', 0),
    maxTokenLength,
    isRevoked: options.isRevoked,
    revocationTimeoutMs: positiveTimeout(options.revocationTimeoutMs),
    now: options.now === undefined ? Date.now : checkedClock(options.now),
  };
}
