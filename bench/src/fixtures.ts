/**
 * Keys and Cognito-shaped tokens for the benchmarks: one RSA-2048 key, an access-token claim set
 * as Cognito issues it, and N distinct users' tokens for realistic cache traffic.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export const POOL_ID = 'us-east-1_BenchPool1';
export const CLIENT_ID = 'benchclient000000000000001';
export const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
export const KID = 'bench-kid-0000000000000000000000000000000000=';

export interface BenchKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicPem: string;
  readonly jwk: Record<string, unknown>;
  readonly jwks: { keys: Record<string, unknown>[] };
}

export function makeKeys(): BenchKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk,
    jwks: { keys: [jwk] },
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A user access token exactly as Cognito shapes it (spec §1.2), valid for a day. */
export function accessToken(keys: BenchKeys, user: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ kid: KID, alg: 'RS256' });
  const payload = b64({
    sub: `0000${user.toString(16).padStart(4, '0')}-1111-2222-3333-444455556666`,
    'cognito:groups': ['users', user % 10 === 0 ? 'admin' : 'staff'],
    iss: ISSUER,
    client_id: CLIENT_ID,
    origin_jti: `origin-${user}-aaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
    event_id: `event-${user}-bbbbbbbbbbbbbbbbbbbbbbbbbbbb`,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin orders/read',
    auth_time: now - 60,
    exp: now + 86_400,
    iat: now - 60,
    jti: `jti-${user}-cccccccccccccccccccccccccccccc`,
    username: `user${user}`,
    version: 2,
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), keys.privateKey).toString(
    'base64url',
  );
  return `${header}.${payload}.${signature}`;
}

export { createPublicKey };
