/**
 * Shared pieces of the core property suites (test/property/core-*.test.ts):
 * - test keys, generated lazily once per worker (RSA generation is the slowest thing here);
 * - a verifier factory with a movable clock and no network (`jwks.fetch: false`);
 * - outcome recorders that enforce the verifier's error contract on every call: a verified token
 *   or an AuthError that is not `unexpected` (a wrapped bug), within a per-case time bound;
 * - a reference decoder written from RFC 7515/4648 and the README's "malformed_token" row, which
 *   the suites compare the real decoder with (paulmillr/scure-base style parity);
 * - JSON-text arbitraries, so tests can sign what JSON.stringify never writes (duplicate keys,
 *   `1e400`, lone-surrogate escapes, `__proto__` members).
 */
import {
  AuthError,
  type AuthErrorCode,
  createVerifier,
  type VerifiedToken,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { CLIENT_ID, makeKey, NOW, POOL_ID, signSegments, type TestKey } from '../support/signer.js';

export { CLIENT_ID, NOW, POOL_ID };

/** Issuer forms written from the README (not from pools.ts): regional, and global (replication). */
export const regionalIssuerOf = (pool: string): string =>
  `https://cognito-idp.${pool.split('_')[0]}.amazonaws.com/${pool}`;
export const globalIssuerOf = (pool: string): string =>
  `https://issuer-cognito-idp.${pool.split('_')[0]}.amazonaws.com/${pool}`;

/** No single verification may take longer than this: a hang or a quadratic path fails the case. */
export const CASE_BOUND_MS = 2000;

/** Longest token a verifier accepts by default (README: `maxTokenLength`). */
export const DEFAULT_CAP = 16 * 1024;

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Two pool keys (in the JWKS), a stranger reusing key A's kid (not in it) and a 1024-bit key. */
export const keyA = lazy(() => makeKey('key-a'));
export const keyB = lazy(() => makeKey('key-b'));
export const stranger = lazy(() => makeKey('key-a'));
export const weakKey = lazy(() => makeKey('weak', 1024));
export const tinyKey = lazy(() => makeKey('tiny', 512));

/**
 * Make test keys now (in a `beforeAll`), so key generation never eats a property's time budget.
 * Default: the keys of `standardJwks()`.
 */
export function generateKeys(...keys: Array<() => TestKey>): void {
  for (const key of keys.length === 0 ? [keyA, keyB, weakKey] : keys) key();
}

/** Time allowed for `generateKeys` on a loaded CI machine. */
export const KEYGEN_TIMEOUT_MS = 60_000;

/** The JWKS most suites use: two good keys, one too small, one with e = 1 (both refused by policy). */
export function standardJwks(): { keys: Array<Record<string, unknown>> } {
  return {
    keys: [keyA().jwk, keyB().jwk, weakKey().jwk, { ...keyA().jwk, kid: 'e-one', e: 'AQ' }],
  };
}

/** A clock the test moves; the verifier reads it through `now`. */
export interface Clock {
  ms: number;
}

/** A verifier on the standard pool with shipped keys only (no network) and the given clock. */
export function makeVerifier(
  clock: Clock,
  overrides: Partial<VerifierOptions> = {},
  keys: unknown = standardJwks(),
): Verifier {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    now: () => clock.ms,
    ...overrides,
    jwks: { keys, fetch: false },
  });
}

export type Outcome =
  | { readonly ok: true; readonly token: VerifiedToken }
  | { readonly ok: false; readonly code: AuthErrorCode; readonly status: number };

/** The error contract: only an AuthError, and never one that wraps an internal failure. */
export function rejection(error: unknown): Outcome {
  if (!(error instanceof AuthError)) {
    throw new Error(`rejected with ${Object.prototype.toString.call(error)} instead of an AuthError`, {
      cause: error,
    });
  }
  if (error.unexpected) {
    throw new Error(`AuthError(${error.code}) is marked unexpected: a bug was wrapped`, {
      cause: error.cause,
    });
  }
  return { ok: false, code: error.code, status: error.status };
}

