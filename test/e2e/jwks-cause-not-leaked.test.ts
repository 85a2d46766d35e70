/**
 * A JWKS failure's cause (network code, host, port, URL) is for operators: it is in the AuthError's
 * `detail`, in `onEvent` and in `hydrate()`, and never in what a client receives. The JWKS URL here
 * points at a closed loopback port, so the cause is a real `connect ECONNREFUSED 127.0.0.1:<port>`;
 * each adapter's answer (status line, headers, body, and for Lambda the thrown error) must not
 * contain `ECONNREFUSED`, the address, the port, the path or the URL, in every error-rendering mode.
 */
import { type AuthError, createVerifier, type JwksEvent, type Verifier } from '@cognito-gate/core';
import { cognitoAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import { createHttpAuthorizer, createRestAuthorizer } from '@cognito-gate/lambda';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import express from 'express';
import Fastify from 'fastify';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/jwks-failures.js';

let issuer: TestIssuer;
let port: number;
let jwksUri: string;
let token: string;

beforeAll(async () => {
  issuer = await createTestIssuer();
  token = await issuer.accessToken();
});

beforeEach(async () => {
  port = await closedPort();
  jwksUri = `http://127.0.0.1:${port}/private-jwks-path/jwks.json`;
});

/** A verifier whose JWKS URL refuses connections, recording what operators see. */
function unreachable(): { verifier: Verifier; events: JwksEvent[] } {
  const events: JwksEvent[] = [];
  const verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { uri: jwksUri },
    onEvent: (event) => events.push(event),
  });
  return { verifier, events };
}

/** Everything a client could read, as one string. */
interface ClientView {
  readonly status: number;
  readonly text: string;
}

function expectNoCause(view: ClientView): void {
  for (const secret of ['ECONNREFUSED', `:${port}`, 'private-jwks-path', jwksUri, '127.0.0.1']) {
    expect(view.text).not.toContain(secret);
  }
}

/** The operator did get the cause: the test would be empty if there were nothing to leak. */
function expectOperatorCause(events: readonly JwksEvent[], details: readonly (string | undefined)[]): void {
  const failure = events.find((e) => e.type === 'jwks_fetch_failure');
  expect(failure).toMatchObject({ cause: { kind: 'network', code: 'ECONNREFUSED' } });
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) expect(detail).toContain(`connect ECONNREFUSED 127.0.0.1:${port}`);
}

async function overHttp(app: express.Express): Promise<ClientView> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port: appPort } = server.address() as { port: number };
    const response = await fetch(`http://localhost:${appPort}/orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    return {
      status: response.status,
      text: `${response.status} ${response.statusText}\n${headers}\n\n${await response.text()}`,
    };
  } finally {
    server.close();
  }
}

describe('Express', () => {
  it('answers 503 with error/error_description/Retry-After only', async () => {
    const { verifier, events } = unreachable();
    const details: (string | undefined)[] = [];
    const app = express();
    app.use(cognitoAuth({ verifier, onReject: (error) => details.push(error.detail) }));
    app.get('/orders', (_req, res) => {
      res.json({ ok: true });
    });
    const view = await overHttp(app);
    verifier.close();
    expect(view.status).toBe(503);
    expect(view.text).toContain('"error":"jwks_unavailable"');
    expect(view.text).toMatch(/^retry-after: \d+$/m);
    expectNoCause(view);
    expectOperatorCause(events, details);
  });

  it("errors: 'next' with Express's default error handler: no cause either", async () => {
    const { verifier, events } = unreachable();
    const details: (string | undefined)[] = [];
    const app = express();
    app.use(cognitoAuth({ verifier, errors: 'next', onReject: (error) => details.push(error.detail) }));
    app.get('/orders', (_req, res) => {
      res.json({ ok: true });
    });
    const view = await overHttp(app);
    verifier.close();
    expect(view.status).toBe(503);
    expectNoCause(view);
    expectOperatorCause(events, details);
  });
});

describe('Fastify', () => {
  it.each(['reply', 'throw'] as const)('errorMode %s: 503 without the cause', async (errorMode) => {
    const { verifier, events } = unreachable();
    const details: (string | undefined)[] = [];
    const app = Fastify();
    app.addHook('onError', async (_request, _reply, error) => {
      details.push((error as AuthError).detail);
    });
    await app.register(cognitoGate, { verifier, defaultAuth: true, errorMode });
    app.get('/orders', async () => ({ ok: true }));
    const response = await app.inject({
      method: 'GET',
      url: '/orders',
      headers: { authorization: `Bearer ${token}` },
    });
    await app.close();
    verifier.close();
    const headers = Object.entries(response.headers)
      .map(([name, value]) => `${name}: ${String(value)}`)
      .join('\n');
    const view = {
      status: response.statusCode,
      text: `${response.statusCode}\n${headers}\n\n${response.body}`,
    };
    expect(view.status).toBe(503);
    expectNoCause(view);
    if (errorMode === 'throw') {
      expectOperatorCause(events, details);
    } else {
      // 'reply' renders without an error hook: the cause is still in the operator's event.
      expect(events.find((e) => e.type === 'jwks_fetch_failure')).toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
    }
  });
});

describe('Lambda authorizers', () => {
  const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders';

  it('REST: the thrown error (message, stack, JSON) carries no cause', async () => {
    const { verifier, events } = unreachable();
    const authorizer = createRestAuthorizer({ verifier });
    const thrown = await authorizer({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn }).then(
      () => expect.fail('the authorizer should have thrown'),
      (error: unknown) => error as Error,
    );
    verifier.close();
    // What the Lambda runtime returns to API Gateway: errorType, errorMessage and the stack.
    const view = {
      status: 500,
      text: JSON.stringify({
        errorType: thrown.name,
        errorMessage: thrown.message,
        trace: thrown.stack,
        json: thrown,
      }),
    };
    expect(thrown.message).toBe('AuthorizerUnavailable');
    expectNoCause(view);
    expectOperatorCause(events, [(thrown.cause as AuthError).detail]);
  });

  it('HTTP API: the thrown error carries no cause', async () => {
    const { verifier, events } = unreachable();
    const authorizer = createHttpAuthorizer({ verifier });
    const thrown = await authorizer({
      version: '2.0',
      type: 'REQUEST',
      routeArn: methodArn,
      identitySource: [`Bearer ${token}`],
      routeKey: 'GET /orders',
      rawPath: '/orders',
      rawQueryString: '',
      headers: { authorization: `Bearer ${token}` },
      requestContext: { http: { method: 'GET', path: '/orders' } },
    } as never).then(
      (answer: unknown) =>
        expect.fail(`the authorizer should have thrown, answered ${JSON.stringify(answer)}`),
      (error: unknown) => error as Error,
    );
    verifier.close();
    const view = {
      status: 500,
      text: JSON.stringify({
        errorType: thrown.name,
        errorMessage: thrown.message,
        trace: thrown.stack,
        json: thrown,
      }),
    };
    expectNoCause(view);
    expectOperatorCause(events, [(thrown.cause as AuthError).detail]);
  });
});
