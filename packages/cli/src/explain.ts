/**
 * Why a token was rejected, in words a person debugging it can act on: "token_use is id but this
 * API expects access tokens", "expired at 2026-11-26T10:00:00Z, 3 h 12 min ago". Unlike a server
 * response, this text may show the token's own details: it is printed to the person holding it.
 * The verdict always comes from the core verifier; this module only reads the token and the
 * expectations to phrase it, and falls back on the error's `detail` when it has nothing better.
 */
import {
  type AuthError,
  globalIssuer,
  type JwksFailureCause,
  poolRegion,
  regionalIssuer,
  type TokenUseOption,
  type VerifiedToken,
} from '@cognito-gate/core';
import { claim, type InspectedToken } from './inspect-token.js';
import { explainJwksFailure } from './jwks-failure.js';
import { expirySentence, formatDuration, isoDate, relativeTime } from './time.js';

/** What the verifier was told to accept. */
export interface Expectations {
  readonly userPoolIds: readonly string[];
  /** `null`: any client (`--any-client`). */
  readonly clientIds: readonly string[] | null;
  readonly tokenUse: TokenUseOption;
  readonly groups: readonly string[] | undefined;
  readonly scopes: readonly string[] | undefined;
  /** Step-up: accepted `acr` values, required `amr` methods, largest sign-in age in seconds. */
  readonly acr?: readonly string[] | undefined;
  readonly amr?: readonly string[] | undefined;
  readonly maxAge?: number | undefined;
  /** Resource servers an access token's `aud` must name one of. */
  readonly audience?: readonly string[] | undefined;
  readonly clockToleranceSeconds: number;
}

/** Where the keys came from and which kids it held, when known. */
export interface JwksView {
  /** A file path or URL. */
  readonly source: string;
  readonly kids: readonly string[] | undefined;
  /** Why the last download from `source` failed, when one did. */
  readonly failure?: JwksFailureCause | undefined;
}

export interface ExplainContext {
  readonly token: InspectedToken;
  readonly expected: Expectations;
  readonly nowMs: number;
  readonly jwks: JwksView;
}

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const or = (values: readonly string[]): string => values.join(' or ');

/** Both issuer forms of every expected pool (the verifier accepts both). */
export function expectedIssuers(userPoolIds: readonly string[]): string[] {
  return userPoolIds.flatMap((id) => {
    const region = poolRegion(id);
    return region === undefined ? [] : [regionalIssuer(id, region), globalIssuer(id, region)];
  });
}

function malformed(error: AuthError, { token }: ExplainContext): string {
  if (token.problem !== undefined) return `the token is not a well-formed JWT: ${token.problem}`;
  const header = token.header;
  if (error.detail === 'crit is not supported') {
    return `the header has a crit member (${show(claim(header, 'crit'))}); Cognito never sets one`;
  }
  if (error.detail === 'kid is missing or invalid') {
    const kid = claim(header, 'kid');
    return kid === undefined ? 'the header has no kid' : `the header's kid is not usable (${show(kid)})`;
  }
  if (error.detail === 'alg is missing') return 'the header has no alg';
  return `the token is malformed${error.detail === undefined ? '' : `: ${error.detail}`}`;
}

function unknownKey({ token, jwks }: ExplainContext): string {
  const kid = show(claim(token.header, 'kid'));
  const prefix = `the token names key ${kid}, which is not in the JWKS (${jwks.source})`;
  if (jwks.kids === undefined) return `${prefix}; it may come from another pool, or its key was rotated out`;
  if (jwks.kids.length === 0) return `${prefix}: that JWKS holds no keys`;
  return `${prefix}: it holds ${jwks.kids.join(', ')}`;
}

function issuer({ token, expected }: ExplainContext): string {
  const iss = claim(token.claims, 'iss');
  const accepted = or(expectedIssuers(expected.userPoolIds));
  if (iss === undefined) return `the token has no iss claim; expected ${accepted}`;
  return `issued by ${show(iss)}, expected ${accepted}`;
}

