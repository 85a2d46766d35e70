/**
 * Every known input that cognito-gate rejects while aws-jwt-verify 5.2.1 or jose 6 (configured the
 * same way, see peers.ts) accepts it, or answers with something other than a verification error.
 * The README's "Security guarantees" table is generated from this list (readme-table.test.ts), each
 * row is checked against the real peers on a concrete token (witnesses.ts), and the property in
 * peers.test.ts fails on any divergence that no row explains.
 *
 * `awsJwtVerify` and `jose` say what each peer does with the row's input when nothing else is wrong
 * with the token: `accepts`, or `throws <error class | jose error code>`.
 */
import type { AuthErrorCode } from '@cognito-gate/core';
import type { Outcome, Peer } from './peers.js';

export interface Divergence {
  readonly id: string;
  /** The input, in a few words (Markdown). */
  readonly input: string;
  /** Our AuthError code. */
  readonly ours: AuthErrorCode;
  readonly awsJwtVerify: Outcome;
  readonly jose: Outcome;
  /** Why we reject it. */
  readonly reason: string;
}

export const DIVERGENCES = [
  // Keys
  {
    id: 'e-one',
    input: 'a JWKS key with `e = 1`',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'with e = 1 a "signature" is the padded hash itself: anyone can forge one',
  },
  {
    id: 'e-not-65537',
    input: 'a JWKS key with another exponent (`e = 3`)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'Cognito keys use 65537; small exponents invite signature-forgery bugs',
  },
  {
    id: 'small-key',
    input: 'an RSA key under 2048 bits (1024)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws TypeError',
    reason: 'below current guidance (NIST SP 800-131A); Cognito keys are 2048 bits',
  },
  {
    id: 'roca',
    input: 'a key with the ROCA fingerprint (CVE-2017-15361)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'such moduli are factorable',
  },
  {
    id: 'ec-key-rs256',
    input: 'an `RS256` header whose `kid` names an EC key (signed with ECDSA)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWKS_NO_MATCHING_KEY',
    reason: 'the key must match the algorithm; Cognito signs with RSA only',
  },
  {
    id: 'ec-signature-length',
    input: 'the same, with a signature of the wrong length',
    ours: 'invalid_key',
    awsJwtVerify: 'throws Error',
    jose: 'throws ERR_JWKS_NO_MATCHING_KEY',
    reason: 'as above; aws-jwt-verify lets OpenSSL throw',
  },
  {
    id: 'other-alg',
    input: '`RS384`, `RS512` or `ES256`, under a JWK without `alg`',
    ours: 'unsupported_algorithm',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JOSE_ALG_NOT_ALLOWED',
    reason: 'Cognito signs with RS256 only',
  },
  {
    id: 'key-ops',
    input: 'a JWK whose `key_ops` lacks `verify`',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWKS_NO_MATCHING_KEY',
    reason: 'the key is not published for verification (RFC 7517 §4.3)',
  },
  {
    id: 'key-ops-duplicates',
    input: 'a JWK whose `key_ops` lists a value twice (`["verify", "verify"]`)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWKS_NO_MATCHING_KEY',
    reason: 'RFC 7517 §4.3: duplicate key_ops values must not be present',
  },
  {
    id: 'private-jwk',
    input: 'a JWKS member with private key members (`d`, `p`, `q`, …)',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWKS_INVALID',
    reason: 'a JWKS that leaks a private key is compromised',
  },
  {
    id: 'n-leading-zero',
    input: 'a modulus `n` with a leading zero byte',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'not the canonical encoding RFC 7518 §6.3.1.1 requires',
  },
  {
    id: 'duplicate-kid',
    input: 'a `kid` used by two JWKS members',
    ours: 'invalid_key',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWKS_MULTIPLE_MATCHING_KEYS',
    reason: 'ambiguous: which key the kid means is up to the verifier',
  },
  // Header
  {
    id: 'no-kid',
    input: 'no `kid`, with one usable key in the JWKS',
    ours: 'malformed_token',
    awsJwtVerify: 'throws JwtWithoutValidKidError',
    jose: 'accepts',
    reason: 'Cognito always names its key',
  },
  {
    id: 'long-kid',
    input: 'a `kid` over 256 characters (that the JWKS has)',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: "Cognito's kids are 44 characters; a bound keeps lookups cheap",
  },
  {
    id: 'crit',
    input: 'a `crit` header parameter',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JOSE_NOT_SUPPORTED',
    reason: 'no extension is understood, so none may be marked critical',
  },
  {
    id: 'crit-b64',
    input: '`crit: ["b64"]` with `b64: true`',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'as above: Cognito never sends `crit`',
  },
  {
    id: 'cty',
    input: 'a `cty` header (`"JWT"`: a nested token)',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'announces a payload other than these claims (RFC 7519 §5.2)',
  },
  {
    id: 'typ-not-string',
    input: '`typ` that is not a string',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'not a JOSE header (RFC 7515 §4.1.9)',
  },
  // Encoding
  {
    id: 'non-canonical',
    input: 'non-canonical base64url: `=` padding, non-zero unused trailing bits',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'a token has exactly one spelling (RFC 7515 §2)',
  },
  {
    id: 'whitespace',
    input: 'ASCII whitespace inside a segment (a space, a tab)',
    ours: 'malformed_token',
    awsJwtVerify: 'throws JwtParseError',
    jose: 'accepts',
    reason: 'not base64url',
  },
  {
    id: 'bom',
    input: 'a UTF-8 byte-order mark before the header or payload JSON',
    ours: 'malformed_token',
    awsJwtVerify: 'throws JwtParseError',
    jose: 'accepts',
    reason: 'not JSON (RFC 8259 §8.1)',
  },
  {
    id: 'invalid-utf8',
    input: 'invalid UTF-8 in the header or payload',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWS_INVALID or ERR_JWT_INVALID',
    reason: 'decoders disagree on what it says',
  },
  {
    id: 'size-cap',
    input: 'a token over the size cap (16 KiB by default)',
    ours: 'malformed_token',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'rejected before decoding; real Cognito tokens are 1–4 KB',
  },
  // Times
  {
    id: 'no-exp',
    input: 'no `exp`',
    ours: 'invalid_claims',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'a token without expiry is valid forever',
  },
  {
    id: 'exp-now',
    input: '`exp` equal to the current time, to the millisecond',
    ours: 'expired',
    awsJwtVerify: 'accepts',
    jose: 'throws ERR_JWT_EXPIRED',
    reason: 'the time must be before `exp` (RFC 7519 §4.1.4)',
  },
  {
    id: 'exp-fraction',
    input: 'a fractional `exp` passed less than a second ago',
    ours: 'expired',
    awsJwtVerify: 'throws JwtExpiredError',
    jose: 'accepts',
    reason: 'jose compares with a clock truncated to whole seconds',
  },
  {
    id: 'iat-future',
    input: '`iat` in the future',
    ours: 'issued_in_future',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'a token from the future was not issued by a correct clock',
  },
  {
    id: 'exp-beyond-dates',
    input: '`exp` past the range of a Date (`1e13`)',
    ours: 'invalid_claims',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'no real expiry; `expiresAt` could not be a Date',
  },
  {
    id: 'exp-absurd-past',
    input: '`exp: -1e13`',
    ours: 'expired',
    awsJwtVerify: 'throws RangeError',
    jose: 'throws ERR_JWT_EXPIRED',
    reason: 'plain arithmetic, no Date: every failure is a verification error',
  },
  {
    id: 'nbf-absurd-future',
    input: '`nbf: 1e13`',
    ours: 'not_yet_valid',
    awsJwtVerify: 'throws RangeError',
    jose: 'throws ERR_JWT_CLAIM_VALIDATION_FAILED',
    reason: 'as above',
  },
  {
    id: 'time-infinite',
    input: '`exp: 1e400`, `iat: ±1e400` or `nbf: -1e400` (JSON reads ±Infinity)',
    ours: 'invalid_claims',
    awsJwtVerify: 'throws JwtParseError',
    jose: 'accepts',
    reason: 'not a NumericDate',
  },
  // Claims
  {
    id: 'cognito-claim-types',
    input:
      '`cognito:groups` not an array of strings (a string, say); `username`, `cognito:username` or `origin_jti` not a string; `auth_time` not a number',
    ours: 'invalid_claims',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'a claim of the wrong type is an error, never "absent" or coerced',
  },
  {
    id: 'registered-claim-types',
    input: '`sub`, `jti` or `scope` not a string',
    ours: 'invalid_claims',
    awsJwtVerify: 'throws JwtParseError',
    jose: 'accepts',
    reason: 'as above',
  },
  {
    id: 'sub-missing',
    input: 'no `sub`, or an empty one',
    ours: 'invalid_claims',
    awsJwtVerify: 'accepts',
    jose: 'accepts',
    reason: 'every Cognito token names its subject',
  },
  {
    id: 'aud-on-access-token',
    input: 'an access token whose `aud` is neither a string nor a list of strings (`"aud": 5`)',
    ours: 'invalid_claims',
    awsJwtVerify: 'throws JwtParseError',
    jose: 'accepts',
    reason: 'every claim is type-checked; resource-bound access tokens carry a string or a list',
  },
  {
    id: 'aud-array',
    input: 'an ID token whose `aud` is an array holding the client id',
    ours: 'invalid_claims',
    awsJwtVerify: 'throws CognitoJwtInvalidClientIdError',
    jose: 'accepts',
    reason: 'Cognito ID tokens carry one audience, a string',
  },
] as const satisfies readonly Divergence[];

