/**
 * Sign-out helpers: both halves (Cognito, then the deny entry), against moto where it implements
 * the call (GlobalSignOut, AdminUserGlobalSignOut) and a loopback stand-in where it does not
 * (RevokeToken: moto 5.2 answers 500). Each half failing is reported by a SignOutError that says
 * which one; the deny entry is written even when Cognito fails.
 */
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  createDenyList,
  createVerifier,
  type DenyList,
  emulatorPool,
  type VerifiedToken,
  type Verifier,
} from '@cognito-gate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSignOut,
  globalSignOut,
  revokeRefreshToken,
  type SignOutDenyList,
  SignOutError,
} from '../../packages/core/src/cognito.js';
import {
  claimsOf,
  describeWithEmulator,
  type Emulator,
  type EmulatorPool,
  freePort,
  hasMoto,
  passwordSignIn,
  provisionPool,
  sdkClient,
  startMoto,
} from '../support/emulators.js';
import { CLIENT_ID } from '../support/signer.js';
import { NOT_AUTHORIZED, type StandIn, startStandIn, testTokens } from './support.js';

describeWithEmulator('sign-out helpers against moto', hasMoto(), 'pip install "moto[server]"', () => {
  let moto: Emulator | undefined;
  let pool: EmulatorPool;
  let denyList: DenyList;
  let verifier: Verifier;
  // Without a deny-list: earlier tests denied this user (a sign-in in the same second is covered).
  let plain: Verifier;

  beforeAll(async () => {
    moto = await startMoto();
    pool = await provisionPool(moto.endpoint);
    denyList = createDenyList();
    await denyList.ready();
    verifier = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', endpoint: moto.endpoint, userPoolId: pool.userPoolId })],
      clientId: pool.clientId,
      tokenUse: 'any',
      clockToleranceSeconds: 5,
      denyList,
    });
    plain = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', endpoint: moto.endpoint, userPoolId: pool.userPoolId })],
      clientId: pool.clientId,
      tokenUse: 'any',
      clockToleranceSeconds: 5,
    });
  }, 120_000);

  afterAll(async () => {
    verifier?.close();
    plain?.close();
    await denyList?.close();
    pool?.client.destroy();
    await moto?.stop();
  }, 30_000);

  it('globalSignOut: Cognito refuses the access token, and so does every verifier, ID token included', async () => {
    const tokens = await passwordSignIn(pool);
    const access = await verifier.verify(tokens.accessToken, { tokenUse: 'access' });
    await expect(
      pool.client.send(new GetUserCommand({ AccessToken: tokens.accessToken })),
    ).resolves.toBeDefined();

    await globalSignOut({ client: pool.client, denyList, accessToken: access });

    await expect(
      pool.client.send(new GetUserCommand({ AccessToken: tokens.accessToken })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(verifier.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'revoked', status: 401 });
    await expect(verifier.verify(tokens.idToken)).rejects.toMatchObject({ code: 'revoked' });
  });

  it('adminSignOut: signs the user out at Cognito and denies their tokens', async () => {
    const tokens = await passwordSignIn(pool);
    const sub = claimsOf(tokens.accessToken).sub as string;

    await adminSignOut({
      client: pool.client,
      denyList,
      userPoolId: pool.userPoolId,
      username: pool.username,
      sub,
    });

    await expect(
      pool.client.send(new GetUserCommand({ AccessToken: tokens.accessToken })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(verifier.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'revoked' });
  });

  it('globalSignOut with a token Cognito already refuses: still denies, and says Cognito failed', async () => {
    const tokens = await passwordSignIn(pool);
    const access = await plain.verify(tokens.accessToken);
    const other = createDenyList();
    await adminSignOut({
      client: pool.client,
      denyList: other,
      userPoolId: pool.userPoolId,
      username: pool.username,
      sub: access.sub,
    });

    const error = await globalSignOut({ client: pool.client, denyList: other, accessToken: access }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(SignOutError);
    expect(error).toMatchObject({ code: 'cognito_failed', cognitoError: { name: 'NotAuthorizedException' } });
    expect(other.isDenied(access)).toBe(true);
    await other.close();
  });

  it('revokeRefreshToken: moto does not implement RevokeToken (500); the session is denied anyway', async () => {
    const tokens = await passwordSignIn(pool);
    const session = await plain.verify(tokens.idToken);
    const other = createDenyList();

    const error = await revokeRefreshToken({
      client: pool.client,
      denyList: other,
      clientId: pool.clientId,
      refreshToken: tokens.refreshToken,
      session,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'cognito_failed',
      cognitoError: { $metadata: { httpStatusCode: 500 } },
    });
    expect(other.isDenied(await plain.verify(tokens.accessToken))).toBe(true);
    await other.close();
  });
});

describe('sign-out helpers against a stand-in', () => {
  let standIn: StandIn;
  let tokens: Awaited<ReturnType<typeof testTokens>>;

  beforeAll(async () => {
    standIn = await startStandIn();
    tokens = await testTokens();
  });

  afterAll(async () => {
    await standIn?.close();
  });

  function recorder(fail: { user?: boolean; session?: boolean } = {}) {
    const calls: string[] = [];
    const list: SignOutDenyList = {
      async denyUser(sub, before) {
        calls.push(`user ${sub} ${before ?? 'now'}`);
        if (fail.user === true) throw new Error('store down');
      },
      async denySession(originJti) {
        calls.push(`session ${originJti}`);
        if (fail.session === true) throw new Error('store down');
      },
    };
    return { calls, list };
  }

  it('revokeRefreshToken: RevokeToken with the refresh token and client, then the session entry', async () => {
    const client = sdkClient(standIn.endpoint);
    standIn.answer('RevokeToken', { status: 200, body: {} });
    const { calls, list } = recorder();
    standIn.requests.length = 0;

    await revokeRefreshToken({
      client,
      denyList: list,
      clientId: CLIENT_ID,
      clientSecret: 'shh',
      refreshToken: 'opaque-refresh-token',
      session: tokens.access,
    });

    expect(standIn.requests).toMatchObject([
      {
        operation: 'RevokeToken',
        body: { Token: 'opaque-refresh-token', ClientId: CLIENT_ID, ClientSecret: 'shh' },
      },
    ]);
    expect(calls).toEqual(['session origin-1']);
    client.destroy();
  });

  it('revokeRefreshToken against a real deny-list covers the ID and access tokens of that sign-in', async () => {
    const client = sdkClient(standIn.endpoint);
    standIn.answer('RevokeToken', { status: 200, body: {} });
    const denyList = createDenyList({ now: () => 1_800_000_000_000 });

    await revokeRefreshToken({
      client,
      denyList,
      clientId: CLIENT_ID,
      refreshToken: 'r',
      session: tokens.id,
    });

    expect(denyList.isDenied(tokens.access)).toBe(true);
    expect(denyList.isDenied(tokens.id)).toBe(true);
    await denyList.close();
    client.destroy();
  });

  it('reports a Cognito refusal with its error name, after writing the entry', async () => {
    const client = sdkClient(standIn.endpoint);
    standIn.answer('RevokeToken', {
      status: 400,
      body: { __type: 'UnsupportedTokenTypeException', message: 'no' },
    });
    const { calls, list } = recorder();

    const error = await revokeRefreshToken({
      client,
      denyList: list,
      clientId: CLIENT_ID,
      refreshToken: 'r',
      session: tokens.access,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'SignOutError',
      code: 'cognito_failed',
      cognitoError: { name: 'UnsupportedTokenTypeException' },
    });
    expect(calls).toEqual(['session origin-1']);
    client.destroy();
  });

  it('globalSignOut: GlobalSignOut with the raw access token, then a user entry for its sub', async () => {
    const client = sdkClient(standIn.endpoint);
    standIn.answer('GlobalSignOut', { status: 200, body: {} });
    const { calls, list } = recorder();
    standIn.requests.length = 0;

    await globalSignOut({ client, denyList: list, accessToken: tokens.access });

    expect(standIn.requests).toMatchObject([
      { operation: 'GlobalSignOut', body: { AccessToken: tokens.access.token } },
    ]);
    expect(calls).toEqual([`user ${tokens.access.sub} now`]);
    client.destroy();
  });

  it('denies when Cognito cannot be reached, and says so', async () => {
    const client = sdkClient(`http://127.0.0.1:${await freePort()}`);
    const { calls, list } = recorder();

    await expect(globalSignOut({ client, denyList: list, accessToken: tokens.access })).rejects.toMatchObject(
      {
        code: 'cognito_failed',
      },
    );
    expect(calls).toHaveLength(1);
    client.destroy();
  });

  it('reports deny_failed when Cognito signed out but the entry was not written, both_failed when neither', async () => {
    const client = sdkClient(standIn.endpoint);
    standIn.answer('AdminUserGlobalSignOut', { status: 200, body: {} });
    const args = { client, userPoolId: 'us-east-1_X', username: 'alice', sub: 's' };

    await expect(adminSignOut({ ...args, denyList: recorder({ user: true }).list })).rejects.toMatchObject({
      code: 'deny_failed',
      denyError: { message: 'store down' },
    });
    standIn.answer('AdminUserGlobalSignOut', NOT_AUTHORIZED);
    await expect(adminSignOut({ ...args, denyList: recorder({ user: true }).list })).rejects.toMatchObject({
      code: 'both_failed',
    });
    client.destroy();
  });

  it('refuses inputs it cannot trust before calling anything', async () => {
    const client = sdkClient(standIn.endpoint);
    const { calls, list } = recorder();
    standIn.requests.length = 0;
    const forged = { ...tokens.access } as VerifiedToken;
    const noOrigin = (await testTokens({ origin_jti: undefined })).access;

    const attempts = [
      globalSignOut({ client, denyList: list, accessToken: forged }),
      globalSignOut({ client, denyList: list, accessToken: tokens.id }),
      globalSignOut({ client, denyList: list, accessToken: tokens.machine }),
      globalSignOut({ client, denyList: {} as SignOutDenyList, accessToken: tokens.access }),
      adminSignOut({ client, denyList: list, userPoolId: 'us-east-1_X', username: 'alice', sub: '' }),
      adminSignOut({
        client,
        denyList: list,
        userPoolId: 'us-east-1_X',
        username: 'alice',
        sub: 's'.repeat(1025),
      }),
      revokeRefreshToken({
        client,
        denyList: list,
        clientId: CLIENT_ID,
        refreshToken: 'r',
        session: noOrigin,
      }),
      revokeRefreshToken({
        client,
        denyList: list,
        clientId: 'another',
        refreshToken: 'r',
        session: tokens.access,
      }),
      revokeRefreshToken({
        client,
        denyList: list,
        clientId: CLIENT_ID,
        refreshToken: '',
        session: tokens.access,
      }),
    ];

    for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(standIn.requests).toEqual([]);
    expect(calls).toEqual([]);
    client.destroy();
  });
});
