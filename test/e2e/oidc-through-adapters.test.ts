/**
 * A combined verifier (a Cognito pool and a second OIDC issuer) given to every adapter unchanged:
 * tokens of both issuers pass with the issuer on the result, rules apply to both, and a token of
 * one issuer signed with the other's key is refused with the same 401 everywhere.
 */
import {
  combineVerifiers,
  createOidcVerifier,
  createVerifier,
  type VerifiedToken,
  type Verifier,
} from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import { createRestAuthorizer } from '@cognito-gate/lambda';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import express from 'express';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, atClaims, makeOidcKey, OIDC_ISSUER, signOidc } from '../support/oidc-signer.js';

let issuer: TestIssuer;
const partnerKey = makeOidcKey('EdDSA', 'partner-ed');
const partnerEc = makeOidcKey('ES256', 'partner-ec');
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  issuer = await createTestIssuer();
});

function combined(): Verifier {
  return combineVerifiers([
    createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: { keys: issuer.jwks, fetch: false },
    }),
    createOidcVerifier({
      issuer: OIDC_ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA', 'ES256'],
      groupsClaim: 'groups',
      jwks: { keys: [partnerKey.jwk, partnerEc.jwk], fetch: false },
    }),
  ]);
}

function partnerToken(overrides: Record<string, unknown> = {}, key = partnerKey): string {
  return signOidc(
    { typ: 'at+jwt' },
    atClaims({ exp: nowSeconds() + 600, iat: nowSeconds() - 5, groups: ['staff'], ...overrides }),
    key,
  );
}

interface Answer {
  readonly status: number;
  readonly issuer?: string | undefined;
}

type Send = (verifier: Verifier, authorization: string, rules?: { groups?: string }) => Promise<Answer>;

const ADAPTERS: ReadonlyArray<[string, Send]> = [
  [
    'Express',
    async (verifier, authorization, rules) => {
      const app = express();
      app.use(cognitoAuth({ verifier }));
      app.get('/orders', requireAuth(rules ?? {}), (req, res) => {
        res.json({ issuer: (req as unknown as { auth: VerifiedToken }).auth.issuer });
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as { port: number };
        const response = await fetch(`http://127.0.0.1:${port}/orders`, { headers: { authorization } });
        const body = (await response.json()) as { issuer?: string };
        return { status: response.status, issuer: body.issuer };
      } finally {
        server.close();
      }
    },
  ],
  [
    'Fastify',
    async (verifier, authorization, rules) => {
      const app = Fastify();
      await app.register(cognitoGate, { verifier, defaultAuth: rules ?? true });
      app.get('/orders', async (request) => ({
        issuer: (request as unknown as { auth: VerifiedToken }).auth.issuer,
      }));
      const response = await app.inject({ method: 'GET', url: '/orders', headers: { authorization } });
      await app.close();
      return { status: response.statusCode, issuer: (response.json() as { issuer?: string }).issuer };
    },
  ],
  [
    'Lambda REST authorizer',
    async (verifier, authorization, rules) => {
      const authorizer = createRestAuthorizer({
        verifier,
        ...(rules === undefined ? {} : { rules }),
        context: (auth) => ({ issuer: auth.issuer }),
      });
      try {
        const result = await authorizer({
          type: 'TOKEN',
          authorizationToken: authorization,
          methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders',
        });
        const allowed = result.policyDocument.Statement.some((s) => s.Effect === 'Allow');
        const denied = result.policyDocument.Statement.some((s) => s.Effect === 'Deny');
        return {
          status: allowed && !denied ? 200 : 403,
          issuer: result.context?.issuer as string | undefined,
        };
      } catch (error) {
        return { status: (error as Error).message === 'Unauthorized' ? 401 : 500 };
      }
    },
  ],
];

describe.each(ADAPTERS)('%s with a combined Cognito + OIDC verifier', (_name, send) => {
  it('lets a Cognito token through, naming the Cognito issuer', async () => {
    const answer = await send(combined(), `Bearer ${await issuer.accessToken()}`);
    expect(answer).toMatchObject({ status: 200, issuer: issuer.issuer });
  });

  it('lets an EdDSA and an ES256 partner token through, naming the partner issuer', async () => {
    expect(await send(combined(), `Bearer ${partnerToken()}`)).toMatchObject({
      status: 200,
      issuer: OIDC_ISSUER,
    });
    const ec = partnerToken({}, partnerEc);
    expect(await send(combined(), `Bearer ${ec}`)).toMatchObject({ status: 200, issuer: OIDC_ISSUER });
  });

  it("applies group rules to the partner's configured groups claim", async () => {
    expect((await send(combined(), `Bearer ${partnerToken()}`, { groups: 'staff' })).status).toBe(200);
    expect((await send(combined(), `Bearer ${partnerToken()}`, { groups: 'admin' })).status).toBe(403);
  });

  it('refuses with 401 a partner-issued token signed by the Cognito key, and a Cognito token signed by the partner', async () => {
    const genuine = await issuer.accessToken();
    const claims = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const kid = JSON.parse(Buffer.from(genuine.split('.')[0]!, 'base64url').toString()).kid as string;
    const partnerByCognito = await issuer.sign(
      { kid, alg: 'RS256' },
      { ...claims, iss: OIDC_ISSUER, aud: AUDIENCE },
    );
    expect((await send(combined(), `Bearer ${partnerByCognito}`)).status).toBe(401);
    const cognitoByPartner = signOidc({ kid }, claims, partnerEc);
    expect((await send(combined(), `Bearer ${cognitoByPartner}`)).status).toBe(401);
  });

  it('refuses an unknown issuer with 401', async () => {
    const stranger = partnerToken({ iss: 'https://login.stranger.example' });
    expect((await send(combined(), `Bearer ${stranger}`)).status).toBe(401);
  });
});
