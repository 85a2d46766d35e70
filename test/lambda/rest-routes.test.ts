import {
  type AuthorizerDecision,
  createRestAuthorizer,
  type PolicyAuthorizerResult,
  type RestTokenAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from './support.js';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/';
const ROUTES = {
  'DELETE /orders/{id}': { groups: 'admin' },
  'GET /orders/{id}': { scopes: 'orders/read' },
  'ANY /admin/*': { groups: 'admin' },
};

/** IAM's evaluation of an authorizer policy for one request: explicit Deny wins, `*` spans `/`. */
function iamAllows(result: PolicyAuthorizerResult, methodArn: string): boolean {
  const matches = (resource: string | string[]) =>
    [resource].flat().some((glob) => {
      const source = glob
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      return new RegExp(`^${source}$`, 's').test(methodArn);
    });
  const statements = result.policyDocument.Statement;
  if (statements.some((s) => s.Effect === 'Deny' && matches(s.Resource))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s.Resource));
}

const REQUESTS = [
  'GET/orders/17',
  'DELETE/orders/17',
  'POST/orders',
  'GET/admin/users',
  'POST/admin/users/1',
  'GET/',
  'GET/health',
];

describe('createRestAuthorizer route table', () => {
  let f: Fixture;
  const event = (token: string, route: string): RestTokenAuthorizerEvent => ({
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: PREFIX + route,
  });
  beforeAll(async () => {
    f = await createFixture();
  });

  it('returns the same policy whatever route comes first, so a cached result stays right', async () => {
    const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
    const authorizer = createRestAuthorizer({ verifier: f.verifier, routes: ROUTES });
    const results = await Promise.all(REQUESTS.map((route) => authorizer(event(token, route))));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]!.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${PREFIX}*/*` },
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: [`${PREFIX}DELETE/orders/*`, `${PREFIX}*/admin/*`],
      },
    ]);
  });

  it.each([
    ['a reader', { scopes: ['orders/read'] }],
    ['an admin without the read scope', { groups: ['admin'], scopes: [] }],
    ['an admin reader', { groups: ['admin'], scopes: ['orders/read'] }],
    ['a caller with neither', { scopes: [] }],
  ])('gives %s the same answer from a cached policy as from a fresh evaluation', async (_, claims) => {
    const token = await f.issuer.accessToken(claims);
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({
      verifier: f.verifier,
      routes: ROUTES,
      onDecision: (d) => decisions.push(d),
    });
    const cached = await authorizer(event(token, REQUESTS[0]!));
    for (const route of REQUESTS) {
      decisions.length = 0;
      const fresh = await authorizer(event(token, route));
      const freshAllowed = decisions[0]!.outcome === 'allow';
      expect(iamAllows(fresh, PREFIX + route), route).toBe(freshAllowed);
      expect(iamAllows(cached, PREFIX + route), route).toBe(freshAllowed);
    }
  });

  it('reports a route denial as a 403 decision with the rule that failed', async () => {
    const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({
      verifier: f.verifier,
      routes: ROUTES,
      onDecision: (d) => decisions.push(d),
    });
    await authorizer(event(token, 'DELETE/orders/17'));
    await authorizer(event(token, 'GET/orders/17'));
    expect(decisions).toMatchObject([
      {
        authorizer: 'rest',
        outcome: 'deny',
        status: 403,
        code: 'insufficient_group',
        principalId: f.issuer.user.sub,
      },
      { authorizer: 'rest', outcome: 'allow', status: 200, principalId: f.issuer.user.sub },
    ]);
    expect(decisions[1]).not.toHaveProperty('error');
  });

  it('returns a single Allow statement for a caller who passes every route', async () => {
    const token = await f.issuer.accessToken({ groups: ['admin'], scopes: ['orders/read'] });
    const result = await createRestAuthorizer({ verifier: f.verifier, routes: ROUTES })(event(token, 'GET/'));
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${PREFIX}*/*` },
    ]);
  });

  it("scopes the policy to the methodArn with policyScope: 'method'", async () => {
    const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
    const authorizer = createRestAuthorizer({ verifier: f.verifier, routes: ROUTES, policyScope: 'method' });
    const allowed = await authorizer(event(token, 'GET/orders/17'));
    expect(allowed.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${PREFIX}GET/orders/17` },
    ]);
    const denied = await authorizer(event(token, 'DELETE/orders/17'));
    expect(denied.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${PREFIX}DELETE/orders/17` },
    ]);
  });

  it('keeps the policy small: one Deny statement whatever the size of the table', async () => {
    const routes = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`GET /reports/r${i}/{id}`, { groups: 'auditors' }]),
    );
    const token = await f.issuer.accessToken();
    const result = await createRestAuthorizer({ verifier: f.verifier, routes })(event(token, 'GET/'));
    expect(result.policyDocument.Statement).toHaveLength(2);
    expect(result.policyDocument.Statement[1]!.Resource).toHaveLength(40);
    for (const resource of [result.policyDocument.Statement[1]!.Resource].flat()) {
      expect(resource.length).toBeLessThanOrEqual(512);
    }
  });

  it('adds usageIdentifierKey when the hook returns one', async () => {
    const token = await f.issuer.accessToken();
    const authorizer = createRestAuthorizer({
      verifier: f.verifier,
      usageIdentifierKey: (auth) => `key-${auth.clientId}`,
    });
    expect((await authorizer(event(token, 'GET/'))).usageIdentifierKey).toBe(`key-${f.issuer.clientId}`);
  });
});
