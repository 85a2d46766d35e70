import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createVerifier } from '@cognito-gate/core';
import type { PolicyAuthorizerResult, RestTokenAuthorizerEvent } from '@cognito-gate/lambda';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeShared, readShared } from '../../../test/support/shared.js';
import { handler as apiHandler } from '../src/api.js';
import { createAuthorizer } from '../src/authorizer.js';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const event = (name: string) => readShared<Record<string, unknown>>(`fixtures/real/events/${name}`);

describeShared('the example authorizer, invoked with real TOKEN events', () => {
  let issuer: TestIssuer;
  let lines: string[];
  let authorizer: ReturnType<typeof createAuthorizer>;
  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'eu-west-1_Example1' });
    lines = [];
    const verifier = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: { keys: issuer.jwks, fetch: false },
    });
    authorizer = createAuthorizer(verifier, { log: (line) => lines.push(line) });
  });
  const captured = () => event('ptts-rest-authorizer-token.json') as unknown as RestTokenAuthorizerEvent;
  const metrics = () => lines.map((line) => JSON.parse(line) as { Outcome: string; Decisions: number });

  it('allows the whole stage and denies the order routes a caller without their scope and group lacks', async () => {
    const token = await issuer.accessToken();
    const result = await authorizer({ ...captured(), authorizationToken: `Bearer ${token}` });
    const prefix = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/';
    expect(result.principalId).toBe(issuer.user.sub);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${prefix}*/*` },
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        // A GET rule also guards HEAD, and /orders also guards /orders/.
        Resource: [
          `${prefix}GET/orders`,
          `${prefix}GET/orders/`,
          `${prefix}HEAD/orders`,
          `${prefix}HEAD/orders/`,
          `${prefix}DELETE/orders/*`,
        ],
      },
    ]);
  });

  it('allows everything to an admin with the orders scope', async () => {
    const token = await issuer.accessToken({ groups: ['admin'], scopes: ['orders/read'] });
    const result = await authorizer({ ...captured(), authorizationToken: `Bearer ${token}` });
    expect(result.policyDocument.Statement).toHaveLength(1);
    expect(result.context?.groups).toBe('["admin"]');
  });

  it.each([
    'ptts-rest-authorizer-token.json',
    'sam-apigateway-authorizer.json',
    'go-apigw-custom-auth-request.json',
  ])('throws exactly Unauthorized for %s as captured', async (name) => {
    const outcome = await authorizer(event(name) as unknown as RestTokenAuthorizerEvent).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    expect(outcome).toBe('Unauthorized');
  });

  it('logs one embedded metric per decision, so rejections are told from faults', async () => {
    lines.length = 0;
    const token = await issuer.accessToken();
    await authorizer({ ...captured(), authorizationToken: `Bearer ${token}` });
    await authorizer(captured()).catch(() => undefined);
    expect(metrics().map((m) => [m.Outcome, m.Decisions])).toEqual([
      ['allow', 1],
      ['unauthorized', 1],
    ]);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('answers a JWKS outage with a 500-class error, never Allow', async () => {
    const outage = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: { fetch: () => Promise.reject(new Error('unreachable')) },
    });
    const token = await issuer.accessToken();
    const error = await createAuthorizer(outage, { log: () => {} })({
      ...captured(),
      authorizationToken: `Bearer ${token}`,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe('AuthorizerUnavailableError');
    expect(error?.message).not.toBe('Unauthorized');
  });
});

describeShared('the example API behind the authorizer', () => {
  it('greets the caller named by the authorizer context (REST Lambda authorizer capture)', async () => {
    const response = await apiHandler(event('ptts-rest-lambda-authorizer-auth.json'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ sub: 'user', groups: [], scopes: [] });
  });

  it('reads our own context: groups and scopes come back as lists', async () => {
    const captured = event('ptts-rest-lambda-authorizer-auth.json') as {
      requestContext: Record<string, unknown>;
    };
    captured.requestContext.authorizer = {
      principalId: 'sub-1',
      sub: 'sub-1',
      username: 'jane',
      groups: '["admin","dev,ops"]',
      scopes: '["orders/read","orders/write"]',
      integrationLatency: 12,
    };
    const body = JSON.parse((await apiHandler(captured)).body);
    expect(body).toMatchObject({ sub: 'sub-1', username: 'jane', groups: ['admin', 'dev,ops'] });
    expect(body.scopes).toEqual(['orders/read', 'orders/write']);
  });

  it('answers 401 when no authorizer identity is present (a misconfigured route)', async () => {
    expect((await apiHandler(event('ptts-rest-no-auth.json'))).statusCode).toBe(401);
  });
});

describe('the bundle and the SAM template', () => {
  let issuer: TestIssuer;
  let outDir: string;
  let buildOutput: string;
  beforeAll(async () => {
    issuer = await createTestIssuer({ userPoolId: 'eu-west-1_Example2' });
    outDir = mkdtempSync(path.join(tmpdir(), 'cognito-gate-bundle-'));
    const jwksFile = path.join(outDir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(issuer.jwks));
    buildOutput = execFileSync(process.execPath, ['build.mjs'], {
      cwd: EXAMPLE,
      env: { ...process.env, OUT_DIR: outDir, JWKS_FILE: jwksFile },
      encoding: 'utf8',
    });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  /** Import the bundle in a fresh Node process (as Lambda does) and invoke it once. */
  function invokeBundle(
    input: unknown,
    env: Record<string, string>,
  ): PolicyAuthorizerResult | { error: string } {
    const url = pathToFileURL(path.join(outDir, 'handler.mjs')).href;
    const script = `const { handler } = await import(${JSON.stringify(url)});
      try { console.log(JSON.stringify(await handler(${JSON.stringify(input)}))); }
      catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
    return JSON.parse(output.trim().split('\n').at(-1)!);
  }

  it('builds one minified ESM file per function and prints its size', () => {
    const size = statSync(path.join(outDir, 'handler.mjs')).size;
    expect(buildOutput).toContain(`handler.mjs: ${size} bytes (JWKS bundled from jwks.json)`);
    // The size budget is about shipped code; mutation testing bundles instrumented sources.
    if (process.env.COGNITO_GATE_MUTATION !== '1') expect(size).toBeLessThan(64 * 1024);
    expect(readFileSync(path.join(outDir, 'handler.mjs'), 'utf8')).not.toMatch(/\n\s{2,}/);
  });

  it('verifies a token with the bundled JWKS, without any network, in a fresh process', async () => {
    const token = await issuer.accessToken();
    const env = { USER_POOL_ID: issuer.userPoolId, CLIENT_ID: issuer.clientId };
    const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/GET/me';
    const allowed = invokeBundle({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn }, env);
    expect(allowed).toMatchObject({ principalId: issuer.user.sub });
    const denied = invokeBundle({ type: 'TOKEN', authorizationToken: 'Bearer foo', methodArn }, env);
    expect(denied).toEqual({ error: 'Unauthorized' });
  });

  it('declares a REST API with a cached TOKEN authorizer on the Authorization header', () => {
    const template = readFileSync(path.join(EXAMPLE, 'template.yaml'), 'utf8');
    expect(template).toMatch(/Type: AWS::Serverless::Api/);
    expect(template).toMatch(/FunctionPayloadType: TOKEN/);
    expect(template).toMatch(/Identity:\s+#[^\n]*\n\s+Header: Authorization/);
    expect(template).toMatch(/ReauthorizeEvery: 300/);
    expect(template).toMatch(/Handler: handler\.handler/);
    expect(template).toMatch(/CodeUri: dist\//);
  });
});
