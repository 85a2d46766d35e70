/**
 * Answers of callbacks we do not own (a `{ verifier }` wrapper, `getToken`, `exclude`, `onReject`).
 * Any of them may answer with a promise or a hand-made thenable. Where we wait for the answer
 * (the verifier) we accept every thenable, not only native Promises; where a synchronous answer is
 * required (the others), a promise is a wrong answer, and its rejection must still be handled, or
 * Node ends the process on an unhandled rejection.
 */

/**
 * True when `value` has a callable `then`. Reading `then` runs a getter that may throw: callers
 * treat that throw as the callback's failure.
 *
 * @example
 * if (isThenable(answer)) Promise.resolve(answer).then(onValue, onError);
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const ignore = (): void => {};

/**
 * Handle the rejection of an answer we will not use, so that an async callback failing later
 * cannot crash the process. Plain values pass through untouched; never throws.
 *
 * @example
 * const excluded = ignoreRejection(predicate(req)) === true;
 */
export function ignoreRejection<T>(answer: T): T {
  try {
    if (isThenable(answer)) Promise.resolve(answer).then(ignore, ignore);
  } catch {
    // A `then` getter that throws: there is no pending rejection to handle.
  }
  return answer;
}
