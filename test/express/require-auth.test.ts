import { ConfigurationError, cognitoAuth, requireAuth } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express, RequestHandler } from 'express';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

const echo: RequestHandler = (req, res) => {
  res.json({ sub: req.auth?.sub ?? null });
};

describe.each(EXPRESS_VERSIONS)('requireAuth() with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let app: Express;

  beforeAll(async () => {
    issuer = await testIssuer();
    app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer, { tokenUse: 'any' }) }));
    app.get('/all-groups', requireAuth({ groups: ['admin', 'billing'] }), echo);
    app.get('/all-groups-explicit', requireAuth({ groups: { allOf: ['admin', 'billing'] } }), echo);
    app.get('/any-group', requireAuth({ groups: { anyOf: ['admin', 'billing'] } }), echo);
    app.get('/all-scopes', requireAuth({ scopes: ['orders/read', 'orders/write'] }), echo);
    app.get('/any-scope', requireAuth({ scopes: { anyOf: ['orders/read', 'orders/admin'] } }), echo);
    app.get('/tenant', requireAuth({ claims: { 'custom:tenant': 'acme' } }), echo);
    app.get('/verified', requireAuth({ claims: { email_verified: (value) => value === true } }), echo);
    app.get('/id-only', requireAuth({ tokenUse: 'id' }), echo);
    app.get('/admin-reader', requireAuth({ groups: 'admin' }), requireAuth({ scopes: 'orders/read' }), echo);
  });

  const get = async (path: string, token: Promise<string>) =>
    request(app)
      .get(path)
      .set('Authorization', bearer(await token));

  it('requires every group of an array (all-of)', async () => {
    expect((await get('/all-groups', issuer.accessToken({ groups: ['admin', 'billing'] }))).status).toBe(200);
    const res = await get('/all-groups', issuer.accessToken({ groups: ['admin'] }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_group');
    expect((await get('/all-groups-explicit', issuer.accessToken({ groups: ['billing'] }))).status).toBe(403);
  });

  it('requires one group of an anyOf list', async () => {
    expect((await get('/any-group', issuer.accessToken({ groups: ['billing'] }))).status).toBe(200);
    expect((await get('/any-group', issuer.accessToken({ groups: ['staff'] }))).status).toBe(403);
    expect((await get('/any-group', issuer.accessToken())).status).toBe(403);
  });

  it('requires every scope of an array and names them in the challenge', async () => {
    expect(
      (await get('/all-scopes', issuer.accessToken({ scopes: ['orders/write', 'orders/read'] }))).status,
    ).toBe(200);
    const res = await get('/all-scopes', issuer.accessToken({ scopes: ['orders/read'] }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toContain('scope="orders/read orders/write"');
  });

  it('requires one scope of an anyOf list, for user and machine tokens alike', async () => {
    expect((await get('/any-scope', issuer.m2mToken({ scopes: ['orders/admin'] }))).status).toBe(200);
    expect((await get('/any-scope', issuer.accessToken({ scopes: ['orders/read'] }))).status).toBe(200);
    expect((await get('/any-scope', issuer.accessToken({ scopes: ['orders/write'] }))).status).toBe(403);
  });

  it('checks claims by exact value and by predicate', async () => {
    expect((await get('/tenant', issuer.accessToken({ 'custom:tenant': 'acme' }))).status).toBe(200);
    expect((await get('/tenant', issuer.accessToken())).body.error).toBe('forbidden');
    expect((await get('/verified', issuer.idToken({ email_verified: true }))).status).toBe(200);
    expect((await get('/verified', issuer.idToken({ email_verified: false }))).status).toBe(403);
  });

  it('narrows token_use per route', async () => {
    expect((await get('/id-only', issuer.idToken())).status).toBe(200);
    const res = await get('/id-only', issuer.accessToken());
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token_use');
  });

  it('chains guards: each one must pass', async () => {
    const both = issuer.accessToken({ groups: ['admin'], scopes: ['orders/read'] });
    expect((await get('/admin-reader', both)).status).toBe(200);
    expect((await get('/admin-reader', issuer.accessToken({ groups: ['admin'] }))).body.error).toBe(
      'insufficient_scope',
    );
  });

  it('rejects a request without a token before looking at rules', async () => {
    const res = await request(app).get('/any-group');

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('missing_token');
  });
});

describe.each(EXPRESS_VERSIONS)('optional mode with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let app: Express;

  beforeAll(async () => {
    issuer = await testIssuer();
    app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), mode: 'optional' }));
    app.get('/feed', (req, res) => {
      res.json({ anonymous: req.auth === undefined, hasAuth: 'auth' in req });
    });
    app.get('/mine', requireAuth(), echo);
  });

  it('lets a request without a token through anonymously', async () => {
    const res = await request(app).get('/feed');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ anonymous: true, hasAuth: false });
  });

  it('sets req.auth when a valid token is present', async () => {
    const res = await request(app)
      .get('/feed')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(res.body.anonymous).toBe(false);
  });

  it('still rejects an invalid token instead of treating it as anonymous', async () => {
    const expired = await issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });

    const res = await request(app).get('/feed').set('Authorization', bearer(expired));

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('expired');
  });

  it('still rejects a malformed Authorization header', async () => {
    const res = await request(app).get('/feed').set('Authorization', 'Bearer a b');

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('lets requireAuth() reject the anonymous request on a protected route', async () => {
    const res = await request(app).get('/mine');

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('missing_token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});

describe.each(EXPRESS_VERSIONS)('what requireAuth() trusts with $name', ({ createApp }) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
  });

  /** What another library (express-jwt's default requestProperty, say) might put on req.auth. */
  const foreign = { sub: 'intruder', groups: ['admin'], scopes: ['orders/read'], tokenUse: 'access' };
  const plant: RequestHandler = (req, _res, next) => {
    req.auth = foreign as never;
    next();
  };

  it('rejects a req.auth that another library set, before or after cognitoAuth()', async () => {
    const app = createApp();
    app.use('/before', plant);
    app.use(cognitoAuth({ verifier: localVerifier(issuer), mode: 'optional' }));
    app.use('/after', plant);
    app.get(['/before/me', '/after/me'], requireAuth(), echo);
    app.get(['/before/admin', '/after/admin'], requireAuth({ groups: 'admin' }), echo);

    for (const path of ['/before/me', '/after/me', '/before/admin', '/after/admin']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.error, path).toBe('missing_token');
    }
  });

  it('clears a foreign req.auth when cognitoAuth() lets a request through unauthenticated', async () => {
    const app = createApp();
    app.use(plant);
    app.use(cognitoAuth({ verifier: localVerifier(issuer), mode: 'optional', exclude: ['/health'] }));
    app.get(['/feed', '/health'], (req, res) => {
      res.json({ auth: req.auth ?? null });
    });

    expect((await request(app).get('/feed')).body).toEqual({ auth: null });
    expect((await request(app).get('/health')).body).toEqual({ auth: null });
    const signedIn = await request(app)
      .get('/feed')
      .set('Authorization', bearer(await issuer.accessToken()));
    expect(signedIn.body.auth.sub).toBe(issuer.user.sub);
  });

  it('guards HEAD with the rules of the GET route it shares', async () => {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), mode: 'optional' }));
    app.get('/admin', requireAuth({ groups: 'admin' }), echo);
    app.get('/reports', requireAuth({ groups: 'finance' }, { verifier: localVerifier(issuer) }), echo);

    const anonymous = await request(app).head('/admin');
    const staff = await request(app)
      .head('/admin')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['staff'] })));
    const admin = await request(app)
      .head('/admin')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['admin'] })));
    const standalone = await request(app).head('/reports');

    expect(anonymous.status).toBe(401);
    expect(staff.status).toBe(403);
    expect(admin.status).toBe(200);
    expect(standalone.status).toBe(401);
  });
});

