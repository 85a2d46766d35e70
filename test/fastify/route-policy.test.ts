import { ConfigurationError, type Verifier } from '@cognito-gate/core';
import { cognitoGate } from '@cognito-gate/fastify';
import type { TestIssuer } from '@cognito-gate/testing';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appWith, bearer, newIssuer, verifierFor, whoami } from './support.js';

let issuer: TestIssuer;
let verifier: Verifier;
let app: FastifyInstance | undefined;

beforeAll(async () => {
  issuer = await newIssuer();
  verifier = verifierFor(issuer);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('route config.auth', () => {
  it('true requires a valid token and exposes it as request.auth', async () => {
    app = await appWith({ verifier }, (instance) => instance.get('/me', { config: { auth: true } }, whoami));
    expect((await app.inject('/me')).statusCode).toBe(401);
    const response = await app.inject({
      url: '/me',
      headers: bearer(await issuer.accessToken({ groups: ['a'] })),
    });
    expect(response.json()).toEqual({ sub: issuer.user.sub, groups: ['a'] });
  });

  it('rules: groups, scopes with anyOf, claims and tokenUse are all enforced', async () => {
    app = await appWith({ verifier: verifierFor(issuer, { tokenUse: 'any' }) }, (instance) => {
      instance.get('/admin', { config: { auth: { groups: ['admin'] } } }, whoami);
      instance.get(
        '/read',
        { config: { auth: { scopes: { anyOf: ['orders/read', 'orders/admin'] } } } },
        whoami,
      );
      instance.get('/staff', { config: { auth: { claims: { 'custom:team': (v) => v === 'ops' } } } }, whoami);
      instance.get('/id-only', { config: { auth: { tokenUse: 'id' } } }, whoami);
    });
    const status = async (url: string, token: string) =>
      (await app!.inject({ url, headers: bearer(token) })).statusCode;

    expect(await status('/admin', await issuer.accessToken({ groups: ['staff'] }))).toBe(403);
    expect(await status('/admin', await issuer.accessToken({ groups: ['admin'] }))).toBe(200);
    expect(await status('/read', await issuer.accessToken({ scopes: ['orders/write'] }))).toBe(403);
    expect(await status('/read', await issuer.accessToken({ scopes: ['orders/admin'] }))).toBe(200);
    expect(await status('/staff', await issuer.idToken({ 'custom:team': 'sales' }))).toBe(403);
    expect(await status('/staff', await issuer.idToken({ 'custom:team': 'ops' }))).toBe(200);
    expect(await status('/id-only', await issuer.accessToken())).toBe(401);
    expect(await status('/id-only', await issuer.idToken())).toBe(200);
  });

  it('a 403 for scopes names the required scopes in WWW-Authenticate', async () => {
    app = await appWith({ verifier }, (instance) =>
      instance.get('/read', { config: { auth: { scopes: ['orders/read'] } } }, whoami),
    );
    const response = await app.inject({ url: '/read', headers: bearer(await issuer.accessToken()) });
    expect(response.headers['www-authenticate']).toContain('scope="orders/read"');
  });

  it("'optional' lets anonymous requests through and still rejects bad tokens", async () => {
    app = await appWith({ verifier }, (instance) =>
      instance.get('/feed', { config: { auth: 'optional' } }, whoami),
    );
    expect((await app.inject('/feed')).json()).toEqual({ sub: null, groups: null });
    const signedIn = await app.inject({ url: '/feed', headers: bearer(await issuer.accessToken()) });
    expect(signedIn.json().sub).toBe(issuer.user.sub);
    const expired = await app.inject({
      url: '/feed',
      headers: bearer(
        await issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 }),
      ),
    });
    expect(expired.statusCode).toBe(401);
    const malformed = await app.inject({ url: '/feed', headers: { authorization: 'Bearer' } });
    expect(malformed.statusCode).toBe(400);
  });

  it('false and absent (without defaultAuth) leave the route public with no hook added', async () => {
    const verify = vi.spyOn(verifier, 'verifyDirect');
    app = await appWith({ verifier }, (instance) => {
      instance.get('/public', { config: { auth: false } }, whoami);
      instance.get('/plain', whoami);
    });
    const token = bearer(await issuer.accessToken());
    expect((await app.inject({ url: '/public', headers: token })).json()).toEqual({
      sub: null,
      groups: null,
    });
    expect((await app.inject({ url: '/plain', headers: token })).json()).toEqual({ sub: null, groups: null });
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
  });
});

