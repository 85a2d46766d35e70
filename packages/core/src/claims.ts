/**
 * Claim checks after the signature is known good: times, types, token_use and client. Types are
 * checked strictly (a claim of the wrong type is an error, never "absent"), and every comparison
 * is plain number arithmetic, so absurd values such as `exp: -1e13` end in an AuthError rather than
 * a RangeError from a Date.
 */
import { AuthError, type AuthErrorCode } from './errors.js';
import type { IssuerEntry } from './options.js';
import type { JwtPayload, TokenUse } from './types.js';

/** What the pipeline needs from a payload whose claims passed. */
export interface CheckedClaims {
  readonly sub: string;
  readonly tokenUse: TokenUse;
  readonly clientId: string;
  readonly username: string | undefined;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly exp: number;
}

/** Largest epoch second a JavaScript Date can hold. */
const MAX_EPOCH_SECONDS = 8.64e12;
const NO_STRINGS: readonly string[] = Object.freeze([]);

function reject(code: AuthErrorCode, detail: string): never {
  throw new AuthError(code, { detail });
}

/**
 * A registered claim's value. The payload is a fresh JSON.parse result (its own `__proto__` key
 * already removed), and none of the fixed names we read here exists on Object.prototype, so a plain
 * property read cannot see an inherited value; names chosen by users go through `Object.hasOwn`
 * (rules.ts).
 */
function own(payload: JwtPayload, name: string): unknown {
  return payload[name];
}

function optionalNumber(payload: JwtPayload, name: string): number | undefined {
  const value = own(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    reject('invalid_claims', `${name} is not a number`);
  return value;
}

function optionalString(payload: JwtPayload, name: string): string | undefined {
  const value = own(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') reject('invalid_claims', `${name} is not a string`);
  return value;
}

/** `exp` (required), `nbf` and `iat` against the clock, in seconds with tolerance. */
export function checkTimes(payload: JwtPayload, nowSeconds: number, tolerance: number): number {
  const exp = optionalNumber(payload, 'exp');
  if (exp === undefined) reject('invalid_claims', 'exp is missing');
  const nbf = optionalNumber(payload, 'nbf');
  const iat = optionalNumber(payload, 'iat');
  if (nowSeconds >= exp + tolerance) reject('expired', 'exp is in the past');
  if (nbf !== undefined && nowSeconds + tolerance < nbf) reject('not_yet_valid', 'nbf is in the future');
  if (iat !== undefined && iat > nowSeconds + tolerance) reject('issued_in_future', 'iat is in the future');
  if (exp > MAX_EPOCH_SECONDS) reject('invalid_claims', 'exp is out of range');
  return exp;
}

function groupsOf(payload: JwtPayload): readonly string[] {
  const value = own(payload, 'cognito:groups');
  if (value === undefined) return NO_STRINGS;
  if (!Array.isArray(value) || value.some((group) => typeof group !== 'string')) {
    reject('invalid_claims', 'cognito:groups is not an array of strings');
  }
  return Object.freeze(value as string[]);
}

function scopesOf(payload: JwtPayload): readonly string[] {
  const scope = optionalString(payload, 'scope');
  if (scope === undefined || scope.length === 0) return NO_STRINGS;
  const scopes = scope.split(' ');
  // Cognito separates scopes with single spaces; only a hand-made token needs the empty parts removed.
  return Object.freeze(scopes.includes('') ? scopes.filter((s) => s.length > 0) : scopes);
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');
}

/** True when an access token's `aud` (already type-checked) names one of `audiences`. */
function boundTo(aud: unknown, audiences: ReadonlySet<string>): boolean {
  if (typeof aud === 'string') return audiences.has(aud);
  return Array.isArray(aud) && aud.some((value) => audiences.has(value as string));
}

function clientOf(payload: JwtPayload, tokenUse: TokenUse): string {
  if (tokenUse === 'access') {
    const clientId = optionalString(payload, 'client_id');
    if (clientId === undefined) reject('invalid_claims', 'client_id is missing');
    // Cognito access tokens carry `aud` only with resource binding (RFC 8707): a string or a list of
    // strings. Its type is always checked, like every claim's; its value when `audience` is set.
    const aud = own(payload, 'aud');
    if (aud !== undefined && typeof aud !== 'string' && !isStringList(aud)) {
      reject('invalid_claims', 'aud is not a string or a list of strings');
    }
    return clientId;
  }
  const aud = own(payload, 'aud');
  if (typeof aud === 'string') return aud;
  reject('invalid_claims', 'aud is not a string');
}

/** Every Cognito-specific claim check for one accepted issuer. */
export function checkCognitoClaims(payload: JwtPayload, entry: IssuerEntry): Omit<CheckedClaims, 'exp'> {
  const use = own(payload, 'token_use');
  if (use !== 'id' && use !== 'access') {
    reject(typeof use === 'string' ? 'invalid_token_use' : 'invalid_claims', 'token_use is not id or access');
  }
  if (entry.tokenUse !== 'any' && entry.tokenUse !== use) reject('invalid_token_use', `token_use is ${use}`);
  const sub = optionalString(payload, 'sub');
  if (sub === undefined || sub.length === 0) reject('invalid_claims', 'sub is missing');
  const clientId = clientOf(payload, use);
  if (entry.clientIds !== null && !entry.clientIds.has(clientId))
    reject('invalid_client', 'client not accepted');
  if (entry.accessAudiences !== undefined && !boundTo(own(payload, 'aud'), entry.accessAudiences)) {
    // The same code as an ID token's `aud` mismatch: issued for someone else.
    reject('invalid_client', 'aud names no accepted audience');
  }
  const username = optionalString(payload, use === 'id' ? 'cognito:username' : 'username');
  optionalNumber(payload, 'auth_time');
  optionalString(payload, 'jti');
  optionalString(payload, 'origin_jti');
  return { sub, tokenUse: use, clientId, username, groups: groupsOf(payload), scopes: scopesOf(payload) };
}
