import { ConfigurationError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, signJwt } from '../support/signer.js';

const base = { userPoolId: 'us-east-1_Abc123', clientId: 'client' };

function message(options: unknown): string {
  try {
    createVerifier(options as VerifierOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).name).toBe('ConfigurationError');
    return (error as Error).message;
  }
  return 'created';
}

describe('createVerifier option validation', () => {
  it.each([['us-east-1_Abc123'], ['eu-west-2_x'], ['us-gov-west-1_Abc'], ['eusc-de-east-1_Abc']])(
    'accepts pool id %s',
    (userPoolId) => {
      expect(message({ ...base, userPoolId })).toBe('created');
    },
  );

  it.each([
    ['us-east-1'],
    ['us-east-1_'],
    ['US-EAST-1_abc'],
    ['us-east-1_ab-c'],
    ['../etc'],
    [''],
    [42],
    // Anchored at both ends: a valid pool id inside a longer string is not one.
    ['xus-east-1_Abc123'],
    ['us-east-1_Abc123/../x'],
    ['eusc-d-east-1_Abc'],
  ])('rejects pool id %j', (userPoolId) => {
    expect(message({ ...base, userPoolId })).toMatch(/userPoolId/);
  });

  it('requires clientId unless it is explicitly null', () => {
    expect(message({ userPoolId: 'us-east-1_Abc123' })).toMatch(/clientId is required.*null/);
    expect(message({ userPoolId: 'us-east-1_Abc123', clientId: null })).toBe('created');
    expect(message({ ...base, clientId: [] })).toMatch(/clientId/);
    expect(message({ ...base, clientId: [''] })).toMatch(/clientId/);
  });

  it('names unknown options, including typos in nested jwks options', () => {
    expect(message({ ...base, clientID: 'x' })).toMatch(/unknown option clientID/);
    expect(message({ ...base, jwks: { ttl: 5 } })).toMatch(/unknown option ttl in jwks/);
    expect(message({ userPoolId: [{ userPoolId: 'us-east-1_A', clientId: null, client: 'x' }] })).toMatch(
      /client/,
    );
  });

  it('validates tokenUse, numbers, functions and JWKS URLs', () => {
    expect(message({ ...base, tokenUse: 'refresh' })).toMatch(/tokenUse/);
    expect(message({ ...base, clockToleranceSeconds: -1 })).toMatch(/clockToleranceSeconds/);
    expect(message({ ...base, jwks: { timeoutMs: Number.NaN } })).toMatch(/timeoutMs/);
    expect(message({ ...base, now: 5 })).toMatch(/now/);
    expect(message({ ...base, jwks: { uri: 'http://example.com/jwks.json' } })).toMatch(/https/);
    expect(message({ ...base, jwks: { uri: 'http://127.0.0.1:9999/jwks.json' } })).toBe('created');
    expect(message({ ...base, jwks: { uri: 'http://localhost/jwks.json' } })).toBe('created');
    expect(message({ ...base, jwks: { uri: 'http://[::1]:80/jwks.json' } })).toBe('created');
    expect(message({ ...base, jwks: { uri: 'https://u:p@example.com/jwks.json' } })).toMatch(/credentials/);
    expect(message({ ...base, jwks: { uri: 'https://:p@example.com/jwks.json' } })).toMatch(/credentials/);
    expect(message({ ...base, jwks: { uri: 'not a url' } })).toMatch(/jwks.uri is not a URL/);
    expect(message({ ...base, jwks: { keys: 'nope' } })).toMatch(/jwks.keys/);
    expect(message({ ...base, jwks: { fetch: 'nope' } })).toMatch(/jwks.fetch/);
  });

  it.each([
    // Plain http only to loopback: a look-alike host, another scheme or a prefix of 127/8 is refused.
    ['http://127.0.0.1.evil.example/jwks.json', /https/],
    ['http://localhost.evil.example/jwks.json', /https/],
    ['ftp://127.0.0.1/jwks.json', /https/],
    ['ws://localhost/jwks.json', /https/],
  ])('refuses the JWKS URL %s', (uri, reason) => {
    expect(message({ ...base, jwks: { uri } })).toMatch(reason);
    expect(message({ userPoolId: [{ userPoolId: 'us-east-1_A', clientId: null, jwksUri: uri }] })).toMatch(
      reason,
    );
  });

  it.each([['http://127.255.0.1:8080/jwks.json'], ['https://keys.example/jwks.json']])(
    'accepts the JWKS URL %s',
    (uri) => {
      expect(message({ ...base, jwks: { uri } })).toBe('created');
    },
  );

  it('never echoes a secret-looking value in the message', () => {
    expect(message({ ...base, userPoolId: 'sk_live_secret' })).not.toContain('sk_live_secret');
  });

  it('rejects the same pool configured twice', () => {
    expect(message({ userPoolId: ['us-east-1_A', 'us-east-1_A'], clientId: null })).toMatch(/twice/);
  });

  it('lists the JWKS URL of each issuer form, or the override', () => {
    expect(createVerifier(base).jwksUris).toEqual([
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123/.well-known/jwks.json',
      'https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123/.well-known/jwks.json',
    ]);
    expect(createVerifier({ ...base, jwks: { uri: 'https://keys.example/jwks.json' } }).jwksUris).toEqual([
      'https://keys.example/jwks.json',
    ]);
  });
});