describe('defaultAuth', () => {
  it('true protects every route; config.auth false opts a route out', async () => {
    app = await appWith({ verifier, defaultAuth: true }, (instance) => {
      instance.get('/orders', whoami);
      instance.get('/health', { config: { auth: false } }, async () => ({ ok: true }));
      instance.register(async (child) => child.get('/child', whoami));
    });
    expect((await app.inject('/orders')).statusCode).toBe(401);
    expect((await app.inject('/child')).statusCode).toBe(401);
    expect((await app.inject('/health')).json()).toEqual({ ok: true });
  });

  it('rules as the default, replaced (not merged) by a route value', async () => {
    app = await appWith({ verifier, defaultAuth: { groups: 'staff' } }, (instance) => {
      instance.get('/staff', whoami);
      instance.get('/any-user', { config: { auth: true } }, whoami);
      instance.get('/admins', { config: { auth: { groups: 'admin' } } }, whoami);
    });
    const admin = bearer(await issuer.accessToken({ groups: ['admin'] }));
    expect((await app.inject({ url: '/staff', headers: admin })).statusCode).toBe(403);
    expect((await app.inject({ url: '/any-user', headers: admin })).statusCode).toBe(200);
    expect((await app.inject({ url: '/admins', headers: admin })).statusCode).toBe(200);
  });

  it('does not apply to CORS preflight (OPTIONS-only) routes, unless they say so', async () => {
    app = await appWith({ verifier, defaultAuth: true }, (instance) => {
      instance.options('/orders', async (_request, reply) => reply.code(204).send());
      instance.options('/strict', { config: { auth: true } }, async (_request, reply) =>
        reply.code(204).send(),
      );
      instance.route({ method: ['GET', 'OPTIONS'], url: '/mixed', handler: whoami });
    });
    expect((await app.inject({ method: 'OPTIONS', url: '/orders' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'OPTIONS', url: '/strict' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'OPTIONS', url: '/mixed' })).statusCode).toBe(401);
  });

  it('guards the HEAD route Fastify adds for a GET route with the same rules, verifying once', async () => {
    app = await appWith({ verifier, defaultAuth: true }, (instance) => {
      instance.get('/admin', { config: { auth: { groups: 'admin' } } }, whoami);
      instance.get('/me', whoami);
    });
    const verify = vi.spyOn(verifier, 'verifyDirect');
    const head = async (url: string, groups?: string[]) =>
      (
        await app!.inject({
          method: 'HEAD',
          url,
          headers: groups === undefined ? {} : bearer(await issuer.accessToken({ groups })),
        })
      ).statusCode;

    expect(await head('/admin')).toBe(401);
    expect(await head('/admin', ['staff'])).toBe(403);
    expect(await head('/admin', ['admin'])).toBe(200);
    expect(await head('/me')).toBe(401);
    expect(await head('/me', [])).toBe(200);
    expect(verify).toHaveBeenCalledTimes(3);
    verify.mockRestore();
  });

  it("'optional' as the default", async () => {
    app = await appWith({ verifier, defaultAuth: 'optional' }, (instance) => instance.get('/feed', whoami));
    expect((await app.inject('/feed')).statusCode).toBe(200);
    expect((await app.inject({ url: '/feed', headers: bearer('x.y.z') })).statusCode).toBe(401);
  });
});

