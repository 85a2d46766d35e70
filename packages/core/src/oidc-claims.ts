/**
 * Claim checks for tokens of non-Cognito issuers, after the signature is known good (times are
 * checked by `checkTimes`, shared with Cognito). Types are strict as on the Cognito path: a claim
 * of the wrong type is an error, never "absent".
 * - `aud` (a string or a non-empty list of strings) must contain one of the configured audiences;
 * - RFC 9068 access tokens (`typ: at+jwt`) must carry `iss`, `exp`, `aud`, `sub`, `client_id`,
 *   `iat` and `jti` (§2.2);
 * - other access tokens need `sub`; ID tokens need `sub` and `iat` (OpenID Connect Core §2) and
 *   never `typ: at+jwt` (RFC 9068 §2.1: that is what the type is for);
 * - scopes come from `scope` (space-separated) or, when it is absent, `scp` (a list, or a
 *   space-separated string); groups from the configured claim only.
 */
import { AuthError, type AuthErrorCode } from './errors.js';
import type { OidcIssuerEntry } from './oidc-options.js';
import type { JwtPayload, TokenUse } from './types.js';

export interface CheckedOidcClaims {
  readonly sub: string;
  readonly tokenUse: TokenUse;
  readonly clientId: string;
  readonly username: string | undefined;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
}

const NO_STRINGS: readonly string[] = Object.freeze([]);

function reject(code: AuthErrorCode, detail: string): never {
  throw new AuthError(code, { detail });
}

/** An own claim: configured claim names (groups, username) may be anything, `constructor` included. */
function own(payload: JwtPayload, name: string): unknown {
  return Object.hasOwn(payload, name) ? payload[name] : undefined;
}

function optionalString(payload: JwtPayload, name: string): string | undefined {
  const value = own(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') reject('invalid_claims', `${name} is not a string`);
  return value;
}

function requiredString(payload: JwtPayload, name: string): string {
  const value = optionalString(payload, name);
  if (value === undefined || value.length === 0) reject('invalid_claims', `${name} is missing`);
  return value;
}

function optionalNumber(payload: JwtPayload, name: string): number | undefined {
  const value = own(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    reject('invalid_claims', `${name} is not a number`);
  return value;
}

function stringList(value: unknown, name: string): readonly string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    reject('invalid_claims', `${name} is not an array of strings`);
  return Object.freeze([...(value as string[])]);
}

function spaceSeparated(value: string): readonly string[] {
  return value.length === 0 ? NO_STRINGS : Object.freeze(value.split(' ').filter((s) => s.length > 0));
}

/** The audiences the token names; `aud` is required for every non-Cognito token. */
function audiencesOf(payload: JwtPayload): readonly string[] {
  const aud = own(payload, 'aud');
  if (aud === undefined) reject('invalid_claims', 'aud is missing');
  if (typeof aud === 'string') return [aud];
  if (!Array.isArray(aud) || aud.length === 0 || aud.some((item) => typeof item !== 'string'))
    reject('invalid_claims', 'aud is not a string or a list of strings');
  return aud as string[];
}

function scopesOf(payload: JwtPayload): readonly string[] {
  const scope = optionalString(payload, 'scope');
  const scp = own(payload, 'scp');
  if (scp !== undefined && typeof scp !== 'string') stringList(scp, 'scp');
  if (scope !== undefined) return spaceSeparated(scope);
  if (scp === undefined) return NO_STRINGS;
  return typeof scp === 'string' ? spaceSeparated(scp) : stringList(scp, 'scp');
}

/** Every claim check of a non-Cognito issuer entry. */
export function checkOidcClaims(
  payload: JwtPayload,
  entry: OidcIssuerEntry,
  atJwt: boolean,
): CheckedOidcClaims {
  if (entry.tokenUse === 'id' && atJwt)
    reject('invalid_token_use', 'an access token (at+jwt) is not an ID token');
  if (entry.tokenUse === 'access' && entry.requireAtJwt && !atJwt)
    reject('invalid_token_use', 'typ is not at+jwt');
  const audiences = audiencesOf(payload);
  const matched = audiences.find((aud) => entry.audiences.has(aud));
  if (matched === undefined) reject('invalid_client', 'aud names no accepted audience');
  const sub = requiredString(payload, 'sub');
  const azp = optionalString(payload, 'azp');
  let clientId: string;
  if (entry.tokenUse === 'access') {
    if (atJwt) {
      clientId = requiredString(payload, 'client_id');
      if (optionalNumber(payload, 'iat') === undefined) reject('invalid_claims', 'iat is missing');
      requiredString(payload, 'jti');
    } else {
      clientId = optionalString(payload, 'client_id') ?? azp ?? '';
      optionalNumber(payload, 'iat');
      optionalString(payload, 'jti');
    }
  } else {
    if (optionalNumber(payload, 'iat') === undefined) reject('invalid_claims', 'iat is missing');
    clientId = azp ?? (audiences.length === 1 ? matched : '');
    optionalString(payload, 'nonce');
  }
  optionalNumber(payload, 'auth_time');
  const groups = entry.groupsClaim === undefined ? NO_STRINGS : groupsOf(payload, entry.groupsClaim);
  const username =
    entry.usernameClaim === undefined ? undefined : optionalString(payload, entry.usernameClaim);
  return { sub, tokenUse: entry.tokenUse, clientId, username, groups, scopes: scopesOf(payload) };
}

function groupsOf(payload: JwtPayload, claim: string): readonly string[] {
  const value = own(payload, claim);
  return value === undefined ? NO_STRINGS : stringList(value, claim);
}
