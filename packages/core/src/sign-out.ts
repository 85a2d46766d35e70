/**
 * Sign-out that does both halves: tell Cognito (so no new tokens are minted and Cognito's own APIs
 * refuse the old ones), then write the matching deny-list entry (so every verifier in the fleet
 * refuses the tokens already handed out, which Cognito cannot recall).
 *
 * Order and failures: Cognito is called first, and the entry is written whatever Cognito answered.
 * Cognito first, because the entry's time is taken when Cognito has answered, so a token minted
 * while the call ran is covered too; always the entry, because denying locally is what the caller
 * asked for and is safe (at worst the user signs in again). Either half failing rejects with a
 * `SignOutError` that says which half failed; the other half has still been done.
 *
 * These are operator calls (a sign-out route, an admin tool), not verification: their errors are
 * `SignOutError`, never `AuthError`, and must not be rendered as a 401.
 *
 * The AWS SDK v3 (`@aws-sdk/client-cognito-identity-provider`) is an optional peer dependency: only
 * this module and its entry point (`@cognito-gate/core/cognito`) load it.
 */
import {
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { VerifiedToken } from './types.js';
import { isVerifiedToken } from './verified-token.js';

/** The part of a deny-list the helpers write to (a `createDenyList()` deny-list). */
export interface SignOutDenyList {
  denyUser(sub: string, before?: number): Promise<void>;
  denySession(originJti: string): Promise<void>;
}

/**
 * - `invalid_argument`: a missing or wrong input; nothing was called or written.
 * - `cognito_failed`: Cognito refused or could not be reached; the deny entry was written.
 * - `deny_failed`: Cognito signed the user out; the deny entry could not be written (it is held by
 *   this instance only; retry `denyUser` / `denySession`).
 * - `both_failed`: neither half took effect (retry the whole call).
 */
export type SignOutErrorCode = 'invalid_argument' | 'cognito_failed' | 'deny_failed' | 'both_failed';

export class SignOutError extends Error {
  override readonly name = 'SignOutError';
  readonly code: SignOutErrorCode;
  /** What Cognito threw (an SDK error: `name` such as `NotAuthorizedException`), if it failed. */
  readonly cognitoError: unknown;
  /** What the deny-list threw, if the entry could not be written. */
  readonly denyError: unknown;
  constructor(code: SignOutErrorCode, message: string, errors: { cognito?: unknown; deny?: unknown } = {}) {
    super(`cognito-gate: ${message}`, { cause: errors.cognito ?? errors.deny });
    this.code = code;
    this.cognitoError = errors.cognito;
    this.denyError = errors.deny;
  }
}

interface Common {
  readonly client: CognitoIdentityProviderClient;
  readonly denyList: SignOutDenyList;
  /** Deadline for the Cognito call, in ms. Default 5000. */
  readonly timeoutMs?: number;
}

export interface GlobalSignOutOptions extends Common {
  /** The user's access token, as the verifier returned it (its `sub` names the deny entry). */
  readonly accessToken: VerifiedToken;
}

export interface AdminSignOutOptions extends Common {
  readonly userPoolId: string;
  /** The user's Cognito username (what `AdminUserGlobalSignOut` takes). */
  readonly username: string;
  /** The user's `sub` (what tokens carry and the deny entry names). */
  readonly sub: string;
}

export interface RevokeRefreshTokenOptions extends Common {
  readonly clientId: string;
  /** For app clients with a secret. */
  readonly clientSecret?: string;
  readonly refreshToken: string;
  /** A verified ID or access token of the same sign-in: its `origin_jti` names the deny entry. */
  readonly session: VerifiedToken;
}

function invalid(message: string): never {
  throw new SignOutError('invalid_argument', message);
}

function text(value: unknown, name: string, max = 16_384): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function common(options: Common): void {
  if (typeof options !== 'object' || options === null) invalid('options must be an object');
  if (typeof options.client?.send !== 'function') invalid('client must be a CognitoIdentityProviderClient');
  const list = options.denyList;
  if (typeof list?.denyUser !== 'function' || typeof list.denySession !== 'function') {
    invalid('denyList must be a deny-list (createDenyList)');
  }
  const timeout = options.timeoutMs;
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || timeout < 1)) {
    invalid('timeoutMs must be a positive integer');
  }
}

