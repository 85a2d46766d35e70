import {
  type AuthorizerDecision,
  createRestAuthorizer,
  type RestAuthorizerEvent,
  type RestRequestAuthorizerEvent,
  type RestTokenAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeShared } from '../support/shared.js';
import {
  createFixture,
  expectFlatContext,
  expectOutage,
  expectUnauthorized,
  type Fixture,
  loadEvent,
  loadJsonc,
  stagePrefix,
} from './support.js';

const TOKEN_EVENTS = [
  'go-apigw-custom-auth-request.json',
  'ptts-rest-authorizer-token.json',
  'sam-apigateway-authorizer.json',
];
const REQUEST_EVENTS = [
  'go-apigw-custom-auth-request-type-request.json',
  'sam-apigateway-request-authorizer.json',
  'ptts-rest-authorizer-request.json',
  'ptpy-apigw-authorizer-request.json',
];

/** The TOKEN event with the minted token where the captured one was, keeping its `Bearer ` or not. */
function withToken(event: RestTokenAuthorizerEvent, token: string): RestTokenAuthorizerEvent {
  const bearer = /^bearer /i.test(event.authorizationToken);
  return { ...event, authorizationToken: bearer ? `Bearer ${token}` : token };
}

/** The REQUEST event with `Authorization: Bearer <token>`, replacing a captured header of any casing. */
function withHeader(event: RestRequestAuthorizerEvent, token: string): RestRequestAuthorizerEvent {
  const headers = { ...(event.headers ?? {}) };
  const multi = event.multiValueHeaders ? { ...event.multiValueHeaders } : event.multiValueHeaders;
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'authorization') ?? 'Authorization';
  headers[name] = `Bearer ${token}`;
  if (multi) multi[name] = [`Bearer ${token}`];
  return { ...event, headers, multiValueHeaders: multi };
}

function expectedContext(f: Fixture, scopes: string[], groups: string[] = []) {
  return {
    sub: f.issuer.user.sub,
    username: f.issuer.user.username,
    clientId: f.issuer.clientId,
    tokenUse: 'access',
    groups: JSON.stringify(groups),
    scopes: JSON.stringify(scopes),
    exp: expect.any(Number),
  };
}

