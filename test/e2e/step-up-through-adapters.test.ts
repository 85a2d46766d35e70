/**
 * Step-up (RFC 9470) and resource binding (RFC 8707) seen through every adapter a user touches:
 * - Express, Fastify and middy answer 401 with `error="insufficient_user_authentication"` and the
 *   route's `acr_values` / `max_age`, byte for byte the same challenge (realm aside);
 * - the REST authorizer throws exactly `Unauthorized` for global step-up rules and denies the route
 *   for per-route ones; the HTTP authorizer answers `isAuthorized: false` (simple responses), and
 *   both report the code to `onDecision`;
 * - an access token bound to another resource server is refused everywhere with `invalid_client`.
 * The verifier's clock is injected: a token's age is the verifier's verdict, not the machine's.
 */
import { createVerifier, type Verifier, type VerifierOptions } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import {
  type AuthorizerDecision,
  createHttpAuthorizer,
  createRestAuthorizer,
  type HttpAuthorizerV2Event,
} from '@cognito-gate/lambda';
import { cognitoAuth as middyAuth } from '@cognito-gate/lambda/middy';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import express from 'express';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';

const NOW = 1_800_000_000; // epoch seconds, both clocks
const MFA = 'urn:cognito:mfa';
const HWK = 'urn:cognito:hwk';
const STEP_UP = { acr: [MFA, HWK], amr: 'mfa', maxAge: 900 } as const;
const CHALLENGE =
  'error="insufficient_user_authentication", ' +
  'error_description="A stronger or more recent authentication is required", ' +
  `acr_values="${MFA} ${HWK}", max_age="900"`;
const RESOURCE = 'https://orders.example.com';

let issuer: TestIssuer;
const tokens: Record<'strong' | 'stale' | 'weak' | 'plain' | 'bound' | 'foreign', string> = {
  strong: '',
  stale: '',
  weak: '',
  plain: '',
  bound: '',
  foreign: '',
};

beforeAll(async () => {
  issuer = await createTestIssuer({ now: () => NOW * 1000 });
  tokens.strong = await issuer.accessToken({ acr: MFA, amr: ['pwd', 'mfa'], auth_time: NOW - 60 });
  tokens.stale = await issuer.accessToken({ acr: MFA, amr: ['pwd', 'mfa'], auth_time: NOW - 3600 });
  tokens.weak = await issuer.accessToken({ acr: 'urn:cognito:pwd', amr: ['pwd'], auth_time: NOW - 60 });
  // What Cognito issues today: auth_time, no acr or amr.
  tokens.plain = await issuer.accessToken();
  tokens.bound = await issuer.accessToken({ aud: [RESOURCE, 'https://other.example.com'] });
  tokens.foreign = await issuer.accessToken({ aud: 'https://billing.example.com' });
});

