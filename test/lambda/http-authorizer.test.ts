import { ConfigurationError } from '@cognito-gate/core';
import {
  type AuthorizerDecision,
  createHttpAuthorizer,
  type HttpAuthorizerEvent,
  type HttpAuthorizerV1Event,
  type HttpAuthorizerV2Event,
  type PolicyAuthorizerResult,
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

const V2_EVENTS = [
  'go-apigw-v2-custom-authorizer-v2-request.json',
  'java-apigw-auth-request-v2.json',
  'ptpy-apigw-authorizer-v2.json',
  'ptts-http-authorizer-request-v2.json',
  'rust-apigw-v2-custom-authorizer-v2-request-without-cookies.json',
  'rust-apigw-v2-custom-authorizer-v2-request-without-identity-source.json',
];
const V1_EVENTS = [
  'go-apigw-v2-custom-authorizer-v1-request.json',
  'java-apigw-auth-request-v1.json',
  'rust-apigw-v2-custom-authorizer-v1-request.json',
];

/** The event with `Bearer <token>` in its Authorization header (kept in the casing it arrived in). */
function withHeader<E extends HttpAuthorizerEvent>(event: E, token: string): E {
  const headers: Record<string, string | undefined> = { ...(event.headers ?? {}) };
  const name =
    Object.keys(headers).find((key) => key.toLowerCase() === 'authorization') ??
    (event.version === '1.0' ? 'Authorization' : 'authorization');
  headers[name] = `Bearer ${token}`;
  return { ...event, headers };
}

const arnOf = (event: HttpAuthorizerEvent) =>
  event.version === '1.0'
    ? (event as HttpAuthorizerV1Event).methodArn
    : (event as HttpAuthorizerV2Event).routeArn;

describeShared('createHttpAuthorizer on real HTTP API authorizer events', () => {
  let f: Fixture;
  let token: string;
  let context: Record<string, unknown>;
  beforeAll(async () => {
    f = await createFixture();
    token = await f.issuer.accessToken({ groups: ['dev', 'ops'], scopes: ['orders/read', 'orders/write'] });
    context = {
      sub: f.issuer.user.sub,
      username: f.issuer.user.username,
      clientId: f.issuer.clientId,
      tokenUse: 'access',
      groups: '["dev","ops"]',
      scopes: '["orders/read","orders/write"]',
      exp: expect.any(Number),
    };
  });

  describe.each(V2_EVENTS)('payload 2.0 %s', (name) => {
    it('answers a simple response { isAuthorized: true, context } for a valid token', async () => {
      const result = await createHttpAuthorizer({ verifier: f.verifier })(withHeader(loadEvent(name), token));
      expect(result).toEqual({ isAuthorized: true, context });
      expectFlatContext(result.context);
    });

    it('answers an IAM policy built from routeArn with response: iam', async () => {
      const event = withHeader(loadEvent<HttpAuthorizerV2Event>(name), token);
      const result = await createHttpAuthorizer({ verifier: f.verifier, response: 'iam' })(event);
      expect(result).toEqual({
        principalId: f.issuer.user.sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stagePrefix(event.routeArn)}*` },
          ],
        },
        context,
      });
    });

    it('throws exactly Unauthorized for the event as captured', async () => {
      await expectUnauthorized(createHttpAuthorizer({ verifier: f.verifier })(loadEvent(name)));
    });

    it('answers isAuthorized: false (403) when the rules fail', async () => {
      const authorizer = createHttpAuthorizer({ verifier: f.verifier, rules: { groups: 'admin' } });
      expect(await authorizer(withHeader(loadEvent(name), token))).toEqual({ isAuthorized: false, context });
    });

    it('answers isAuthorized: false without throwing, with unauthenticated: deny', async () => {
      const authorizer = createHttpAuthorizer({ verifier: f.verifier, unauthenticated: 'deny' });
      expect(await authorizer(loadEvent(name))).toEqual({ isAuthorized: false });
    });

    it('fails with a non-Unauthorized error when the JWKS is unreachable, even with unauthenticated: deny', async () => {
      const event = withHeader(loadEvent<HttpAuthorizerEvent>(name), token);
      await expectOutage(createHttpAuthorizer({ verifier: f.outage })(event));
      await expectOutage(createHttpAuthorizer({ verifier: f.outage, unauthenticated: 'deny' })(event));
    });
  });

  describe.each(V1_EVENTS)('payload 1.0 %s', (name) => {
    it('answers an IAM policy built from methodArn, even when simple responses are configured', async () => {
      const event = withHeader(loadEvent<HttpAuthorizerV1Event>(name), token);
      const result = await createHttpAuthorizer({ verifier: f.verifier })(event);
      expect(result).toEqual({
        principalId: f.issuer.user.sub,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stagePrefix(event.methodArn)}*` },
          ],
        },
        context,
      });
    });

    it('finds the Authorization header whatever its casing', async () => {
      const event = {
        ...loadEvent<HttpAuthorizerV1Event>(name),
        headers: { AUTHORIZATION: `Bearer ${token}` },
      };
      expect(await createHttpAuthorizer({ verifier: f.verifier })(event)).toHaveProperty(
        'principalId',
        f.issuer.user.sub,
      );
    });

    it('throws Unauthorized for the event as captured, and answers a Deny when forbidden', async () => {
      await expectUnauthorized(createHttpAuthorizer({ verifier: f.verifier })(loadEvent(name)));
      const event = withHeader(loadEvent<HttpAuthorizerV1Event>(name), token);
      const result = (await createHttpAuthorizer({ verifier: f.verifier, rules: { scopes: 'admin/all' } })(
        event,
      )) as PolicyAuthorizerResult;
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stagePrefix(arnOf(event))}*` },
      ]);
    });

    it('answers a Deny for the anonymous principal with unauthenticated: deny', async () => {
      const event = loadEvent<HttpAuthorizerV1Event>(name);
      const result = (await createHttpAuthorizer({ verifier: f.verifier, unauthenticated: 'deny' })(
        event,
      )) as PolicyAuthorizerResult;
      expect(result).toEqual({
        principalId: 'anonymous',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stagePrefix(event.methodArn)}*` },
          ],
        },
      });
    });
  });

  it('reads the token from a cookie: the cookies array in 2.0, the Cookie header in 1.0', async () => {
    const authorizer = createHttpAuthorizer({ verifier: f.verifier, identity: { cookie: 'access_token' } });
    const v2 = loadEvent<HttpAuthorizerV2Event>('go-apigw-v2-custom-authorizer-v2-request.json');
    const v2Result = await authorizer({ ...v2, cookies: ['cookie1', `access_token=${token}`, 'cookie2'] });
    expect(v2Result).toMatchObject({ isAuthorized: true });
    const v1 = loadEvent<HttpAuthorizerV1Event>('go-apigw-v2-custom-authorizer-v1-request.json');
    const v1Result = await authorizer({
      ...v1,
      headers: { ...v1.headers, Cookie: `theme=dark; access_token=${token}` },
    });
    expect(v1Result).toMatchObject({ principalId: f.issuer.user.sub });
    await expectUnauthorized(authorizer(v2));
  });

  it('reads the token from a query parameter, falling back from the header', async () => {
    const authorizer = createHttpAuthorizer({
      verifier: f.verifier,
      identity: [{ header: 'authorization' }, { query: 'token' }],
    });
    const event = loadEvent<HttpAuthorizerV2Event>('ptpy-apigw-authorizer-v2.json');
    const { Authorization: _, ...headers } = event.headers as Record<string, string>;
    const result = await authorizer({ ...event, headers, queryStringParameters: { token } });
    expect(result).toMatchObject({ isAuthorized: true });
  });

  it('matches the documented simple and IAM response templates key for key', async () => {
    const event = withHeader(loadEvent<HttpAuthorizerV2Event>('ptts-http-authorizer-request-v2.json'), token);
    const simple = await createHttpAuthorizer({ verifier: f.verifier })(event);
    const simpleTemplate = loadJsonc('docs-http-authorizer-simple-response-template.jsonc');
    expect(Object.keys(simple).sort()).toEqual(Object.keys(simpleTemplate).sort());
    const iam = await createHttpAuthorizer({ verifier: f.verifier, response: 'iam' })(event);
    const iamTemplate = loadJsonc<PolicyAuthorizerResult>('docs-http-authorizer-iam-response-template.jsonc');
    expect(Object.keys(iam).sort()).toEqual(Object.keys(iamTemplate).sort());
    expect(Object.keys(iam.policyDocument.Statement[0]!).sort()).toEqual(
      Object.keys(iamTemplate.policyDocument.Statement[0]!).sort(),
    );
  });

  describe('per-route rules with simple responses and the result cache', () => {
    const routes = { 'DELETE /lambda': { groups: 'admin' }, 'POST /lambda': { scopes: 'orders/read' } };
    /** The captured event (identitySource ["Bearer foo"], routeKey "POST /lambda") for another route. */
    const request = (method: string, bearer: string, identitySource?: string[]): HttpAuthorizerV2Event => {
      const event = withHeader(
        loadEvent<HttpAuthorizerV2Event>('ptts-http-authorizer-request-v2.json'),
        bearer,
      );
      const routeKey = `${method} /lambda`;
      return {
        ...event,
        routeKey,
        routeArn: event.routeArn.replace('/POST/', `/${method}/`),
        identitySource: identitySource ?? [`Bearer ${bearer}`],
      };
    };

    it('gives no allow a cached copy would carry to a route the caller fails (default: caching shared)', async () => {
      const decisions: AuthorizerDecision[] = [];
      const authorizer = createHttpAuthorizer({
        verifier: f.verifier,
        routes,
        onDecision: (d) => decisions.push(d),
      });
      expect(await authorizer(request('POST', token))).toMatchObject({ isAuthorized: false });
      expect(decisions.map((d) => [d.outcome, d.status, d.code])).toEqual([
        ['deny', 403, 'insufficient_group'],
      ]);
      const admin = await f.issuer.accessToken({ groups: ['admin'], scopes: ['orders/read'] });
      expect(await authorizer(request('POST', admin))).toMatchObject({ isAuthorized: true });
    });

    it("answers per route with caching: 'route-key' when the routeKey is in the identitySource", async () => {
      const authorizer = createHttpAuthorizer({ verifier: f.verifier, routes, caching: 'route-key' });
      const keyed = (method: string) => request(method, token, [`Bearer ${token}`, `${method} /lambda`]);
      expect(await authorizer(keyed('POST'))).toMatchObject({ isAuthorized: true });
      expect(await authorizer(keyed('DELETE'))).toMatchObject({ isAuthorized: false });
    });

    it("treats every rule a greedy or $default route can reach as this route's, with caching: 'route-key'", async () => {
      const authorizer = createHttpAuthorizer({ verifier: f.verifier, routes, caching: 'route-key' });
      for (const routeKey of ['ANY /{proxy+}', '$default', 'ANY /lambda']) {
        const event = { ...request('POST', token, [`Bearer ${token}`, routeKey]), routeKey };
        expect(await authorizer(event), routeKey).toMatchObject({ isAuthorized: false });
      }
      const unrelated = {
        ...request('POST', token, [`Bearer ${token}`, 'GET /health']),
        routeKey: 'GET /health',
      };
      expect(await authorizer(unrelated)).toMatchObject({ isAuthorized: true });
    });

    it("fails loudly (500, reported as error) when caching: 'route-key' meets an event whose cache key lacks the route", async () => {
      const decisions: AuthorizerDecision[] = [];
      const authorizer = createHttpAuthorizer({
        verifier: f.verifier,
        routes,
        caching: 'route-key',
        onDecision: (d) => decisions.push(d),
      });
      const cases: [unknown, unknown][] = [
        [[`Bearer ${token}`], 'POST /lambda'],
        [[], 'POST /lambda'],
        [null, 'POST /lambda'],
        ['POST /lambda', 'POST /lambda'],
        [[`Bearer ${token}`, 42], 42],
      ];
      for (const [identitySource, routeKey] of cases) {
        const event = {
          ...request('POST', token),
          identitySource,
          routeKey,
        } as unknown as HttpAuthorizerV2Event;
        const error = await authorizer(event).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toMatch(/routeKey/);
      }
      expect(decisions.map((d) => d.outcome)).toEqual(cases.map(() => 'error'));
    });

    it("answers for this request only with caching: 'off'", async () => {
      const authorizer = createHttpAuthorizer({ verifier: f.verifier, routes, caching: 'off' });
      expect(await authorizer(request('POST', token))).toMatchObject({ isAuthorized: true });
      expect(await authorizer(request('DELETE', token))).toMatchObject({ isAuthorized: false });
    });

    it.each([
      ['shared', [{ header: 'authorization' }], (e: HttpAuthorizerV2Event) => [e.headers?.authorization]],
      [
        'route-key',
        [{ header: 'authorization' }],
        (e: HttpAuthorizerV2Event) => [e.headers?.authorization, e.routeKey],
      ],
    ] as const)(
      'never lets a cached answer admit what a fresh one refuses (caching: %s)',
      async (caching, identity, key) => {
        const table = {
          ...routes,
          'GET /lambda': { scopes: 'orders/write' },
          'ANY /admin/{proxy+}': { groups: 'admin' },
        };
        const authorizer = createHttpAuthorizer({ verifier: f.verifier, routes: table, caching, identity });
        const fresh = createHttpAuthorizer({ verifier: f.verifier, routes: table, caching: 'off', identity });
        const requests = [
          ['POST', '/lambda', 'POST /lambda'],
          ['DELETE', '/lambda', 'DELETE /lambda'],
          ['GET', '/lambda', 'GET /lambda'],
          ['HEAD', '/lambda', 'ANY /{proxy+}'],
          ['GET', '/admin/users', 'ANY /{proxy+}'],
          ['GET', '/health', 'ANY /{proxy+}'],
        ];
        for (const claims of [
          { scopes: ['orders/read'] },
          { groups: ['admin'], scopes: ['orders/read'] },
          {},
        ]) {
          const bearer = await f.issuer.accessToken(claims);
          const cache = new Map<string, boolean>();
          for (const order of [requests, [...requests].reverse()]) {
            cache.clear();
            for (const [method, path, routeKey] of order) {
              const base = request(method!, bearer);
              const event = {
                ...base,
                routeKey: routeKey!,
                routeArn: `${stagePrefix(base.routeArn)}${method}${path}`,
              };
              const cacheKey = JSON.stringify(key(event));
              const identitySource = key(event) as string[];
              if (!cache.has(cacheKey)) {
                const result = await authorizer({ ...event, identitySource });
                cache.set(cacheKey, (result as { isAuthorized: boolean }).isAuthorized);
              }
              const freshAllowed = ((await fresh(event)) as { isAuthorized: boolean }).isAuthorized;
              if (cache.get(cacheKey))
                expect(freshAllowed, `${method} ${path} ${JSON.stringify(claims)}`).toBe(true);
            }
          }
        }
      },
    );

    it('denies every failed route in IAM policies, whatever the caching', async () => {
      const iam = createHttpAuthorizer({ verifier: f.verifier, routes, response: 'iam' });
      const event = request('POST', token);
      const policy = await iam(event);
      expect(policy.policyDocument.Statement[1]).toEqual({
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: [
          `${stagePrefix(event.routeArn)}DELETE/lambda`,
          `${stagePrefix(event.routeArn)}DELETE/lambda/`,
        ],
      });
    });

    it('guards HEAD with a GET rule and /lambda/ with a /lambda rule', async () => {
      const authorizer = createHttpAuthorizer({
        verifier: f.verifier,
        routes: { 'GET /lambda': { groups: 'admin' } },
        caching: 'off',
      });
      const base = request('GET', token);
      for (const route of ['GET/lambda', 'HEAD/lambda', 'GET/lambda/', 'HEAD/lambda/']) {
        const event = { ...base, routeArn: `${stagePrefix(base.routeArn)}${route}` };
        expect(await authorizer(event), route).toMatchObject({ isAuthorized: false });
      }
    });
  });

  it('rejects an event without a routeArn as Unauthorized', async () => {
    const { routeArn: _, ...event } = withHeader(
      loadEvent<HttpAuthorizerV2Event>('java-apigw-auth-request-v2.json'),
      token,
    );
    await expectUnauthorized(createHttpAuthorizer({ verifier: f.verifier })(event as HttpAuthorizerEvent));
  });
});

describe('createHttpAuthorizer options', () => {
  it('validates response and unauthenticated when created', async () => {
    const { verifier } = await createFixture();
    expect(() => createHttpAuthorizer({ verifier, response: 'policy' as 'iam' })).toThrow(/response/);
    expect(() => createHttpAuthorizer({ verifier, unauthenticated: 'allow' as 'deny' })).toThrow(
      /unauthenticated/,
    );
    expect(() => createHttpAuthorizer({ verifier, identity: [] })).toThrow(/identity/);
    expect(() => createHttpAuthorizer({ verifier, caching: 'sometimes' as 'off' })).toThrow(
      ConfigurationError,
    );
    expect(() => createHttpAuthorizer({ verifier, identity: { header: 'bad header' } })).toThrow(/identity/);
  });
});
