import { createWebSocketAuthorizer, type WebSocketAuthorizerEvent } from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeShared } from '../support/shared.js';
import {
  createFixture,
  expectFlatContext,
  expectOutage,
  expectResourcesFit,
  expectUnauthorized,
  type Fixture,
  iamAllows,
  loadEvent,
} from './support.js';

const CONNECT_EVENTS = [
  'ptts-websocket-connect-authorizer-request.json',
  'rust-apigw-websocket-connect-authorizer-request.json',
];

const withQuery = (
  event: WebSocketAuthorizerEvent,
  name: string,
  token: string,
): WebSocketAuthorizerEvent => ({
  ...event,
  queryStringParameters: { ...(event.queryStringParameters ?? {}), [name]: token },
  multiValueQueryStringParameters: { ...(event.multiValueQueryStringParameters ?? {}), [name]: [token] },
});

describeShared('createWebSocketAuthorizer on real $connect events', () => {
  let f: Fixture;
  let token: string;
  beforeAll(async () => {
    f = await createFixture();
    token = await f.issuer.accessToken({ groups: ['chat'] });
  });

  describe.each(CONNECT_EVENTS)('%s', (name) => {
    it('allows a token from the token query parameter, for exactly this methodArn', async () => {
      const event = withQuery(loadEvent(name), 'token', token);
      const result = await createWebSocketAuthorizer({ verifier: f.verifier })(event);
      expect(result).toEqual({
        principalId: f.issuer.user.sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
        },
        context: {
          sub: f.issuer.user.sub,
          username: f.issuer.user.username,
          clientId: f.issuer.clientId,
          tokenUse: 'access',
          groups: '["chat"]',
          scopes: '["aws.cognito.signin.user.admin"]',
          exp: expect.any(Number),
        },
      });
      expect(event.methodArn.endsWith('/$connect')).toBe(true);
      expectFlatContext(result.context);
    });

    it('allows a token from the Authorization header', async () => {
      const event = loadEvent<WebSocketAuthorizerEvent>(name);
      const result = await createWebSocketAuthorizer({ verifier: f.verifier })({
        ...event,
        headers: { ...event.headers, Authorization: `Bearer ${token}` },
      });
      expect(result.policyDocument.Statement[0]).toMatchObject({
        Effect: 'Allow',
        Resource: event.methodArn,
      });
    });

    it('throws exactly Unauthorized for the event as captured (no token)', async () => {
      await expectUnauthorized(createWebSocketAuthorizer({ verifier: f.verifier })(loadEvent(name)));
    });

    it('denies the connection (403) when the rules fail', async () => {
      const event = withQuery(loadEvent(name), 'token', token);
      const result = await createWebSocketAuthorizer({ verifier: f.verifier, rules: { groups: 'admin' } })(
        event,
      );
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn },
      ]);
    });

    it('fails with a non-Unauthorized error when the JWKS is unreachable', async () => {
      await expectOutage(
        createWebSocketAuthorizer({ verifier: f.outage })(withQuery(loadEvent(name), 'token', token)),
      );
    });

    it('reads only the configured source', async () => {
      const authorizer = createWebSocketAuthorizer({
        verifier: f.verifier,
        identity: { query: 'access_token' },
      });
      await expectUnauthorized(authorizer(withQuery(loadEvent(name), 'token', token)));
      const result = await authorizer(withQuery(loadEvent(name), 'access_token', token));
      expect(result.principalId).toBe(f.issuer.user.sub);
    });
  });

  it('refuses two different tokens in the query string, and tolerates the same one twice', async () => {
    const other = await f.issuer.accessToken({ sub: 'other-sub', groups: ['chat'] });
    const event = withQuery(loadEvent('ptts-websocket-connect-authorizer-request.json'), 'token', token);
    const authorizer = createWebSocketAuthorizer({ verifier: f.verifier });
    await expectUnauthorized(
      authorizer({ ...event, multiValueQueryStringParameters: { token: [token, other] } }),
    );
    const same = await authorizer({ ...event, multiValueQueryStringParameters: { token: [token, token] } });
    expect(same.principalId).toBe(f.issuer.user.sub);
  });
});

describe('createWebSocketAuthorizer on a methodArn that cannot be a Resource as it is', () => {
  it.each([
    ['a 1,000-character route', `$connect/${'x'.repeat(1000)}`],
    ['a * in the route', '$connect/*'],
  ])('keeps the Resource within 512 characters and covering the request for %s', async (_, route) => {
    const f = await createFixture();
    const token = await f.issuer.accessToken();
    const methodArn = `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/${route}`;
    const result = await createWebSocketAuthorizer({ verifier: f.verifier })({
      type: 'REQUEST',
      methodArn,
      headers: { Authorization: `Bearer ${token}` },
    });
    expectResourcesFit(result);
    expect(iamAllows(result, methodArn)).toBe(true);
  });
});

describe('createWebSocketAuthorizer options', () => {
  it('rejects route tables: $connect is the only route it sees', async () => {
    const { verifier } = await createFixture();
    expect(() => createWebSocketAuthorizer({ verifier, routes: {} } as never)).toThrow(
      /unknown option routes/,
    );
  });
});
