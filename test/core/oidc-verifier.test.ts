import {
  AuthError,
  ConfigurationError,
  createOidcVerifier,
  createVerifier,
  isVerifiedToken,
  type OidcAlgorithm,
  type OidcVerifierOptions,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  atClaims,
  makeOidcKey,
  OIDC_ALGORITHMS,
  OIDC_CLIENT,
  OIDC_ISSUER,
  type OidcKey,
  signOidc,
} from '../support/oidc-signer.js';
import { b64, CLIENT_ID, NOW, POOL_ID } from '../support/signer.js';

const ALL = OIDC_ALGORITHMS;
const keys = Object.fromEntries(ALL.map((alg) => [alg, makeOidcKey(alg)])) as Record<OidcAlgorithm, OidcKey>;

function verifier(overrides: Partial<OidcVerifierOptions> = {}, jwks: OidcKey[] = Object.values(keys)) {
  return createOidcVerifier({
    issuer: OIDC_ISSUER,
    audience: AUDIENCE,
    algorithms: ALL,
    jwks: { keys: { keys: jwks.map((k) => k.jwk) }, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('createOidcVerifier: algorithms', () => {
  it.each(ALL)('verifies a %s access token signed with its key', async (alg) => {
    const auth = await verifier().verify(signOidc({ typ: 'at+jwt' }, atClaims(), keys[alg]));
    expect(auth.issuer).toBe(OIDC_ISSUER);
    expect(auth.sub).toBe('user-42');
    expect(auth.tokenUse).toBe('access');
    expect(auth.clientId).toBe(OIDC_CLIENT);
    expect(auth.scopes).toEqual(['orders:read', 'orders:write']);
    expect(auth.groups).toEqual([]);
    expect(auth.userPoolId).toBe('');
    expect(auth.header.alg).toBe(alg);
    expect(isVerifiedToken(auth)).toBe(true);
    expect(Object.isFrozen(auth)).toBe(true);
  });

  it('refuses an algorithm that is not in the issuer list, whatever the key', async () => {
    const only = verifier({ algorithms: ['ES256'] }, [keys.ES256]);
    expect(await codeOf(only.verify(signOidc({}, atClaims(), keys.RS256)))).toBe('unsupported_algorithm');
    expect(await codeOf(only.verify(signOidc({}, atClaims(), keys.ES256)))).toBe('accepted');
  });

  it('refuses alg none and HS256 signed with the RSA public key as the secret', async () => {
    const { createHmac } = await import('node:crypto');
    const header = b64({ alg: 'HS256', kid: keys.RS256.kid });
    const payload = b64(atClaims());
    const secret = keys.RS256.publicKey.export({ format: 'pem', type: 'spki' });
    const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(await codeOf(verifier().verify(`${header}.${payload}.${mac}`))).toBe('unsupported_algorithm');
    const none = `${b64({ alg: 'none', kid: keys.RS256.kid })}.${payload}.`;
    expect(await codeOf(verifier().verify(none))).toBe('malformed_token');
    const noneSigned = `${b64({ alg: 'none', kid: keys.RS256.kid })}.${payload}.AA`;
    expect(await codeOf(verifier().verify(noneSigned))).toBe('unsupported_algorithm');
  });

  it('refuses a token whose alg names another type or curve than the key its kid selects', async () => {
    // ES384 signature made with a P-256 key, presented under the P-256 key's kid.
    const curve = signOidc({}, atClaims(), keys.ES256, { alg: 'ES384' });
    expect(await codeOf(verifier().verify(curve))).toBe('invalid_key');
    // An RSA kid with an EdDSA alg.
    const type = `${b64({ alg: 'EdDSA', kid: keys.RS256.kid })}.${b64(atClaims())}.${'A'.repeat(86)}`;
    expect(await codeOf(verifier().verify(type))).toBe('invalid_key');
  });

  it("requires the token's alg to equal the JWK's alg when the JWK names one", async () => {
    // An RSA key published for RS256 only, used for a valid PS256 signature.
    const pss = signOidc({}, atClaims(), keys.RS256, { alg: 'PS256' });
    expect(await codeOf(verifier().verify(pss))).toBe('invalid_key');
    // Without alg in the JWK, the same key may sign with any RSA algorithm of the list.
    const bare = { ...keys.RS256, jwk: { ...keys.RS256.jwk, alg: undefined } };
    expect(await codeOf(verifier({}, [bare]).verify(pss))).toBe('accepted');
    expect(await codeOf(verifier({ algorithms: ['RS256'] }, [bare]).verify(pss))).toBe(
      'unsupported_algorithm',
    );
  });

  it('refuses an Ed448 key offered for EdDSA: the key is rejected, the token is invalid_key', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const pair = generateKeyPairSync('ed448');
    const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'ed448', use: 'sig' };
    const input = `${b64({ alg: 'EdDSA', kid: 'ed448' })}.${b64(atClaims())}`;
    const token = `${input}.${sign(null, Buffer.from(input), pair.privateKey).toString('base64url')}`;
    const v = verifier({}, [keys.EdDSA]);
    const withEd448 = createOidcVerifier({
      issuer: OIDC_ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      jwks: { keys: [keys.EdDSA.jwk, jwk], fetch: false },
      now: () => NOW * 1000,
    });
    expect(await codeOf(withEd448.verify(token))).toBe('invalid_key');
    expect(await codeOf(v.verify(token))).toBe('unknown_key');
  });

  it('refuses a signature made by another key', async () => {
    const other = makeOidcKey('ES256', keys.ES256.kid);
    expect(await codeOf(verifier().verify(signOidc({}, atClaims(), other)))).toBe('invalid_signature');
  });
});

describe('createOidcVerifier: typ and RFC 9068', () => {
  it.each(['JWT', 'jwt', 'application/jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt'])(
    'accepts typ %s for access tokens',
    async (typ) => {
      expect(await codeOf(verifier().verify(signOidc({ typ }, atClaims(), keys.ES256)))).toBe('accepted');
    },
  );

  it('accepts an access token without typ', async () => {
    expect(await codeOf(verifier().verify(signOidc({}, atClaims(), keys.ES256)))).toBe('accepted');
  });

  it.each(['dpop+jwt', 'logout+jwt', 'secevent+jwt', 'JOSE', 'id_token+jwt'])(
    'refuses typ %s (another kind of JWT)',
    async (typ) => {
      expect(await codeOf(verifier().verify(signOidc({ typ }, atClaims(), keys.ES256)))).toBe(
        'invalid_token_use',
      );
    },
  );

  it('refuses a non-string typ, crit and cty', async () => {
    for (const header of [{ typ: 1 }, { crit: ['exp'], exp: 1 }, { cty: 'JWT' }]) {
      expect(await codeOf(verifier().verify(signOidc(header, atClaims(), keys.ES256)))).toBe(
        'malformed_token',
      );
    }
  });

  it.each(['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'])(
    'refuses an at+jwt token without %s (RFC 9068 §2.2)',
    async (claim) => {
      const token = signOidc({ typ: 'at+jwt' }, atClaims({ [claim]: undefined }), keys.ES256);
      const code = await codeOf(verifier().verify(token));
      expect(code).toBe(claim === 'iss' ? 'invalid_issuer' : 'invalid_claims');
    },
  );

  it('lets a JWT-typed access token go without client_id, iat and jti (clientId from azp)', async () => {
    const claims = atClaims({ client_id: undefined, iat: undefined, jti: undefined, azp: 'spa' });
    const auth = await verifier().verify(signOidc({ typ: 'JWT' }, claims, keys.ES256));
    expect(auth.clientId).toBe('spa');
  });

  it('refuses JWT-typed and untyped access tokens with requireAtJwt', async () => {
    const strict = verifier({ requireAtJwt: true });
    expect(await codeOf(strict.verify(signOidc({ typ: 'JWT' }, atClaims(), keys.ES256)))).toBe(
      'invalid_token_use',
    );
    expect(await codeOf(strict.verify(signOidc({}, atClaims(), keys.ES256)))).toBe('invalid_token_use');
    expect(await codeOf(strict.verify(signOidc({ typ: 'at+jwt' }, atClaims(), keys.ES256)))).toBe('accepted');
  });

  it('checks claim types strictly', async () => {
    for (const claims of [
      { sub: 42 },
      { sub: '' },
      { client_id: ['a'] },
      { jti: 7 },
      { iat: '1' },
      { auth_time: 'yesterday' },
      { scope: ['a'] },
      { scp: 'a', scope: 1 },
      { scp: [1] },
    ]) {
      const token = signOidc({ typ: 'at+jwt' }, atClaims(claims), keys.ES256);
      expect(await codeOf(verifier().verify(token)), JSON.stringify(claims)).toBe('invalid_claims');
    }
  });
});

describe('createOidcVerifier: issuer, audience and times', () => {
  it.each([`${OIDC_ISSUER}/`, OIDC_ISSUER.toUpperCase(), 'https://login.partner.example.evil', 42])(
    'refuses iss %s (exact comparison)',
    async (iss) => {
      expect(await codeOf(verifier().verify(signOidc({}, atClaims({ iss }), keys.ES256)))).toBe(
        'invalid_issuer',
      );
    },
  );

  it('accepts an aud list containing one accepted audience, and any of several configured', async () => {
    const list = signOidc({}, atClaims({ aud: ['other', AUDIENCE] }), keys.ES256);
    expect(await codeOf(verifier().verify(list))).toBe('accepted');
    const second = signOidc({}, atClaims({ aud: 'api-2' }), keys.ES256);
    expect(await codeOf(verifier({ audience: [AUDIENCE, 'api-2'] }).verify(second))).toBe('accepted');
  });

  it('refuses a missing, foreign, empty or ill-typed aud', async () => {
    const cases: [unknown, string][] = [
      [undefined, 'invalid_claims'],
      ['https://api.other.example', 'invalid_client'],
      [['x', 'y'], 'invalid_client'],
      [[], 'invalid_claims'],
      [[AUDIENCE, 1], 'invalid_claims'],
      [{ aud: AUDIENCE }, 'invalid_claims'],
    ];
    for (const [aud, code] of cases) {
      const token = signOidc({}, atClaims({ aud }), keys.ES256);
      expect(await codeOf(verifier().verify(token)), JSON.stringify(aud)).toBe(code);
    }
  });

  it('applies exp, nbf and iat with the tolerance', async () => {
    const v = verifier({ clockToleranceSeconds: 30 });
    expect(await codeOf(v.verify(signOidc({}, atClaims({ exp: NOW - 31 }), keys.ES256)))).toBe('expired');
    expect(await codeOf(v.verify(signOidc({}, atClaims({ exp: NOW - 29 }), keys.ES256)))).toBe('accepted');
    expect(await codeOf(v.verify(signOidc({}, atClaims({ nbf: NOW + 60 }), keys.ES256)))).toBe(
      'not_yet_valid',
    );
    expect(await codeOf(v.verify(signOidc({}, atClaims({ iat: NOW + 60 }), keys.ES256)))).toBe(
      'issued_in_future',
    );
  });
});

describe('createOidcVerifier: ID tokens', () => {
  const idClaims = (o: Record<string, unknown> = {}) =>
    atClaims({ aud: OIDC_CLIENT, client_id: undefined, jti: undefined, scope: undefined, nonce: 'n', ...o });

  it('verifies an ID token, reporting tokenUse id and aud as the client', async () => {
    const auth = await verifier({ tokenUse: 'id', audience: OIDC_CLIENT }).verify(
      signOidc({}, idClaims(), keys.RS256),
    );
    expect(auth.tokenUse).toBe('id');
    expect(auth.clientId).toBe(OIDC_CLIENT);
    expect(auth.isMachine).toBe(false);
  });

  it('refuses an at+jwt access token where ID tokens are expected, and an ID token without iat', async () => {
    const v = verifier({ tokenUse: 'id', audience: OIDC_CLIENT });
    expect(await codeOf(v.verify(signOidc({ typ: 'at+jwt' }, idClaims(), keys.RS256)))).toBe(
      'invalid_token_use',
    );
    expect(await codeOf(v.verify(signOidc({}, idClaims({ iat: undefined }), keys.RS256)))).toBe(
      'invalid_claims',
    );
  });

  it('takes the client from azp when aud lists several audiences', async () => {
    const v = verifier({ tokenUse: 'id', audience: OIDC_CLIENT });
    const auth = await v.verify(
      signOidc({}, idClaims({ aud: [OIDC_CLIENT, 'other'], azp: OIDC_CLIENT }), keys.RS256),
    );
    expect(auth.clientId).toBe(OIDC_CLIENT);
  });
});

describe('createOidcVerifier: groups, scopes, username and rules', () => {
  it('reads groups only from the configured claim', async () => {
    const token = signOidc({}, atClaims({ groups: ['admin'], roles: ['x'] }), keys.ES256);
    expect((await verifier().verify(token)).groups).toEqual([]);
    expect((await verifier({ groupsClaim: 'groups' }).verify(token)).groups).toEqual(['admin']);
    const bad = signOidc({}, atClaims({ groups: 'admin' }), keys.ES256);
    expect(await codeOf(verifier({ groupsClaim: 'groups' }).verify(bad))).toBe('invalid_claims');
    const inherited = signOidc({}, atClaims(), keys.ES256);
    expect((await verifier({ groupsClaim: 'constructor' }).verify(inherited)).groups).toEqual([]);
  });

  it('reads scopes from scope, else from scp as a list or a space-separated string', async () => {
    const list = signOidc({}, atClaims({ scope: undefined, scp: ['a', 'b'] }), keys.ES256);
    expect((await verifier().verify(list)).scopes).toEqual(['a', 'b']);
    const text = signOidc({}, atClaims({ scope: undefined, scp: 'a  b' }), keys.ES256);
    expect((await verifier().verify(text)).scopes).toEqual(['a', 'b']);
    const both = signOidc({}, atClaims({ scope: 'x', scp: ['y'] }), keys.ES256);
    expect((await verifier().verify(both)).scopes).toEqual(['x']);
  });

  it('applies group and scope rules, and reports the username claim when configured', async () => {
    const v = verifier({ groupsClaim: 'groups', usernameClaim: 'preferred_username' });
    const token = signOidc({}, atClaims({ groups: ['staff'], preferred_username: 'alice' }), keys.ES256);
    expect((await v.verify(token, { groups: 'staff', scopes: 'orders:read' })).username).toBe('alice');
    expect(await codeOf(v.verify(token, { groups: 'admin' }))).toBe('insufficient_group');
    expect(await codeOf(v.verify(token, { scopes: 'orders:delete' }))).toBe('insufficient_scope');
    expect(await codeOf(v.verify(token, { tokenUse: 'id' }))).toBe('invalid_token_use');
  });

  it('marks client-credentials tokens (sub = client_id) as machine tokens', async () => {
    const auth = await verifier().verify(signOidc({}, atClaims({ sub: OIDC_CLIENT }), keys.ES256));
    expect(auth.isMachine).toBe(true);
  });
});

describe('createOidcVerifier: the Verifier contract', () => {
  it('verifies synchronously with loaded keys, caches results and runs isRevoked on every call', async () => {
    let calls = 0;
    const v = verifier({
      isRevoked: () => {
        calls++;
        return false;
      },
    });
    const token = signOidc({}, atClaims(), keys.EdDSA);
    const first = v.verifySync(token);
    expect(v.cachedTokens).toBe(1);
    expect(v.verifySync(token)).toBe(first);
    expect(await v.verifyAuthorization(`Bearer ${token}`)).toBe(first);
    expect(calls).toBe(3);
    expect(v.issuers).toEqual([OIDC_ISSUER]);
    v.close();
  });

  it('fails closed when isRevoked says so', async () => {
    const v = verifier({ isRevoked: () => true });
    expect(await codeOf(v.verify(signOidc({}, atClaims(), keys.ES256)))).toBe('revoked');
  });
});

describe('createOidcVerifier: options', () => {
  const base = { issuer: OIDC_ISSUER, audience: AUDIENCE, algorithms: ['ES256'] } as OidcVerifierOptions;
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no audience', { audience: undefined }, /audience/],
    ['an empty audience list', { audience: [] }, /audience/],
    ['no algorithms', { algorithms: undefined }, /algorithms/],
    ['an empty algorithm list', { algorithms: [] }, /algorithms/],
    ['HS256', { algorithms: ['HS256'] }, /HS256/],
    ['none', { algorithms: ['none'] }, /none/],
    ['ES256K', { algorithms: ['ES256K'] }, /ES256K/],
    ['an inherited name', { algorithms: ['toString'] }, /toString/],
    ['an empty issuer', { issuer: '' }, /issuer/],
    ['an unknown option', { audiences: ['x'] }, /audiences/],
    ['an http JWKS URL off loopback', { jwks: { uri: 'http://idp.example/jwks' } }, /https/],
    ['an http issuer off loopback (discovery)', { issuer: 'http://idp.example' }, /discovery URL/],
    ['tokenUse any', { tokenUse: 'any' }, /tokenUse/],
    ['requireAtJwt for ID tokens', { tokenUse: 'id', requireAtJwt: true }, /requireAtJwt/],
    ['no JWKS source', { jwks: { fetch: false } }, /jwks/],
    ['an unknown jwks option', { jwks: { uri: 'https://idp.example/jwks', ttl: 1 } }, /ttl/],
    ['discovery beside jwks.uri', { discovery: {}, jwks: { uri: 'https://idp.example/jwks' } }, /discovery/],
  ])('refuses %s at construction', (_name, overrides, message) => {
    expect(() => createOidcVerifier({ ...base, ...overrides } as OidcVerifierOptions)).toThrow(
      ConfigurationError,
    );
    expect(() => createOidcVerifier({ ...base, ...overrides } as OidcVerifierOptions)).toThrow(message);
  });

  it('needs no network for an explicit JWKS URL or shipped keys', () => {
    expect(createOidcVerifier({ ...base, jwks: { uri: 'https://idp.example/jwks' } }).jwksUris).toEqual([
      'https://idp.example/jwks',
    ]);
    expect(createOidcVerifier({ ...base, jwks: { keys: [], fetch: false } }).jwksUris).toEqual([]);
    expect(createOidcVerifier({ ...base, issuer: 'http://127.0.0.1:9229/realm' }).jwksUris).toEqual([]);
  });
});

