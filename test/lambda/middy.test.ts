import { ConfigurationError } from '@cognito-gate/core';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cognitoAuth } from '../../packages/lambda/src/middy.js';
import { describeShared } from '../support/shared.js';
import { createFixture, type Fixture, loadEvent } from './support.js';

type Headers = Record<string, string | undefined> | null;
type ProxyEvent = { headers: Headers; multiValueHeaders?: Record<string, string[]> | null };

const PROXY_EVENTS = [
  ['REST (payload 1.0)', 'ptts-rest-no-auth.json'],
  ['HTTP API (payload 2.0)', 'ptts-example-apigw-proxy-v2.json'],
  ['HTTP API without authorizer', 'go-apigw-v2-request-no-authorizer.json'],
] as const;

// middy types the handler's context as Context & { auth }: the runtime passes a plain Context.
const lambdaContext = {} as Context as never;

/** The event with `Authorization: <value>` in place of any captured one. */
function withAuthorization<E extends ProxyEvent>(event: E, value: string): E {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).filter(([key]) => key.toLowerCase() !== 'authorization'),
  );
  const multi = event.multiValueHeaders
    ? Object.fromEntries(
        Object.entries(event.multiValueHeaders).filter(([k]) => k.toLowerCase() !== 'authorization'),
      )
    : event.multiValueHeaders;
  return { ...event, headers: { ...headers, Authorization: value }, multiValueHeaders: multi };
}

describeShared('cognitoAuth middy middleware on real proxy events', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });

  const handlerWith = (options: Parameters<typeof cognitoAuth>[0]) => {
    const inner = vi.fn(async (_event: unknown, context: { auth: { sub: string } | undefined }) => ({
      statusCode: 200,
      body: context.auth?.sub ?? 'anonymous',
    }));
    return { inner, handler: middy().use(cognitoAuth(options)).handler(inner) };
  };

  describe.each(PROXY_EVENTS)('%s event %s', (_, name) => {
    it('verifies the token and passes the verified claims in context.auth', async () => {
      const { handler, inner } = handlerWith({ verifier: f.verifier });
      const event = withAuthorization(loadEvent<ProxyEvent>(name), `Bearer ${await f.issuer.accessToken()}`);
      expect(await handler(event, lambdaContext)).toEqual({ statusCode: 200, body: f.issuer.user.sub });
      expect(inner).toHaveBeenCalledOnce();
    });

    it('answers 401 with a bare challenge, without running the handler, when no token is sent', async () => {
      const { handler, inner } = handlerWith({ verifier: f.verifier });
      const event = loadEvent<ProxyEvent>(name);
      const headers = Object.fromEntries(
        Object.entries(event.headers ?? {}).filter(([key]) => key.toLowerCase() !== 'authorization'),
      );
      expect(await handler({ ...event, headers, multiValueHeaders: null }, lambdaContext)).toEqual({
        statusCode: 401,
        headers: {
          'www-authenticate': 'Bearer realm="api"',
          'content-type': 'application/json',
          'cache-control': 'no-store',
        },
        body: '{"error":"missing_token","error_description":"Authentication required"}',
      });
      expect(inner).not.toHaveBeenCalled();
    });

    it('answers 401 invalid_token for a token that does not verify', async () => {
      const { handler } = handlerWith({ verifier: f.verifier });
      const expired = await f.issuer.accessToken({ expiresIn: -60 });
      const response = await handler(
        withAuthorization(loadEvent<ProxyEvent>(name), `Bearer ${expired}`),
        lambdaContext,
      );
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
      );
      expect(response.body).not.toContain(expired);
    });
  });

  it('answers 400 invalid_request for a malformed Authorization header', async () => {
    const { handler } = handlerWith({ verifier: f.verifier });
    const response = await handler(
      withAuthorization(loadEvent<ProxyEvent>('ptts-rest-no-auth.json'), 'Bearer a b'),
      lambdaContext,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('answers 403 insufficient_scope with the required scope when the rules fail', async () => {
    const { handler, inner } = handlerWith({
      verifier: f.verifier,
      rules: { scopes: 'orders/write' },
      realm: 'orders',
    });
    const event = withAuthorization(
      loadEvent<ProxyEvent>('ptts-example-apigw-proxy-v2.json'),
      `Bearer ${await f.issuer.accessToken()}`,
    );
    const response = await handler(event, lambdaContext);
    expect(response).toMatchObject({ statusCode: 403 });
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="orders", error="insufficient_scope", error_description="Insufficient scope", scope="orders/write"',
    );
    expect(inner).not.toHaveBeenCalled();
  });

  it('answers 503 with Retry-After when the JWKS is unreachable', async () => {
    const { handler } = handlerWith({ verifier: f.outage });
    const event = withAuthorization(
      loadEvent<ProxyEvent>('ptts-rest-no-auth.json'),
      `Bearer ${await f.issuer.accessToken()}`,
    );
    const response = await handler(event, lambdaContext);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.headers).not.toHaveProperty('www-authenticate');
  });

  it('lets anonymous requests through with optional: true, but still rejects invalid tokens', async () => {
    const { handler } = handlerWith({ verifier: f.verifier, optional: true });
    const anonymous = { ...loadEvent<ProxyEvent>('ptts-rest-console-test-ui.json') };
    expect(anonymous.headers).toBeNull();
    expect(await handler(anonymous, lambdaContext)).toEqual({ statusCode: 200, body: 'anonymous' });
    const invalid = withAuthorization(loadEvent<ProxyEvent>('ptts-rest-no-auth.json'), 'Bearer not.a.token');
    expect((await handler(invalid, lambdaContext)).statusCode).toBe(401);
  });

  it("tolerates the console tester's null headers", async () => {
    const { handler } = handlerWith({ verifier: f.verifier });
    expect(
      (await handler(loadEvent<ProxyEvent>('ptts-rest-console-test-ui.json'), lambdaContext)).statusCode,
    ).toBe(401);
  });
});

describe('cognitoAuth on requests that are not what API Gateway sends', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  const throwing = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('getter');
      },
      get() {
        throw new Error('getter');
      },
    },
  );

  it.each([
    [
      'two casings of Authorization with different values',
      async () => ({
        headers: { Authorization: `Bearer ${await f.issuer.accessToken()}`, authorization: 'Bearer other' },
      }),
    ],
    ['headers that cannot be read', async () => ({ headers: throwing })],
    ['a numeric Authorization header', async () => ({ headers: { authorization: 7 } })],
  ])('answers 400 invalid_request, never a 500 nor anonymous access, for %s', async (_, makeEvent) => {
    for (const optional of [false, true]) {
      const inner = vi.fn(async () => ({ statusCode: 200, body: 'ok' }));
      const handler = middy()
        .use(cognitoAuth({ verifier: f.verifier, optional }))
        .handler(inner);
      const response = await handler(await makeEvent(), lambdaContext);
      expect(response.statusCode).toBe(400);
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
      expect(inner).not.toHaveBeenCalled();
    }
  });
});

describe('cognitoAuth options', () => {
  it('validates options and creates the verifier once, at setup', async () => {
    const { verifier } = await createFixture();
    expect(() => cognitoAuth({ verifier, optionnal: true } as never)).toThrow(ConfigurationError);
    expect(() => cognitoAuth({ verifier, rules: { scope: 'x' } } as never)).toThrow(ConfigurationError);
    expect(() => cognitoAuth({ verifier: { userPoolId: 'bad' } })).toThrow(ConfigurationError);
    expect(cognitoAuth({ verifier })).toMatchObject({ name: 'cognitoAuth', before: expect.any(Function) });
  });
});
