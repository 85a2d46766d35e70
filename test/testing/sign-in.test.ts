import { createHash } from 'node:crypto';
import { createVerifier } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const clock = 1_800_000_000_000;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ now: () => clock });
});

function pair(session: { idToken: string; accessToken: string }) {
  return { id: decodeJwt(session.idToken), access: decodeJwt(session.accessToken) };
}

describe('signIn', () => {
  it('returns an ID and an access token that share origin_jti, event_id and auth_time', async () => {
    const session = await issuer.signIn();
    const { id, access } = pair(session);

    expect(id.token_use).toBe('id');
    expect(access.token_use).toBe('access');
    expect(id.origin_jti).toMatch(UUID);
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.event_id).toBe(id.event_id);
    expect(access.auth_time).toBe(id.auth_time);
    expect(id.jti).not.toBe(access.jti);
    expect(session).toMatchObject({
      originJti: id.origin_jti,
      eventId: id.event_id,
      authTime: clock / 1000,
    });
  });

  it('signs the two tokens with the two keys of the pool, as Cognito does', async () => {
    const session = await issuer.signIn();

    expect(decodeProtectedHeader(session.idToken).kid).toBe(issuer.keyIds.id);
    expect(decodeProtectedHeader(session.accessToken).kid).toBe(issuer.keyIds.access);
  });

  it('gives each sign-in its own session claims', async () => {
    const a = pair(await issuer.signIn());
    const b = pair(await issuer.signIn());

    expect(a.id.origin_jti).not.toBe(b.id.origin_jti);
    expect(a.id.event_id).not.toBe(b.id.event_id);
  });

  it('leaves version out of a password sign-in (InitiateAuth)', async () => {
    const { id, access } = pair(await issuer.signIn({ flow: 'password' }));

    expect(access).not.toHaveProperty('version');
    expect(id).not.toHaveProperty('version');
    expect(id).not.toHaveProperty('at_hash');
    expect(access.scope).toBe('aws.cognito.signin.user.admin');
  });

  it('adds version 2 to the access token and at_hash to the ID token of an OAuth sign-in', async () => {
    const session = await issuer.signIn({ flow: 'oauth', scopes: ['openid', 'orders/read'] });
    const { id, access } = pair(session);
    const digest = createHash('sha256').update(session.accessToken, 'ascii').digest();

    expect(access.version).toBe(2);
    expect(access.scope).toBe('openid orders/read');
    expect(id).not.toHaveProperty('version');
    expect(id.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
  });

  it('applies groups to both tokens and per-token overrides to one', async () => {
    const { id, access } = pair(
      await issuer.signIn({
        groups: ['admin'],
        id: { 'custom:tenant': 'acme' },
        access: { device_key: 'd' },
      }),
    );

    expect(id['cognito:groups']).toEqual(['admin']);
    expect(access['cognito:groups']).toEqual(['admin']);
    expect(id['custom:tenant']).toBe('acme');
    expect(access).not.toHaveProperty('custom:tenant');
    expect(access.device_key).toBe('d');
  });

  it('mints tokens the core verifier accepts, each for its token_use', async () => {
    const verifier = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      tokenUse: 'any',
      jwks: { keys: issuer.jwks, fetch: false },
      now: () => clock,
    });
    const session = await issuer.signIn({ groups: ['admin'] });

    await expect(verifier.verify(session.idToken, { groups: 'admin' })).resolves.toMatchObject({
      tokenUse: 'id',
    });
    await expect(verifier.verify(session.accessToken, { groups: 'admin' })).resolves.toMatchObject({
      tokenUse: 'access',
    });
  });
});

describe('refresh', () => {
  it('keeps origin_jti and auth_time and gives new jti and iat', async () => {
    const session = await issuer.signIn({ issuedAt: clock / 1000 - 600 });
    const refreshed = await session.refresh();
    const before = pair(session);
    const after = pair(refreshed);

    for (const token of [after.id, after.access]) {
      expect(token.origin_jti).toBe(session.originJti);
      expect(token.auth_time).toBe(session.authTime);
      expect(token.iat).toBe(clock / 1000);
    }
    expect(after.id.jti).not.toBe(before.id.jti);
    expect(after.access.jti).not.toBe(before.access.jti);
    expect(before.access.iat).toBe(clock / 1000 - 600);
  });

  it('gives the refreshed pair a new event_id of its own by default', async () => {
    const session = await issuer.signIn();
    const { id, access } = pair(await session.refresh());

    expect(id.event_id).toMatch(UUID);
    expect(id.event_id).not.toBe(session.eventId);
    expect(access.event_id).toBe(id.event_id);
  });

  it('keeps event_id when asked, for code that must handle the other reading', async () => {
    const session = await issuer.signIn();
    const { id, access } = pair(await session.refresh({ keepEventId: true }));

    expect(id.event_id).toBe(session.eventId);
    expect(access.event_id).toBe(session.eventId);
  });

  it('keeps the flow and groups of the sign-in unless the refresh changes the groups', async () => {
    const session = await issuer.signIn({ flow: 'oauth', groups: ['admin'] });
    const same = pair(await session.refresh());
    const changed = pair(await session.refresh({ groups: [] }));

    expect(same.access.version).toBe(2);
    expect(same.access['cognito:groups']).toEqual(['admin']);
    expect(changed.access).not.toHaveProperty('cognito:groups');
    expect(changed.id).not.toHaveProperty('cognito:groups');
  });

  it('chains: a refresh of a refresh still carries the sign-in origin_jti', async () => {
    const session = await issuer.signIn();
    const second = await (await session.refresh()).refresh({ issuedAt: clock / 1000 + 60 });

    expect(second.originJti).toBe(session.originJti);
    expect(decodeJwt(second.accessToken)).toMatchObject({
      origin_jti: session.originJti,
      auth_time: session.authTime,
      iat: clock / 1000 + 60,
    });
  });
});
