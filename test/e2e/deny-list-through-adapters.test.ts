/**
 * Sign-out that takes effect, seen through every adapter a user touches: Express, Fastify, middy,
 * and the REST and HTTP Lambda authorizers get the deny-list through the verifier alone (no
 * adapter option, no adapter code). With the test issuer's sign-in pairs (ID and access tokens
 * sharing `origin_jti`):
 * - a token entry refuses that token only;
 * - a session entry refuses both tokens of the sign-in and every token refreshed from it;
 * - a user entry refuses the user's tokens issued before the sign-out, not a later sign-in;
 * - tokens not covered pass; a store outage past the bound is an outage (503, or a Lambda 500),
 *   never a 401 and never an allow.
 */
import {
  createDenyList,
  createVerifier,
  type DenyList,
  type DenyListStore,
  type Verifier,
} from '@cognito-gate/core';
import { cognitoAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import { createHttpAuthorizer, createRestAuthorizer, type HttpAuthorizerV2Event } from '@cognito-gate/lambda';
import { cognitoAuth as middyAuth } from '@cognito-gate/lambda/middy';
import { createTestIssuer, type SignInSession, type TestIssuer } from '@cognito-gate/testing';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import express from 'express';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';

const NOW = 1_800_000_000; // epoch seconds: the issuer's, the verifier's and the deny-list's clock
const clock = () => NOW * 1000;
const OTHER_SUB = '99999999-8888-7777-6666-555555555555';

let issuer: TestIssuer;
let signIn: SignInSession;
let refreshed: SignInSession;
let otherSignIn: SignInSession;
let earlier: SignInSession;
let later: SignInSession;
let otherUser: SignInSession;

beforeAll(async () => {
  issuer = await createTestIssuer({ now: clock });
  signIn = await issuer.signIn({ issuedAt: NOW - 600 });
  refreshed = await signIn.refresh({ issuedAt: NOW - 60 });
  otherSignIn = await issuer.signIn({ issuedAt: NOW - 600 });
  earlier = await issuer.signIn({ issuedAt: NOW - 300 });
  later = await issuer.signIn({ issuedAt: NOW - 10 });
  otherUser = await issuer.signIn({
    issuedAt: NOW - 300,
    id: { sub: OTHER_SUB },
    access: { sub: OTHER_SUB },
  });
});

function verifierWith(denyList: DenyList): Verifier {
  return createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    tokenUse: 'any',
    jwks: { keys: issuer.jwks, fetch: false },
    now: clock,
    denyList,
  });
}

/** 200 allowed, 401 refused, 503 outage (the Lambda authorizers' outage error counts as 503). */
type Send = (v: Verifier, token: string) => Promise<number>;

const viaExpress: Send = async (v, token) => {
  const app = express();
  app.use(cognitoAuth({ verifier: v }));
  app.get('/me', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.status;
  } finally {
    server.close();
  }
};

const viaFastify: Send = async (v, token) => {
  const app = Fastify();
  await app.register(cognitoGate, { verifier: v });
  app.get('/me', { config: { auth: {} } }, async () => ({ ok: true }));
  const response = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${token}` },
  });
  await app.close();
  return response.statusCode;
};

const viaMiddy: Send = async (v, token) => {
  const handler = middy()
    .use(middyAuth({ verifier: v }))
    .handler(async () => ({ statusCode: 200, body: '{"ok":true}' }));
  const result = (await handler(
    { headers: { Authorization: `Bearer ${token}` }, requestContext: {} } as never,
    {} as Context as never,
  )) as { statusCode: number };
  return result.statusCode;
};

const lambdaStatus = (error: unknown): number =>
  error instanceof Error && error.message === 'Unauthorized'
    ? 401
    : error instanceof Error && error.name === 'AuthorizerUnavailableError'
      ? 503
      : 500;

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/me';

const viaRestAuthorizer: Send = async (v, token) => {
  const authorizer = createRestAuthorizer({ verifier: v });
  try {
    const result = await authorizer({
      type: 'TOKEN',
      authorizationToken: `Bearer ${token}`,
      methodArn: METHOD_ARN,
    });
    return result.policyDocument.Statement.every((s) => s.Effect === 'Allow') ? 200 : 403;
  } catch (error) {
    return lambdaStatus(error);
  }
};

const viaHttpAuthorizer: Send = async (v, token) => {
  const authorizer = createHttpAuthorizer({ verifier: v, caching: 'off' });
  const event = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: METHOD_ARN,
    identitySource: [`Bearer ${token}`],
    routeKey: 'GET /me',
    rawPath: '/prod/me',
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}` },
    requestContext: { accountId: '123456789012', apiId: 'abc123', routeKey: 'GET /me', stage: 'prod' },
  } as unknown as HttpAuthorizerV2Event;
  try {
    const result = (await authorizer(event)) as { isAuthorized?: boolean };
    return result.isAuthorized === true ? 200 : 403;
  } catch (error) {
    return lambdaStatus(error);
  }
};

