/**
 * Deny-lists sharing one DynamoDB table (moto): what one instance denies, another refuses after its
 * next refresh; an instance left without refreshes (a frozen Lambda) reloads before answering; and
 * DynamoDB going away turns the list stale, then failed. The clock is injected; refresh timers are
 * set far out, so every reload in these tests is one the test causes.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createVerifier } from '@cognito-gate/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createDenyList,
  DENY_CHECK,
  type DenyList,
  type DenyListEvent,
} from '../../packages/core/src/deny-list.js';
import { createDenyTable, createDynamoDbStore } from '../../packages/core/src/dynamodb.js';
import { describeWithEmulator, type Emulator, hasMoto, startMoto } from '../support/emulators.js';
import { accessClaims, CLIENT_ID, makeKey, POOL_ID, signJwt } from '../support/signer.js';
import { dynamoClient, tableName } from './support.js';

const NOW = 1_800_000_000;
const HOUR = 3600;

interface Probe {
  readonly sub: string;
  readonly claims: { readonly jti: string; readonly origin_jti: string; readonly iat: number };
}

function token(claims: { jti?: string; origin_jti?: string; iat?: number }, sub = 'sub-1'): Probe {
  return { sub, claims: { jti: 'jti-other', origin_jti: 'origin-other', iat: NOW - 10, ...claims } };
}

type Check = (token: Probe, mayWait: boolean) => Promise<void> | undefined;
const checkOf = (list: DenyList) => (list as unknown as { [DENY_CHECK]: Check })[DENY_CHECK].bind(list);

describeWithEmulator(
  'deny-lists sharing a DynamoDB table (moto)',
  hasMoto(),
  'pip install "moto[server]"',
  () => {
    let moto: Emulator | undefined;
    let client: DynamoDBClient;
    let clock = NOW * 1000;
    const now = () => clock;
    const lists: DenyList[] = [];

    beforeAll(async () => {
      moto = await startMoto();
      client = dynamoClient(moto.endpoint);
    }, 120_000);

    afterAll(async () => {
      for (const list of lists) await list.close();
      client?.destroy();
      await moto?.stop();
    }, 30_000);

    async function fleet(label: string, events?: DenyListEvent[]) {
      const name = tableName(label);
      await createDenyTable({ client, tableName: name });
      const make = () => {
        const list = createDenyList({
          store: createDynamoDbStore({ client, tableName: name, now }),
          maxTokenLifetimeSeconds: HOUR,
          refreshIntervalMs: 60_000,
          maxStaleSeconds: 30,
          now,
          onEvent: events === undefined ? undefined : (event) => events.push(event),
        });
        lists.push(list);
        return list;
      };
      const a = make();
      const b = make();
      await Promise.all([a.ready(), b.ready()]);
      return { a, b, name };
    }

    it('refuses on one instance, after its refresh, what another denied: each kind', async () => {
      clock = NOW * 1000;
      const { a, b } = await fleet('fleet');

      await a.denyToken('jti-1');
      await a.denySession('origin-1');
      await a.denyUser('sub-2');

      expect(a.isDenied(token({ jti: 'jti-1' }))).toBe(true);
      expect(b.isDenied(token({ jti: 'jti-1' }))).toBe(false); // no push: not until B reloads
      // One interval (plus the load deadline) later, B's list is stale and the next check reloads it.
      clock += 60_000 + 3000 + 1;
      expect(b.state).toBe('stale');
      expect(checkOf(b)(token({}), true)).toBeUndefined();
      await b.ready();
      await expect.poll(() => b.isDenied(token({ jti: 'jti-1' }))).toBe(true);
      expect(b.state).toBe('fresh');
      expect(b.isDenied(token({ origin_jti: 'origin-1' }))).toBe(true);
      expect(b.isDenied(token({ iat: NOW - 10 }, 'sub-2'))).toBe(true);
      expect(b.isDenied(token({ iat: NOW + 70 }, 'sub-2'))).toBe(false); // signed in again after
      expect(b.isDenied(token({}))).toBe(false);
    });

    it('refuses through a verifier on the other instance, cached verifications included', async () => {
      clock = NOW * 1000;
      const { a, b } = await fleet('verifier');
      const key = makeKey('deny-key');
      const verifier = createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        jwks: { keys: { keys: [key.jwk] }, fetch: false },
        now,
        denyList: b,
      });
      const access = signJwt({ kid: 'deny-key', alg: 'RS256' }, accessClaims({ iat: NOW - 60 }), key);
      await expect(verifier.verify(access)).resolves.toMatchObject({ tokenUse: 'access' });

      await a.denySession('origin-1');
      await expect(verifier.verify(access)).resolves.toMatchObject({ tokenUse: 'access' });
      clock += 60_000 + 3000 + 1;
      await b.ready();
      verifier.verify(access).catch(() => {}); // the stale list is served once while it reloads
      await expect.poll(() => b.isDenied(token({ origin_jti: 'origin-1' }))).toBe(true);

      await expect(verifier.verify(access)).rejects.toMatchObject({ code: 'revoked', status: 401 });
      verifier.close();
    });

    it('reloads before answering when no refresh ran for longer than the stale bound (a frozen Lambda)', async () => {
      clock = NOW * 1000;
      const { a, b } = await fleet('frozen');
      await a.denyToken('jti-frozen');

      clock += 60_000 + 3000 + 30_000 + 1;
      expect(b.state).toBe('failed');

      await expect(checkOf(b)(token({ jti: 'jti-frozen' }), true)).rejects.toMatchObject({ code: 'revoked' });
      expect(b.state).toBe('fresh');
    });

    it('writes entries that expire once the longest token lifetime has passed', async () => {
      clock = NOW * 1000;
      const { a, name } = await fleet('lifetime');
      await a.denyToken('jti-short');
      const store = createDynamoDbStore({ client, tableName: name, now });

      expect(await store.load()).toMatchObject([{ kind: 'token', jti: 'jti-short', expiresAt: NOW + HOUR }]);
      clock += HOUR * 1000;
      expect(await store.load()).toEqual([]);
    });

    it('turns stale, then failed, when DynamoDB goes away, and refuses with revocation_unavailable', async () => {
      clock = NOW * 1000;
      const events: DenyListEvent[] = [];
      const { b } = await fleet('outage', events);
      expect(b.state).toBe('fresh');

      await moto?.stop();
      clock += 60_000 + 3000 + 1;
      checkOf(b)(token({}), true); // stale: serves the last list and starts a reload, which fails
      await expect.poll(() => events.some((event) => event.type === 'stale')).toBe(true);
      expect(b.state).toBe('stale');
      clock += 30_000;

      expect(b.state).toBe('failed');
      expect(() => checkOf(b)(token({}), true)).toThrow(
        expect.objectContaining({ code: 'revocation_unavailable' }),
      );
      expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['stale', 'failed']));
    });
  },
);
