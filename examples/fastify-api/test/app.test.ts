import { createVerifier, type Verifier } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

let issuer: TestIssuer;
let verifier: Verifier;
let app: FastifyInstance;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
  app = await buildApp({ verifier });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  verifier.close();
});

const auth = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });

describe('public routes', () => {
  it('answers the health check without a token, even with a broken one', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const broken = await app.inject({ url: '/health', headers: { authorization: 'Bearer broken' } });
    expect(broken.statusCode).toBe(200);
  });

  it('lists products anonymously and greets a signed-in user', async () => {
    const anonymous = await app.inject('/products');
    const signedIn = await app.inject({ url: '/products', headers: await auth(issuer.accessToken()) });

    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().greeting).toBeNull();
    expect(signedIn.json().greeting).toBe(`Hello, ${issuer.user.username}`);
  });

  it('rejects an expired token on a public route rather than serving it anonymously', async () => {
    const expired = issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });

    const res = await app.inject({ url: '/products', headers: await auth(expired) });

    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('expired');
  });
});

describe('authenticated route (protected by default)', () => {
  it('returns the caller', async () => {
    const res = await app.inject({
      url: '/me',
      headers: await auth(issuer.accessToken({ groups: ['staff'] })),
    });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      sub: issuer.user.sub,
      username: issuer.user.username,
      groups: ['staff'],
    });
  });

  it('challenges an anonymous caller with the Fastify error shape', async () => {
    const res = await app.inject('/me');

    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toEqual({
      statusCode: 401,
      code: 'missing_token',
      error: 'Unauthorized',
      message: 'Authentication required',
    });
  });

  it('refuses an ID token where access tokens are expected', async () => {
    const res = await app.inject({ url: '/me', headers: await auth(issuer.idToken()) });

    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_token_use');
  });
});

describe('group-restricted route', () => {
  it('lets admins in and answers 403 to everyone else', async () => {
    const admin = await app.inject({
      url: '/admin/users',
      headers: await auth(issuer.accessToken({ groups: ['admin'] })),
    });
    const staff = await app.inject({
      url: '/admin/users',
      headers: await auth(issuer.accessToken({ groups: ['staff'] })),
    });

    expect(admin.statusCode).toBe(200);
    expect(staff.statusCode).toBe(403);
    expect(staff.json().code).toBe('insufficient_group');
  });
});

describe('scope-restricted routes', () => {
  it('accepts either read scope, from a user or a machine client', async () => {
    const user = await app.inject({
      url: '/orders',
      headers: await auth(issuer.accessToken({ scopes: ['orders/read'] })),
    });
    const machine = await app.inject({
      url: '/orders',
      headers: await auth(issuer.m2mToken({ scopes: ['orders/admin'] })),
    });

    expect(user.statusCode).toBe(200);
    expect(machine.statusCode).toBe(200);
    expect(machine.json().requestedBy).toBe(issuer.clientId);
  });

  it('answers 403 with the required scope in the challenge, before reading the body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: '{"item": ',
      headers: {
        ...(await auth(issuer.accessToken({ scopes: ['orders/read'] }))),
        'content-type': 'application/json',
      },
    });

    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(res.headers['www-authenticate']).toContain('scope="orders/write"');
  });

  it('creates an order with the write scope', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: { item: 'p-1' },
      headers: await auth(issuer.m2mToken({ scopes: ['orders/write'] })),
    });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 'o-1', item: 'p-1', createdBy: issuer.clientId });
  });
});

describe('unknown routes', () => {
  it('answers 404 without asking for a token', async () => {
    const res = await app.inject('/nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found' });
  });
});