describe('rules are validated when the route is added', () => {
  it.each([
    ['an empty group list', { groups: [] }, /config\.auth of GET \/bad: groups must list at least one/],
    ['an unknown rule', { group: 'admin' }, /config\.auth of GET \/bad: unknown rule group/],
    ['a bad anyOf', { scopes: { oneOf: ['a'] } }, /scopes must use anyOf or allOf/],
    ['a string', 'admin', /config\.auth of GET \/bad must be true, false, 'optional' or rules/],
    ['null', null, /must be true, false, 'optional' or rules/],
  ])('%s throws a ConfigurationError naming the route', async (_name, auth, message) => {
    const server = Fastify();
    await server.register(cognitoGate, { verifier });
    const add = () => server.get('/bad', { config: { auth: auth as never } }, whoami);
    expect(add).toThrow(ConfigurationError);
    expect(add).toThrow(message);
    await server.close();
  });

  it('a bad route in a child plugin makes app.ready() reject', async () => {
    const server = Fastify();
    await server.register(cognitoGate, { verifier });
    server.register(async (child) => child.get('/bad', { config: { auth: { scopes: '' } } }, whoami));
    await expect(server.ready()).rejects.toThrow(/config\.auth of GET \/bad/);
  });

  it('compiles each rules object once, not per request', async () => {
    const rules = { groups: 'admin' } as const;
    app = await appWith({ verifier }, (instance) => {
      instance.get('/a', { config: { auth: rules } }, whoami);
      instance.get('/b', { config: { auth: rules } }, whoami);
    });
    const verify = vi.spyOn(verifier, 'verifyDirect');
    const admin = bearer(await issuer.accessToken({ groups: ['admin'] }));
    await app.inject({ url: '/a', headers: admin });
    await app.inject({ url: '/b', headers: admin });
    const [first, second] = verify.mock.calls.map((call) => call[1]);
    expect(first).toBeDefined();
    expect(first).toBe(second);
    expect(first).not.toBe(rules);
    verify.mockRestore();
  });
});

describe('the route hook', () => {
  it('runs in onRequest, before the body is parsed', async () => {
    const parser = vi.fn(
      (_request: FastifyRequest, body: string, done: (e: Error | null, v?: unknown) => void) =>
        done(null, JSON.parse(body)),
    );
    app = await appWith({ verifier }, (instance) => {
      instance.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
      instance.post('/orders', { config: { auth: true } }, async (request) => request.body);
    });
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(401);
    expect(parser).not.toHaveBeenCalled();
  });

  it("runs before the route's own onRequest hooks, which see request.auth", async () => {
    const seen: (string | null)[] = [];
    const own = async (request: FastifyRequest) => {
      seen.push(request.auth?.sub ?? null);
    };
    app = await appWith({ verifier }, (instance) => {
      instance.get('/single', { config: { auth: true }, onRequest: own }, whoami);
      instance.get('/array', { config: { auth: true }, onRequest: [own, own] }, whoami);
    });
    const token = bearer(await issuer.accessToken());
    await app.inject({ url: '/single', headers: token });
    await app.inject({ url: '/array', headers: token });
    expect(seen).toEqual([issuer.user.sub, issuer.user.sub, issuer.user.sub]);
  });

  it('protects the automatic HEAD route and verifies once per request', async () => {
    const verify = vi.spyOn(verifier, 'verifyDirect');
    const hooks = [async () => {}];
    app = await appWith({ verifier }, (instance) =>
      instance.get('/doc', { config: { auth: true }, onRequest: hooks }, async () => 'body'),
    );
    expect((await app.inject({ method: 'HEAD', url: '/doc' })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'HEAD', url: '/doc', headers: bearer(await issuer.accessToken()) });
    expect(ok.statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/doc', headers: bearer(await issuer.accessToken()) });
    // The request without a token is refused before verification; the two with one verify once each.
    expect(verify).toHaveBeenCalledTimes(2);
    expect(hooks).toHaveLength(1);
    verify.mockRestore();
  });

  it('covers every method of a multi-method route and prefixed routes', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.route({ method: ['GET', 'POST'], url: '/multi', config: { auth: true }, handler: whoami });
      instance.register(async (v1) => v1.get('/', { config: { auth: true } }, whoami), { prefix: '/v1' });
    });
    for (const [method, url] of [
      ['GET', '/multi'],
      ['POST', '/multi'],
      ['GET', '/v1'],
      ['GET', '/v1/'],
    ] as const) {
      expect((await app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