function client(error: AuthError, { token, expected }: ExplainContext): string {
  if (error.detail === 'aud names no accepted audience') {
    const aud = claim(token.claims, 'aud');
    const bound = aud === undefined ? 'has no aud (no resource binding)' : `is bound to ${show(aud)} (aud)`;
    return `the access token ${bound}, expected ${or(expected.audience ?? [])}`;
  }
  const field = claim(token.claims, 'token_use') === 'id' ? 'aud' : 'client_id';
  const actual = show(claim(token.claims, field));
  return `issued to client ${actual} (${field}), expected ${or(expected.clientIds ?? [])}`;
}

function tokenUse({ token, expected }: ExplainContext): string {
  const use = claim(token.claims, 'token_use');
  if (use !== 'id' && use !== 'access') return `token_use is ${show(use)}; Cognito tokens say id or access`;
  const wanted = expected.tokenUse === 'any' ? 'id or access' : expected.tokenUse;
  return `token_use is ${use} but this API expects ${wanted} tokens`;
}

function invalidClaims(error: AuthError, { token }: ExplainContext): string {
  const detail = error.detail ?? 'a claim has the wrong type';
  const name = /^(\S+) is not /.exec(detail)?.[1];
  const value = name === undefined ? undefined : claim(token.claims, name);
  const suffix = value === undefined ? '' : ` (it is ${JSON.stringify(value)})`;
  return `the claims are not what Cognito issues: ${detail}${suffix}`;
}

function missing(kind: string, held: readonly string[], required: readonly string[]): string {
  const lacking = required.filter((value) => !held.includes(value));
  const heldText = held.length === 0 ? `the token has no ${kind}` : `${kind} held: ${held.join(', ')}`;
  return `${heldText}; required: ${required.join(', ')} (missing: ${lacking.join(', ')})`;
}

function groups({ token, expected }: ExplainContext): string {
  const value = claim(token.claims, 'cognito:groups');
  const held = Array.isArray(value) ? value.map(String) : [];
  return missing('groups', held, expected.groups ?? []);
}

function scopes(error: AuthError, { token, expected }: ExplainContext): string {
  const value = claim(token.claims, 'scope');
  const held = typeof value === 'string' ? value.split(' ').filter((s) => s.length > 0) : [];
  return missing('scopes', held, error.requiredScopes ?? expected.scopes ?? []);
}

/** Why the sign-in behind the token is too weak or too old (RFC 9470 step-up). */
function stepUp(error: AuthError, { token, expected, nowMs }: ExplainContext): string {
  const again = ': sign in again to meet it';
  switch (error.detail) {
    case 'acr is missing':
      return `the token has no acr claim, and this API requires acr ${or(expected.acr ?? error.acrValues ?? [])} (Cognito access tokens carry none)`;
    case 'acr not accepted':
      return `acr is ${show(claim(token.claims, 'acr'))}, this API accepts ${or(expected.acr ?? error.acrValues ?? [])}${again}`;
    case 'amr is missing':
      return `the token has no amr claim, and this API requires amr ${(expected.amr ?? []).join(', ')} (Cognito access tokens carry none)`;
    case 'required amr missing': {
      const value = claim(token.claims, 'amr');
      return `${missing('amr', Array.isArray(value) ? value.map(String) : [], expected.amr ?? [])}${again}`;
    }
    case 'auth_time is missing':
      return `the token has no auth_time, so its sign-in cannot be shown to be at most ${formatDuration(error.maxAge ?? 0)} old`;
    case 'authentication is older than maxAge': {
      const authTime = claim(token.claims, 'auth_time') as number;
      return `signed in at ${isoDate(authTime) ?? show(authTime)} (auth_time), ${relativeTime(authTime, nowMs)}; this API accepts sign-ins at most ${formatDuration(error.maxAge ?? 0)} old${again}`;
    }
    default:
      return error.detail === undefined ? error.description : `${error.description}: ${error.detail}`;
  }
}

function toleranceNote(expected: Expectations): string {
  const tolerance = expected.clockToleranceSeconds;
  return tolerance > 0 ? ` (clock tolerance ${formatDuration(tolerance)})` : '';
}

