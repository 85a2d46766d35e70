/**
 * Deny-lists on the Redis store through outages, against a private redis-server (AOF with fsync
 * always, in a temporary folder) started, killed and restarted by this suite on its own port:
 * - the server killed and restarted: both instances turn stale, serve the last known list, fail
 *   closed past `maxStaleSeconds`; a sign-out written during the outage reaches the other instance
 *   after the restart; nothing written before is lost; a new instance loads the current list first;
 * - one instance cut off (its link to Redis severed, the server up): what is published meanwhile
 *   never reaches it by pub/sub, and reaches it through the reload on reconnect.
 */
import { randomUUID } from 'node:crypto';
import {
  createDenyList,
  createVerifier,
  type DenyList,
  type DenyListEvent,
  isAuthError,
  type Verifier,
} from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import type { RedisClientType } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore, type RedisDenyListStore } from '../../packages/core/src/redis.js';
import {
  connectClient,
  describeWithRedis,
  hasRedisServer,
  type PrivateRedis,
  type RedisLink,
  startLink,
  startPrivateRedis,
  uniquePrefix,
} from '../support/redis.js';

/** One instance of the fleet: its client, store, deny-list, verifier, and what it was told. */
interface Instance {
  client: RedisClientType;
  store: RedisDenyListStore;
  denyList: DenyList;
  verifier: Verifier;
  events: DenyListEvent[];
  /** Added to the deny-list's clock: moves it past `maxStaleSeconds` without waiting. */
  skewMs: number;
}

/** Polls `done` until it holds (a generous deadline: this waits for reconnects, it times nothing). */
async function until(done: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The AuthError code a verification ends with, or 'ok'. */
async function outcome(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    return isAuthError(error) ? error.code : 'not an AuthError';
  }
}

describeWithRedis(
  'deny-lists on Redis through outages (private redis-server)',
  hasRedisServer(),
  'redis-server on PATH (or REDIS_SERVER)',
  () => {
    const prefix = uniquePrefix();
    let server: PrivateRedis;
    let link: RedisLink;
    let issuer: TestIssuer;
    const instances: Instance[] = [];

    async function instance(url: string): Promise<Instance> {
      const client = await connectClient(url, 50);
      const store = createRedisStore({ client, keyPrefix: prefix, commandTimeoutMs: 1000 });
      const events: DenyListEvent[] = [];
      const self = { client, store, events, skewMs: 0 } as Instance;
      self.denyList = createDenyList({
        store,
        maxStaleSeconds: 30,
        storeTimeoutMs: 1500,
        refreshIntervalMs: 100,
        now: () => Date.now() + self.skewMs,
        onEvent: (event) => events.push(event),
      });
      await self.denyList.ready();
      self.verifier = createVerifier({
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        tokenUse: 'any',
        jwks: { keys: issuer.jwks },
        denyList: self.denyList,
      });
      instances.push(self);
      return self;
    }

    beforeAll(async () => {
      issuer = await createTestIssuer();
      server = await startPrivateRedis();
      link = await startLink(server.port);
    }, 30_000);

    afterAll(async () => {
      for (const i of instances) {
        i.verifier.close();
        await i.denyList.close();
        await i.store.close();
        await i.client.close().catch(() => {});
      }
      await link?.close();
      await server?.stop();
      await issuer?.close?.();
    }, 30_000);

    it('serves the last known list while Redis is down, fails closed past the bound, and loses nothing across a restart', async () => {
      const a = await instance(server.url);
      const b = await instance(link.url);
      const before = await issuer.signIn();
      const during = await issuer.signIn();
      const bystander = await issuer.signIn();
      await a.denyList.denySession(before.originJti);
      await until(
        async () => (await outcome(b.verifier, before.accessToken)) === 'revoked',
        'B refuses the first sign-out',
      );

      await server.kill('SIGKILL');
      await until(() => a.denyList.state === 'stale' && b.denyList.state === 'stale', 'both instances stale');

      // Stale: the last known list is still served, in both directions.
      expect(await outcome(b.verifier, before.idToken)).toBe('revoked');
      expect(await outcome(b.verifier, bystander.accessToken)).toBe('ok');
      // A sign-out during the outage: applied here at once, the write rejected (and kept by the store).
      await expect(a.denyList.denySession(during.originJti)).rejects.toThrow(/not connected/);
      expect(await outcome(a.verifier, during.accessToken)).toBe('revoked');
      expect(await outcome(b.verifier, during.accessToken)).toBe('ok');
      expect(a.store.pendingCount).toBe(1);
      // Past maxStaleSeconds (the clock moved, not waited for): fail closed, not open.
      b.skewMs = 31_000;
      expect(b.denyList.state).toBe('failed');
      expect(await outcome(b.verifier, bystander.accessToken)).toBe('revocation_unavailable');
      b.skewMs = 0;

      await server.start();
      await until(() => a.denyList.state === 'fresh' && b.denyList.state === 'fresh', 'both instances fresh');
      await until(
        async () => (await outcome(b.verifier, during.accessToken)) === 'revoked',
        'B refuses the outage sign-out',
      );

      expect(a.store.pendingCount).toBe(0);
      expect(await outcome(b.verifier, before.accessToken)).toBe('revoked');
      expect(await outcome(b.verifier, bystander.accessToken)).toBe('ok');
      for (const i of [a, b]) {
        const types = i.events.map((e) => e.type);
        expect(types).toContain('stale');
        expect(types).toContain('recovered');
        expect(types.lastIndexOf('loaded')).toBeGreaterThan(types.indexOf('stale'));
      }
      // A new instance (a restart of the process) loads the current list before it answers.
      const c = await instance(server.url);
      expect(c.denyList.state).toBe('fresh');
      expect(await outcome(c.verifier, before.accessToken)).toBe('revoked');
      expect(await outcome(c.verifier, during.idToken)).toBe('revoked');
      expect(await outcome(c.verifier, bystander.accessToken)).toBe('ok');
    }, 60_000);

    it('gives a cut-off instance what was published while it was away, through the reload on reconnect', async () => {
      const a = await instance(server.url);
      const b = await instance(link.url);
      const session = await issuer.signIn();
      // Another user, so the user entry below does not also cover `session`.
      const otherSub = randomUUID();
      const user = await issuer.signIn({ access: { sub: otherSub }, id: { sub: otherSub } });

      link.cut();
      await until(() => b.denyList.state === 'stale', 'B stale');
      await a.denyList.denySession(session.originJti);
      await a.denyList.denyUser(otherSub);
      // Pub/sub did not reach B: it still accepts (serving its last known list, within the bound).
      expect(await outcome(b.verifier, session.accessToken)).toBe('ok');
      expect(await outcome(b.verifier, user.accessToken)).toBe('ok');
      const pushedBefore = b.events.filter((e) => e.type === 'entry').length;

      link.restore();
      await until(() => b.denyList.state === 'fresh', 'B fresh again');

      expect(await outcome(b.verifier, session.accessToken)).toBe('revoked');
      expect(await outcome(b.verifier, session.idToken)).toBe('revoked');
      expect(await outcome(b.verifier, user.accessToken)).toBe('revoked');
      // They came with the reload, not by push.
      expect(b.events.filter((e) => e.type === 'entry').length).toBe(pushedBefore);
      expect(b.events.at(-1)?.type).toBe('recovered');
    }, 60_000);
  },
);
