/**
 * Interop with cognito-local (npm): a pool provisioned through the AWS SDK, a password sign-in, and
 * the tokens verified through core and the Lambda REST authorizer. cognito-local writes its own
 * issuer, `http://{HOST}:{PORT}/{pool}` (`http://localhost:9229/local_XXXXXXXX` by default), and pool
 * ids (`local_XXXXXXXX`) that are not Cognito's syntax: the `issuer` override is what accepts them.
 */
import { ConfigurationError, createVerifier, emulatorPool, type Verifier } from '@cognito-gate/core';
import { createRestAuthorizer } from '@cognito-gate/lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  adminSignIn,
  claimsOf,
  cognitoLocalEntry,
  describeWithEmulator,
  type Emulator,
  type EmulatorPool,
  type EmulatorTokens,
  passwordSignIn,
  provisionPool,
  refreshSignIn,
  startCognitoLocal,
} from '../support/emulators.js';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders';

describeWithEmulator(
  'cognito-local interop',
  cognitoLocalEntry() !== undefined,
  'npm install (cognito-local is a root devDependency)',
  () => {
    let emulator: Emulator | undefined;
    let pool: EmulatorPool;
    let tokens: EmulatorTokens;
    let verifier: Verifier;

    beforeAll(async () => {
      emulator = await startCognitoLocal();
      pool = await provisionPool(emulator.endpoint);
      tokens = await passwordSignIn(pool);
      verifier = createVerifier({
        userPoolId: [
          emulatorPool({ kind: 'cognito-local', endpoint: emulator.endpoint, userPoolId: pool.userPoolId }),
        ],
        clientId: pool.clientId,
        tokenUse: 'any',
        clockToleranceSeconds: 5,
      });
    }, 120_000);

    afterAll(async () => {
      verifier?.close();
      pool?.client.destroy();
      await emulator?.stop();
    }, 30_000);

    it('writes its own issuer and a local_ pool id', () => {
      expect(pool.userPoolId).toMatch(/^local_[a-zA-Z0-9]{8}$/);
      expect(claimsOf(tokens.accessToken).iss).toBe(`${emulator?.endpoint}/${pool.userPoolId}`);
    });

    it('cannot be configured as a Cognito pool without the issuer override', () => {
      expect(() => createVerifier({ userPoolId: pool.userPoolId, clientId: pool.clientId })).toThrow(
        ConfigurationError,
      );
    });

    it('serves the JWKS the verifier fetches from the emulator', async () => {
      const report = await verifier.hydrate();

      expect(report.ok).toBe(true);
      expect(verifier.jwksUris).toEqual([`${emulator?.endpoint}/${pool.userPoolId}/.well-known/jwks.json`]);
    });

    it('verifies the access token, groups included', async () => {
      const auth = await verifier.verify(tokens.accessToken, { tokenUse: 'access', groups: 'admin' });

      expect(auth).toMatchObject({
        tokenUse: 'access',
        clientId: pool.clientId,
        userPoolId: pool.userPoolId,
        issuer: `${emulator?.endpoint}/${pool.userPoolId}`,
        groups: ['admin'],
        scopes: ['aws.cognito.signin.user.admin'],
      });
    });

    it('verifies the ID token', async () => {
      const auth = await verifier.verify(tokens.idToken, { tokenUse: 'id' });

      expect(auth).toMatchObject({ tokenUse: 'id', clientId: pool.clientId, groups: ['admin'] });
    });

    it('refuses a group the user is not in, another client, and the wrong token_use', async () => {
      await expect(verifier.verify(tokens.accessToken, { groups: 'readers' })).rejects.toMatchObject({
        code: 'insufficient_group',
      });
      await expect(verifier.verify(tokens.idToken, { tokenUse: 'access' })).rejects.toMatchObject({
        code: 'invalid_token_use',
      });
      const other = createVerifier({
        userPoolId: [
          emulatorPool({ kind: 'cognito-local', endpoint: emulator?.endpoint, userPoolId: pool.userPoolId }),
        ],
        clientId: 'another-client',
        clockToleranceSeconds: 5,
      });
      try {
        await expect(other.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_client' });
      } finally {
        other.close();
      }
    });

    it('gives both tokens of a sign-in one event_id and auth_time (cognito-local 5.3 writes no origin_jti)', () => {
      const id = claimsOf(tokens.idToken);
      const access = claimsOf(tokens.accessToken);

      expect(access.event_id).toBe(id.event_id);
      expect(access.auth_time).toBe(id.auth_time);
      expect(access).not.toHaveProperty('version');
    });

    it('gives a refresh a new jti and event_id', async () => {
      const refreshed = await refreshSignIn(pool, tokens);
      const before = claimsOf(tokens.accessToken);
      const after = claimsOf(refreshed.accessToken);

      // Unlike Cognito, cognito-local 5.3 writes the refresh time into auth_time (a step-up max-age
      // rule sees a fresh sign-in): only its bounds are asserted here.
      expect(after.auth_time).toBeGreaterThanOrEqual(before.auth_time as number);
      expect(after.auth_time).toBeLessThanOrEqual(after.iat as number);
      expect(after.jti).not.toBe(before.jti);
      expect(after.event_id).not.toBe(before.event_id);
      expect(claimsOf(refreshed.idToken).event_id).toBe(after.event_id);
      await expect(verifier.verify(refreshed.accessToken, { groups: 'admin' })).resolves.toMatchObject({
        tokenUse: 'access',
      });
    });

    it('verifies tokens from AdminInitiateAuth', async () => {
      const admin = await adminSignIn(pool);

      await expect(verifier.verify(admin.idToken, { tokenUse: 'id' })).resolves.toMatchObject({
        clientId: pool.clientId,
      });
    });

    it('authorizes through the Lambda REST TOKEN authorizer', async () => {
      const allow = createRestAuthorizer({ verifier, rules: { groups: 'admin', tokenUse: 'access' } });
      const readers = createRestAuthorizer({ verifier, rules: { groups: 'readers' } });
      const event = (token: string) => ({
        type: 'TOKEN' as const,
        authorizationToken: `Bearer ${token}`,
        methodArn: METHOD_ARN,
      });

      const allowed = await allow(event(tokens.accessToken));
      expect(allowed.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
      expect(allowed.principalId).toBe(claimsOf(tokens.accessToken).sub);
      const denied = await readers(event(tokens.accessToken));
      expect(denied.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
      await expect(allow(event(`${tokens.accessToken}x`))).rejects.toThrow(/^Unauthorized$/);
    });
  },
);