function timeClaim(name: string, ctx: ExplainContext, what: string): string {
  const value = claim(ctx.token.claims, name);
  const iso = isoDate(value);
  if (iso === undefined) return `${what} (${name} is ${show(value)})`;
  return `${what} ${iso} (${name}), ${relativeTime(value as number, ctx.nowMs)}${toleranceNote(ctx.expected)}`;
}

function poolHint(reason: string, source: string): string {
  // 408 and 429 are about load, not about a wrong pool.
  return /answered 4(?!08|29)\d\d/.test(reason) && source.includes('cognito-idp.')
    ? ' (check the user pool id and its region)'
    : '';
}

function jwksUnavailable(error: AuthError, { jwks }: ExplainContext): string {
  const reason =
    (jwks.failure === undefined ? undefined : explainJwksFailure(jwks.failure, jwks.source)) ??
    error.detail ??
    'no usable key set';
  return `could not load the JWKS from ${jwks.source}: ${reason}${poolHint(reason, jwks.source)}`;
}

/** A 403/404/410 from the JWKS URL: the issuer publishes no keys, so no token of it can verify. */
function noKeys(error: AuthError, { jwks }: ExplainContext): string {
  const reason = error.detail ?? '';
  return `${jwks.source} publishes no keys: ${reason}${poolHint(reason, jwks.source)}`;
}

/**
 * The human explanation of a rejection.
 *
 * @example
 * explainRejection(error, context) // 'token_use is id but this API expects access tokens'
 */
export function explainRejection(error: AuthError, ctx: ExplainContext): string {
  const kid = show(claim(ctx.token.header, 'kid'));
  switch (error.code) {
    case 'malformed_token':
      return malformed(error, ctx);
    case 'unsupported_algorithm':
      return `alg is ${show(claim(ctx.token.header, 'alg'))} but Cognito user pools sign with RS256 only`;
    case 'unknown_key':
      return error.detail?.startsWith('issuer publishes no keys') === true
        ? noKeys(error, ctx)
        : unknownKey(ctx);
    case 'invalid_key':
      return `key ${kid} in the JWKS (${ctx.jwks.source}) is refused: ${error.detail ?? 'it fails the key policy'}`;
    case 'invalid_signature':
      return `the signature does not match key ${kid} (${ctx.jwks.source}): the token was altered, or signed by another key`;
    case 'expired':
      return `${expirySentence(claim(ctx.token.claims, 'exp'), ctx.nowMs)}${toleranceNote(ctx.expected)}`;
    case 'not_yet_valid':
      return timeClaim('nbf', ctx, 'not valid before');
    case 'issued_in_future':
      return `${timeClaim('iat', ctx, 'issued in the future, at')}: a clock is off (--clock-tolerance allows for skew)`;
    case 'invalid_issuer':
      return issuer(ctx);
    case 'invalid_client':
      return client(error, ctx);
    case 'invalid_token_use':
      return tokenUse(ctx);
    case 'invalid_claims':
      return invalidClaims(error, ctx);
    case 'insufficient_group':
      return groups(ctx);
    case 'insufficient_scope':
      return scopes(error, ctx);
    case 'insufficient_user_authentication':
      return stepUp(error, ctx);
    case 'jwks_unavailable':
      return jwksUnavailable(error, ctx);
    default:
      return error.detail === undefined ? error.description : `${error.description}: ${error.detail}`;
  }
}

/**
 * The one-line summary of an accepted token.
 *
 * @example
 * explainSuccess(auth, Date.now())
 * // 'access token of testuser for client abc of pool us-east-1_X; expires at …, in 59 min'
 */
export function explainSuccess(auth: VerifiedToken, nowMs: number): string {
  const kind = auth.isMachine ? 'machine-to-machine access token' : `${auth.tokenUse} token`;
  const who = auth.username === undefined ? '' : ` of ${auth.username}`;
  const exp = auth.expiresAt.getTime() / 1000;
  return `${kind}${who} for client ${auth.clientId} of pool ${auth.userPoolId}; ${expirySentence(exp, nowMs)}`;
}