describe('the Cognito path is unchanged', () => {
  it('a Cognito verifier still refuses EC and OKP keys and every alg but RS256', async () => {
    const cognito = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [keys.ES256.jwk, keys.EdDSA.jwk, keys.PS256.jwk] }, fetch: false },
      now: () => NOW * 1000,
    });
    const iss = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
    const claims = { iss, sub: 's', client_id: CLIENT_ID, token_use: 'access', exp: NOW + 60, iat: NOW };
    expect(await codeOf(cognito.verify(signOidc({}, claims, keys.ES256)))).toBe('unsupported_algorithm');
    expect(await codeOf(cognito.verify(signOidc({}, claims, keys.EdDSA)))).toBe('unsupported_algorithm');
    // An EC key published under an RS256 kid is refused by the RSA-only policy.
    const ecAsRs = { ...keys.ES256, jwk: { ...keys.ES256.jwk, alg: 'RS256' } };
    const rsaClaims = signOidc({ alg: 'RS256' }, claims, { ...ecAsRs, kid: ecAsRs.kid }, { alg: 'RS256' });
    const withEcKey = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: [ecAsRs.jwk], fetch: false },
      now: () => NOW * 1000,
    });
    expect(await codeOf(withEcKey.verify(rsaClaims))).toBe('invalid_key');
  });
});