describe.each([
  ['Express', viaExpress],
  ['Fastify', viaFastify],
  ['middy', viaMiddy],
  ['REST Lambda authorizer', viaRestAuthorizer],
  ['HTTP Lambda authorizer', viaHttpAuthorizer],
] as const)('%s', (_name, send) => {
  async function statuses(
    denyList: DenyList,
    tokens: Record<string, string>,
  ): Promise<Record<string, number>> {
    const v = verifierWith(denyList);
    const out: Record<string, number> = {};
    for (const [name, token] of Object.entries(tokens)) out[name] = await send(v, token);
    return out;
  }

  it('a token entry refuses that token only (cached verification included)', async () => {
    const denyList = createDenyList({ now: clock });
    const v = verifierWith(denyList);
    // Verified once before the sign-out: the verified-token cache holds it.
    expect(await send(v, signIn.accessToken)).toBe(200);
    await denyList.denyToken(String(decodeClaims(signIn.accessToken).jti));
    expect(await send(v, signIn.accessToken)).toBe(401);
    expect(await send(v, signIn.idToken)).toBe(200);
    expect(await send(v, refreshed.accessToken)).toBe(200);
  });

  it('a session entry refuses both tokens of the sign-in and every refreshed token', async () => {
    const denyList = createDenyList({ now: clock });
    await denyList.denySession(signIn.originJti);
    expect(
      await statuses(denyList, {
        access: signIn.accessToken,
        id: signIn.idToken,
        refreshedAccess: refreshed.accessToken,
        refreshedId: refreshed.idToken,
        otherSignIn: otherSignIn.accessToken,
      }),
    ).toEqual({ access: 401, id: 401, refreshedAccess: 401, refreshedId: 401, otherSignIn: 200 });
  });

  it("a user entry refuses the user's tokens issued before the sign-out, not a later sign-in", async () => {
    const denyList = createDenyList({ now: clock });
    // Signed out 30 s ago: the sign-in 10 s ago came after it.
    await denyList.denyUser(issuer.user.sub, NOW - 30);
    expect(
      await statuses(denyList, {
        earlierAccess: earlier.accessToken,
        earlierId: earlier.idToken,
        refreshed: refreshed.accessToken,
        later: later.accessToken,
        otherUser: otherUser.accessToken,
      }),
    ).toEqual({ earlierAccess: 401, earlierId: 401, refreshed: 401, later: 200, otherUser: 200 });
  });

  it('an unreachable store past the bound is an outage, never an allow', async () => {
    const down: DenyListStore = {
      push: true,
      load: () => Promise.reject(new Error('ECONNREFUSED')),
      add: () => Promise.reject(new Error('ECONNREFUSED')),
      subscribe: () => () => {},
      close: () => Promise.resolve(),
    };
    const denyList = createDenyList({ store: down, now: clock });
    await denyList.ready();
    expect(await send(verifierWith(denyList), otherSignIn.accessToken)).toBe(503);
    await denyList.close();
  });
});

function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
