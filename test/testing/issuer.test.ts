import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const COGNITO_KID = /^[A-Za-z0-9+/]{43}=$/;

async function verify(issuer: TestIssuer, token: string) {
  return jwtVerify(token, createLocalJWKSet(issuer.jwks), { algorithms: ['RS256'] });
}

describe('createTestIssuer', () => {
  it('defaults to a us-east-1 pool and derives the regional and global issuer URLs', async () => {
    const issuer = await createTestIssuer();

    expect(issuer.userPoolId).toBe('us-east-1_TestPool01');
    expect(issuer.region).toBe('us-east-1');
    expect(issuer.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(issuer.issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool01');
    expect(issuer.globalIssuer).toBe(
      'https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool01',
    );
  });

  it('derives the region from the prefix of a custom pool ID, including sovereign regions', async () => {
    const issuer = await createTestIssuer({ userPoolId: 'eusc-de-east-1_Abc123', clientId: 'myclient' });

    expect(issuer.region).toBe('eusc-de-east-1');
    expect(issuer.clientId).toBe('myclient');
    expect(issuer.issuer).toBe('https://cognito-idp.eusc-de-east-1.amazonaws.com/eusc-de-east-1_Abc123');
  });

  it('uses the China partition domain for cn- regions', async () => {
    const issuer = await createTestIssuer({ userPoolId: 'cn-north-1_Abc123', clientId: 'myclient' });
    expect(issuer.issuer).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc123');
    expect(issuer.globalIssuer).toBe(
      'https://issuer-cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc123',
    );
  });

  it('refuses a pool ID without a region prefix unless a region is given', async () => {
    await expect(createTestIssuer({ userPoolId: 'NoRegion' })).rejects.toThrow(/options\.region/);
    await expect(createTestIssuer({ userPoolId: 'NoRegion', region: 'eu-west-1' })).resolves.toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/NoRegion',
    });
  });
});

describe('JWKS', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  it('publishes two RSA public keys with Cognito-style kids and nothing private', () => {
    const { keys } = issuer.jwks;

    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key)).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ alg: 'RS256', kty: 'RSA', e: 'AQAB', use: 'sig' });
      expect(key.kid).toMatch(COGNITO_KID);
      expect(Buffer.from(key.n as string, 'base64url')).toHaveLength(256);
    }
    expect(keys.map((key) => key.kid)).toEqual([issuer.keyIds.id, issuer.keyIds.access]);
  });

  it('returns a copy, so mutating it does not change what the issuer serves', () => {
    issuer.jwks.keys.pop();
    const first = issuer.jwks.keys[0];
    if (first) first.kid = 'tampered';

    expect(issuer.jwks.keys).toHaveLength(2);
    expect(issuer.jwks.keys[0]?.kid).toBe(issuer.keyIds.id);
  });
});

