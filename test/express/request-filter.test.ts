import { cognitoAuth, type ExcludeOption, type RequestAuth, requireAuth } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express, NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

/** A stand-in for `cors()`: answers preflights, adds the allow-origin header to the rest. */
function corsStandIn(req: Request, res: Response, next: NextFunction): void {
  res.set('Access-Control-Allow-Origin', 'https://app.example');
  if (req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined) {
    res.status(204).end();
    return;
  }
  next();
}

describe.each(EXPRESS_VERSIONS)('requests let through with $name', ({ createApp }) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
  });

  function appWith(exclude?: ExcludeOption): Express {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), exclude }));
    app.get(['/health', '/health/deep', '/public/page', '/orders'], (req, res) => {
      res.json({ anonymous: req.auth === undefined });
    });
    app.get('/status', requireAuth(), (_req, res) => {
      res.json({ ok: true });
    });
    return app;
  }

  describe('CORS preflight', () => {
    const preflight = (app: Express, path = '/orders') =>
      request(app)
        .options(path)
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'DELETE');

    /** Handlers written to the `authRequired` promise: they read `req.auth.sub` without a check. */
    function trustingApp(mount: (app: Express) => void): { app: Express; reached: string[] } {
      const reached: string[] = [];
      const app = createApp();
      mount(app);
      app.all('/orders', (req, res) => {
        reached.push(`all ${req.method}`);
        res.json({ sub: (req.auth as RequestAuth).sub });
      });
      app.use('/admin', requireAuth(), (req, res) => {
        reached.push(`admin ${req.method}`);
        res.json({ sub: (req.auth as RequestAuth).sub });
      });
      return { app, reached };
    }

    it('is challenged like any other request by default: no token, 401', async () => {
      const { app, reached } = trustingApp((a) => a.use(cognitoAuth({ verifier: localVerifier(issuer) })));

      const orders = await preflight(app);
      const admin = await preflight(app, '/admin/users');

      expect(orders.status).toBe(401);
      expect(orders.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(admin.status).toBe(401);
      expect(reached).toEqual([]);
    });

    it('never reaches a requireAuth() route unauthenticated, in optional mode or on an excluded path', async () => {
      const { app, reached } = trustingApp((a) =>
        a.use(cognitoAuth({ verifier: localVerifier(issuer), mode: 'optional', exclude: ['/users'] })),
      );

      const admin = await preflight(app, '/admin/users');

      expect(admin.status).toBe(401);
      expect(admin.body.error).toBe('missing_token');
      expect(reached).toEqual([]);
    });

    it('never gets past a standalone requireAuth() unauthenticated', async () => {
      const reached: string[] = [];
      const app = createApp();
      app.use('/admin', requireAuth(undefined, { verifier: localVerifier(issuer) }), (_req, res) => {
        reached.push('admin');
        res.end();
      });

      const res = await preflight(app, '/admin/users');

      expect(res.status).toBe(401);
      expect(reached).toEqual([]);
    });

    it('is answered by CORS middleware mounted before cognitoAuth()', async () => {
      const { app, reached } = trustingApp((a) => {
        a.use(corsStandIn);
        a.use(cognitoAuth({ verifier: localVerifier(issuer) }));
      });

      const res = await preflight(app);

      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(reached).toEqual([]);
    });

    it("preflight: 'respond' ends it with 204 itself and calls nothing after it", async () => {
      const { app, reached } = trustingApp((a) =>
        a.use(cognitoAuth({ verifier: localVerifier(issuer), preflight: 'respond' })),
      );

      const orders = await preflight(app);
      const admin = await preflight(app, '/admin/users');
      const withBadToken = await preflight(app).set('Authorization', 'Bearer a b');

      expect(orders.status).toBe(204);
      expect(orders.headers['www-authenticate']).toBeUndefined();
      expect(admin.status).toBe(204);
      expect(withBadToken.status).toBe(204);
      expect(reached).toEqual([]);
    });

    it("preflight: 'respond' authenticates a plain OPTIONS request and every other method", async () => {
      const { app, reached } = trustingApp((a) =>
        a.use(cognitoAuth({ verifier: localVerifier(issuer), preflight: 'respond' })),
      );

      const options = await request(app).options('/orders');
      const del = await request(app).delete('/orders').set('Access-Control-Request-Method', 'DELETE');
      const ok = await request(app)
        .options('/orders')
        .set('Authorization', bearer(await issuer.accessToken()));

      expect(options.status).toBe(401);
      expect(del.status).toBe(401);
      expect(ok.status).toBe(200);
      expect(reached).toEqual(['all OPTIONS']);
    });
  });

  describe('exclude', () => {
    it('skips authentication on an exact path only', async () => {
      const app = appWith(['/health']);

      const health = await request(app).get('/health');
      const deep = await request(app).get('/health/deep');
      const orders = await request(app).get('/orders');

      expect(health.status).toBe(200);
      expect(health.body.anonymous).toBe(true);
      expect(deep.status).toBe(401);
      expect(orders.status).toBe(401);
    });

    it('does not authenticate an excluded path even when a token is sent', async () => {
      const res = await request(appWith(['/health']))
        .get('/health')
        .set('Authorization', bearer(await issuer.accessToken()));

      expect(res.body.anonymous).toBe(true);
    });

    it('matches regular expressions, global ones included, on every request', async () => {
      const app = appWith([/^\/public\//g]);

      for (let i = 0; i < 3; i++) expect((await request(app).get('/public/page')).status).toBe(200);
      expect((await request(app).get('/orders')).status).toBe(401);
    });

    it('accepts a predicate and fails closed when it throws', async () => {
      const byHeader = appWith((req) => req.get('x-probe') === 'lb');
      const throwing = appWith(() => {
        throw new Error('bug in predicate');
      });

      expect((await request(byHeader).get('/orders').set('X-Probe', 'lb')).status).toBe(200);
      expect((await request(byHeader).get('/orders')).status).toBe(401);
      expect((await request(throwing).get('/health')).status).toBe(401);
    });

    it('excludes only on a predicate answer of exactly true, never a truthy value or a promise', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const answers: Array<() => unknown> = [
          () => 'yes',
          () => 1,
          () => ({}),
          () => Promise.resolve(true),
          () => Promise.reject(new Error('async bug')),
        ];
        for (const answer of answers) {
          const res = await request(appWith(answer as ExcludeOption)).get('/health');
          expect(res.status).toBe(401);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('matches req.path relative to the mount point', async () => {
      const app = createApp();
      app.use('/api', cognitoAuth({ verifier: localVerifier(issuer), exclude: ['/health'] }));
      app.get('/api/health', (_req, res) => {
        res.json({ ok: true });
      });

      expect((await request(app).get('/api/health')).status).toBe(200);
    });

    it('lets requireAuth() on an excluded path still demand a token', async () => {
      const res = await request(appWith(['/status'])).get('/status');

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
    });
  });
});
