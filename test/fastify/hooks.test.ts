import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { AuthError, createVerifier, type Verifier } from '@cognito-gate/core';
import { cognitoGate, cookieToken } from '@cognito-gate/fastify';
import {
  createTestIssuer,
  generateSigningKey,
  type SigningKey,
  type TestIssuer,
} from '@cognito-gate/testing';
import fastifyAuth from '@fastify/auth';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOT_VERIFIED_ANSWERS } from '../support/verifier-answers.js';
import { appWith, bearer, verifierFor, whoami } from './support.js';

let issuer: TestIssuer;
let verifier: Verifier;
let app: FastifyInstance | undefined;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = verifierFor(issuer);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function codeFor(token: string, server: FastifyInstance, url = '/guarded'): Promise<string> {
  const response = await server.inject({ url, headers: bearer(token) });
  return response.json().code;
}

describe('every AuthError code, end to end with real tokens', () => {
  let server: FastifyInstance;
  let otherPool: TestIssuer;
  let weak: SigningKey;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    otherPool = await createTestIssuer({ userPoolId: 'us-east-1_OtherPool9' });
    weak = await generateSigningKey({ kid: 'weak-key', modulusLength: 1024 });
    const jwks = { keys: [...issuer.jwks.keys, weak.jwk] };
    server = await appWith(
      {
        verifier: createVerifier({
          userPoolId: issuer.userPoolId,
          clientId: issuer.clientId,
          jwks: { keys: jwks, fetch: false },
          isRevoked: (auth) => auth.claims.jti === 'revoked-jti',
        }),
      },
      (instance) => {
        instance.get('/guarded', { config: { auth: true } }, whoami);
        instance.get('/admin', { config: { auth: { groups: 'admin' } } }, whoami);
        instance.get('/orders', { config: { auth: { scopes: 'orders/read' } } }, whoami);
        instance.get('/tenant', { config: { auth: { claims: { tenant: 'acme' } } } }, whoami);
      },
    );
  });
  afterAll(() => server.close());

  it('answers a missing, non-Bearer, doubled or malformed credential with its code', async () => {
    expect((await server.inject('/guarded')).json().code).toBe('missing_token');
    const basic = await server.inject({ url: '/guarded', headers: { authorization: 'Basic dXNlcjpwdw==' } });
    expect(basic.json().code).toBe('missing_token');
    const two = await server.inject({ url: '/guarded', headers: { authorization: 'Bearer a b' } });
    expect(two.json().code).toBe('invalid_request');
    expect(await codeFor('abc.def', server)).toBe('malformed_token');
  });

  it('answers a wrong alg, an unknown kid, a weak key and a forged signature with their codes', async () => {
    const claims = JSON.parse(
      Buffer.from((await issuer.accessToken()).split('.')[1]!, 'base64url').toString(),
    );
    const access = issuer.keyIds.access;
    expect(await codeFor(await issuer.sign({ kid: access, alg: 'RS512' }, claims), server)).toBe(
      'unsupported_algorithm',
    );
    expect(await codeFor(await issuer.sign({ kid: 'no-such-kid', alg: 'RS256' }, claims), server)).toBe(
      'unknown_key',
    );
    expect(
      await codeFor(
        await issuer.sign({ kid: 'weak-key', alg: 'RS256' }, claims, { key: weak.privateKey }),
        server,
      ),
    ).toBe('invalid_key');
    const [head, , signature] = (await issuer.accessToken()).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect(await codeFor(`${head}.${tampered}.${signature}`, server)).toBe('invalid_signature');
  });

  it('answers expired, not-yet-valid and future-issued tokens with their codes', async () => {
    expect(await codeFor(await issuer.accessToken({ issuedAt: now() - 7200, expiresIn: 60 }), server)).toBe(
      'expired',
    );
    expect(await codeFor(await issuer.accessToken({ nbf: now() + 600 }), server)).toBe('not_yet_valid');
    expect(await codeFor(await issuer.accessToken({ issuedAt: now() + 600 }), server)).toBe(
      'issued_in_future',
    );
  });

  it('answers a foreign pool, another client, an ID token, a mistyped claim and a revoked token with their codes', async () => {
    expect(await codeFor(await otherPool.accessToken(), server)).toBe('invalid_issuer');
    expect(await codeFor(await issuer.accessToken({ client_id: 'another-client' }), server)).toBe(
      'invalid_client',
    );
    expect(await codeFor(await issuer.idToken(), server)).toBe('invalid_token_use');
    expect(await codeFor(await issuer.accessToken({ claims: { 'cognito:groups': 'admin' } }), server)).toBe(
      'invalid_claims',
    );
    expect(await codeFor(await issuer.accessToken({ jti: 'revoked-jti' }), server)).toBe('revoked');
  });

  it('answers unmet group, scope and claim rules with 403 codes', async () => {
    const token = await issuer.accessToken({ groups: ['staff'], scopes: ['orders/write'] });
    expect(await codeFor(token, server, '/admin')).toBe('insufficient_group');
    expect(await codeFor(token, server, '/orders')).toBe('insufficient_scope');
    expect(await codeFor(token, server, '/tenant')).toBe('forbidden');
  });

  it('never echoes the token, its claims or the configuration in a rejection', async () => {
    const token = await issuer.accessToken({
      groups: ['staff'],
      username: 'mallory<script>',
      tenant: 'acme-secret',
    });
    const response = await server.inject({ url: '/admin', headers: bearer(token) });
    const text = JSON.stringify(response.headers) + response.body;
    expect(response.statusCode).toBe(403);
    for (const leaked of [
      token.split('.')[1]!,
      'mallory',
      'acme-secret',
      'staff',
      issuer.userPoolId,
      issuer.clientId,
    ]) {
      expect(text).not.toContain(leaked);
    }
  });

  it('answers 503 jwks_unavailable with Retry-After when the JWKS cannot be fetched', async () => {
    const down = await appWith(
      {
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        jwks: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED')) },
      },
      (instance) => instance.get('/guarded', { config: { auth: true } }, whoami),
    );
    const response = await down.inject({ url: '/guarded', headers: bearer(await issuer.accessToken()) });
    await down.close();
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('jwks_unavailable');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('fastify.authenticate and fastify.requireAuth', () => {
  it('authenticate works as an onRequest and as a preHandler hook', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.get('/on-request', { onRequest: instance.authenticate }, whoami);
      instance.get('/pre-handler', { preHandler: [instance.authenticate] }, whoami);
    });
    const token = await issuer.accessToken();
    for (const url of ['/on-request', '/pre-handler']) {
      expect((await app.inject(url)).statusCode).toBe(401);
      const ok = await app.inject({ url, headers: bearer(token) });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().sub).toBe(issuer.user.sub);
    }
  });

  it('authenticate protects a whole encapsulated context when added with addHook', async () => {
    app = await appWith({ verifier }, async (instance) => {
      await instance.register(async (admin) => {
        admin.addHook('onRequest', admin.authenticate);
        admin.get('/admin/stats', whoami);
      });
      instance.get('/open', whoami);
    });
    expect((await app.inject('/admin/stats')).statusCode).toBe(401);
    expect((await app.inject('/open')).statusCode).toBe(200);
  });

  it('requireAuth(rules) checks the rules and sets request.auth', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.get(
        '/admin',
        { onRequest: instance.requireAuth({ groups: { anyOf: ['admin', 'root'] } }) },
        whoami,
      );
    });
    const staff = await app.inject({
      url: '/admin',
      headers: bearer(await issuer.accessToken({ groups: ['staff'] })),
    });
    expect(staff.statusCode).toBe(403);
    expect(staff.json().code).toBe('insufficient_group');
    const root = await app.inject({
      url: '/admin',
      headers: bearer(await issuer.accessToken({ groups: ['root'] })),
    });
    expect(root.json().groups).toEqual(['root']);
  });

  it('requireAuth validates its rules when called, not per request', async () => {
    app = await appWith({ verifier }, () => {});
    expect(() => app!.requireAuth({ groups: [] })).toThrow(/requireAuth\(\): groups must list at least one/);
    expect(() => app!.requireAuth('admin' as never)).toThrow(/requireAuth\(\) takes rules/);
  });
});

