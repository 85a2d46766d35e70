/**
 * A minimal RS256 signer for core unit tests: node:crypto keys, hand-assembled compact JWS, so
 * tests can build any header/payload (including hostile ones) without going through a JWT library.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export const POOL_ID = 'us-east-1_TestPool1';
export const CLIENT_ID = 'client-abc-123';
export const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
export const NOW = 1_800_000_000; // fixed clock, epoch seconds

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function makeKey(kid: string, modulusLength = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

export const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Sign arbitrary header/payload segments (already encoded) with a key. */
export function signSegments(header: string, payload: string, key: KeyObject): string {
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: TestKey,
): string {
  return signSegments(b64(header), b64(payload), key.privateKey);
}

export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    iss: ISSUER,
    client_id: CLIENT_ID,
    origin_jti: 'origin-1',
    event_id: 'event-1',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin orders/read',
    auth_time: NOW - 60,
    exp: NOW + 3600,
    iat: NOW - 60,
    jti: 'jti-1',
    username: 'alice',
    version: 2,
    'cognito:groups': ['admin', 'staff'],
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

export function idClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return accessClaims({
    client_id: undefined,
    scope: undefined,
    username: undefined,
    version: undefined,
    aud: CLIENT_ID,
    token_use: 'id',
    'cognito:username': 'alice',
    email: 'alice@example.com',
    email_verified: true,
    ...overrides,
  });
}

export { createPrivateKey };
