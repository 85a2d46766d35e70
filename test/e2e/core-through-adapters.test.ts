/**
 * The core's hardening, seen through every adapter a user touches: the same hostile inputs sent to an
 * Express app, a Fastify app and a REST Lambda authorizer must end in the same client error, never a
 * pass, a 5xx or an outage answer.
 * - a token respelled with characters above U+00FF (Node's decoder would read their low byte);
 * - a forged token naming the pool's global issuer, whose JWKS URL answers 403 (no replication);
 * - a deny-list that answers `1` (Redis SISMEMBER) or a thenable instead of `true`.
 */
import { createVerifier, type Verifier, type VerifierOptions } from '@cognito-gate/core';
import { cognitoAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import { createRestAuthorizer } from '@cognito-gate/lambda';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import express from 'express';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});

/** Serves the pool's keys on its regional URL and 403 on its global one, like Cognito without replication. */
function cognitoLikeFetch(): (url: string) => Promise<Response> {
  return async (url) =>
    url.startsWith('https://issuer-cognito-idp.')
      ? new Response('{"message":"Forbidden"}', { status: 403 })
      : new Response(JSON.stringify(issuer.jwks));
}

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { fetch: cognitoLikeFetch() },
    ...overrides,
  };
}

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
}

/** One request with `authorization` through each adapter, reduced to status and error code. */
const ADAPTERS: ReadonlyArray<[string, (verifier: Verifier, authorization: string) => Promise<Answer>]> = [
  [
    'Express',
    async (verifier, authorization) => {
      const app = express();
      app.use(cognitoAuth({ verifier }));
      app.get('/orders', (_req, res) => {
        res.json({ ok: true });
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as { port: number };
        const response = await fetch(`http://127.0.0.1:${port}/orders`, { headers: { authorization } });
        const body = (await response.json()) as { error?: string };
        return { status: response.status, code: body.error };
      } finally {
        server.close();
      }
    },
  ],
  [
    'Fastify',
    async (verifier, authorization) => {
      const app = Fastify();
      await app.register(cognitoGate, { verifier, defaultAuth: true });
      app.get('/orders', async () => ({ ok: true }));
      const response = await app.inject({ method: 'GET', url: '/orders', headers: { authorization } });
      await app.close();
      return { status: response.statusCode, code: (response.json() as { code?: string }).code };
    },
  ],
  [
    'Lambda REST authorizer',
    async (verifier, authorization) => {
      const authorizer = createRestAuthorizer({ verifier });
      try {
        const result = await authorizer({
          type: 'TOKEN',
          authorizationToken: authorization,
          methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders',
        });
        const effect = result.policyDocument.Statement[0]!.Effect;
        return { status: effect === 'Allow' ? 200 : 403, code: undefined };
      } catch (error) {
        // API Gateway's contract: exactly `Unauthorized` is a 401, anything else a 500.
        return { status: (error as Error).message === 'Unauthorized' ? 401 : 500, code: undefined };
      }
    },
  ],
];

/** Expected answer: the adapter's status, and the code where the adapter renders one. */
function expectAnswer(name: string, answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  if (name !== 'Lambda REST authorizer') expect(answer.code).toBe(code);
}

describe.each(ADAPTERS)('%s', (name, send) => {
  it('lets the genuine token through (control)', async () => {
    const answer = await send(createVerifier(options()), `Bearer ${await issuer.accessToken()}`);
    expect(answer.status).toBe(200);
  });

  it('refuses a token respelled above U+00FF with 401 malformed_token', async () => {
    const token = await issuer.accessToken();
    const at = token.indexOf('.') + 10;
    const respelled =
      token.slice(0, at) + String.fromCharCode(0x100 + token.charCodeAt(at)) + token.slice(at + 1);
    // fetch() refuses non-Latin-1 header values, so the respelling goes through the bytes it allows:
    // U+0100+c is above that, so send the Latin-1 form U+0080+c where a header carries it.
    const viaHeader =
      token.slice(0, at) + String.fromCharCode(0x80 + token.charCodeAt(at)) + token.slice(at + 1);
    const verifier = createVerifier(options());
    expectAnswer(
      name,
      await send(verifier, `Bearer ${name === 'Express' ? viaHeader : respelled}`),
      401,
      'malformed_token',
    );
  });

  it('answers a forged token naming the global issuer of an unreplicated pool with 401, not an outage', async () => {
    const genuine = await issuer.accessToken();
    const claims = {
      ...JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()),
      iss: issuer.globalIssuer,
    };
    const forged = await issuer.sign({ kid: 'forged', alg: 'RS256' }, claims);
    const verifier = createVerifier(options());
    expectAnswer(name, await send(verifier, `Bearer ${forged}`), 401, 'unknown_key');
  });

  it.each([
    ['1 (Redis SISMEMBER)', () => 1],
    ["'true'", () => 'true'],
    ['a found record', async () => ({ jti: 'x' })],
    ['a thenable of 1', () => ({ then: (resolve: (v: unknown) => void) => resolve(1) })],
    ['a rejection', () => Promise.reject(new Error('store down'))],
  ])('refuses a token the deny-list answers %s for with 401 revoked', async (_what, isRevoked) => {
    const verifier = createVerifier(options({ isRevoked }));
    expectAnswer(name, await send(verifier, `Bearer ${await issuer.accessToken()}`), 401, 'revoked');
  });
});