/** Runs both halves, Cognito first, and reports which failed. */
async function both(what: string, cognito: () => Promise<unknown>, deny: () => Promise<void>): Promise<void> {
  let cognitoError: unknown;
  let denyError: unknown;
  let cognitoFailed = false;
  let denyFailed = false;
  try {
    await cognito();
  } catch (error) {
    cognitoFailed = true;
    cognitoError = error;
  }
  try {
    await deny();
  } catch (error) {
    denyFailed = true;
    denyError = error;
  }
  const errors = { cognito: cognitoError, deny: denyError };
  const name = (error: unknown) => (error instanceof Error ? error.name : 'error');
  if (cognitoFailed && denyFailed) {
    throw new SignOutError('both_failed', `${what}: Cognito and the deny-list both failed`, errors);
  }
  if (cognitoFailed) {
    throw new SignOutError(
      'cognito_failed',
      `${what}: Cognito failed (${name(cognitoError)}); denied locally`,
      errors,
    );
  }
  if (denyFailed) {
    throw new SignOutError(
      'deny_failed',
      `${what}: signed out at Cognito; the deny entry was not written`,
      errors,
    );
  }
}

const signal = (options: Common) => ({ abortSignal: AbortSignal.timeout(options.timeoutMs ?? 5000) });

/**
 * Signs the user out everywhere with their own access token (`GlobalSignOut`), then denies every
 * token of theirs issued until now (`denyUser(sub)`).
 *
 * @example
 * app.post('/sign-out', requireAuth({ tokenUse: 'access' }), async (req, res) => {
 *   await globalSignOut({ client, denyList, accessToken: req.auth });
 *   res.status(204).end();
 * });
 */
export async function globalSignOut(options: GlobalSignOutOptions): Promise<void> {
  common(options);
  const token = options.accessToken;
  // The deny entry is only as good as its `sub`: take it from our own verification, not a decode.
  if (!isVerifiedToken(token)) invalid('accessToken must be a VerifiedToken returned by a verifier');
  if (token.tokenUse !== 'access' || token.isMachine) invalid('accessToken must be a user access token');
  await both(
    'GlobalSignOut',
    () => options.client.send(new GlobalSignOutCommand({ AccessToken: token.token }), signal(options)),
    () => options.denyList.denyUser(token.sub),
  );
}

/**
 * Signs a user out everywhere as an administrator (`AdminUserGlobalSignOut`), then denies every
 * token of theirs issued until now. Needs both names: Cognito takes the username, tokens carry `sub`.
 *
 * @example
 * await adminSignOut({ client, denyList, userPoolId, username: 'alice', sub: '9a7c…' });
 */
export async function adminSignOut(options: AdminSignOutOptions): Promise<void> {
  common(options);
  const userPoolId = text(options.userPoolId, 'userPoolId');
  const username = text(options.username, 'username');
  // The deny-list's bound on identities: refuse here, before Cognito is called, not after.
  const sub = text(options.sub, 'sub', 1024);
  await both(
    'AdminUserGlobalSignOut',
    () =>
      options.client.send(
        new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }),
        signal(options),
      ),
    () => options.denyList.denyUser(sub),
  );
}

/**
 * Revokes a refresh token (`RevokeToken`), then denies its sign-in: the ID and access tokens that
 * came with it and every token refreshed from it (`denySession(origin_jti)`). `session` must be a
 * token of that same sign-in (refresh tokens are opaque: which sign-in a refresh token belongs to
 * cannot be checked here).
 *
 * @example
 * await revokeRefreshToken({ client, denyList, clientId, refreshToken, session: req.auth });
 */
export async function revokeRefreshToken(options: RevokeRefreshTokenOptions): Promise<void> {
  common(options);
  const clientId = text(options.clientId, 'clientId');
  const refreshToken = text(options.refreshToken, 'refreshToken');
  const secret = options.clientSecret === undefined ? undefined : text(options.clientSecret, 'clientSecret');
  const session = options.session;
  if (!isVerifiedToken(session)) invalid('session must be a VerifiedToken returned by a verifier');
  const originJti = (session.claims as { origin_jti?: unknown }).origin_jti;
  if (typeof originJti !== 'string' || originJti.length === 0) {
    invalid('session has no origin_jti (a token from before 2021, or a machine token)');
  }
  if (session.clientId !== clientId) invalid('session belongs to another app client');
  await both(
    'RevokeToken',
    () =>
      options.client.send(
        new RevokeTokenCommand({ Token: refreshToken, ClientId: clientId, ClientSecret: secret }),
        signal(options),
      ),
    () => options.denyList.denySession(originJti),
  );
}