describeShared('createRestAuthorizer on real REST authorizer events', () => {
  let f: Fixture;
  let token: string;
  beforeAll(async () => {
    f = await createFixture();
    token = await f.issuer.accessToken({ scopes: ['orders/read'] });
  });

  describe.each(TOKEN_EVENTS)('TOKEN event %s', (name) => {
    it('allows a valid token with a stage-wide wildcard policy and a flat context', async () => {
      const event = loadEvent<RestTokenAuthorizerEvent>(name);
      const result = await createRestAuthorizer({ verifier: f.verifier })(withToken(event, token));
      expect(result).toEqual({
        principalId: f.issuer.user.sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stagePrefix(event.methodArn)}*/*` },
          ],
        },
        context: expectedContext(f, ['orders/read']),
      });
      expectFlatContext(result.context);
      expect(JSON.stringify(result)).not.toContain(token);
    });

    it('throws exactly Unauthorized for the token as captured (not a JWT)', async () => {
      const event = loadEvent<RestTokenAuthorizerEvent>(name);
      await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(event));
    });

    it('answers an explicit stage-wide Deny when the token lacks a required group', async () => {
      const event = loadEvent<RestTokenAuthorizerEvent>(name);
      const authorizer = createRestAuthorizer({ verifier: f.verifier, rules: { groups: 'admin' } });
      const result = await authorizer(withToken(event, token));
      expect(result.principalId).toBe(f.issuer.user.sub);
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stagePrefix(event.methodArn)}*/*` },
      ]);
      expectFlatContext(result.context);
    });

    it('fails with a non-Unauthorized error (500) when the JWKS is unreachable', async () => {
      const event = loadEvent<RestTokenAuthorizerEvent>(name);
      await expectOutage(createRestAuthorizer({ verifier: f.outage })(withToken(event, token)));
    });
  });

  describe.each(REQUEST_EVENTS)('REQUEST event %s', (name) => {
    it('allows a valid token from the Authorization header', async () => {
      const event = loadEvent<RestRequestAuthorizerEvent>(name);
      const result = await createRestAuthorizer({ verifier: f.verifier })(withHeader(event, token));
      expect(result).toEqual({
        principalId: f.issuer.user.sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stagePrefix(event.methodArn)}*/*` },
          ],
        },
        context: expectedContext(f, ['orders/read']),
      });
    });

    it('throws exactly Unauthorized for the event as captured (no token or "Bearer foo")', async () => {
      await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(loadEvent(name)));
    });

    it('denies (403) an authenticated caller without the required scope', async () => {
      const event = withHeader(loadEvent<RestRequestAuthorizerEvent>(name), token);
      const result = await createRestAuthorizer({ verifier: f.verifier, rules: { scopes: 'orders/write' } })(
        event,
      );
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stagePrefix(event.methodArn)}*/*` },
      ]);
    });

    it('fails with a non-Unauthorized error when the JWKS is unreachable', async () => {
      const event = withHeader(loadEvent<RestRequestAuthorizerEvent>(name), token);
      await expectOutage(createRestAuthorizer({ verifier: f.outage })(event));
    });

    it("tolerates the console tester's null maps", async () => {
      const event = {
        ...loadEvent<RestRequestAuthorizerEvent>(name),
        headers: null,
        multiValueHeaders: null,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        body: null,
        isBase64Encoded: false,
      };
      await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(event));
    });
  });

  it('produces the keys of the AWS documentation output template, and no others', async () => {
    const template = loadJsonc<Record<string, unknown>>('docs-rest-authorizer-output-template.jsonc');
    const event = withToken(loadEvent<RestTokenAuthorizerEvent>('ptts-rest-authorizer-token.json'), token);
    const result = await createRestAuthorizer({ verifier: f.verifier })(event);
    for (const key of Object.keys(result)) expect(Object.keys(template)).toContain(key);
    const statement = (template.policyDocument as { Statement: object[] }).Statement[0]!;
    expect(Object.keys(result.policyDocument.Statement[0]!).sort()).toEqual(Object.keys(statement).sort());
  });

  it.each([
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws', 'eu-west-1'],
  ])('keeps the %s partition in the wildcard resource', async (partition, region) => {
    const captured = loadEvent<RestTokenAuthorizerEvent>('ptts-rest-authorizer-token.json');
    const methodArn = captured.methodArn
      .replace('arn:aws:', `arn:${partition}:`)
      .replace('eu-west-1', region);
    const result = await createRestAuthorizer({ verifier: f.verifier })({
      ...captured,
      methodArn,
      authorizationToken: token,
    });
    expect(result.policyDocument.Statement[0]!.Resource).toBe(
      `arn:${partition}:execute-api:${region}:123456789012:puhdx84jy9/prod/*/*`,
    );
  });

  it('covers the root resource (a methodArn ending in /GET/) and the console tester stage "*"', async () => {
    const event = loadEvent<RestTokenAuthorizerEvent>('go-apigw-custom-auth-request.json');
    expect(event.methodArn.endsWith('/*/GET/')).toBe(true);
    const result = await createRestAuthorizer({ verifier: f.verifier })({
      ...event,
      authorizationToken: token,
    });
    expect(result.policyDocument.Statement[0]!.Resource).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/*/*',
    );
    const root = { ...event, methodArn: 'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/GET/' };
    const rootResult = await createRestAuthorizer({ verifier: f.verifier })({
      ...root,
      authorizationToken: token,
    });
    expect(rootResult.policyDocument.Statement[0]!.Resource).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/*/*',
    );
  });

  it.each([
    ['an empty string', ''],
    ['a Lambda ARN', 'arn:aws:lambda:us-east-1:123456789012:function:f'],
    ['an ARN without a stage', 'arn:aws:execute-api:us-east-1:123456789012:abc123'],
    ['a 1601-byte ARN', `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/${'a'.repeat(1600)}`],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s as methodArn with Unauthorized, never a TypeError', async (_, methodArn) => {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({ verifier: f.verifier, onDecision: (d) => decisions.push(d) });
    const event = { type: 'TOKEN', authorizationToken: token, methodArn } as unknown as RestAuthorizerEvent;
    await expectUnauthorized(authorizer(event));
    expect(decisions).toMatchObject([{ outcome: 'unauthorized', status: 401, code: 'invalid_event' }]);
  });

  it('rejects the methodArn template of the AWS docs (placeholders) with Unauthorized', async () => {
    const event = loadJsonc<RestTokenAuthorizerEvent>('docs-rest-authorizer-token-input-template.jsonc');
    expect(event.methodArn).toContain('{regionId}');
    await expectUnauthorized(
      createRestAuthorizer({ verifier: f.verifier })({ ...event, authorizationToken: token }),
    );
  });

  it('rejects a null event and the proxy event of the console tester with Unauthorized', async () => {
    const authorizer = createRestAuthorizer({ verifier: f.verifier });
    await expectUnauthorized(authorizer(null as unknown as RestAuthorizerEvent));
    await expectUnauthorized(authorizer(loadEvent('ptts-rest-console-test-ui.json')));
  });
});
