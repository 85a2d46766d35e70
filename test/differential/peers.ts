/**
 * The three verifiers of the differential suites, configured alike: one user pool, one app client,
 * one token_use, the same JWKS in memory and the same clock.
 *
 * - cognito-gate: `createVerifier({ userPoolId, clientId, tokenUse, jwks: { keys, fetch: false }, now })`.
 * - aws-jwt-verify 5.2.1: `CognitoJwtVerifier.create({ userPoolId, tokenUse, clientId })`,
 *   `cacheJwks(jwks)`, `verifySync`. It reads `Date.now()`, so callers fake `Date` (see `useFakeDate`).
 * - jose 6: `jwtVerify` with `createLocalJWKSet`, the pool's two issuer forms, `algorithms: ['RS256']`
 *   and `currentDate`; then the Cognito checks jose has no option for (token_use, and client_id for
 *   access tokens), with `audience` for ID tokens.
 *
 * Each answer is an `Outcome`: `accepts`, our AuthError code, or `throws <what>` for a peer (the
 * error's class for aws-jwt-verify, its `code` for jose).
 */
import { AuthError, createVerifier, type VerifiedToken } from '@cognito-gate/core';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as awsErrors from 'aws-jwt-verify/error';
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { vi } from 'vitest';
import { CLIENT_ID, type Jwks, NOW, POOL_ID } from './tokens.js';

export type TokenUse = 'id' | 'access';

/** One verification question, asked of all three verifiers. */
export interface PeerCase {
  readonly token: string;
  readonly jwks: Jwks;
  readonly tokenUse: TokenUse;
  readonly userPoolId?: string;
  readonly clientId?: string;
  /** The clock, in epoch milliseconds. Default NOW (whole seconds). */
  readonly nowMs?: number;
}

/** `accepts`, or what was thrown. */
export type Outcome = 'accepts' | `throws ${string}`;

export interface Outcomes {
  /** `accepts` or our AuthError code (`unexpected:<code>` for a wrapped internal failure). */
  readonly ours: string;
  readonly awsJwtVerify: Outcome;
  readonly jose: Outcome;
}

/** What each verifier returned when it accepted. */
export interface Accepted {
  readonly ours?: VerifiedToken;
  readonly awsJwtVerify?: Record<string, unknown>;
  readonly jose?: Record<string, unknown>;
}

export type Peer = 'awsJwtVerify' | 'jose';
export const PEERS: readonly Peer[] = ['awsJwtVerify', 'jose'];

/** The issuer forms a pool signs with (the same two every verifier here accepts by default). */
export function issuersOf(userPoolId: string): string[] {
  const region = userPoolId.split('_')[0]!;
  return [
    `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`,
  ];
}

type Answer<T> = readonly [T, Record<string, unknown> | undefined];

export async function ours(c: PeerCase): Promise<readonly [string, VerifiedToken | undefined]> {
  const nowMs = c.nowMs ?? NOW * 1000;
  try {
    const verifier = createVerifier({
      userPoolId: c.userPoolId ?? POOL_ID,
      clientId: c.clientId ?? CLIENT_ID,
      tokenUse: c.tokenUse,
      cache: false,
      jwks: { keys: c.jwks, fetch: false },
      now: () => nowMs,
    });
    return ['accepts', await verifier.verify(c.token)];
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return [error.unexpected ? `unexpected:${error.code}` : error.code, undefined];
  }
}

const AWS_ERRORS: ReadonlySet<string> = new Set(
  Object.entries(awsErrors)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof awsErrors.JwtBaseError)
    .map(([name]) => name),
);

/**
 * True when a peer's rejection is a verification error (an aws-jwt-verify error class, a jose error
 * code or one of our Cognito checks), not a crash such as a RangeError or TypeError.
 */
export function isVerificationError(peer: Peer, outcome: Outcome): boolean {
  if (outcome === 'accepts') return false;
  const what = outcome.slice('throws '.length);
  return peer === 'awsJwtVerify' ? AWS_ERRORS.has(what) : /^(ERR_|COGNITO_)/.test(what);
}

function thrown(error: unknown): Outcome {
  return `throws ${error instanceof Error ? error.constructor.name : typeof error}`;
}

export function awsJwtVerify(c: PeerCase): Answer<Outcome> {
  const nowMs = c.nowMs ?? NOW * 1000;
  vi.setSystemTime(nowMs);
  try {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: c.userPoolId ?? POOL_ID,
      tokenUse: c.tokenUse,
      clientId: c.clientId ?? CLIENT_ID,
    });
    verifier.cacheJwks(c.jwks as never);
    return ['accepts', verifier.verifySync(c.token) as Record<string, unknown>];
  } catch (error) {
    return [thrown(error), undefined];
  }
}

/** Thrown by the Cognito checks we add after jose's own. */
class CognitoCheck extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export async function jose(c: PeerCase): Promise<Answer<Outcome>> {
  const userPoolId = c.userPoolId ?? POOL_ID;
  const clientId = c.clientId ?? CLIENT_ID;
  try {
    const { payload } = await jwtVerify(c.token, createLocalJWKSet(c.jwks as never), {
      issuer: issuersOf(userPoolId),
      algorithms: ['RS256'],
      currentDate: new Date(c.nowMs ?? NOW * 1000),
      ...(c.tokenUse === 'id' ? { audience: clientId } : {}),
    });
    if (payload.token_use !== c.tokenUse) throw new CognitoCheck('COGNITO_TOKEN_USE');
    if (c.tokenUse === 'access' && payload.client_id !== clientId)
      throw new CognitoCheck('COGNITO_CLIENT_ID');
    return ['accepts', payload];
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof CognitoCheck) {
      return [`throws ${error.code}`, undefined];
    }
    return [thrown(error), undefined];
  }
}

/** Ask all three. Callers must have called `useFakeDate()` (aws-jwt-verify reads `Date.now()`). */
export async function runPeers(c: PeerCase): Promise<Outcomes & { readonly accepted: Accepted }> {
  const [oursOutcome, oursResult] = await ours(c);
  const [awsOutcome, awsPayload] = awsJwtVerify(c);
  const [joseOutcome, josePayload] = await jose(c);
  return {
    ours: oursOutcome,
    awsJwtVerify: awsOutcome,
    jose: joseOutcome,
    accepted: {
      ...(oursResult === undefined ? {} : { ours: oursResult }),
      ...(awsPayload === undefined ? {} : { awsJwtVerify: awsPayload }),
      ...(josePayload === undefined ? {} : { jose: josePayload }),
    },
  };
}

/**
 * Fake `Date` only (fast-check keeps its own reference to the real `Date.now`, so its time budget
 * still works). Call in `beforeAll`; `vi.useRealTimers()` in `afterAll`.
 */
export function useFakeDate(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
}
