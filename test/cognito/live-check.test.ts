/**
 * The live GetUser check as a verifier's `isRevoked` hook: against moto (which refuses GetUser for
 * a signed-out user's access token) through a verifier and the Express adapter, and against a
 * loopback stand-in for caching, single flight, failures (fail closed, not cached) and the tokens
 * GetUser cannot judge.
 */
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createVerifier, emulatorPool } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveCheck } from '../../packages/core/src/cognito.js';
import {
  describeWithEmulator,
  type Emulator,
  type EmulatorPool,
  hasMoto,
  passwordSignIn,
  provisionPool,
  sdkClient,
  startMoto,
} from '../support/emulators.js';
import { NOW } from '../support/signer.js';
import { NOT_AUTHORIZED, type StandIn, startStandIn, testTokens } from './support.js';

describeWithEmulator('live check against moto', hasMoto(), 'pip install "moto[server]"', () => {
  let moto: Emulator | undefined;
  let pool: EmulatorPool;

  beforeAll(async () => {
    moto = await startMoto();
    pool = await provisionPool(moto.endpoint);
  }, 120_000);

  afterAll(async () => {
    pool?.client.destroy();
    await moto?.stop();
  }, 30_000);

  it('answers 401 revoked through Express once the user signed out and the cached answer aged out', async () => {
    const tokens = await passwordSignIn(pool);
    let clock = Date.now();
    const verifier = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', endpoint: moto?.endpoint, userPoolId: pool.userPoolId })],
      clientId: pool.clientId,
      tokenUse: 'access',
      clockToleranceSeconds: 5,
      isRevoked: createLiveCheck({ client: pool.client, ttlMs: 30_000, now: () => clock }),
    });
    const app = express();
    app.use(cognitoAuth({ verifier }));
    app.post('/transfer', requireAuth(), (_req, res) => {
      res.json({ ok: true });
    });
    const send = () => request(app).post('/transfer').set('authorization', `Bearer ${tokens.accessToken}`);

    expect((await send()).status).toBe(200);
    await pool.client.send(new GlobalSignOutCommand({ AccessToken: tokens.accessToken }));
    // Within ttlMs the "still valid" answer is reused: the documented window of the live check.
    expect((await send()).status).toBe(200);
    clock += 30_000;
    const refused = await send();

    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(refused.body).toMatchObject({ error: 'revoked' });
    verifier.close();
  });
});

describe('live check against a stand-in', () => {
  let standIn: StandIn;
  let tokens: Awaited<ReturnType<typeof testTokens>>;
  let clock = NOW * 1000;
  const now = () => clock;

  beforeAll(async () => {
    standIn = await startStandIn();
    tokens = await testTokens();
  });

  afterAll(async () => {
    await standIn?.close();
  });

  const getUsers = () => standIn.requests.filter((r) => r.operation === 'GetUser').length;
  const fresh = () => {
    standIn.requests.length = 0;
    clock = NOW * 1000;
    return sdkClient(standIn.endpoint);
  };

  it('asks once per token per ttlMs, and once for concurrent requests', async () => {
    const client = fresh();
    standIn.answer('GetUser', { status: 200, body: { Username: 'alice', UserAttributes: [] } });
    const check = createLiveCheck({ client, ttlMs: 1000, now });

    const answers = await Promise.all([check(tokens.access), check(tokens.access), check(tokens.access)]);
    expect(answers).toEqual([false, false, false]);
    expect(getUsers()).toBe(1);
    expect(standIn.requests[0]?.body).toEqual({ AccessToken: tokens.access.token });
    clock += 999;
    expect(await check(tokens.access)).toBe(false);
    expect(getUsers()).toBe(1);
    clock += 1;
    expect(await check(tokens.access)).toBe(false);
    expect(getUsers()).toBe(2);
    client.destroy();
  });

  it('keeps a revoked answer until the token expires', async () => {
    const client = fresh();
    standIn.answer('GetUser', NOT_AUTHORIZED);
    const check = createLiveCheck({ client, ttlMs: 1000, now });

    expect(await check(tokens.access)).toBe(true);
    standIn.answer('GetUser', { status: 200, body: {} });
    clock += 3_000_000;
    expect(await check(tokens.access)).toBe(true);
    expect(getUsers()).toBe(1);
    client.destroy();
  });

  it('treats UserNotFoundException as revoked', async () => {
    const client = fresh();
    standIn.answer('GetUser', { status: 400, body: { __type: 'UserNotFoundException', message: 'gone' } });

    expect(await createLiveCheck({ client, now })(tokens.access)).toBe(true);
    client.destroy();
  });

  it('fails closed on throttling, without caching the failure, and the verifier answers revoked', async () => {
    const client = fresh();
    standIn.answer('GetUser', {
      status: 400,
      body: { __type: 'TooManyRequestsException', message: 'slow down' },
    });
    const errors: unknown[] = [];
    const check = createLiveCheck({ client, now, onError: (error) => errors.push(error) });

    await expect(check(tokens.access)).rejects.toThrow(/GetUser failed \(TooManyRequestsException\)/);
    expect(errors).toMatchObject([{ name: 'TooManyRequestsException' }]);
    standIn.answer('GetUser', { status: 200, body: {} });
    expect(await check(tokens.access)).toBe(false);
    expect(getUsers()).toBe(2);
    client.destroy();
  });

  it('fails closed when GetUser does not answer within timeoutMs', async () => {
    const client = fresh();
    standIn.answer('GetUser', 'hang');
    const check = createLiveCheck({ client, now, timeoutMs: 200 });

    await expect(check(tokens.access)).rejects.toThrow(/GetUser failed/);
    client.destroy();
  });

  it('answers revoked, without a call, for tokens GetUser cannot judge (ID and machine tokens)', async () => {
    const client = fresh();
    const check = createLiveCheck({ client, now });

    expect(await check(tokens.id)).toBe(true);
    expect(await check(tokens.machine)).toBe(true);
    expect(getUsers()).toBe(0);
    client.destroy();
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const client = fresh();
    standIn.answer('GetUser', { status: 200, body: {} });
    const check = createLiveCheck({ client, now, maxEntries: 2 });
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map(async (jti) => (await testTokens({ jti })).access),
    );

    for (const token of [a, b, c, b, c]) await check(token!);
    expect(getUsers()).toBe(3);
    await check(a!);
    expect(getUsers()).toBe(4);
    client.destroy();
  });

  it('validates its options when built', () => {
    const client = sdkClient('http://127.0.0.1:9');
    const bad: unknown[] = [
      undefined,
      {},
      { client, ttlMs: 0 },
      { client, maxEntries: 1.5 },
      { client, ttl: 1 },
    ];
    for (const options of bad) {
      expect(() => createLiveCheck(options as never)).toThrow(/^cognito-gate: .*createLiveCheck/);
    }
    client.destroy();
  });
});
