import { createVerifier } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

let issuer: TestIssuer;
let app: Express;

beforeAll(async () => {
  issuer = await createTestIssuer();
  const verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
  app = createApp({ verifier });
});

const auth = async (token: Promise<string>) => `Bearer ${await token}`;

describe('public routes', () => {
  it('answers the health check without a token, even with a broken one', async () => {
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/health').set('Authorization', 'Bearer broken')).status).toBe(200);
  });

  it('lists products anonymously and greets a signed-in user', async () => {
    const anonymous = await request(app).get('/products');
    const signedIn = await request(app)
      .get('/products')
      .set('Authorization', await auth(issuer.accessToken()));

    expect(anonymous.status).toBe(200);
    expect(anonymous.body.greeting).toBeNull();
    expect(signedIn.body.greeting).toBe(`Hello, ${issuer.user.username}`);
  });

  it('rejects an expired token on a public route rather than serving it anonymously', async () => {
    const expired = issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });

    const res = await request(app)
      .get('/products')
      .set('Authorization', await auth(expired));

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('expired');
  });
});

describe('authenticated route', () => {
  it('returns the caller', async () => {
    const res = await request(app)
      .get('/me')
      .set('Authorization', await auth(issuer.accessToken({ groups: ['staff'] })));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sub: issuer.user.sub,
      username: issuer.user.username,
      groups: ['staff'],
    });
  });

  it('challenges an anonymous caller', async () => {
    const res = await request(app).get('/me');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toEqual({ error: 'missing_token', error_description: 'Authentication required' });
  });

  it('refuses an ID token where access tokens are expected', async () => {
    const res = await request(app)
      .get('/me')
      .set('Authorization', await auth(issuer.idToken()));

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token_use');
  });
});

describe('group-restricted route', () => {
  it('lets admins in and answers 403 to everyone else', async () => {
    const admin = await request(app)
      .get('/admin/users')
      .set('Authorization', await auth(issuer.accessToken({ groups: ['admin'] })));
    const staff = await request(app)
      .get('/admin/users')
      .set('Authorization', await auth(issuer.accessToken({ groups: ['staff'] })));

    expect(admin.status).toBe(200);
    expect(staff.status).toBe(403);
    expect(staff.body.error).toBe('insufficient_group');
  });
});

describe('scope-restricted routes', () => {
  it('accepts either read scope, from a user or a machine client', async () => {
    const user = await request(app)
      .get('/orders')
      .set('Authorization', await auth(issuer.accessToken({ scopes: ['orders/read'] })));
    const machine = await request(app)
      .get('/orders')
      .set('Authorization', await auth(issuer.m2mToken({ scopes: ['orders/admin'] })));

    expect(user.status).toBe(200);
    expect(machine.status).toBe(200);
    expect(machine.body.requestedBy).toBe(issuer.clientId);
  });

  it('answers 403 with the required scope in the challenge', async () => {
    const res = await request(app)
      .post('/orders')
      .send({ item: 'p-1' })
      .set('Authorization', await auth(issuer.accessToken({ scopes: ['orders/read'] })));

    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(res.headers['www-authenticate']).toContain('scope="orders/write"');
  });

  it('creates an order with the write scope', async () => {
    const res = await request(app)
      .post('/orders')
      .send({ item: 'p-1' })
      .set('Authorization', await auth(issuer.m2mToken({ scopes: ['orders/write'] })));

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'o-1', item: 'p-1', createdBy: issuer.clientId });
  });
});