function verifier(overrides: Partial<VerifierOptions> = {}): Verifier {
  return createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

interface Answer {
  readonly status: number;
  readonly challenge: string | undefined;
  readonly code: string | undefined;
}

async function viaExpress(v: Verifier, token: string, realm?: string): Promise<Answer> {
  const app = express();
  app.use(cognitoAuth({ verifier: v, ...(realm === undefined ? {} : { realm }) }));
  app.get('/transfer', requireAuth(STEP_UP), (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/transfer`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { error?: string };
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate') ?? undefined,
      code: body.error,
    };
  } finally {
    server.close();
  }
}

async function viaFastify(v: Verifier, token: string, errorMode?: 'reply' | 'throw'): Promise<Answer> {
  const app = Fastify();
  await app.register(cognitoGate, { verifier: v, ...(errorMode === undefined ? {} : { errorMode }) });
  app.get('/transfer', { config: { auth: STEP_UP } }, async () => ({ ok: true }));
  const response = await app.inject({
    method: 'GET',
    url: '/transfer',
    headers: { authorization: `Bearer ${token}` },
  });
  await app.close();
  const header = response.headers['www-authenticate'];
  return {
    status: response.statusCode,
    challenge: typeof header === 'string' ? header : undefined,
    code: (response.json() as { code?: string }).code,
  };
}

// middy types the handler's context as Context & { auth }: the runtime passes a plain Context.
const lambdaContext = {} as Context as never;

async function viaMiddy(v: Verifier, token: string): Promise<Answer> {
  const handler = middy()
    .use(middyAuth({ verifier: v, rules: STEP_UP }))
    .handler(async () => ({ statusCode: 200, body: '{"ok":true}' }));
  const result = (await handler(
    { headers: { Authorization: `Bearer ${token}` }, requestContext: {} } as never,
    lambdaContext,
  )) as { statusCode: number; headers?: Record<string, string>; body: string };
  return {
    status: result.statusCode,
    challenge: result.headers?.['www-authenticate'],
    code: (JSON.parse(result.body) as { error?: string }).error,
  };
}

describe.each([
  ['Express', (v: Verifier, t: string) => viaExpress(v, t)],
  ['Fastify (reply mode)', (v: Verifier, t: string) => viaFastify(v, t)],
  ['Fastify (throw mode, default error handler)', (v: Verifier, t: string) => viaFastify(v, t, 'throw')],
  ['middy', (v: Verifier, t: string) => viaMiddy(v, t)],
] as const)('%s', (_name, send) => {
  it('lets a recent MFA sign-in through', async () => {
    expect((await send(verifier(), tokens.strong)).status).toBe(200);
  });

  it.each([
    ['a sign-in older than maxAge', 'stale'],
    ['a password-only sign-in', 'weak'],
    ['a Cognito access token without acr/amr', 'plain'],
  ] as const)('answers %s with the RFC 9470 challenge', async (_what, which) => {
    const answer = await send(verifier(), tokens[which]);
    expect(answer.status).toBe(401);
    expect(answer.code).toBe('insufficient_user_authentication');
    expect(answer.challenge).toBe(`Bearer realm="api", ${CHALLENGE}`);
  });

  it("measures the sign-in's age with the verifier's clock", async () => {
    const later = verifier({ now: () => (NOW + 1000) * 1000 });
    expect((await send(later, tokens.strong)).status).toBe(401);
  });

  it('refuses an access token bound to another resource server (audience)', async () => {
    const bound = verifier({ audience: RESOURCE });
    const answer = await send(bound, tokens.foreign);
    expect(answer.status).toBe(401);
    expect(answer.code).toBe('invalid_client');
    expect(answer.challenge).toContain('error="invalid_token"');
  });
});

describe('Express with its own realm', () => {
  it('puts the realm first and keeps the step-up attributes', async () => {
    const answer = await viaExpress(verifier(), tokens.stale, 'orders');
    expect(answer.challenge).toBe(`Bearer realm="orders", ${CHALLENGE}`);
  });
});

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/transfer';

describe('REST Lambda authorizer', () => {
  it('throws exactly Unauthorized for a global step-up rule, and reports the code', async () => {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({
      verifier: verifier(),
      rules: STEP_UP,
      onDecision: (decision) => decisions.push(decision),
    });
    await expect(
      authorizer({ type: 'TOKEN', authorizationToken: `Bearer ${tokens.stale}`, methodArn: METHOD_ARN }),
    ).rejects.toThrow(/^Unauthorized$/);
    expect(decisions).toMatchObject([
      { outcome: 'unauthorized', status: 401, code: 'insufficient_user_authentication' },
    ]);
    const allowed = await authorizer({
      type: 'TOKEN',
      authorizationToken: `Bearer ${tokens.strong}`,
      methodArn: METHOD_ARN,
    });
    expect(allowed.policyDocument.Statement[0]!.Effect).toBe('Allow');
  });

  it('denies only the step-up route for per-route rules, with the reason reported', async () => {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({
      verifier: verifier(),
      routes: { 'POST /transfer': STEP_UP, 'GET /balance': {} },
      onDecision: (decision) => decisions.push(decision),
    });
    const result = await authorizer({
      type: 'TOKEN',
      authorizationToken: `Bearer ${tokens.weak}`,
      methodArn: METHOD_ARN,
    });
    const effects = result.policyDocument.Statement.map((s) => [s.Effect, s.Resource]);
    expect(effects).toContainEqual([
      'Deny',
      expect.arrayContaining([expect.stringContaining('/POST/transfer')]),
    ]);
    expect(decisions).toMatchObject([
      { outcome: 'deny', status: 403, code: 'insufficient_user_authentication' },
    ]);
  });

  it('throws Unauthorized for an access token bound to another resource server', async () => {
    const authorizer = createRestAuthorizer({ verifier: verifier({ audience: RESOURCE }) });
    await expect(
      authorizer({ type: 'TOKEN', authorizationToken: `Bearer ${tokens.foreign}`, methodArn: METHOD_ARN }),
    ).rejects.toThrow(/^Unauthorized$/);
    const bound = await authorizer({
      type: 'TOKEN',
      authorizationToken: `Bearer ${tokens.bound}`,
      methodArn: METHOD_ARN,
    });
    expect(bound.policyDocument.Statement[0]!.Effect).toBe('Allow');
  });
});

function httpEvent(token: string): HttpAuthorizerV2Event {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/transfer',
    identitySource: [`Bearer ${token}`],
    routeKey: 'POST /transfer',
    rawPath: '/prod/transfer',
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}` },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/prod/transfer',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 'test',
      },
      requestId: 'r-1',
      routeKey: 'POST /transfer',
      stage: 'prod',
      time: '07/Dec/2026:18:00:00 +0000',
      timeEpoch: NOW * 1000,
    },
  } as HttpAuthorizerV2Event;
}

describe('HTTP Lambda authorizer (simple responses)', () => {
  it('answers isAuthorized: false for a per-route step-up rule, with the reason reported', async () => {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createHttpAuthorizer({
      verifier: verifier(),
      routes: { 'POST /transfer': STEP_UP },
      caching: 'off',
      onDecision: (decision) => decisions.push(decision),
    });
    expect(await authorizer(httpEvent(tokens.stale))).toMatchObject({ isAuthorized: false });
    expect(decisions).toMatchObject([{ outcome: 'deny', code: 'insufficient_user_authentication' }]);
    expect(await authorizer(httpEvent(tokens.strong))).toMatchObject({ isAuthorized: true });
  });

  it("answers isAuthorized: false for a global step-up rule with unauthenticated: 'deny'", async () => {
    const authorizer = createHttpAuthorizer({
      verifier: verifier(),
      rules: STEP_UP,
      unauthenticated: 'deny',
    });
    expect(await authorizer(httpEvent(tokens.plain))).toEqual({ isAuthorized: false });
  });

  it('throws exactly Unauthorized (401) for a global step-up rule by default', async () => {
    const authorizer = createHttpAuthorizer({ verifier: verifier(), rules: STEP_UP });
    await expect(authorizer(httpEvent(tokens.weak))).rejects.toThrow(/^Unauthorized$/);
  });
});
