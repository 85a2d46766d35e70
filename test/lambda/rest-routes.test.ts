import {
  type AuthorizerDecision,
  createRestAuthorizer,
  type RestTokenAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixture, expectResourcesFit, type Fixture, iamAllows } from './support.js';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/';
const ROUTES = {
  'DELETE /orders/{id}': { groups: 'admin' },
  'GET /orders/{id}': { scopes: 'orders/read' },
  'ANY /admin/*': { groups: 'admin' },
};

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
    // Each GET rule also denies HEAD.
    expect(result.policyDocument.Statement[1]!.Resource).toHaveLength(80);
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

  describe("policyScope: 'method' and API Gateway's 512-character Resource limit", () => {
    const LONG_PATHS = [
      ['a 1,500-character path', `orders/${'a'.repeat(1500)}`],
      ['a non-ASCII path', `orders/${'é'.repeat(300)}🙂${'ß'.repeat(300)}`],
      ['700 segments', `orders/${'x/'.repeat(700)}end`],
    ];

    it.each(LONG_PATHS)(
      'keeps every Resource within the limit for %s, and still decides this request',
      async (_, path) => {
        const reader = await f.issuer.accessToken({ scopes: ['orders/read'] });
        const outsider = await f.issuer.accessToken({ scopes: [] });
        const authorizer = createRestAuthorizer({
          verifier: f.verifier,
          routes: ROUTES,
          policyScope: 'method',
        });
        const forbidden = createRestAuthorizer({
          verifier: f.verifier,
          rules: { groups: 'auditors' },
          policyScope: 'method',
        });
        for (const [make, token, route, allowed] of [
          [authorizer, reader, `GET/${path}`, true],
          [authorizer, outsider, `GET/${path}`, false],
          [authorizer, reader, `DELETE/${path}`, false],
          [forbidden, reader, `GET/${path}`, false],
        ] as const) {
          const methodArn = PREFIX + route;
          expect(methodArn.length).toBeGreaterThan(512);
          const result = await make(event(token, route));
          expectResourcesFit(result);
          expect(iamAllows(result, methodArn), route.slice(0, 20)).toBe(allowed);
        }
      },
    );

    it.each([
      ['a long path', `GET/orders/${'a'.repeat(600)}`],
      ['a literal * in the path', 'GET/orders/*'],
      ['a literal ? in the path', 'GET/orders/?'],
    ])(
      'never lets a broadened, cached policy for %s allow what a fresh evaluation denies',
      async (_, first) => {
        const routes = { ...ROUTES, 'GET /orders/secret': { groups: 'admin' } };
        const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
        const decisions: AuthorizerDecision[] = [];
        const authorizer = createRestAuthorizer({
          verifier: f.verifier,
          routes,
          policyScope: 'method',
          onDecision: (d) => decisions.push(d),
        });
        const cached = await authorizer(event(token, first));
        expectResourcesFit(cached);
        const base = first.replace(/[*?]$/, '');
        const others = [
          ...REQUESTS,
          'GET/orders/secret',
          'HEAD/orders/secret',
          `${base}/admin/x`,
          `${base}b`,
          `${base}/x`,
          'GET/orders/1',
        ];
        for (const route of others) {
          decisions.length = 0;
          await authorizer(event(token, route));
          const freshAllowed = decisions[0]!.outcome === 'allow';
          if (iamAllows(cached, PREFIX + route)) expect(freshAllowed, route.slice(0, 40)).toBe(true);
        }
        expect(iamAllows(cached, `${PREFIX}GET/orders/secret`)).toBe(false);
      },
    );

    it('keeps the exact methodArn as the Resource when it fits', async () => {
      const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
      const authorizer = createRestAuthorizer({ verifier: f.verifier, policyScope: 'method' });
      const route = `GET/orders/${'a'.repeat(512 - PREFIX.length - 'GET/orders/'.length)}`;
      expect((PREFIX + route).length).toBe(512);
      const result = await authorizer(event(token, route));
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: PREFIX + route },
      ]);
    });
  });

  it('keeps stage-wide Deny resources within the limit when a long stage name meets a long route', async () => {
    const stage = 's'.repeat(128);
    const prefix = PREFIX.replace('/prod/', `/${stage}/`);
    const routes = { [`GET /reports/${'r'.repeat(380)}/{id}`]: { groups: 'auditors' } };
    const token = await f.issuer.accessToken();
    const result = await createRestAuthorizer({ verifier: f.verifier, routes })({
      type: 'TOKEN',
      authorizationToken: token,
      methodArn: `${prefix}GET/`,
    });
    expectResourcesFit(result);
    expect(iamAllows(result, `${prefix}GET/reports/${'r'.repeat(380)}/7`)).toBe(false);
    expect(iamAllows(result, `${prefix}HEAD/reports/${'r'.repeat(380)}/7`)).toBe(false);
    expect(iamAllows(result, `${prefix}GET/`)).toBe(true);
  });

  describe('route matching: HEAD, trailing slashes, letter case', () => {
    const TABLE = { 'GET /orders': { scopes: 'orders/read' }, 'get /reports/{id}': { groups: 'auditors' } };

    it.each([
      ['HEAD on a GET rule', 'HEAD/orders'],
      ['a trailing slash', 'GET/orders/'],
      ['HEAD with a trailing slash', 'HEAD/orders/'],
      ['a lower-case method in the route key', 'GET/reports/1'],
      ['HEAD on a lower-case GET rule', 'HEAD/reports/1'],
    ])('guards %s, fresh and from a cached policy', async (_, route) => {
      const token = await f.issuer.accessToken({ scopes: [] });
      const decisions: AuthorizerDecision[] = [];
      const authorizer = createRestAuthorizer({
        verifier: f.verifier,
        routes: TABLE,
        onDecision: (d) => decisions.push(d),
      });
      const cached = await authorizer(event(token, 'POST/other'));
      const fresh = await authorizer(event(token, route));
      expect(decisions.map((d) => d.outcome)).toEqual(['allow', 'deny']);
      expect(iamAllows(cached, PREFIX + route)).toBe(false);
      expect(iamAllows(fresh, PREFIX + route)).toBe(false);
    });

    it('does not let a rule for /orders reach /orders-archive or /ordersx', async () => {
      const token = await f.issuer.accessToken({ scopes: [] });
      const result = await createRestAuthorizer({ verifier: f.verifier, routes: TABLE })(
        event(token, 'GET/'),
      );
      expect(iamAllows(result, `${PREFIX}GET/orders-archive`)).toBe(true);
      expect(iamAllows(result, `${PREFIX}GET/ordersx`)).toBe(true);
    });

    it('matches paths case-sensitively, as API Gateway resources and IAM do', async () => {
      const token = await f.issuer.accessToken({ scopes: [] });
      const decisions: AuthorizerDecision[] = [];
      const authorizer = createRestAuthorizer({
        verifier: f.verifier,
        routes: TABLE,
        onDecision: (d) => decisions.push(d),
      });
      const result = await authorizer(event(token, 'GET/Orders'));
      expect(decisions[0]!.outcome).toBe('allow');
      expect(iamAllows(result, `${PREFIX}GET/Orders`)).toBe(true);
    });
  });
});
