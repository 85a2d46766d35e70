// A Jest project in its default configuration (CommonJS, no transform): the packages load with
// require(), the test issuer mints tokens, and each adapter answers as its README says.
const { createVerifier, isAuthError, AuthError } = require('@cognito-gate/core');
const { createTestIssuer } = require('@cognito-gate/testing');
const { cognitoAuth, requireAuth } = require('@cognito-gate/express');
const { cognitoGate } = require('@cognito-gate/fastify');
const { createRestAuthorizer } = require('@cognito-gate/lambda');
const express = require('express');
const Fastify = require('fastify');
const request = require('supertest');

let issuer;
let verifier;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
});

afterAll(async () => {
  verifier.close();
  await issuer.close();
});

test('standalone: verify() resolves claims and rejects with a typed AuthError', async () => {
  const admin = await verifier.verify(await issuer.accessToken({ groups: ['admin'] }), { groups: 'admin' });
  expect(admin.groups).toEqual(['admin']);
  const expired = await issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });
  const error = await verifier.verify(expired).catch((e) => e);
  expect(isAuthError(error)).toBe(true);
  expect(error).toBeInstanceOf(AuthError);
  expect(error.code).toBe('expired');
});

test('express: admins pass, others get 403 with WWW-Authenticate', async () => {
  const app = express();
  app.use(cognitoAuth({ verifier }));
  app.get('/admin', requireAuth({ groups: 'admin' }), (req, res) => res.json({ sub: req.auth.sub }));
  const admin = await issuer.accessToken({ groups: ['admin'] });
  await request(app).get('/admin').set('Authorization', `Bearer ${admin}`).expect(200);
  const other = await request(app)
    .get('/admin')
    .set('Authorization', `Bearer ${await issuer.accessToken()}`);
  expect(other.status).toBe(403);
  expect(other.headers['www-authenticate']).toContain('Bearer');
  await request(app).get('/admin').expect(401);
});

test('fastify: route rules through the plugin', async () => {
  const app = Fastify();
  await app.register(cognitoGate, { verifier });
  app.get('/orders', { config: { auth: { scopes: 'orders/read' } } }, async () => []);
  // Through supertest, not app.inject(): fastify's light-my-request wants cookie@2, which is
  // ESM-only and needs Node 22, and Jest's CommonJS runtime cannot load it on Node 20.
  await app.ready();
  const reader = await issuer.accessToken({ scopes: ['orders/read'] });
  await request(app.server).get('/orders').set('Authorization', `Bearer ${reader}`).expect(200);
  const anonymous = await request(app.server).get('/orders');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer /);
  await app.close();
});

test('lambda: a REST TOKEN authorizer allows, denies per route and refuses forged tokens', async () => {
  const handler = createRestAuthorizer({ verifier, routes: { 'DELETE /orders/{id}': { groups: 'admin' } } });
  const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/orders';
  const token = await issuer.accessToken();
  const policy = await handler({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn });
  expect(policy.principalId).toBe(issuer.user.sub);
  expect(policy.policyDocument.Statement.some((s) => s.Effect === 'Deny')).toBe(true);
  const forged = `${token.slice(0, -4)}AAAA`;
  await expect(handler({ type: 'TOKEN', authorizationToken: `Bearer ${forged}`, methodArn })).rejects.toThrow(
    'Unauthorized',
  );
});
