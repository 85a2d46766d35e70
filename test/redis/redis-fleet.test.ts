/**
 * Two verifier instances sharing the machine's Redis (a random prefix per run): each kind of entry
 * denied on one is refused on the other, cached verifications included, using the test issuer's
 * sign-ins (ID and access tokens sharing `origin_jti`, refreshes keeping it).
 */
import { randomUUID } from 'node:crypto';
import {
  createDenyList,
  createVerifier,
  type DenyList,
  isAuthError,
  type Verifier,
} from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import type { RedisClientType } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore, type RedisDenyListStore } from '../../packages/core/src/redis.js';
import {
  connectClient,
  deletePrefix,
  describeWithRedis,
  redisReachable,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';

const available = await redisReachable();

interface Instance {
  client: RedisClientType;
  store: RedisDenyListStore;
  denyList: DenyList;
  verifier: Verifier;
}

async function outcome(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    return isAuthError(error) ? error.code : 'not an AuthError';
  }
}

/** Polls until the verifier's answer is `code` (a generous deadline: it waits for a push, times nothing). */
async function becomes(verifier: Verifier, token: string, code: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await outcome(verifier, token)) !== code) {
    if (Date.now() > deadline) throw new Error(`still not ${code}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithRedis('two verifiers sharing one Redis', available, `a Redis at ${SHARED_REDIS_URL}`, () => {
  const prefix = uniquePrefix();
  let issuer: TestIssuer;
  let a: Instance;
  let b: Instance;

  async function instance(): Promise<Instance> {
    const client = await connectClient(SHARED_REDIS_URL);
    const store = createRedisStore({ client, keyPrefix: prefix });
    const denyList = createDenyList({ store });
    await denyList.ready();
    const verifier = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      tokenUse: 'any',
      jwks: { keys: issuer.jwks },
      denyList,
    });
    return { client, store, denyList, verifier };
  }

  beforeAll(async () => {
    issuer = await createTestIssuer();
    a = await instance();
    b = await instance();
  });

  afterAll(async () => {
    for (const i of [a, b]) {
      if (i === undefined) continue;
      i.verifier.close();
      await i.denyList.close();
      await i.store.close();
    }
    if (a?.client.isReady) await deletePrefix(a.client, prefix);
    await a?.client.close();
    await b?.client.close();
    await issuer?.close();
  });

  it('refuses on B one token denied on A, and only that token', async () => {
    const session = await issuer.signIn();
    expect(await outcome(b.verifier, session.accessToken)).toBe('ok'); // now cached on B
    const jti = (await a.verifier.verify(session.accessToken)).claims.jti as string;

    await a.denyList.denyToken(jti);

    await becomes(b.verifier, session.accessToken, 'revoked');
    expect(await outcome(b.verifier, session.idToken)).toBe('ok');
  });

  it('refuses on B every token of a sign-in denied on A, refreshed ones too', async () => {
    const session = await issuer.signIn();
    const other = await issuer.signIn();
    expect(await outcome(b.verifier, session.idToken)).toBe('ok');

    await a.denyList.denySession(session.originJti);

    await becomes(b.verifier, session.accessToken, 'revoked');
    expect(await outcome(b.verifier, session.idToken)).toBe('revoked');
    const refreshed = await session.refresh();
    expect(await outcome(b.verifier, refreshed.accessToken)).toBe('revoked');
    expect(await outcome(b.verifier, other.accessToken)).toBe('ok');
  });

  it('refuses on B a user’s tokens issued before a sign-out on A, and accepts later ones', async () => {
    const sub = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const old = await issuer.signIn({ issuedAt: now - 60, access: { sub }, id: { sub } });
    expect(await outcome(b.verifier, old.accessToken)).toBe('ok');

    await a.denyList.denyUser(sub, now - 30);

    await becomes(b.verifier, old.accessToken, 'revoked');
    expect(await outcome(b.verifier, old.idToken)).toBe('revoked');
    const fresh = await issuer.signIn({ issuedAt: now, access: { sub }, id: { sub } });
    expect(await outcome(b.verifier, fresh.accessToken)).toBe('ok');
  });

  it('keeps every entry in Redis, for an instance that starts later', async () => {
    const session = await issuer.signIn();
    await b.denyList.denySession(session.originJti);

    const late = await instance();
    try {
      expect(await outcome(late.verifier, session.accessToken)).toBe('revoked');
      expect(late.denyList.size).toBeGreaterThanOrEqual(4);
    } finally {
      late.verifier.close();
      await late.denyList.close();
      await late.store.close();
      await late.client.close();
    }
  });
});
