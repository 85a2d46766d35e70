/**
 * How an authorizer's outcome becomes what API Gateway needs (spec §2.3, pitfalls #1 and #2):
 * - 401: throw an Error whose message is exactly `Unauthorized`, nothing else;
 * - 403: an explicit Deny (or `isAuthorized: false`);
 * - keys unavailable: a different error, so API Gateway answers 500 and never allows.
 * Every outcome is also reported to `onDecision`, because a 401 is a failed invocation to Lambda and
 * would otherwise trip error alarms with no way to tell rejections from faults.
 */
import type { AuthErrorCode } from '@cognito-gate/core';

/** What happened to one authorizer invocation. */
export type Outcome = 'allow' | 'deny' | 'unauthorized' | 'unavailable' | 'error';

/** Which authorizer decided. */
export type AuthorizerKind = 'rest' | 'http' | 'websocket';

/** The event passed to `onDecision`. Contains no token and no claims beyond the principal. */
export interface AuthorizerDecision {
  readonly authorizer: AuthorizerKind;
  readonly outcome: Outcome;
  /** The status the client receives: 200 (the integration runs), 401, 403 or 500. */
  readonly status: 200 | 401 | 403 | 500;
  /** Why, for every outcome but `allow`. `invalid_event`: the event is not one API Gateway sends. */
  readonly code?: AuthErrorCode | 'invalid_event';
  /** The caller, once the token is verified. */
  readonly principalId?: string;
  /** The underlying error (its `detail` is meant for logs), for every outcome but `allow`. */
  readonly error?: unknown;
}

/** Receives every decision; for metrics and logs. Exceptions it throws (or rejections) are ignored. */
export type DecisionHook = (decision: AuthorizerDecision) => unknown;

/** Thrown when no key set is available: API Gateway answers 500, and no request is ever allowed. */
export class AuthorizerUnavailableError extends Error {
  override readonly name = 'AuthorizerUnavailableError';

  constructor(cause?: unknown) {
    // Not "Unauthorized": that text would become a 401 and tell clients their token is bad.
    super('AuthorizerUnavailable', cause === undefined ? undefined : { cause });
  }
}

/**
 * The only error API Gateway turns into a 401: message exactly `Unauthorized`.
 *
 * @example
 * throw unauthorizedError();
 */
export function unauthorizedError(): Error {
  return new Error('Unauthorized');
}

const STATUS: Record<Outcome, AuthorizerDecision['status']> = {
  allow: 200,
  deny: 403,
  unauthorized: 401,
  unavailable: 500,
  error: 500,
};

/** Build and report a decision; the hook can never change the outcome nor fail the request. */
export function report(
  hook: DecisionHook | undefined,
  authorizer: AuthorizerKind,
  outcome: Outcome,
  details?: { code?: AuthorizerDecision['code']; principalId?: string; error?: unknown },
): void {
  if (hook === undefined) return;
  try {
    const result: unknown = hook({ authorizer, outcome, status: STATUS[outcome], ...details });
    // Not awaited (metrics must not delay the answer), but an async hook's rejection is caught: in
    // Lambda an unhandled rejection fails the invocation, which would turn an allow into a 500.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      Promise.resolve(result).catch(() => {});
    }
  } catch {
    // A broken metrics hook must not turn an allow into a 500.
  }
}