/** Races `promise` against the per-case bound, so a hang fails the case instead of the suite. */
export function bounded<T>(promise: Promise<T>, ms = CASE_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function checkElapsed(started: number): void {
  const elapsed = performance.now() - started;
  if (elapsed > CASE_BOUND_MS) throw new Error(`a synchronous call took ${Math.round(elapsed)} ms`);
}

function timed<T>(run: () => T): T {
  const started = performance.now();
  let result: T;
  try {
    result = run();
  } catch (error) {
    checkElapsed(started);
    throw error;
  }
  checkElapsed(started);
  return result;
}

type Rules = Parameters<Verifier['verify']>[1];

/** `verify`: must return a promise (never throw synchronously) and settle within the bound. */
export async function viaVerify(verifier: Verifier, token: string, rules?: Rules): Promise<Outcome> {
  let pending: Promise<VerifiedToken>;
  try {
    pending = verifier.verify(token, rules);
  } catch (error) {
    throw new Error('verify() threw synchronously instead of rejecting', { cause: error });
  }
  expect(pending).toBeInstanceOf(Promise);
  return bounded(pending).then((token): Outcome => ({ ok: true, token }), rejection);
}

/** `verifyDirect`: records whether it answered with a promise. */
export async function viaDirect(
  verifier: Verifier,
  token: string,
  rules?: Rules,
): Promise<{ outcome: Outcome; async: boolean }> {
  let result: VerifiedToken | Promise<VerifiedToken>;
  try {
    result = timed(() => verifier.verifyDirect(token, rules));
  } catch (error) {
    return { outcome: rejection(error), async: false };
  }
  if (!(result instanceof Promise)) return { outcome: { ok: true, token: result }, async: false };
  const outcome = await bounded(result).then((token): Outcome => ({ ok: true, token }), rejection);
  return { outcome, async: true };
}

/** `verifySync`: throws or returns, within the bound. */
export function viaSync(verifier: Verifier, token: string, rules?: Rules): Outcome {
  try {
    const token2 = timed(() => verifier.verifySync(token, rules));
    expect(token2).not.toBeInstanceOf(Promise);
    return { ok: true, token: token2 };
  } catch (error) {
    return rejection(error);
  }
}

/** Fewer cases than this (a property stopped early by its time budget) cannot judge coverage. */
const CASES_TO_JUDGE_COVERAGE = 150;

/**
 * Guard against a vacuous property: a generator that never reaches the interesting path. Judged
 * only when at least 150 cases ran (a heavily loaded machine may stop a property early on its time
 * budget) and not when replaying one counterexample (`PROPERTY_PATH`).
 */
export function expectReached(count: number, what: string, cases: number): void {
  if (process.env.PROPERTY_PATH || cases < CASES_TO_JUDGE_COVERAGE) return;
  expect(count, `no generated case (of ${cases}) reached ${what}`).toBeGreaterThan(0);
}

/** A short label for comparing outcomes: `ok` or the error code. */
export const verdict = (outcome: Outcome): string => (outcome.ok ? 'ok' : outcome.code);

/** True when `value` and everything reachable from it is frozen (a Date must refuse setters too). */
export function isDeeplyFrozen(value: unknown): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (!Object.isFrozen(next)) return false;
    for (const key of Reflect.ownKeys(next)) pending.push((next as Record<PropertyKey, unknown>)[key]);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reference decoder, written from the documents rather than from decode.ts: RFC 4648 §5 alphabet,
// no padding, zero unused bits (RFC 7515 §2 "base64url encoding ... with all trailing '=' omitted";
// canonical per README), strict UTF-8 (TextDecoder fatal, BOM kept as a character), JSON object.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTETS = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Canonical unpadded base64url, decoded bit by bit; `undefined` for any other spelling. */
export function referenceBase64url(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let pendingBits = 0;
  let bitCount = 0;
  for (const char of text) {
    const sextet = SEXTETS.get(char);
    if (sextet === undefined) return undefined;
    pendingBits = (pendingBits << 6) | sextet;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out.push((pendingBits >> bitCount) & 0xff);
      pendingBits &= (1 << bitCount) - 1;
    }
  }
  // 6 leftover bits: a lone character that cannot hold a byte; other leftovers must be zero.
  if (bitCount >= 6 || pendingBits !== 0) return undefined;
  return Uint8Array.from(out);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A segment as a JSON object (own `__proto__` removed, README: "`__proto__` keys are inert"). */
export function referenceJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = referenceBase64url(segment);
  if (bytes === undefined || bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (Object.hasOwn(value, '__proto__')) Reflect.deleteProperty(value, '__proto__');
  return value as Record<string, unknown>;
}

export interface ReferenceDecoded {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signature: Uint8Array;
}

/** The reference decode of a compact JWS, or `undefined` when the README calls it malformed. */
export function referenceDecode(token: string, cap = DEFAULT_CAP): ReferenceDecoded | undefined {
  if (token.length === 0 || token.length > cap) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = referenceJsonSegment(parts[0]!);
  const payload = referenceJsonSegment(parts[1]!);
  const signature = referenceBase64url(parts[2]!);
  if (header === undefined || payload === undefined || signature === undefined || signature.length === 0)
    return undefined;
  return { header, payload, signature };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/** UTF-16 code units that are half of a surrogate pair, alone. */
export const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((unit) => String.fromCharCode(unit));

/** One "character" of hostile text: any code point, a lone surrogate, or a token-ish ASCII one. */
export const hostileChar = fc.oneof(
  fc.constantFrom(...ALPHABET),
  fc.constantFrom('.', '=', '+', '/', ' ', '\t', '\n', '\r', '%', '\u0000', '\u00e9', '\uFEFF', '\uFFFD'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
);

/** Object keys that have bitten JavaScript parsers and verifiers. */
export const trickyKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'then',
    'alg',
    'kid',
    'typ',
    'cty',
    'crit',
    'iss',
    'sub',
    'exp',
    'nbf',
    'iat',
    'token_use',
    'client_id',
    'aud',
    'scope',
    'cognito:groups',
    'username',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** Number literals JSON.stringify never writes, and the boundaries of a Date. */
const numberLiteral = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '0.0',
    '8.64e12',
    '8640000000001',
    '-1e13',
    '1e13',
    '123456789012345678901234567890',
    '1800000000',
    '1800000000.5',
    '1E3',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
);

const stringLiteral = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\ud800"', '"x\\udc00"', '"\\u0000"', '"\\uFEFF"', '""', '"RS256"', '"key-a"'),
  // A raw lone surrogate in the text: Buffer.from encodes it as U+FFFD's bytes.
  loneSurrogate.map((s) => `"${s}"`),
);

/** Hand-written JSON text of any value (not only objects), with duplicate and tricky keys. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  object: string;
  array: string;
  leaf: string;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, tie('leaf'), tie('object'), tie('array')),
  leaf: fc.oneof(fc.constantFrom('null', 'true', 'false'), numberLiteral, stringLiteral),
  object: fc
    .array(fc.tuple(trickyKey, tie('value')), { maxLength: 5 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
})).value;

/** JSON text nested `depth` levels deep (arrays, or objects in arrays). */
export function deepJson(depth: number, objects: boolean): string {
  return objects
    ? `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`
    : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** JSON object text from already-serialized members, in order (so later duplicates win). */
export function objectText(members: ReadonlyArray<readonly [string, string]>): string {
  return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

export const b64Text = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Sign hand-written header and payload JSON text with a test key. */
export function signText(headerText: string, payloadText: string, key: TestKey): string {
  return signSegments(b64Text(headerText), b64Text(payloadText), key.privateKey);
}

/** The documented meaning of an `isRevoked` answer: only these three mean "not revoked". */
export const NOT_REVOKED: readonly unknown[] = [false, null, undefined];
