/**
 * Which objects are results of our own verification. Adapters put what `verifyDirect` returns on
 * the request and guards trust what they find there, so both ask this module instead of trusting
 * any object of the right shape: a custom verifier answering `{}` or `true`, a copy of a result, or
 * another library that also sets `req.auth`, must never read as an authenticated request.
 *
 * The mark is a non-enumerable property under a `Symbol.for` key, set before the result is frozen:
 * nothing parsed from a request (JSON has no symbols) can carry it, a spread or `structuredClone`
 * copy does not keep it, and two installed copies of this package (mixed versions) still recognise
 * each other's results. It costs one property per result, where a registry (a WeakSet) would cost
 * an ephemeron entry the garbage collector must revisit for every verification.
 */
import type { VerifiedToken } from './types.js';

const VERIFIED = Symbol.for('@cognito-gate/core.verified-token');

// Defaults make it non-enumerable (no spread or Object.assign copies it), non-writable, non-configurable.
const MARK: PropertyDescriptor = { value: true };

/**
 * Mark a freshly built, not yet frozen, result as ours, remembering the clock of the verifier that
 * made it (non-enumerable too). Internal to the verifier.
 */
export function markVerified<T extends object>(token: T, now?: () => number, denyMemo = false): T {
  if (now !== undefined) Object.defineProperty(token, CLOCK, { value: now });
  if (denyMemo) Object.defineProperty(token, DENY_MEMO, { value: { list: undefined, version: -1 } });
  return Object.defineProperty(token, VERIFIED, MARK);
}

/**
 * For verifiers with a deny-list: the list (and its version) a result was last found not denied
 * by. A cached result is checked again only when the list gained an entry since, which keeps the
 * per-request cost of a 10,000-entry list to two property reads. The slot is the one mutable part
 * of a frozen result; it only ever saves a lookup, and entries are never removed before expiry.
 */
export const DENY_MEMO = Symbol.for('@cognito-gate/core.deny-memo');

export interface DenyMemo {
  list: object | undefined;
  version: number;
}

// The clock of the verifier that made a result, so rules checked later (an adapter's per-route
// `maxAge`) measure time as that verifier does, injected clock included.
const CLOCK = Symbol.for('@cognito-gate/core.verifier-clock');

/** The clock of the verifier that produced `token`; `Date.now` for anything else. */
export function clockOf(token: object): () => number {
  const clock = Object.hasOwn(token, CLOCK) ? (token as { [CLOCK]?: unknown })[CLOCK] : undefined;
  return typeof clock === 'function' ? (clock as () => number) : Date.now;
}

/**
 * True only for a `VerifiedToken` produced by a verifier of this library (any installed copy).
 *
 * @example
 * if (!isVerifiedToken(req.auth)) throw new AuthError('missing_token');
 */
export function isVerifiedToken(value: unknown): value is VerifiedToken {
  // Own property only: an object whose prototype is a real result does not count.
  return (
    typeof value === 'object' && value !== null && Object.hasOwn(value, VERIFIED) && Object.isFrozen(value)
  );
}
