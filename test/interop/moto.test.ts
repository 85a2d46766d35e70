/**
 * Interop with moto (`moto_server`): a pool provisioned through the AWS SDK, a password sign-in, and
 * the tokens verified through core and the Express adapter. moto writes the real Cognito `iss`
 * (`https://cognito-idp.us-east-1.amazonaws.com/{pool}`) and serves its JWKS at
 * `{endpoint}/{pool}/.well-known/jwks.json`, so only the JWKS URL is configured.
 */
import { createVerifier, emulatorPool, type Verifier } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  adminSignIn,
  claimsOf,
  describeWithEmulator,
  type Emulator,
  type EmulatorPool,
  type EmulatorTokens,
  hasMoto,
  passwordSignIn,
  provisionPool,
  refreshSignIn,
  startMoto,
} from '../support/emulators.js';

describeWithEmulator('moto interop', hasMoto(), 'pip install "moto[server]" to get moto_server', () => {
  let moto: Emulator | undefined;
  let pool: EmulatorPool;
  let tokens: EmulatorTokens;
  let verifier: Verifier;

  beforeAll(async () => {
    moto = await startMoto();
    pool = await provisionPool(moto.endpoint);
    tokens = await passwordSignIn(pool);
    verifier = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', endpoint: moto.endpoint, userPoolId: pool.userPoolId })],
      clientId: pool.clientId,
      tokenUse: 'any',
      clockToleranceSeconds: 5,
    });
  }, 120_000);

  afterAll(async () => {
    verifier?.close();
    pool?.client.destroy();
    await moto?.stop();
  }, 30_000);

  it('writes the real Cognito issuer and a pool id with Cognito syntax', () => {
    expect(pool.userPoolId).toMatch(/^us-east-1_[a-zA-Z0-9]+$/);
    expect(claimsOf(tokens.accessToken).iss).toBe(
      `https://cognito-idp.us-east-1.amazonaws.com/${pool.userPoolId}`,
    );
  });

  it('serves the JWKS the verifier fetches from the emulator', async () => {
    const report = await verifier.hydrate();

    expect(report.ok).toBe(true);
    expect(verifier.jwksUris).toEqual([`${moto?.endpoint}/${pool.userPoolId}/.well-known/jwks.json`]);
  });

  it('verifies the access token, groups included', async () => {
    const auth = await verifier.verify(tokens.accessToken, { tokenUse: 'access', groups: 'admin' });

    expect(auth).toMatchObject({
      tokenUse: 'access',
      clientId: pool.clientId,
      userPoolId: pool.userPoolId,
      groups: ['admin'],
      scopes: ['aws.cognito.signin.user.admin'],
      isMachine: false,
    });
  });

  it('verifies the ID token', async () => {
    const auth = await verifier.verify(tokens.idToken, { tokenUse: 'id' });

    expect(auth).toMatchObject({ tokenUse: 'id', clientId: pool.clientId, groups: ['admin'] });
    expect(auth.sub).toBe((await verifier.verify(tokens.accessToken)).sub);
  });

  it('refuses a group the user is not in', async () => {
    await expect(verifier.verify(tokens.accessToken, { groups: 'readers' })).rejects.toMatchObject({
      code: 'insufficient_group',
      status: 403,
    });
  });

  it('refuses the tokens for another app client and the wrong token_use', async () => {
    const other = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', endpoint: moto?.endpoint, userPoolId: pool.userPoolId })],
      clientId: 'another-client',
      clockToleranceSeconds: 5,
    });
    try {
      await expect(other.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_client' });
      await expect(verifier.verify(tokens.idToken, { tokenUse: 'access' })).rejects.toMatchObject({
        code: 'invalid_token_use',
      });
    } finally {
      other.close();
    }
  });

  it('gives both tokens of a password sign-in one origin_jti and auth_time, and no version', () => {
    const id = claimsOf(tokens.idToken);
    const access = claimsOf(tokens.accessToken);

    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.auth_time).toBe(id.auth_time);
    expect(access).not.toHaveProperty('version');
  });

  it('keeps origin_jti across a refresh, with new jti', async () => {
    const refreshed = await refreshSignIn(pool, tokens);
    const before = claimsOf(tokens.accessToken);
    const after = claimsOf(refreshed.accessToken);

    expect(after.origin_jti).toBe(before.origin_jti);
    expect(claimsOf(refreshed.idToken).origin_jti).toBe(before.origin_jti);
    // Unlike Cognito, moto 5.2 writes the refresh time into auth_time: only its bounds are asserted.
    expect(after.auth_time).toBeGreaterThanOrEqual(before.auth_time as number);
    expect(after.auth_time).toBeLessThanOrEqual(after.iat as number);
    expect(after.jti).not.toBe(before.jti);
    await expect(verifier.verify(refreshed.accessToken, { groups: 'admin' })).resolves.toMatchObject({
      tokenUse: 'access',
    });
  });

  it('verifies tokens from AdminInitiateAuth', async () => {
    const admin = await adminSignIn(pool);

    await expect(verifier.verify(admin.accessToken, { groups: 'admin' })).resolves.toMatchObject({
      clientId: pool.clientId,
    });
  });

  it('authorizes through the Express adapter', async () => {
    const app = express();
    app.use(cognitoAuth({ verifier }));
    app.get('/admin', requireAuth({ groups: 'admin', tokenUse: 'access' }), (req, res) => {
      res.json({ sub: req.auth?.sub, groups: req.auth?.groups });
    });
    app.get('/readers', requireAuth({ groups: 'readers' }), (_req, res) => {
      res.json({ ok: true });
    });

    const allowed = await request(app).get('/admin').set('authorization', `Bearer ${tokens.accessToken}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ groups: ['admin'] });
    const forbidden = await request(app).get('/readers').set('authorization', `Bearer ${tokens.accessToken}`);
    expect(forbidden.status).toBe(403);
    const anonymous = await request(app).get('/admin');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});