export type DivergenceId = (typeof DIVERGENCES)[number]['id'];

/**
 * Known inputs that cognito-gate ACCEPTS while a peer rejects them. Each is either a bug of ours
 * (to fix in packages/, then delete the entry: its test in peers.test.ts fails once it is fixed)
 * or a peer's imprecision, explained in `reason`.
 */
export interface Looser {
  readonly id: string;
  readonly input: string;
  readonly rejectedBy: Peer;
  readonly peerOutcome: Outcome;
  readonly verdict: 'bug' | 'peer imprecision';
  readonly reason: string;
}

export const LOOSER = [
  {
    id: 'key-ops-sign-verify',
    input: 'a JWK whose `key_ops` is `["sign", "verify"]`',
    rejectedBy: 'jose',
    peerOutcome: 'throws DOMException',
    verdict: 'peer imprecision',
    reason:
      'RFC 7517 §4.3 allows the pair; jose hands it to WebCrypto, whose importKey refuses a `sign` usage on a public key (a crash, not a verification error)',
  },
  {
    id: 'nbf-fraction',
    input: 'a fractional `nbf` reached less than a second ago',
    rejectedBy: 'jose',
    peerOutcome: 'throws ERR_JWT_CLAIM_VALIDATION_FAILED',
    verdict: 'peer imprecision',
    reason:
      'jose truncates its clock to whole seconds; we compare with the exact time, as RFC 7519 §4.1.5 asks',
  },
] as const satisfies readonly Looser[];

