/**
 * A live check for high-risk routes: ask Cognito whether an access token is still good (`GetUser`
 * with the token itself, which needs no AWS credentials and fails with `NotAuthorizedException`
 * once the token was revoked or its user signed out), and cache the answer briefly. Use it as the
 * `isRevoked` hook of a dedicated verifier (`tokenUse: 'access'`) for the few routes where a
 * sign-out must take effect at once even without a deny-list, or in addition to one; it costs a
 * Cognito call per token per `ttlMs`, and Cognito's `GetUser` quota is shared by the whole account.
 *
 * Fails closed: an answer other than success or "not authorized" (throttling, a network error, a
 * timeout) throws, and the verifier's `isRevoked` rule turns a throw into `revoked`. Errors are not
 * cached: the next request asks again. Tokens `GetUser` cannot judge (ID tokens, machine tokens)
 * are answered "revoked" without a call: route them to another verifier.
 */
import {
  type CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { fail } from './options.js';
import type { VerifiedToken } from './types.js';

export interface LiveCheckOptions {
  /** A caller-created Cognito client in the pool's region (no credentials needed for GetUser). */
  readonly client: CognitoIdentityProviderClient;
  /** How long a "still valid" answer is reused, in ms. Default 30,000. A "revoked" answer is kept until the token expires. */
  readonly ttlMs?: number;
  /** Answers kept at most (oldest dropped first). Default 10,000. */
  readonly maxEntries?: number;
  /** Deadline for GetUser, in ms; keep it under the verifier's `revocationTimeoutMs`. Default 2000. */
  readonly timeoutMs?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Told about each failed call (operator-facing), before the token is refused. */
  readonly onError?: (error: unknown) => void;
}

/** The `isRevoked` hook: resolves `true` (revoked) or `false`; rejects when Cognito cannot answer. */
export type LiveCheck = (token: VerifiedToken) => Promise<boolean>;

/** Cognito answers that mean "this token no longer works". */
const REVOKED_ERRORS = new Set(['NotAuthorizedException', 'UserNotFoundException']);

interface Answer {
  readonly revoked: boolean;
  readonly until: number;
}

const KEYS = new Set(['client', 'ttlMs', 'maxEntries', 'timeoutMs', 'now', 'onError']);

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(`createLiveCheck ${name} must be a positive integer`);
  }
  return value;
}

/**
 * Builds the hook. One call per token at a time: concurrent requests with one token share it.
 *
 * @example
 * const highRisk = createVerifier({
 *   userPoolId, clientId, tokenUse: 'access',
 *   isRevoked: createLiveCheck({ client: new CognitoIdentityProviderClient({ region: 'eu-west-1' }) }),
 * });
 */
export function createLiveCheck(options: LiveCheckOptions): LiveCheck {
  if (typeof options !== 'object' || options === null) fail('createLiveCheck needs an options object');
  const unknown = Object.keys(options).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} in createLiveCheck`);
  const client = options.client;
  if (typeof client?.send !== 'function')
    fail('createLiveCheck client must be a CognitoIdentityProviderClient');
  const ttlMs = positive(options.ttlMs, 'ttlMs', 30_000);
  const maxEntries = positive(options.maxEntries, 'maxEntries', 10_000);
  const timeoutMs = positive(options.timeoutMs, 'timeoutMs', 2000);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') fail('createLiveCheck now must be a function');
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== 'function')
    fail('createLiveCheck onError must be a function');

  // Insertion order is age order: the first key is the oldest answer.
  const answers = new Map<string, Answer>();
  const pending = new Map<string, Promise<boolean>>();

  const remember = (key: string, answer: Answer) => {
    answers.delete(key);
    answers.set(key, answer);
    while (answers.size > maxEntries) {
      const oldest = answers.keys().next().value as string;
      answers.delete(oldest);
    }
  };

  const ask = async (token: VerifiedToken, key: string): Promise<boolean> => {
    const expiresAt = token.expiresAt.getTime();
    try {
      await client.send(new GetUserCommand({ AccessToken: token.token }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (REVOKED_ERRORS.has(name)) {
        // Revoked stays revoked: keep the answer until the token would have expired anyway.
        remember(key, { revoked: true, until: expiresAt });
        return true;
      }
      try {
        onError?.(error);
      } catch {
        // operator callback; never changes the answer
      }
      throw new Error(`cognito-gate: GetUser failed (${name || 'unknown error'}); refusing the token`, {
        cause: error,
      });
    }
    remember(key, { revoked: false, until: Math.min(now() + ttlMs, expiresAt) });
    return false;
  };

  return async function liveCheck(token: VerifiedToken): Promise<boolean> {
    if (typeof token !== 'object' || token === null || typeof token.token !== 'string') return true;
    // GetUser judges user access tokens only.
    if (token.tokenUse !== 'access' || token.isMachine) return true;
    const jti = (token.claims as { jti?: unknown }).jti;
    // jti is unique per token and already verified; the whole token is the fallback key.
    const key = typeof jti === 'string' && jti.length > 0 ? `${token.issuer} ${jti}` : token.token;
    const cached = answers.get(key);
    if (cached !== undefined) {
      if (now() < cached.until) return cached.revoked;
      answers.delete(key);
    }
    let running = pending.get(key);
    if (running === undefined) {
      running = ask(token, key).finally(() => pending.delete(key));
      pending.set(key, running);
    }
    return running;
  };
}
