import type { PolicyAuthorizerResult, PolicyStatement, RestTokenAuthorizerEvent } from '@cognito-gate/lambda';
import { describe, expect, it, vi } from 'vitest';
import { createRestGateway, evaluatePolicy, type GatewayProxyEvent } from '../src/gateway.js';

const STAGE = 'arn:aws:execute-api:us-east-1:123456789012:demo0api01/prod';
const statement = (Effect: 'Allow' | 'Deny', Resource: string | string[]): PolicyStatement => ({
  Action: 'execute-api:Invoke',
  Effect,
  Resource,
});
const allowAll = (context: Record<string, string | number | boolean> = {}): PolicyAuthorizerResult => ({
  principalId: 'user-sub',
  policyDocument: { Version: '2012-10-17', Statement: [statement('Allow', `${STAGE}/*/*`)] },
  context,
});

function setup(authorize: (event: RestTokenAuthorizerEvent) => Promise<PolicyAuthorizerResult>) {
  const authorizer = vi.fn(authorize);
  const integration = vi.fn(async (event: GatewayProxyEvent) => ({
    statusCode: 200,
    body: JSON.stringify(event),
  }));
  const gateway = createRestGateway({
    authorizer,
    integration,
    routes: ['GET /me', 'DELETE /orders/{id}'],
    region: 'us-east-1',
    unauthorizedHeaders: { 'www-authenticate': 'Bearer realm="api"' },
  });
  return { gateway, authorizer, integration };
}

describe('evaluatePolicy', () => {
  it('lets an explicit Deny win over a stage-wide Allow', () => {
    const statements = [statement('Allow', `${STAGE}/*/*`), statement('Deny', [`${STAGE}/DELETE/orders/*`])];
    expect(evaluatePolicy(statements, `${STAGE}/DELETE/orders/42`)).toBe('deny');
    expect(evaluatePolicy(statements, `${STAGE}/GET/orders`)).toBe('allow');
  });

  it('treats a policy that covers another resource as an implicit deny', () => {
    expect(evaluatePolicy([statement('Allow', `${STAGE}/GET/me`)], `${STAGE}/GET/orders`)).toBe('none');
  });

  it('matches IAM wildcards: * across slashes, ? for one character, dots literally', () => {
    expect(evaluatePolicy([statement('Allow', `${STAGE}/*`)], `${STAGE}/GET/orders/42`)).toBe('allow');
    expect(evaluatePolicy([statement('Allow', `${STAGE}/GE?/me`)], `${STAGE}/GET/me`)).toBe('allow');
    const dotted = 'arn:aws:execute-api:us-east-1:123456789012:a.c/prod/GET/me';
    expect(evaluatePolicy([statement('Allow', dotted)], dotted.replace('a.c', 'abc'))).toBe('none');
  });
});

describe('the API Gateway stand-in', () => {
  it('answers an undefined route with 403 Missing Authentication Token, without the authorizer', async () => {
    const { gateway, authorizer } = setup(async () => allowAll());
    const res = await gateway({ method: 'POST', path: '/me', authorization: 'Bearer x' });

    expect([res.statusCode, JSON.parse(res.body)]).toEqual([
      403,
      { message: 'Missing Authentication Token' },
    ]);
    expect(authorizer).not.toHaveBeenCalled();
  });

  it('answers 401 itself when the Authorization header is missing or empty', async () => {
    const { gateway, authorizer } = setup(async () => allowAll());
    for (const authorization of [undefined, '']) {
      const res = await gateway({ method: 'GET', path: '/me', authorization });
      expect(res).toMatchObject({ statusCode: 401, authorizerInvoked: false });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    }
    expect(authorizer).not.toHaveBeenCalled();
  });

  it('sends a TOKEN event with the whole header and the method ARN of the request', async () => {
    const { gateway, authorizer } = setup(async () => allowAll());
    await gateway({ method: 'DELETE', path: '/orders/42', authorization: 'Bearer abc' });

    expect(authorizer).toHaveBeenCalledWith({
      type: 'TOKEN',
      authorizationToken: 'Bearer abc',
      methodArn: `${STAGE}/DELETE/orders/42`,
    });
  });

  it('turns exactly "Unauthorized" into 401 and any other error into 500', async () => {
    const unauthorized = setup(async () => {
      throw new Error('Unauthorized');
    });
    const failing = setup(async () => {
      throw new Error('unauthorized');
    });

    const a = await unauthorized.gateway({ method: 'GET', path: '/me', authorization: 'Bearer x' });
    const b = await failing.gateway({ method: 'GET', path: '/me', authorization: 'Bearer x' });
    expect([a.statusCode, a.headers['www-authenticate']]).toEqual([401, 'Bearer realm="api"']);
    expect([b.statusCode, b.headers['www-authenticate']]).toEqual([500, undefined]);
  });

  it('answers 500 for a response API Gateway rejects: no principal, nested context', async () => {
    const noPrincipal = setup(async () => ({ ...allowAll(), principalId: '' }));
    const nested = setup(async () => ({ ...allowAll(), context: { groups: ['admin'] } }) as never);

    for (const { gateway, integration } of [noPrincipal, nested]) {
      expect((await gateway({ method: 'GET', path: '/me', authorization: 'Bearer x' })).statusCode).toBe(500);
      expect(integration).not.toHaveBeenCalled();
    }
  });

  it('answers 403 for an explicit Deny and does not call the integration', async () => {
    const { gateway, integration } = setup(async () => ({
      ...allowAll(),
      policyDocument: {
        Version: '2012-10-17',
        Statement: [statement('Allow', `${STAGE}/*/*`), statement('Deny', `${STAGE}/DELETE/orders/*`)],
      },
    }));
    const res = await gateway({ method: 'DELETE', path: '/orders/42', authorization: 'Bearer x' });

    expect(res.statusCode).toBe(403);
    expect(integration).not.toHaveBeenCalled();
  });

  it('calls the integration with path parameters and the context stringified, as REST APIs do', async () => {
    const { gateway } = setup(async () => allowAll({ sub: 'user-sub', admin: true, version: 2 }));
    const res = await gateway({ method: 'DELETE', path: '/orders/42', authorization: 'Bearer x' });
    const event = JSON.parse(res.body) as GatewayProxyEvent;

    expect(res.statusCode).toBe(200);
    expect(event).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/42',
      pathParameters: { id: '42' },
    });
    expect(event.requestContext.authorizer).toEqual({
      principalId: 'user-sub',
      sub: 'user-sub',
      admin: 'true',
      version: '2',
    });
  });

  it('answers 502 when the integration throws', async () => {
    const gateway = createRestGateway({
      authorizer: async () => allowAll(),
      integration: async () => {
        throw new Error('boom');
      },
      routes: ['GET /me'],
      region: 'us-east-1',
    });
    expect((await gateway({ method: 'GET', path: '/me', authorization: 'Bearer x' })).statusCode).toBe(502);
  });
});