export type LooserId = (typeof LOOSER)[number]['id'];

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The errors a `throws A or B` outcome allows (empty for `accepts`). */
export function thrownAlternatives(outcome: Outcome): string[] {
  return outcome === 'accepts' ? [] : outcome.slice('throws '.length).split(' or ');
}

/** True when `actual` is `expected`, or one of the errors it lists. */
export function outcomeMatches(expected: Outcome, actual: Outcome): boolean {
  if (expected === 'accepts' || actual === 'accepts') return expected === actual;
  return thrownAlternatives(expected).includes(actual.slice('throws '.length));
}

function outcomeCell(outcome: Outcome): string {
  if (outcome === 'accepts') return '**accepts**';
  return thrownAlternatives(outcome)
    .map((name) => `\`${name}\``)
    .join(' or ');
}

/** The README table, generated from DIVERGENCES. */
export function divergenceTable(rows: readonly Divergence[] = DIVERGENCES): string {
  const lines = [
    '| input | cognito-gate | aws-jwt-verify 5.2.1 | jose 6 | why we reject |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${cell(row.input)} | \`${row.ours}\` | ${outcomeCell(row.awsJwtVerify)} | ${outcomeCell(row.jose)} | ${cell(row.reason)} |`,
    ),
  ];
  return lines.join('\n');
}