describe('tokens', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  it('signs ID and access tokens with different keys, with a header of exactly kid and alg', async () => {
    const idHeader = decodeProtectedHeader(await issuer.idToken());
    const accessHeader = decodeProtectedHeader(await issuer.accessToken());
    const m2mHeader = decodeProtectedHeader(await issuer.m2mToken());

    expect(Object.keys(idHeader)).toEqual(['kid', 'alg']);
    expect(idHeader).toEqual({ kid: issuer.keyIds.id, alg: 'RS256' });
    expect(accessHeader).toEqual({ kid: issuer.keyIds.access, alg: 'RS256' });
    expect(m2mHeader).toEqual({ kid: issuer.keyIds.access, alg: 'RS256' });
    expect(issuer.keyIds.id).not.toBe(issuer.keyIds.access);
  });

  it('mints an ID token with aud and cognito:username and no access-token claims', async () => {
    const { payload } = await verify(issuer, await issuer.idToken());

    expect(Object.keys(payload).sort()).toEqual(
      [
        'sub',
        'email_verified',
        'iss',
        'cognito:username',
        'origin_jti',
        'aud',
        'event_id',
        'token_use',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'email',
      ].sort(),
    );
    expect(payload).toMatchObject({
      sub: issuer.user.sub,
      iss: issuer.issuer,
      aud: issuer.clientId,
      token_use: 'id',
      'cognito:username': issuer.user.username,
      email: issuer.user.email,
      email_verified: true,
    });
    expect(payload.exp).toBe((payload.iat as number) + 3600);
    expect(payload.auth_time).toBe(payload.iat);
    for (const claim of ['sub', 'jti', 'origin_jti', 'event_id']) expect(payload[claim]).toMatch(UUID);
  });

  it('mints a password sign-in access token with client_id, username and scope, no aud and no version', async () => {
    const { payload } = await verify(issuer, await issuer.accessToken());

    expect(Object.keys(payload).sort()).toEqual(
      [
        'sub',
        'iss',
        'client_id',
        'origin_jti',
        'event_id',
        'token_use',
        'scope',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'username',
      ].sort(),
    );
    expect(payload).toMatchObject({
      sub: issuer.user.sub,
      iss: issuer.issuer,
      client_id: issuer.clientId,
      token_use: 'access',
      username: issuer.user.username,
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(payload.exp).toBe((payload.iat as number) + 3600);
  });

  it('adds version 2 and OAuth scopes to an access token from the OAuth endpoints', async () => {
    const { payload } = await verify(issuer, await issuer.accessToken({ flow: 'oauth' }));

    expect(payload).toMatchObject({ version: 2, scope: 'openid email', token_use: 'access' });
    expect(payload).not.toHaveProperty('flow');
  });

  it('mints an M2M token whose sub is the client ID, with custom scopes and no user or session claims', async () => {
    const { payload } = await verify(issuer, await issuer.m2mToken());

    expect(Object.keys(payload).sort()).toEqual(
      ['sub', 'token_use', 'scope', 'auth_time', 'iss', 'exp', 'iat', 'version', 'jti', 'client_id'].sort(),
    );
    expect(payload).toMatchObject({
      sub: issuer.clientId,
      client_id: issuer.clientId,
      token_use: 'access',
      scope: 'default-m2m-resource-server/read',
      version: 2,
    });
  });

  it('gives every token its own jti, origin_jti and event_id', async () => {
    const a = decodeJwt(await issuer.accessToken());
    const b = decodeJwt(await issuer.accessToken());

    expect(a.jti).not.toBe(b.jti);
    expect(a.origin_jti).not.toBe(b.origin_jti);
    expect(a.event_id).not.toBe(b.event_id);
  });

  it('writes cognito:groups only when groups are given, and joins scopes into scope', async () => {
    const withGroups = decodeJwt(
      await issuer.accessToken({ groups: ['admin', 'ops'], scopes: ['a/read', 'b'] }),
    );
    const emptyGroups = decodeJwt(await issuer.idToken({ groups: [] }));

    expect(withGroups['cognito:groups']).toEqual(['admin', 'ops']);
    expect(withGroups.scope).toBe('a/read b');
    expect(emptyGroups).not.toHaveProperty('cognito:groups');
    expect(decodeJwt(await issuer.m2mToken({ scopes: ['api/write'] })).scope).toBe('api/write');
  });
});

describe('overrides', () => {
  let shared: TestIssuer;
  beforeAll(async () => {
    shared = await createTestIssuer();
  });

  it('replaces claims, removes a claim whose override is undefined and adds unknown ones', async () => {
    const issuer = shared;

    const payload = decodeJwt(
      await issuer.accessToken({ exp: undefined, sub: 'someone-else', 'custom:tenant': 'acme', version: 3 }),
    );

    expect(payload).not.toHaveProperty('exp');
    expect(payload.sub).toBe('someone-else');
    expect(payload['custom:tenant']).toBe('acme');
    expect(payload.version).toBe(3);
  });

  it('computes iat, auth_time and exp from issuedAt and expiresIn, and an exp override wins', async () => {
    const issuer = shared;

    const timed = decodeJwt(await issuer.idToken({ issuedAt: 1_700_000_000, expiresIn: 300 }));
    const pinned = decodeJwt(await issuer.idToken({ expiresIn: 300, exp: 42 }));

    expect(timed).toMatchObject({ iat: 1_700_000_000, auth_time: 1_700_000_000, exp: 1_700_000_300 });
    expect(pinned.exp).toBe(42);
  });

  it('takes times from the injected clock and lifetime', async () => {
    const issuer = await createTestIssuer({ now: () => 1_600_000_000_999, tokenLifetimeSeconds: 600 });

    const payload = decodeJwt(await issuer.m2mToken());

    expect(payload).toMatchObject({ iat: 1_600_000_000, auth_time: 1_600_000_000, exp: 1_600_000_600 });
  });

  it('names the global issuer when asked per token or per issuer', async () => {
    const regional = await createTestIssuer();
    const global = await createTestIssuer({ issuerForm: 'global' });

    expect(decodeJwt(await regional.accessToken({ issuerForm: 'global' })).iss).toBe(regional.globalIssuer);
    expect(decodeJwt(await global.idToken()).iss).toBe(global.globalIssuer);
    expect(decodeJwt(await global.idToken({ issuerForm: 'regional' })).iss).toBe(global.issuer);
  });

  it('merges header overrides and removes header members set to undefined', async () => {
    const issuer = shared;

    const header = decodeProtectedHeader(
      await issuer.accessToken({ header: { alg: 'none', kid: undefined, jku: 'https://evil.example/jwks' } }),
    );

    expect(header).toEqual({ alg: 'none', jku: 'https://evil.example/jwks' });
  });

  it('applies the untyped claims option last, for wrongly typed values and reserved names', async () => {
    const issuer = shared;

    const payload = decodeJwt(
      await issuer.accessToken({
        groups: ['admin'],
        claims: { exp: 'tomorrow', header: 'x', 'cognito:groups': 'admin' },
      }),
    );

    expect(payload.exp).toBe('tomorrow');
    expect(payload.header).toBe('x');
    expect(payload['cognito:groups']).toBe('admin');
  });

  it('uses the configured user for ID and access tokens', async () => {
    const issuer = await createTestIssuer({
      user: { sub: 'fixed-sub', username: 'alice', email: 'a@example.com' },
    });

    expect(decodeJwt(await issuer.idToken())).toMatchObject({
      sub: 'fixed-sub',
      'cognito:username': 'alice',
      email: 'a@example.com',
    });
    expect(decodeJwt(await issuer.accessToken())).toMatchObject({ sub: 'fixed-sub', username: 'alice' });
  });
});

describe('key management', () => {
  it('publishes new keys first and keeps the previous pair after a rotation', async () => {
    const issuer = await createTestIssuer();
    const oldToken = await issuer.accessToken();
    const old = issuer.keyIds;

    await issuer.rotateKeys();
    const newToken = await issuer.accessToken();

    expect(issuer.jwks.keys.map((key) => key.kid)).toEqual([
      issuer.keyIds.id,
      issuer.keyIds.access,
      old.id,
      old.access,
    ]);
    expect(issuer.keyIds.access).not.toBe(old.access);
    expect(decodeProtectedHeader(newToken).kid).toBe(issuer.keyIds.access);
    await expect(verify(issuer, oldToken)).resolves.toBeDefined();
    await expect(verify(issuer, newToken)).resolves.toBeDefined();
  });

  it('drops keys older than the previous generation, or the previous ones when asked', async () => {
    const issuer = await createTestIssuer();
    const first = issuer.keyIds;
    await issuer.rotateKeys();
    const second = issuer.keyIds;

    await issuer.rotateKeys();
    const afterTwo = issuer.jwks.keys.map((key) => key.kid);
    await issuer.rotateKeys({ dropPrevious: true });

    expect(afterTwo).not.toContain(first.access);
    expect(afterTwo).toContain(second.access);
    expect(issuer.jwks.keys.map((key) => key.kid)).toEqual([issuer.keyIds.id, issuer.keyIds.access]);
  });

  it('rejects tokens signed with a removed key once the JWKS no longer has it', async () => {
    const issuer = await createTestIssuer();
    const token = await issuer.accessToken();

    expect(issuer.removeKey(issuer.keyIds.access)).toBe(true);
    expect(issuer.removeKey('not-there')).toBe(false);

    await expect(verify(issuer, token)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await expect(verify(issuer, await issuer.idToken())).resolves.toBeDefined();
  });

  it('serves an added key verbatim after the signing keys, across rotations', async () => {
    const issuer = await createTestIssuer();
    const weak = { kty: 'RSA', kid: 'weak', e: 'Aw', n: 'AQAB', d: 'private!' };

    issuer.addKey(weak);
    await issuer.rotateKeys({ dropPrevious: true });

    expect(issuer.jwks.keys).toHaveLength(3);
    expect(issuer.jwks.keys[2]).toEqual(weak);
  });
});

describe('listen and close', () => {
  let issuer: TestIssuer | undefined;
  afterEach(async () => {
    await issuer?.close();
  });

  it('serves its JWKS at /{userPoolId}/.well-known/jwks.json on 127.0.0.1', async () => {
    issuer = await createTestIssuer({ userPoolId: 'eu-west-1_Abc123' });

    const { jwksUri } = await issuer.listen();
    const response = await fetch(jwksUri);

    expect(jwksUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/eu-west-1_Abc123\/\.well-known\/jwks\.json$/);
    expect(issuer.jwksUri).toBe(jwksUri);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(issuer.jwks);
  });

  it('serves the keys of the moment, so a rotation shows up on the next request', async () => {
    issuer = await createTestIssuer();
    const { jwksUri } = await issuer.listen();

    await issuer.rotateKeys({ dropPrevious: true });
    const body = (await (await fetch(jwksUri)).json()) as { keys: Array<{ kid: string }> };

    expect(body.keys.map((key) => key.kid)).toEqual([issuer.keyIds.id, issuer.keyIds.access]);
  });

  it('returns the same server when listen is called twice, and exposes its fault controls', async () => {
    issuer = await createTestIssuer();

    const server = await issuer.listen();

    expect(await issuer.listen()).toBe(server);
    expect(issuer.server).toBe(server);
    await issuer.server.setFault({ type: 'status', status: 503 });
    expect((await fetch(server.jwksUri)).status).toBe(503);
  });

  it('throws a helpful error when the server is used before listen', async () => {
    issuer = await createTestIssuer();

    expect(() => issuer?.server).toThrow(/listen\(\)/);
    expect(() => issuer?.jwksUri).toThrow(/listen\(\)/);
    await expect(issuer.close()).resolves.toBeUndefined();
  });

  it('stops serving on close', async () => {
    issuer = await createTestIssuer();
    const { jwksUri } = await issuer.listen();

    await issuer.close();

    await expect(fetch(jwksUri)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect(() => issuer?.server).toThrow();
  });
});