describe('issuer hosts per AWS partition', () => {
  it.each([
    ['cn-north-1_Abc123', 'amazonaws.com.cn'],
    ['cn-northwest-1_Abc123', 'amazonaws.com.cn'],
    ['us-gov-west-1_Abc123', 'amazonaws.com'],
    ['eu-west-1_Abc123', 'amazonaws.com'],
  ])('%s issues tokens from cognito-idp.<region>.%s', (userPoolId, domain) => {
    const region = userPoolId.slice(0, userPoolId.indexOf('_'));
    expect(createVerifier({ userPoolId, clientId: null }).jwksUris).toEqual([
      `https://cognito-idp.${region}.${domain}/${userPoolId}/.well-known/jwks.json`,
      `https://issuer-cognito-idp.${region}.${domain}/${userPoolId}/.well-known/jwks.json`,
    ]);
  });

  it('a China pool verifies its .com.cn issuer and refuses the .com spelling', async () => {
    const key = makeKey('cn-key');
    const userPoolId = 'cn-north-1_Abc123';
    const v = createVerifier({
      userPoolId,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [key.jwk] }, fetch: false },
      now: () => NOW * 1000,
    });
    const sign = (iss: string) => signJwt({ kid: 'cn-key', alg: 'RS256' }, accessClaims({ iss }), key);
    await expect(
      v.verify(sign(`https://cognito-idp.cn-north-1.amazonaws.com.cn/${userPoolId}`)),
    ).resolves.toMatchObject({ userPoolId });
    await expect(
      v.verify(sign(`https://cognito-idp.cn-north-1.amazonaws.com/${userPoolId}`)),
    ).rejects.toMatchObject({
      code: 'invalid_issuer',
    });
  });
});

