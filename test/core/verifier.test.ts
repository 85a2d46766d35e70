import { AuthError, ConfigurationError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it, vi } from 'vitest';
import {
  accessClaims,
  CLIENT_ID,
  ISSUER,
  idClaims,
  makeKey,
  NOW,
  POOL_ID,
  signJwt,
} from '../support/signer.js';

const key = makeKey('key-1');
const jwks = { keys: [key.jwk] };

function verifier(overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: jwks, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

const token = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  signJwt({ kid: 'key-1', alg: 'RS256', ...header }, claims, key);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

describe('createVerifier().verify', () => {
  it('returns normalised, frozen claims for a valid access token', async () => {
    const auth = await verifier().verify(token(accessClaims()));
    expect(auth).toMatchObject({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      tokenUse: 'access',
      clientId: CLIENT_ID,
      username: 'alice',
      groups: ['admin', 'staff'],
      scopes: ['aws.cognito.signin.user.admin', 'orders/read'],
      issuer: ISSUER,
      userPoolId: POOL_ID,
      isMachine: false,
    });
    expect(auth.expiresAt.getTime()).toBe((NOW + 3600) * 1000);
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(auth.claims)).toBe(true);
    expect(Object.isFrozen(auth.groups)).toBe(true);
  });

  it('verifies an ID token when tokenUse is id, using aud as the client', async () => {
    const auth = await verifier({ tokenUse: 'id' }).verify(token(idClaims()));
    expect(auth.tokenUse).toBe('id');
    expect(auth.username).toBe('alice');
  });

  it('rejects an ID token on an access verifier and an access token on an ID verifier', async () => {
    expect(await codeOf(verifier().verify(token(idClaims())))).toBe('invalid_token_use');
    expect(await codeOf(verifier({ tokenUse: 'id' }).verify(token(accessClaims())))).toBe(
      'invalid_token_use',
    );
  });

  it('accepts both token uses with tokenUse any, and narrows per call', async () => {
    const any = verifier({ tokenUse: 'any' });
    await expect(any.verify(token(idClaims()))).resolves.toMatchObject({ tokenUse: 'id' });
    expect(await codeOf(any.verify(token(idClaims()), { tokenUse: 'access' }))).toBe('invalid_token_use');
  });

  it('marks client-credentials tokens as machine tokens with sub = client id', async () => {
    const m2m = accessClaims({
      sub: CLIENT_ID,
      username: undefined,
      'cognito:groups': undefined,
      scope: 'api/read',
    });
    const auth = await verifier().verify(token(m2m));
    expect(auth.isMachine).toBe(true);
    expect(auth.groups).toEqual([]);
  });

  it('rejects a token for another client, and accepts any client with clientId null', async () => {
    const other = token(accessClaims({ client_id: 'someone-else' }));
    expect(await codeOf(verifier().verify(other))).toBe('invalid_client');
    expect(await codeOf(verifier({ clientId: ['a', 'b'] }).verify(other))).toBe('invalid_client');
    await expect(verifier({ clientId: null }).verify(other)).resolves.toMatchObject({
      clientId: 'someone-else',
    });
  });

  it.each([
    ['another pool', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other'],
    ['another region', `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`],
    ['a trailing slash', `${ISSUER}/`],
    ['http', ISSUER.replace('https', 'http')],
    ['different case', ISSUER.toUpperCase()],
    ['a number', 42],
    ['absent', undefined],
  ])('rejects an issuer with %s', async (_name, iss) => {
    expect(await codeOf(verifier().verify(token(accessClaims({ iss }))))).toBe('invalid_issuer');
  });

  it('accepts the global issuer form of a configured pool unless disabled', async () => {
    const global = token(
      accessClaims({ iss: `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` }),
    );
    await expect(verifier().verify(global)).resolves.toMatchObject({ userPoolId: POOL_ID });
    expect(await codeOf(verifier({ acceptGlobalIssuer: false }).verify(global))).toBe('invalid_issuer');
  });

  it('verifies tokens from several pools with per-pool settings', async () => {
    const v = verifier({
      clientId: undefined,
      userPoolId: [
        { userPoolId: POOL_ID, clientId: CLIENT_ID },
        { userPoolId: 'eu-west-1_Second', clientId: 'second-client', tokenUse: 'id' },
      ],
    });
    const second = token(
      idClaims({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Second', aud: 'second-client' }),
    );
    await expect(v.verify(second)).resolves.toMatchObject({ userPoolId: 'eu-west-1_Second' });
    await expect(v.verify(token(accessClaims()))).resolves.toMatchObject({ userPoolId: POOL_ID });
    expect(await codeOf(v.verify(token(idClaims())))).toBe('invalid_token_use');
  });

  describe('time claims', () => {
    it.each([
      ['exp missing', { exp: undefined }, 'invalid_claims'],
      ['exp a string', { exp: String(NOW + 60) }, 'invalid_claims'],
      ['exp now', { exp: NOW }, 'expired'],
      ['exp -1e13', { exp: -1e13 }, 'expired'],
      ['exp beyond Date range', { exp: 1e300 }, 'invalid_claims'],
      ['nbf 1e13', { nbf: 1e13 }, 'not_yet_valid'],
      ['nbf in a minute', { nbf: NOW + 60 }, 'not_yet_valid'],
      ['iat one hour ahead', { iat: NOW + 3600 }, 'issued_in_future'],
      ['iat a string', { iat: 'yesterday' }, 'invalid_claims'],
      ['iat NaN-ish null', { iat: null }, 'invalid_claims'],
    ])('%s → %s', async (_name, overrides, code) => {
      expect(await codeOf(verifier().verify(token(accessClaims(overrides))))).toBe(code);
    });

    it('honours clock tolerance for exp, nbf and iat', async () => {
      const v = verifier({ clockToleranceSeconds: 30 });
      await expect(
        v.verify(token(accessClaims({ exp: NOW - 10, nbf: NOW + 10, iat: NOW + 10 }))),
      ).resolves.toBeDefined();
      expect(await codeOf(v.verify(token(accessClaims({ exp: NOW - 30 }))))).toBe('expired');
    });

    it('reads the injected clock on every call', async () => {
      let now = NOW;
      const v = verifier({ now: () => now * 1000 });
      const t = token(accessClaims({ exp: NOW + 10 }));
      await expect(v.verify(t)).resolves.toBeDefined();
      now = NOW + 10;
      expect(await codeOf(v.verify(t))).toBe('expired');
    });
  });

  describe('claim types', () => {
    it.each([
      ['cognito:groups as a string', { 'cognito:groups': 'admin' }],
      ['cognito:groups with a number', { 'cognito:groups': ['admin', 1] }],
      ['scope as an array', { scope: ['a', 'b'] }],
      ['sub missing', { sub: undefined }],
      ['sub a number', { sub: 7 }],
      ['client_id missing', { client_id: undefined }],
      ['username a number', { username: 5 }],
      ['token_use missing', { token_use: undefined }],
      ['auth_time a string', { auth_time: 'x' }],
    ])('%s → invalid_claims', async (_name, overrides) => {
      expect(await codeOf(verifier({ clientId: null }).verify(token(accessClaims(overrides))))).toBe(
        'invalid_claims',
      );
    });

    it('rejects an unknown token_use value as invalid_token_use', async () => {
      expect(await codeOf(verifier().verify(token(accessClaims({ token_use: 'refresh' }))))).toBe(
        'invalid_token_use',
      );
    });
  });

  describe('isRevoked', () => {
    it('is called with the verified token and rejects revoked tokens', async () => {
      const isRevoked = vi.fn(
        async (auth: { claims: Record<string, unknown> }) => auth.claims.jti === 'jti-1',
      );
      const v = verifier({ isRevoked });
      expect(await codeOf(v.verify(token(accessClaims())))).toBe('revoked');
      await expect(v.verify(token(accessClaims({ jti: 'jti-2' })))).resolves.toBeDefined();
      expect(isRevoked).toHaveBeenCalledTimes(2);
    });

    it('fails closed when the deny-list throws', async () => {
      const v = verifier({
        isRevoked: () => {
          throw new Error('redis down');
        },
      });
      expect(await codeOf(v.verify(token(accessClaims())))).toBe('revoked');
    });
  });

  it('verifyAuthorization parses the header then verifies', async () => {
    const v = verifier();
    await expect(v.verifyAuthorization(`bearer   ${token(accessClaims())}  `)).resolves.toBeDefined();
    expect(await codeOf(v.verifyAuthorization(undefined))).toBe('missing_token');
    expect(await codeOf(v.verifyAuthorization('Basic dXNlcjpwYXNz'))).toBe('missing_token');
    expect(await codeOf(v.verifyAuthorization('Bearer a b'))).toBe('invalid_request');
  });
});

describe('claim edges', () => {
  it.each([
    ['a number', 5],
    ['an array with a number', [1]],
    ['an empty array', []],
    ['null', null],
    ['an object', { a: 1 }],
  ])(
    'an access token whose aud is %s is invalid_claims (every claim is type-checked)',
    async (_name, aud) => {
      expect(await codeOf(verifier().verify(token(accessClaims({ aud }))))).toBe('invalid_claims');
    },
  );

  it('an access token may carry aud as a string or an array of strings (resource binding)', async () => {
    const v = verifier();
    await expect(v.verify(token(accessClaims({ aud: 'https://api.example' })))).resolves.toBeDefined();
    await expect(v.verify(token(accessClaims({ aud: ['a', 'b'], jti: 'arr' })))).resolves.toBeDefined();
  });

  it('an empty sub is invalid_claims', async () => {
    expect(await codeOf(verifier().verify(token(accessClaims({ sub: '' }))))).toBe('invalid_claims');
  });

  it.each([
    ['an array', [CLIENT_ID]],
    ['a number', 42],
    ['null', null],
    ['an object', { id: CLIENT_ID }],
  ])('an ID token whose aud is %s is invalid_claims, even with clientId: null', async (_name, aud) => {
    const v = verifier({ tokenUse: 'id', clientId: null });
    expect(await codeOf(v.verify(token(idClaims({ aud }))))).toBe('invalid_claims');
  });

  it('isMachine only for access tokens without a username whose sub is the client id', async () => {
    const v = verifier({ clientId: null });
    const m2m = await v.verify(
      token(accessClaims({ sub: CLIENT_ID, username: undefined, 'cognito:groups': undefined })),
    );
    expect(m2m.isMachine).toBe(true);
    const userless = await v.verify(token(accessClaims({ username: undefined, jti: 'no-username' })));
    expect(userless.isMachine).toBe(false);
    const named = await v.verify(token(accessClaims({ sub: CLIENT_ID, jti: 'named' })));
    expect(named.isMachine).toBe(false);
  });

  it('nbf and iat boundaries: valid at exactly nbf and iat = now, refused one second off', async () => {
    const v = verifier();
    await expect(v.verify(token(accessClaims({ nbf: NOW, jti: 'n0' })))).resolves.toBeDefined();
    expect(await codeOf(v.verify(token(accessClaims({ nbf: NOW + 1, jti: 'n1' }))))).toBe('not_yet_valid');
    await expect(v.verify(token(accessClaims({ iat: NOW, jti: 'i0' })))).resolves.toBeDefined();
    expect(await codeOf(v.verify(token(accessClaims({ iat: NOW + 1, jti: 'i1' }))))).toBe('issued_in_future');
    const tolerant = verifier({ clockToleranceSeconds: 5 });
    await expect(tolerant.verify(token(accessClaims({ nbf: NOW + 5, iat: NOW + 5 })))).resolves.toBeDefined();
    expect(await codeOf(tolerant.verify(token(accessClaims({ nbf: NOW + 6, jti: 'n6' }))))).toBe(
      'not_yet_valid',
    );
    expect(await codeOf(tolerant.verify(token(accessClaims({ iat: NOW + 6, jti: 'i6' }))))).toBe(
      'issued_in_future',
    );
  });
});

describe('internal failures', () => {
  it('fail closed as malformed_token, marked unexpected, with the original error as cause', async () => {
    const bug = new TypeError('a bug in the clock');
    const v = verifier({
      now: () => {
        throw bug;
      },
    });
    const error = (await v.verify(token(accessClaims())).catch((e: unknown) => e)) as AuthError;
    expect(error).toMatchObject({ code: 'malformed_token', unexpected: true, cause: bug });
    const verdict = (await verifier()
      .verify('a.b.c')
      .catch((e: unknown) => e)) as AuthError;
    expect(verdict).toMatchObject({ code: 'malformed_token', unexpected: false });
  });
});

describe('a clock that lies', () => {
  it.each([
    ['NaN', Number.NaN],
    ['undefined', undefined],
    ['a numeric string', String(NOW * 1000)],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('a now() answering %s rejects every token (fail closed) with an AuthError', async (_name, value) => {
    const v = verifier({ now: () => value as number });
    const t = token(accessClaims());
    const error = await v.verify(t).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    // A planned verdict (the token cannot be shown to be unexpired), not a wrapped internal error.
    expect(error).toMatchObject({ code: 'expired', unexpected: false });
    expect(() => v.verifySync(t)).toThrow(AuthError);
  });
});

describe('createVerifier().verifySync', () => {
  it('verifies with loaded keys and applies rules', () => {
    const v = verifier();
    const auth = v.verifySync(token(accessClaims()), { groups: 'admin' });
    expect(auth.sub).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(() => v.verifySync(token(accessClaims()), { groups: 'root' })).toThrow(
      expect.objectContaining({ code: 'insufficient_group' }),
    );
    expect(() => v.verifySync('nope')).toThrow(expect.objectContaining({ code: 'malformed_token' }));
  });

  it('throws jwks_unavailable when the key is not loaded, and loads it for the next call', async () => {
    let fetches = 0;
    const v = verifier({
      jwks: {
        fetch: async () => {
          fetches++;
          return new Response(JSON.stringify(jwks));
        },
      },
    });
    const t = token(accessClaims());
    expect(() => v.verifySync(t)).toThrow(expect.objectContaining({ code: 'jwks_unavailable' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetches).toBe(1);
    expect(v.verifySync(t).tokenUse).toBe('access');
  });

  it('says unknown_key, as verify() does, for a kid missing from a loaded key set', async () => {
    const other = makeKey('key-other');
    const stranger = signJwt({ kid: 'key-other', alg: 'RS256' }, accessClaims(), other);
    expect(() => verifier().verifySync(stranger)).toThrow(expect.objectContaining({ code: 'unknown_key' }));
    let fetches = 0;
    const fetching = verifier({
      jwks: {
        fetch: async () => {
          fetches++;
          return new Response(JSON.stringify(jwks));
        },
      },
    });
    await fetching.hydrate();
    expect(() => fetching.verifySync(stranger)).toThrow(expect.objectContaining({ code: 'unknown_key' }));
    await expect(fetching.verify(stranger)).rejects.toMatchObject({ code: 'unknown_key' });
    // hydrate fetched both issuer forms; the unknown kid cost one refetch, shared by both calls.
    expect(fetches).toBe(3);
  });

  it('runs a synchronous isRevoked, and refuses an async one loudly', () => {
    expect(() => verifier({ isRevoked: () => true }).verifySync(token(accessClaims()))).toThrow(
      expect.objectContaining({ code: 'revoked' }),
    );
    expect(() => verifier({ isRevoked: async () => false }).verifySync(token(accessClaims()))).toThrow(
      ConfigurationError,
    );
  });
});

describe('createVerifier().verifyDirect', () => {
  it('returns the result itself when the key is loaded, and throws AuthErrors synchronously', () => {
    const v = verifier();
    const result = v.verifyDirect(token(accessClaims()));
    expect(result).not.toBeInstanceOf(Promise);
    expect((result as { sub: string }).sub).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(() => v.verifyDirect(token(accessClaims()), { groups: 'root' })).toThrow(
      expect.objectContaining({ code: 'insufficient_group' }),
    );
  });

  it('returns a promise when it has to fetch keys or ask isRevoked', async () => {
    const fetching = verifier({ jwks: { fetch: async () => new Response(JSON.stringify(jwks)) } });
    const pending = fetching.verifyDirect(token(accessClaims()));
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toMatchObject({ tokenUse: 'access' });
    const revoking = verifier({ isRevoked: async () => true });
    const revoked = revoking.verifyDirect(token(accessClaims()));
    expect(revoked).toBeInstanceOf(Promise);
    await expect(revoked).rejects.toMatchObject({ code: 'revoked' });
  });
});