describe('@fastify/auth composition', () => {
  async function apiKey(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (request.headers['x-api-key'] !== 'k-123')
      throw Object.assign(new Error('bad key'), { statusCode: 401 });
  }

  async function composed(relation: 'or' | 'and') {
    app = Fastify();
    await app.register(cognitoGate, { verifier });
    await app.register(fastifyAuth);
    app.get('/either', { preHandler: app.auth([app.authenticate, apiKey], { relation }) }, whoami);
    app.get(
      '/admin-or-key',
      { preHandler: app.auth([app.requireAuth({ groups: 'admin' }), apiKey], { relation }) },
      whoami,
    );
    await app.ready();
    return app;
  }

  it('or: a valid token passes, an API key alone passes, neither is rejected with the auth error', async () => {
    const server = await composed('or');
    const token = await issuer.accessToken();
    expect((await server.inject({ url: '/either', headers: bearer(token) })).json().sub).toBe(
      issuer.user.sub,
    );
    const keyOnly = await server.inject({ url: '/either', headers: { 'x-api-key': 'k-123' } });
    expect(keyOnly.statusCode).toBe(200);
    expect(keyOnly.json().sub).toBeNull();
    expect((await server.inject('/either')).statusCode).toBe(401);
  });

  it('or: a token that fails its rules falls through to the next alternative', async () => {
    const server = await composed('or');
    const staff = bearer(await issuer.accessToken({ groups: ['staff'] }));
    expect((await server.inject({ url: '/admin-or-key', headers: staff })).statusCode).toBe(401);
    const withKey = await server.inject({
      url: '/admin-or-key',
      headers: { ...staff, 'x-api-key': 'k-123' },
    });
    expect(withKey.statusCode).toBe(200);
  });

  it('and: both are required, and our 403 keeps its status and header', async () => {
    const server = await composed('and');
    const admin = bearer(await issuer.accessToken({ groups: ['admin'] }));
    expect((await server.inject({ url: '/admin-or-key', headers: admin })).statusCode).toBe(401);
    const staff = bearer(await issuer.accessToken({ groups: ['staff'] }));
    const forbidden = await server.inject({
      url: '/admin-or-key',
      headers: { ...staff, 'x-api-key': 'k-123' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(forbidden.json().code).toBe('insufficient_group');
    const both = await server.inject({ url: '/admin-or-key', headers: { ...admin, 'x-api-key': 'k-123' } });
    expect(both.statusCode).toBe(200);
  });
});

describe('getToken', () => {
  const fromCookie = (request: FastifyRequest) =>
    /(?:^|;\s*)access_token=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];

  it('reads the token from wherever the getter says, ignoring the Authorization header', async () => {
    app = await appWith({ verifier, getToken: fromCookie }, (instance) =>
      instance.get('/me', { config: { auth: true } }, whoami),
    );
    const token = await issuer.accessToken();
    const ok = await app.inject({ url: '/me', headers: { cookie: `theme=dark; access_token=${token}` } });
    expect(ok.json().sub).toBe(issuer.user.sub);
    const header = await app.inject({ url: '/me', headers: bearer(token) });
    expect(header.json().code).toBe('missing_token');
  });

  it('a getter that throws or returns a non-string is a 400, never a 500', async () => {
    const getToken = (request: FastifyRequest) => {
      if (request.headers['x-mode'] === 'throw') throw new Error('cannot parse');
      return 42 as unknown as string;
    };
    app = await appWith({ verifier, getToken }, (instance) =>
      instance.get('/me', { config: { auth: true } }, whoami),
    );
    expect((await app.inject({ url: '/me', headers: { 'x-mode': 'throw' } })).statusCode).toBe(400);
    expect((await app.inject('/me')).json().code).toBe('invalid_request');
  });
});

describe('cookieToken as the getter', () => {
  it('reads the token cookie and refuses the same cookie with two values (cookie tossing) with 400', async () => {
    app = await appWith(
      { verifier, getToken: (request) => cookieToken(request.headers.cookie, 'access_token') },
      (instance) => instance.get('/me', { config: { auth: true } }, whoami),
    );
    const [token, planted] = [await issuer.accessToken(), await issuer.accessToken({ groups: ['admin'] })];
    const ok = await app.inject({ url: '/me', headers: { cookie: `theme=dark; access_token="${token}"` } });
    expect(ok.json().sub).toBe(issuer.user.sub);
    for (const cookie of [
      `access_token=${planted}; access_token=${token}`,
      [`access_token=${token}`, `access_token=${planted}`],
    ]) {
      const tossed = await app.inject({ url: '/me', headers: { cookie } as unknown as { cookie: string } });
      expect(tossed.statusCode).toBe(400);
      expect(tossed.json().code).toBe('invalid_request');
    }
    const same = await app.inject({
      url: '/me',
      headers: { cookie: `access_token=${token}; access_token=${token}` },
    });
    expect(same.statusCode).toBe(200);
  });
});

describe('two Authorization headers', () => {
  // inject sends each element of an array as its own header line; the header types only allow one.
  const twice = (first: string, second: string) =>
    ({ authorization: [first, second] }) as unknown as { authorization: string };

  it('answers two different values with invalid_request, on routes and in the hooks alike', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.get('/me', { config: { auth: true } }, whoami);
      instance.get('/feed', { config: { auth: 'optional' } }, whoami);
      instance.get('/hooked', { onRequest: instance.authenticate }, whoami);
    });
    const [first, second] = [await issuer.accessToken(), await issuer.accessToken({ groups: ['admin'] })];
    const headers = twice(`Bearer ${first}`, `Bearer ${second}`);
    const basicFirst = twice('Basic dXNlcjpwYXNz', `Bearer ${second}`);

    for (const url of ['/me', '/feed', '/hooked']) {
      for (const sent of [headers, basicFirst]) {
        const response = await app.inject({ url, headers: sent });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().code, url).toBe('invalid_request');
        expect(response.headers['www-authenticate']).toMatch(/error="invalid_request"/);
      }
    }
  });

  it('accepts the same value repeated', async () => {
    app = await appWith({ verifier }, (instance) => instance.get('/me', { config: { auth: true } }, whoami));
    const token = await issuer.accessToken();
    const response = await app.inject({ url: '/me', headers: twice(`Bearer ${token}`, `Bearer ${token}`) });
    expect(response.statusCode).toBe(200);
  });

  it('sees differently cased header names on a real connection', async () => {
    app = await appWith({ verifier }, (instance) => instance.get('/me', { config: { auth: true } }, whoami));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const [first, second] = [await issuer.accessToken(), await issuer.accessToken({ groups: ['x'] })];
    const socket = connect(port, '127.0.0.1');
    socket.end(
      `GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nauthorization: Bearer ${first}\r\n` +
        `AUTHORIZATION: Bearer ${second}\r\nConnection: close\r\n\r\n`,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('what request.auth holds', () => {
  const plant = async (request: FastifyRequest) => {
    request.auth = { sub: 'intruder', groups: ['admin'] } as never;
  };

  it('an optional route clears a value another hook set, when the request has no token', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.addHook('onRequest', plant);
      instance.get('/feed', { config: { auth: 'optional' } }, whoami);
    });
    expect((await app.inject('/feed')).json()).toEqual({ sub: null, groups: null });
    const signedIn = await app.inject({ url: '/feed', headers: bearer(await issuer.accessToken()) });
    expect(signedIn.json().sub).toBe(issuer.user.sub);
  });

  it('protected routes and hooks never take a planted value for a verified token', async () => {
    app = await appWith({ verifier }, (instance) => {
      instance.addHook('onRequest', plant);
      instance.get('/me', { config: { auth: true } }, whoami);
      instance.get('/admin', { onRequest: instance.requireAuth({ groups: 'admin' }) }, whoami);
    });
    expect((await app.inject('/me')).statusCode).toBe(401);
    expect((await app.inject('/admin')).statusCode).toBe(401);
  });
});

