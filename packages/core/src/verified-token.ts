/**
 * Which objects are results of our own verification. Adapters put what `verifyDirect` returns on
 * the request and guards trust what they find there, so both ask this registry instead of trusting
 * any object of the right shape: a custom verifier answering `{}` or `true`, or another library
 * that also sets `req.auth`, must never read as an authenticated request.
 *
 * The registry lives on `globalThis` under a `Symbol.for` key so that two installed copies of this
 * package (mixed versions) still recognise each other's results.
 */
import type { VerifiedToken } from './types.js';

const REGISTRY_KEY = Symbol.for('@cognito-gate/core.verified-tokens');

type Holder = { [REGISTRY_KEY]?: WeakSet<object> };

function registry(): WeakSet<object> {
  const holder = globalThis as Holder;
  let set = holder[REGISTRY_KEY];
  if (!(set instanceof WeakSet)) {
    set = new WeakSet();
    Object.defineProperty(holder, REGISTRY_KEY, { value: set, enumerable: false });
  }
  return set;
}

const VERIFIED = registry();

/** Record a freshly built result as ours. Internal to the verifier. */
export function markVerified<T extends object>(token: T): T {
  VERIFIED.add(token);
  return token;
}

/**
 * True only for a `VerifiedToken` produced by a verifier of this library (any installed copy).
 *
 * @example
 * if (!isVerifiedToken(req.auth)) throw new AuthError('missing_token');
 */
export function isVerifiedToken(value: unknown): value is VerifiedToken {
  return typeof value === 'object' && value !== null && VERIFIED.has(value);
}
