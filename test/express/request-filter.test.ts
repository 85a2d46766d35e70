import { cognitoAuth, type ExcludeOption, requireAuth } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

describe.each(EXPRESS_VERSIONS)('requests let through with $name', ({ createApp }) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
  });

  function appWith(exclude?: ExcludeOption): Express {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), exclude }));
    // A stand-in for a CORS middleware answering preflights after authentication was skipped.
    app.options('/orders', (_req, res) => {
      res.set('Access-Control-Allow-Origin', 'https://app.example').status(204).end();
    });
    app.get(['/health', '/health/deep', '/public/page', '/orders'], (req, res) => {
      res.json({ anonymous: req.auth === undefined });
    });
    app.get('/status', requireAuth(), (_req, res) => {
      res.json({ ok: true });
    });
    return app;
  }

  describe('CORS preflight', () => {
    it('passes untouched: no challenge, no auth error', async () => {
      const res = await request(appWith())
        .options('/orders')
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'DELETE');

      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(res.headers['www-authenticate']).toBeUndefined();
    });

    it('passes even with an invalid token attached', async () => {
      const res = await request(appWith())
        .options('/orders')
        .set('Access-Control-Request-Method', 'GET')
        .set('Authorization', 'Bearer a b');

      expect(res.status).toBe(204);
    });

    it('authenticates a plain OPTIONS request like any other', async () => {
      const res = await request(appWith()).options('/orders');

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
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
