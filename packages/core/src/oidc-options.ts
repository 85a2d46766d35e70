/**
 * Options of `createOidcVerifier`, and their validation into the issuer entry the pipeline reads.
 * Checked once, at creation, with messages that name the option; unknown option names fail.
 */
import { ALGORITHMS, isOidcAlgorithm, type OidcAlgorithm } from './algorithms.js';
import type { DenyList } from './deny-list.js';
import type { JwksEvent } from './events.js';
import { fail, type JwksOptions, nonNegativeNumber, rejectUnknownKeys } from './options.js';
import { jwksUriProblem } from './pools.js';
import type { VerifiedToken } from './types.js';

export interface OidcVerifierOptions {
  /**
   * The issuer identifier, compared exactly (no normalisation) with each token's `iss` and with the
   * discovery document's `issuer`.
   */
  readonly issuer: string;
  /** Accepted audience(s): a token's `aud` must contain one of them. Required. */
  readonly audience: string | readonly string[];
  /** The JWS algorithms this issuer signs with. Never taken from the token. Required. */
  readonly algorithms: readonly OidcAlgorithm[];
  /**
   * What tokens of this issuer are: `'access'` (default: `typ` absent, `JWT` or `at+jwt`) or `'id'`
   * (OpenID Connect ID tokens: `typ` absent or `JWT`; `sub` and `iat` required).
   */
  readonly tokenUse?: 'access' | 'id';
  /** Refuse access tokens without `typ: at+jwt` (RFC 9068 §4). Default false. */
  readonly requireAtJwt?: boolean;
  /** Claim holding the user's groups (an array of strings). Default: none (groups are empty). */
  readonly groupsClaim?: string;
  /** Claim reported as `username`. Default: none (`username` is undefined). */
  readonly usernameClaim?: string;
  /**
   * Discovery (`<issuer>/.well-known/openid-configuration`) finds the JWKS URL unless `jwks.uri` is
   * given or `jwks.fetch` is false. Its download follows the `jwks` limits: timeout, size cap, TTL,
   * max-stale and cooldown.
   */
  readonly discovery?: { readonly uri?: string } | false;
  readonly jwks?: JwksOptions;
  /** Leeway for `exp`, `nbf` and `iat`. Default 0. */
  readonly clockToleranceSeconds?: number;
  /** Longest token accepted, checked before decoding. Default 16384 characters. */
  readonly maxTokenLength?: number;
  readonly cache?: { readonly maxEntries?: number } | false;
  /** As in `createVerifier`: fails closed, run on every call. */
  readonly isRevoked?: (token: VerifiedToken) => unknown;
  readonly revocationTimeoutMs?: number;
  /** As in `createVerifier`: a `createDenyList` list consulted on every call. */
  readonly denyList?: DenyList;
  readonly now?: () => number;
  readonly onEvent?: (event: JwksEvent) => void;
}

/** The issuer table entry of one non-Cognito issuer. */
export interface OidcIssuerEntry {
  readonly issuer: string;
  readonly audiences: ReadonlySet<string>;
  readonly algorithms: ReadonlySet<OidcAlgorithm>;
  readonly tokenUse: 'access' | 'id';
  readonly requireAtJwt: boolean;
  readonly groupsClaim: string | undefined;
  readonly usernameClaim: string | undefined;
  /** Fixed JWKS URL, or undefined when discovery finds it. */
  readonly jwksUri: string | undefined;
  /** Discovery document URL, or undefined without discovery. */
  readonly discoveryUri: string | undefined;
}

const TOP_LEVEL = new Set([
  'issuer',
  'audience',
  'algorithms',
  'tokenUse',
  'requireAtJwt',
  'groupsClaim',
  'usernameClaim',
  'discovery',
  'jwks',
  'clockToleranceSeconds',
  'maxTokenLength',
  'cache',
  'isRevoked',
  'revocationTimeoutMs',
  'denyList',
  'now',
  'onEvent',
]);

function nonEmptyStrings(value: unknown, name: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v.length === 0))
    fail(`${name} must be a non-empty string or a non-empty array of them`);
  return list as string[];
}

function optionalClaimName(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) fail(`${name} must be a non-empty string`);
  return value;
}

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery §4; one trailing `/` dropped). */
export function discoveryUriOf(issuer: string): string {
  return `${issuer.endsWith('/') ? issuer.slice(0, -1) : issuer}/.well-known/openid-configuration`;
}

/** Validate the issuer-specific options (the rest are validated as for `createVerifier`). */
export function resolveOidcEntry(options: OidcVerifierOptions): OidcIssuerEntry {
  if (typeof options !== 'object' || options === null) fail('createOidcVerifier needs an options object');
  rejectUnknownKeys(options, TOP_LEVEL, 'OIDC verifier options');
  const issuer = options.issuer;
  if (typeof issuer !== 'string' || issuer.length === 0) fail('issuer must be a non-empty string');
  const audiences = new Set(nonEmptyStrings(options.audience, 'audience'));
  const algs = nonEmptyStrings(options.algorithms, 'algorithms');
  for (const alg of algs) {
    if (!isOidcAlgorithm(alg))
      fail(
        `algorithms: ${alg} is not one of ${Object.keys(ALGORITHMS).join(', ')} (HMAC and none are never accepted)`,
      );
  }
  const tokenUse = options.tokenUse ?? 'access';
  if (tokenUse !== 'access' && tokenUse !== 'id') fail(`tokenUse must be 'access' or 'id'`);
  const requireAtJwt = options.requireAtJwt ?? false;
  if (typeof requireAtJwt !== 'boolean') fail('requireAtJwt must be a boolean');
  if (requireAtJwt && tokenUse === 'id') fail(`requireAtJwt applies to access tokens, not tokenUse 'id'`);
  const jwks = options.jwks ?? {};
  const jwksUri = jwks.uri;
  if (jwksUri !== undefined) {
    const problem = typeof jwksUri === 'string' ? jwksUriProblem(jwksUri) : 'is not a string';
    if (problem !== undefined) fail(`jwks.uri ${problem}`);
  }
  const discovery = options.discovery;
  if (discovery !== undefined && discovery !== false) {
    if (typeof discovery !== 'object' || discovery === null) fail('discovery must be { uri } or false');
    rejectUnknownKeys(discovery, new Set(['uri']), 'discovery options');
  }
  let discoveryUri: string | undefined;
  if (jwksUri === undefined && jwks.fetch !== false && discovery !== false) {
    discoveryUri = discovery?.uri ?? discoveryUriOf(issuer);
    const problem = jwksUriProblem(discoveryUri);
    if (problem !== undefined) fail(`the discovery URL ${problem}`);
  } else if (discovery !== undefined && discovery !== false) {
    fail('discovery cannot be combined with jwks.uri or jwks.fetch: false');
  }
  if (jwksUri === undefined && discoveryUri === undefined && jwks.keys === undefined)
    fail('an issuer without discovery needs jwks.uri or jwks.keys');
  nonNegativeNumber(options.clockToleranceSeconds, 'clockToleranceSeconds', 0);
  return {
    issuer,
    audiences,
    algorithms: new Set(algs as OidcAlgorithm[]),
    tokenUse,
    requireAtJwt,
    groupsClaim: optionalClaimName(options.groupsClaim, 'groupsClaim'),
    usernameClaim: optionalClaimName(options.usernameClaim, 'usernameClaim'),
    jwksUri,
    discoveryUri,
  };
}
