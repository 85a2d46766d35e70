/**
 * Memory of the verified-token cache: the heap a verifier holds after verifying N distinct
 * users' tokens (token strings included, as a server would hold them), and proof that the cache
 * stays within its bound when more tokens than that arrive. Run with --expose-gc for exact numbers.
 */
import { sign } from 'node:crypto';
import { createVerifier } from '@cognito-gate/core';
import { type BenchKeys, CLIENT_ID, ISSUER, KID, makeKeys, POOL_ID } from './fixtures.js';

export interface MemoryResult {
  readonly tokens: number;
  readonly maxEntries: number;
  readonly heapBytes: number;
  readonly bytesPerToken: number;
  readonly boundHeld: boolean;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs on libuv's threadpool so 100,000 RSA signatures use every core. */
async function mintMany(keys: BenchKeys, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ kid: KID, alg: 'RS256' });
  const one = (i: number) =>
    new Promise<string>((resolve, reject) => {
      const payload = b64({
        sub: `${i.toString(16).padStart(8, '0')}-1111-2222-3333-444455556666`,
        'cognito:groups': ['users'],
        iss: ISSUER,
        client_id: CLIENT_ID,
        origin_jti: `${i.toString(16).padStart(8, '0')}-aaaa-bbbb-cccc-ddddeeeeffff`,
        event_id: `${i.toString(16).padStart(8, '0')}-eeee-ffff-0000-111122223333`,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: now,
        exp: now + 86_400,
        iat: now,
        jti: `${i.toString(16).padStart(8, '0')}-4444-5555-6666-777788889999`,
        username: `user-${i}`,
        version: 2,
      });
      sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), keys.privateKey, (error, signature) =>
        error ? reject(error) : resolve(`${header}.${payload}.${signature.toString('base64url')}`),
      );
    });
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 256) {
    tokens.push(
      ...(await Promise.all(Array.from({ length: Math.min(256, count - i) }, (_, k) => one(i + k)))),
    );
  }
  return tokens;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function runMemory(count = 100_000): Promise<MemoryResult> {
  const keys = makeKeys();
  let tokens = await mintMany(keys, count + 1000);
  const extra = tokens.slice(count);
  tokens = tokens.slice(0, count);
  const verifier = createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    cache: { maxEntries: count },
    jwks: { keys: keys.jwks, fetch: false },
  });
  await verifier.verify(extra[0]!); // key import and first-call allocations out of the measurement
  const before = heapUsed();
  // Strings as a server would see them: fresh copies, held only by the cache afterwards.
  for (const token of tokens) await verifier.verify(Buffer.from(token).toString());
  const after = heapUsed();
  for (const token of extra) await verifier.verify(token);
  const held = verifier.cachedTokens;
  const heapBytes = after - before;
  return {
    tokens: count,
    maxEntries: count,
    heapBytes,
    bytesPerToken: heapBytes / count,
    boundHeld: held <= count,
  };
}
