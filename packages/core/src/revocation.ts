/**
 * Reading the answer of an `isRevoked` hook. Deny-lists are written by hand against stores that
 * answer in many shapes (Redis `SISMEMBER` gives `1`, DynamoDB a found item, SQL builders are
 * thenables that are not Promises), so the rule is deliberately narrow and fails closed:
 * - only `false`, `null` and `undefined` mean "not revoked"; every other value revokes;
 * - a thenable (anything with a callable `then`) is awaited, whatever its class;
 * - a throw, a rejection, or no answer within the deadline revokes.
 */
import { AuthError } from './errors.js';
import type { VerifiedToken } from './types.js';

/** Default deadline for an asynchronous answer. */
export const DEFAULT_REVOCATION_TIMEOUT_MS = 3000;

export type RevocationHook = (token: VerifiedToken) => unknown;

function revokedBy(detail: string, cause?: unknown): AuthError {
  return new AuthError('revoked', { detail, cause });
}

/** Throws `revoked` unless the settled answer is `false`, `null` or `undefined`. */
function judge(answer: unknown): void {
  if (answer === false || answer === null || answer === undefined) return;
  throw revokedBy('isRevoked answered a value other than false, null or undefined');
}

/** The `then` method of a thenable, or `undefined` for plain values. Reading it may throw. */
function thenOf(answer: unknown): ((onOk: unknown, onError: unknown) => unknown) | undefined {
  if ((typeof answer !== 'object' && typeof answer !== 'function') || answer === null) return undefined;
  const then = (answer as { then?: unknown }).then;
  return typeof then === 'function' ? (then as (onOk: unknown, onError: unknown) => unknown) : undefined;
}

/**
 * Ask the hook. Returns `undefined` when it answered synchronously and the token stands, throws
 * `revoked` when it answered synchronously otherwise, or returns a promise that settles within
 * `timeoutMs` (rejecting with `revoked` on anything but a "not revoked" answer).
 *
 * @example
 * const pending = checkRevocation(hook, token, 3000);
 * if (pending !== undefined) await pending;
 */
export function checkRevocation(
  hook: RevocationHook,
  token: VerifiedToken,
  timeoutMs: number,
): Promise<void> | undefined {
  let answer: unknown;
  let then: ReturnType<typeof thenOf>;
  try {
    answer = hook(token);
    then = thenOf(answer);
  } catch (error) {
    throw revokedBy('isRevoked failed', error);
  }
  if (then === undefined) {
    judge(answer);
    return undefined;
  }
  return new Promise<void>((resolve, reject) => {
    // A promise settles once: a thenable that calls back twice, or late, changes nothing.
    const finish = (error: AuthError | undefined) => {
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(revokedBy(`isRevoked did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // An unanswered deny-list must not keep a process alive on its own.
    timer.unref?.();
    try {
      then.call(
        answer,
        (value: unknown) => {
          try {
            judge(value);
            finish(undefined);
          } catch (error) {
            finish(error as AuthError);
          }
        },
        (error: unknown) => finish(revokedBy('isRevoked failed', error)),
      );
    } catch (error) {
      finish(revokedBy('isRevoked failed', error));
    }
  });
}