describe.each(EXPRESS_VERSIONS)('standalone requireAuth() with $name', ({ createApp }) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('authenticates and checks rules with its own verifier', async () => {
    const app = createApp();
    const guard = requireAuth({ groups: 'admin' }, { verifier: localVerifier(issuer), realm: 'admin' });
    app.get('/admin', guard, echo);

    const ok = await request(app)
      .get('/admin')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['admin'] })));
    const denied = await request(app)
      .get('/admin')
      .set('Authorization', bearer(await issuer.accessToken()));
    const anonymous = await request(app).get('/admin');

    expect(ok.status).toBe(200);
    expect(ok.body.sub).toBe(issuer.user.sub);
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toMatch(/^Bearer realm="admin", error="insufficient_scope"/);
    expect(anonymous.status).toBe(401);
    expect(guard.verifier.jwksUris).toHaveLength(2);
  });

  it('serves as the context of guards after it', async () => {
    const app = createApp();
    app.get(
      '/admin',
      requireAuth(undefined, { verifier: localVerifier(issuer) }),
      requireAuth({ groups: 'admin' }),
      echo,
    );

    const admin = await request(app)
      .get('/admin')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['admin'] })));
    const staff = await request(app)
      .get('/admin')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['staff'] })));

    expect(admin.status).toBe(200);
    expect(staff.status).toBe(403);
  });

  it('accepts verifier options instead of a verifier', async () => {
    const app = createApp();
    app.get(
      '/me',
      requireAuth(undefined, {
        userPoolId: issuer.userPoolId,
        clientId: issuer.clientId,
        jwks: { keys: issuer.jwks, fetch: false },
      }),
      echo,
    );

    const res = await request(app)
      .get('/me')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(res.status).toBe(200);
  });

  it('answers 500 and logs once when no cognitoAuth() ran before it and it has no options', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = createApp();
    app.get('/orders', requireAuth({ scopes: 'orders/read' }), echo);
    const token = await issuer.accessToken({ scopes: ['orders/read'] });

    const first = await request(app).get('/orders').set('Authorization', bearer(token));
    const second = await request(app).get('/orders').set('Authorization', bearer(token));

    expect(first.status).toBe(500);
    expect(second.status).toBe(500);
    expect(first.body).toEqual({ error: 'server_error', error_description: 'Internal Server Error' });
    expect(first.text).not.toContain('cognitoAuth');
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]?.[0])).toMatch(
      /requireAuth\(\) on GET \/orders ran without cognitoAuth\(\)/,
    );
  });
});