describe('what the verifier answers', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let token: string;

  beforeAll(async () => {
    token = await issuer.accessToken();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  /** A `{ verifier }` wrapper whose verifyDirect answers with `answer(realResult)`. */
  const wrapped = (answer: (result: unknown) => unknown): Verifier =>
    ({
      ...verifier,
      verify: verifier.verify,
      verifyAuthorization: verifier.verifyAuthorization,
      close: verifier.close,
      verifyDirect: (t: string) => answer(verifier.verifyDirect(t)),
    }) as Verifier;

  async function appAnswering(answer: (result: unknown) => unknown) {
    const reached: unknown[] = [];
    const server = await appWith({ verifier: wrapped(answer) }, (instance) => {
      instance.get('/me', { config: { auth: true } }, async (request) => {
        reached.push(request.auth);
        return whoami(request);
      });
      instance.get('/hooked', { onRequest: instance.authenticate }, async (request) => {
        reached.push(request.auth);
        return whoami(request);
      });
    });
    return { server, reached };
  }

  it.each(NOT_VERIFIED_ANSWERS)(
    'fails closed on %s: a 500, and the handler never runs',
    async (_name, answer) => {
      const { server, reached } = await appAnswering(answer);
      app = server;
      for (const url of ['/me', '/hooked']) {
        const response = await server.inject({ url, headers: bearer(token) });
        expect(response.statusCode, url).toBe(500);
        expect(response.body, url).not.toContain(token.split('.')[1]!);
      }
      expect(reached).toEqual([]);
    },
  );

  it('awaits a thenable that is not a native Promise', async () => {
    const { server } = await appAnswering((result) => ({
      then: (ok: (v: unknown) => void) => setTimeout(() => ok(result), 1),
    }));
    app = server;
    const response = await server.inject({ url: '/me', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    expect(response.json().sub).toBe(issuer.user.sub);
  });

  it('renders an AuthError a thenable rejects with, and survives a then() that throws', async () => {
    const rejecting = await appAnswering(() => ({
      then: (_ok: unknown, fail: (e: unknown) => void) => fail(new AuthError('revoked')),
    }));
    const revoked = await rejecting.server.inject({ url: '/me', headers: bearer(token) });
    await rejecting.server.close();
    const { server, reached } = await appAnswering(() => ({
      then: () => {
        throw new Error('broken thenable');
      },
    }));
    app = server;
    const broken = await server.inject({ url: '/me', headers: bearer(token) });

    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('revoked');
    expect(broken.statusCode).toBe(500);
    expect(reached).toEqual([]);
  });

  it('treats a getToken that answers with a promise as invalid_request, with no unhandled rejection', async () => {
    app = await appWith(
      { verifier, getToken: (() => Promise.reject(new Error('session store down'))) as never },
      (instance) => instance.get('/me', { config: { auth: true } }, whoami),
    );
    const response = await app.inject('/me');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_request');
    expect(unhandled).toEqual([]);
  });
});
