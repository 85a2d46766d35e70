import { AuthError, cognitoAuth, type ExpressAuthOptions } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

describe.each(EXPRESS_VERSIONS)('token sources with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let token: string;

  beforeAll(async () => {
    issuer = await testIssuer();
    token = await issuer.accessToken();
  });

  function appWith(options: ExpressAuthOptions): Express {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), ...options }));
    app.get('/me', (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    return app;
  }

  describe('cookie', () => {
    it('reads the token from the named cookie', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `theme=dark; access_token=${token}; lang=en`);

      expect(res.status).toBe(200);
      expect(res.body.sub).toBe(issuer.user.sub);
    });

    it('accepts a quoted and a percent-encoded value', async () => {
      const app = appWith({ cookie: 'access_token' });
      const encoded = token.replace(/\./g, '%2E');

      expect((await request(app).get('/me').set('Cookie', `access_token="${token}"`)).status).toBe(200);
      expect((await request(app).get('/me').set('Cookie', `access_token=${encoded}`)).status).toBe(200);
    });

    it('treats an empty or absent cookie as no token', async () => {
      const app = appWith({ cookie: 'access_token' });

      const empty = await request(app).get('/me').set('Cookie', 'access_token=; other=1');
      const absent = await request(app).get('/me').set('Cookie', 'access_tokens=abc');

      expect(empty.body.error).toBe('missing_token');
      expect(absent.body.error).toBe('missing_token');
    });

    it('rejects the same cookie twice with different values', async () => {
      const other = await issuer.accessToken();

      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}; access_token=${other}`);

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('rejects broken percent-encoding as a malformed token, not a 500', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', 'access_token=%E0%A4%A');

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('malformed_token');
    });

    it('rejects a token sent in the cookie and the header at once', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}`)
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('uses the cookie when the Authorization header carries another scheme', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}`)
        .set('Authorization', 'Basic dXNlcjpwYXNz');

      expect(res.status).toBe(200);
    });

    it('ignores the Authorization header when header: false', async () => {
      const res = await request(appWith({ cookie: 'access_token', header: false }))
        .get('/me')
        .set('Authorization', bearer(token));

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
    });
  });

  describe('query string', () => {
    it('ignores access_token in the query unless enabled', async () => {
      const res = await request(appWith({})).get(`/me?access_token=${token}`);

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
    });

    it('reads access_token when query: true', async () => {
      const res = await request(appWith({ query: true })).get(`/me?x=1&access_token=${token}`);

      expect(res.status).toBe(200);
    });

    it('reads a custom parameter name', async () => {
      const app = appWith({ query: 'jwt' });

      expect((await request(app).get(`/me?jwt=${token}`)).status).toBe(200);
      expect((await request(app).get(`/me?access_token=${token}`)).status).toBe(401);
    });

    it('rejects the parameter given twice', async () => {
      const res = await request(appWith({ query: true })).get(
        `/me?access_token=${token}&access_token=${token}`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('rejects a token in the query and the header at once', async () => {
      const res = await request(appWith({ query: true }))
        .get(`/me?access_token=${token}`)
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
    });
  });

  describe('custom getter', () => {
    it('uses the token the getter returns', async () => {
      const app = appWith({ header: false, getToken: (req) => req.get('x-api-token') });

      expect((await request(app).get('/me').set('X-Api-Token', token)).status).toBe(200);
      expect((await request(app).get('/me')).body.error).toBe('missing_token');
    });

    it('renders an AuthError the getter throws', async () => {
      const app = appWith({
        getToken: () => {
          throw new AuthError('invalid_request');
        },
      });

      const res = await request(app).get('/me');

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('turns any other getter failure into invalid_request, not a 500', async () => {
      const app = appWith({
        getToken: (req) => (req.headers as unknown as { missing: { deeper: string } }).missing.deeper,
      });
      const wrongType = appWith({ getToken: () => 42 as unknown as string });

      expect((await request(app).get('/me')).status).toBe(400);
      expect((await request(wrongType).get('/me')).status).toBe(400);
    });

    it('rejects a getter token together with a header token', async () => {
      const res = await request(appWith({ getToken: () => token }))
        .get('/me')
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
    });
  });
});