describe('standalone requireAuth() verifiers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('warns once at startup when several guards each build their own verifier', async () => {
    vi.resetModules();
    const fresh = await import('@cognito-gate/express');
    const issuer = await testIssuer();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const options = { userPoolId: issuer.userPoolId, clientId: issuer.clientId, jwks: { keys: issuer.jwks } };
    const shared = localVerifier(issuer);

    fresh.requireAuth({ groups: 'a' }, { verifier: shared });
    fresh.requireAuth({ groups: 'b' }, { verifier: shared });
    const first = fresh.requireAuth({ groups: 'c' }, options);
    expect(warn).not.toHaveBeenCalled();
    const second = fresh.requireAuth({ groups: 'd' }, options);
    fresh.requireAuth({ groups: 'e' }, options);

    expect(second.verifier).not.toBe(first.verifier);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/own verifier.*\{ verifier \}/s);
  });
});

describe('requireAuth() options at startup', () => {
  it('throws on invalid rules', () => {
    expect(() => requireAuth({ groups: [] })).toThrow(/groups must list at least one/);
    expect(() => requireAuth({ groups: { oneOf: ['a'] } as never })).toThrow(/anyOf or allOf/);
    expect(() => requireAuth({ group: 'admin' } as never)).toThrow(/unknown rule group/);
  });

  it('throws when given adapter options without a verifier', () => {
    expect(() => requireAuth({ groups: 'admin' }, { realm: 'x' } as never)).toThrow(/needs verifier options/);
  });

  it('refuses options that would let a request through unauthenticated', async () => {
    const issuer = await testIssuer();
    const verifier = localVerifier(issuer);
    expect(() => requireAuth(undefined, { verifier, exclude: ['/health'] })).toThrow(ConfigurationError);
    expect(() => requireAuth(undefined, { verifier, preflight: 'respond' })).toThrow(/cognitoAuth/);
  });

  it('throws when asked to be optional', async () => {
    const issuer = await testIssuer();
    expect(() => requireAuth(undefined, { verifier: localVerifier(issuer), mode: 'optional' })).toThrow(
      /always requires a token/,
    );
  });
});