describe('option edge values', () => {
  it.each([
    ['options that are not an object', null],
    ['a string', 'us-east-1_Abc123'],
    ['an empty pool list', { userPoolId: [], clientId: null }],
    ['a null pool entry', { userPoolId: [null], clientId: null }],
    ['a numeric pool entry', { userPoolId: [5], clientId: null }],
    ['a numeric clientId', { ...base, clientId: 5 }],
    ['a list with a numeric clientId', { ...base, clientId: ['a', 5] }],
    ['an infinite tolerance', { ...base, clockToleranceSeconds: Number.POSITIVE_INFINITY }],
    ['a string number', { ...base, maxTokenLength: '100' }],
    ['isRevoked that is not a function', { ...base, isRevoked: true }],
    ['unknown jwks options', { ...base, jwks: { keys: [], ttlSecond: 1 } }],
  ])('refuses %s', (_name, options) => {
    expect(message(options)).not.toBe('created');
  });

  it('accepts zero where a number >= 0 is asked for', () => {
    expect(
      message({
        ...base,
        clockToleranceSeconds: 0,
        maxTokenLength: 0,
        jwks: { ttlSeconds: 0, maxStaleSeconds: 0, cooldownSeconds: 0, timeoutMs: 0, maxBytes: 0 },
      }),
    ).toBe('created');
  });

  it('gives a pool its own clientId (null included) or the shared one', async () => {
    const key = makeKey('pool-key');
    const other = 'us-west-2_Other1';
    const v = createVerifier({
      userPoolId: [{ userPoolId: 'us-east-1_Abc123', clientId: null }, { userPoolId: other }],
      clientId: 'shared-client',
      jwks: { keys: { keys: [key.jwk] }, fetch: false },
      now: () => NOW * 1000,
    });
    const sign = (iss: string, client: string) =>
      signJwt({ kid: 'pool-key', alg: 'RS256' }, accessClaims({ iss, client_id: client }), key);
    const first = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123';
    const second = `https://cognito-idp.us-west-2.amazonaws.com/${other}`;
    await expect(v.verify(sign(first, 'any-client'))).resolves.toMatchObject({ clientId: 'any-client' });
    await expect(v.verify(sign(second, 'shared-client'))).resolves.toMatchObject({
      clientId: 'shared-client',
    });
    await expect(v.verify(sign(second, 'any-client'))).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('gives a pool its own tokenUse or the shared one', () => {
    const jwks = { keys: [] };
    expect(
      message({
        userPoolId: [{ userPoolId: 'us-east-1_A', tokenUse: 'bad' }],
        clientId: null,
        jwks: { keys: jwks },
      }),
    ).toMatch(/tokenUse/);
    expect(message({ userPoolId: [{ userPoolId: 'us-east-1_A' }], clientId: null, tokenUse: 'bad' })).toMatch(
      /tokenUse/,
    );
  });

  it("prefers a pool's jwksUri to jwks.uri, and jwks.uri to the issuer's own", () => {
    const v = createVerifier({
      userPoolId: [
        { userPoolId: 'us-east-1_A', jwksUri: 'https://pool.example/jwks.json' },
        { userPoolId: 'us-east-1_B' },
      ],
      clientId: null,
      jwks: { uri: 'https://shared.example/jwks.json' },
    });
    expect(v.jwksUris).toEqual(['https://pool.example/jwks.json', 'https://shared.example/jwks.json']);
  });
});

describe('every documented option is known', () => {
  it('accepts each top-level, pool and jwks option by name', () => {
    expect(
      message({
        userPoolId: [
          { userPoolId: 'us-east-1_A', clientId: ['a', 'b'], tokenUse: 'id', jwksUri: 'https://k.example/j' },
        ],
        clientId: null,
        tokenUse: 'any',
        clockToleranceSeconds: 1,
        acceptGlobalIssuer: false,
        maxTokenLength: 100,
        jwks: {
          uri: 'https://k.example/j',
          keys: { keys: [] },
          preferFetched: true,
          ttlSeconds: 1,
          maxStaleSeconds: 1,
          timeoutMs: 1,
          maxBytes: 1,
          cooldownSeconds: 1,
          fetch: false,
        },
        cache: { maxEntries: 5 },
        isRevoked: () => false,
        revocationTimeoutMs: 10,
        now: () => 0,
        onEvent: () => {},
      }),
    ).toBe('created');
    for (const tokenUse of ['access', 'id', 'any']) expect(message({ ...base, tokenUse })).toBe('created');
  });

  it('names where an unknown option or a bad value was found', () => {
    expect(message({ ...base, clientID: 'x' })).toMatch(/unknown option clientID in verifier options/);
    expect(message({ userPoolId: [{ userPoolId: 'us-east-1_A', client: 'x' }], clientId: null })).toMatch(
      /unknown option client in a userPoolId entry/,
    );
    expect(message({ ...base, maxTokenLength: -1 })).toMatch(/maxTokenLength must be a number >= 0/);
    expect(message('us-east-1_Abc123')).toMatch(/createVerifier needs an options object/);
  });

  it('lists only the regional issuer when acceptGlobalIssuer is false', () => {
    expect(createVerifier({ ...base, acceptGlobalIssuer: false }).jwksUris).toEqual([
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123/.well-known/jwks.json',
    ]);
  });
});
