/**
 * What runs after a token is verified or found in the cache, on every call, for every kind of
 * verifier (Cognito and other OIDC issuers): the deny-list, the rules, then the revocation hook.
 * Synchronous when it can be, so a cached verification with synchronous hooks stays synchronous.
 */
import { DENY_CHECK, type DenyCheck } from './deny-list.js';
import { AuthError, isAuthError } from './errors.js';
import { fail } from './options.js';
import { checkRevocation } from './revocation.js';
import { type AuthRules, type CompiledRules, checkRules, compileRules } from './rules.js';
import type { JwtPayload, VerifiedToken } from './types.js';

/** A verifier's settings for {@link authorize}, resolved once at construction. */
export interface AuthorizeSettings {
  readonly denyList: DenyCheck | undefined;
  readonly isRevoked: ((token: VerifiedToken) => unknown) | undefined;
  readonly revocationTimeoutMs: number;
}

/**
 * Every rejection leaves the verifier as an AuthError, whatever failed underneath. An internal
 * failure still rejects the token (fail closed) but is marked `unexpected`, so tests and logs can
 * tell a bug from a verdict.
 */
export function toAuthError(error: unknown): AuthError {
  return isAuthError(error)
    ? error
    : new AuthError('malformed_token', { detail: 'unexpected failure', cause: error, unexpected: true });
}

export function rejectAsAuthError(error: unknown): Promise<never> {
  return Promise.reject(toAuthError(error));
}

/**
 * The deny-list, then rules and the revocation hook, for one verified token. `mayWait` false
 * (verifySync) never waits for a deny-list load. Throws or rejects only AuthError.
 */
export function authorize<C extends JwtPayload>(
  verified: VerifiedToken,
  rules: AuthRules | CompiledRules | undefined,
  settings: AuthorizeSettings,
  mayWait = true,
): VerifiedToken<C> | Promise<VerifiedToken<C>> {
  if (settings.denyList !== undefined) {
    let waiting: Promise<void> | undefined;
    try {
      waiting = settings.denyList[DENY_CHECK](verified, mayWait);
    } catch (error) {
      throw toAuthError(error);
    }
    if (waiting !== undefined) {
      return waiting.then(() => rulesAndHook<C>(verified, rules, settings), rejectAsAuthError);
    }
  }
  return rulesAndHook<C>(verified, rules, settings);
}

function rulesAndHook<C extends JwtPayload>(
  verified: VerifiedToken,
  rules: AuthRules | CompiledRules | undefined,
  settings: AuthorizeSettings,
): VerifiedToken<C> | Promise<VerifiedToken<C>> {
  try {
    if (rules !== undefined) checkRules(verified, compileRules(rules));
  } catch (error) {
    throw toAuthError(error);
  }
  const result = verified as unknown as VerifiedToken<C>;
  if (settings.isRevoked === undefined) return result;
  const pending = checkRevocation(settings.isRevoked, verified, settings.revocationTimeoutMs);
  return pending === undefined ? result : pending.then(() => result, rejectAsAuthError);
}

/**
 * {@link authorize} for what a verifier's pipeline produced: a verified token, or the promise of
 * one while keys load. The verify/verifyDirect step every kind of verifier shares.
 */
export function authorizeVerified<C extends JwtPayload>(
  verified: VerifiedToken | Promise<VerifiedToken>,
  rules: AuthRules | CompiledRules | undefined,
  settings: AuthorizeSettings,
): VerifiedToken<C> | Promise<VerifiedToken<C>> {
  if (verified instanceof Promise) {
    return verified.then((found) => authorize<C>(found, rules, settings), rejectAsAuthError);
  }
  return authorize<C>(verified, rules, settings);
}

/**
 * {@link authorize} for verifySync: never waits for a deny-list load, and an asynchronous
 * `isRevoked` is a ConfigurationError (its pending answer is dropped without an unhandled rejection).
 */
export function authorizeSync<C extends JwtPayload>(
  verified: VerifiedToken,
  rules: AuthRules | CompiledRules | undefined,
  settings: AuthorizeSettings,
): VerifiedToken<C> {
  let result: VerifiedToken<C> | Promise<VerifiedToken<C>>;
  try {
    result = authorize<C>(verified, rules, settings, false);
  } catch (error) {
    throw toAuthError(error);
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    fail('verifySync() needs a synchronous isRevoked (it returned a promise or thenable); use verify()');
  }
  return result;
}
