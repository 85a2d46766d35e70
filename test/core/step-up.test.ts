/**
 * Step-up rules (RFC 9470): `acr`, `amr` and `maxAge` against `auth_time`, their strict compilation,
 * the `insufficient_user_authentication` 401 and its challenge, the verifier's own clock (cached
 * results and adapters' later `checkRules` included), and monotonicity.
 */
import {
  AUTH_ERROR_CODES,
  AuthError,
  type AuthRules,
  ConfigurationError,
  checkRules,
  compileRules,
  createVerifier,
  type VerifiedToken,
  type VerifierOptions,
  wwwAuthenticate,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, idClaims, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('step-up-key');

function verifier(overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    tokenUse: 'any',
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
    ...overrides,
  });
}

const token = (overrides: Record<string, unknown> = {}) =>
  signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(overrides), key);

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

async function outcome(claims: Record<string, unknown>, rules: AuthRules): Promise<string> {
  try {
    await verifier().verify(token(claims), rules);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('step-up rules: compilation', () => {
  it.each<[string, unknown]>([
    ['acr as an empty string', { acr: '' }],
    ['acr as an empty list', { acr: [] }],
    ['acr with a non-string', { acr: ['urn:a', 1] }],
    ['acr with a space (acr_values is space-separated)', { acr: 'gold silver' }],
    ['acr with non-ASCII', { acr: 'niveau-élevé' }],
    ['acr as anyOf (a token has one acr: a list already means any)', { acr: { anyOf: ['a'] } }],
    ['amr as an empty list', { amr: [] }],
    ['amr with an unknown operator', { amr: { oneOf: ['mfa'] } }],
    ['amr with an empty value', { amr: ['mfa', ''] }],
    ['maxAge negative', { maxAge: -1 }],
    ['maxAge fractional', { maxAge: 1.5 }],
    ['maxAge NaN', { maxAge: Number.NaN }],
    ['maxAge Infinity', { maxAge: Number.POSITIVE_INFINITY }],
    ['maxAge as a string', { maxAge: '300' }],
    ['a misspelt rule', { max_age: 300 }],
    ['a misspelt rule', { maxage: 300 }],
    ['a misspelt rule', { acrValues: ['a'] }],
  ])('refuses %s with a ConfigurationError', (_name, rules) => {
    expect(() => compileRules(rules as AuthRules)).toThrow(ConfigurationError);
  });

  it('accepts every well-formed step-up rule, alone or with the others', () => {
    expect(() =>
      compileRules({
        groups: 'admin',
        acr: ['urn:acr:mfa', 'urn:acr:hwk'],
        amr: { anyOf: ['mfa', 'hwk'] },
        maxAge: 0,
      }),
    ).not.toThrow();
    expect(() => compileRules({ acr: 'urn:acr:mfa' })).not.toThrow();
    expect(() => compileRules({ amr: 'mfa' })).not.toThrow();
    expect(() => compileRules({ maxAge: 86_400 })).not.toThrow();
  });
});

describe('step-up rules: verdicts', () => {
  it.each<[string, Record<string, unknown>, AuthRules, string]>([
    ['acr accepted', { acr: 'urn:acr:mfa' }, { acr: 'urn:acr:mfa' }, 'ok'],
    ['acr one of several', { acr: 'urn:acr:hwk' }, { acr: ['urn:acr:mfa', 'urn:acr:hwk'] }, 'ok'],
    [
      'acr not accepted',
      { acr: 'urn:acr:pwd' },
      { acr: ['urn:acr:mfa'] },
      'insufficient_user_authentication',
    ],
    ['acr absent (Cognito access tokens)', {}, { acr: 'urn:acr:mfa' }, 'insufficient_user_authentication'],
    ['acr of the wrong type', { acr: ['urn:acr:mfa'] }, { acr: 'urn:acr:mfa' }, 'invalid_claims'],
    ['amr all present', { amr: ['pwd', 'mfa'] }, { amr: ['pwd', 'mfa'] }, 'ok'],
    [
      'amr string means required',
      { amr: ['pwd', 'otp'] },
      { amr: 'mfa' },
      'insufficient_user_authentication',
    ],
    [
      'amr allOf partly met',
      { amr: ['pwd'] },
      { amr: { allOf: ['pwd', 'mfa'] } },
      'insufficient_user_authentication',
    ],
    ['amr anyOf met', { amr: ['pwd', 'hwk'] }, { amr: { anyOf: ['mfa', 'hwk'] } }, 'ok'],
    [
      'amr anyOf unmet',
      { amr: ['pwd'] },
      { amr: { anyOf: ['mfa', 'hwk'] } },
      'insufficient_user_authentication',
    ],
    ['amr empty', { amr: [] }, { amr: { anyOf: ['mfa'] } }, 'insufficient_user_authentication'],
    ['amr absent (Cognito access tokens)', {}, { amr: 'mfa' }, 'insufficient_user_authentication'],
    ['amr as a string', { amr: 'mfa' }, { amr: 'mfa' }, 'invalid_claims'],
    ['amr with a non-string', { amr: ['mfa', 1] }, { amr: 'mfa' }, 'invalid_claims'],
    ['sign-in younger than maxAge', { auth_time: NOW - 60 }, { maxAge: 300 }, 'ok'],
    ['sign-in exactly maxAge old', { auth_time: NOW - 300 }, { maxAge: 300 }, 'ok'],
    [
      'sign-in one second too old',
      { auth_time: NOW - 301 },
      { maxAge: 300 },
      'insufficient_user_authentication',
    ],
    ['maxAge 0 and a sign-in this second', { auth_time: NOW }, { maxAge: 0 }, 'ok'],
    [
      'maxAge 0 and an older sign-in',
      { auth_time: NOW - 1 },
      { maxAge: 0 },
      'insufficient_user_authentication',
    ],
    [
      'no auth_time fails closed',
      { auth_time: undefined },
      { maxAge: 86_400 },
      'insufficient_user_authentication',
    ],
    [
      'all three met',
      { acr: 'a', amr: ['mfa'], auth_time: NOW - 5 },
      { acr: 'a', amr: 'mfa', maxAge: 10 },
      'ok',
    ],
  ])('%s → %s', async (_name, claims, rules, expected) => {
    expect(await outcome(claims, rules)).toBe(expected);
  });

  it('reads the same rules on ID tokens (OIDC sign-ins carry acr/amr there)', async () => {
    const id = signJwt({ kid: key.kid, alg: 'RS256' }, idClaims({ acr: 'urn:acr:mfa', amr: ['mfa'] }), key);
    await expect(
      verifier().verify(id, { acr: 'urn:acr:mfa', amr: 'mfa', maxAge: 300 }),
    ).resolves.toBeDefined();
  });

  it('answers a group or scope failure first: signing in again would not fix those', async () => {
    expect(await outcome({}, { groups: 'root', acr: 'urn:acr:mfa' })).toBe('insufficient_group');
    expect(await outcome({}, { scopes: 'orders/admin', maxAge: 1 })).toBe('insufficient_scope');
    expect(await outcome({}, { claims: { tier: 'gold' }, amr: 'mfa' })).toBe('forbidden');
    expect(await outcome({}, { tokenUse: 'id', amr: 'mfa' })).toBe('invalid_token_use');
  });
});

describe('insufficient_user_authentication', () => {
  it('is a 401 with the RFC 9470 error attribute', () => {
    expect(AUTH_ERROR_CODES.insufficient_user_authentication).toEqual({
      status: 401,
      bearer: 'insufficient_user_authentication',
      description: 'A stronger or more recent authentication is required',
    });
    const error = new AuthError('insufficient_user_authentication');
    expect(error.status).toBe(401);
    expect(error.statusCode).toBe(401);
    expect(error.bearerError).toBe('insufficient_user_authentication');
    expect(error.toJSON()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'A stronger or more recent authentication is required',
    });
  });

  it('carries every step-up requirement of the rules, whichever one failed', async () => {
    const error = await rejection(
      verifier().verify(token({ acr: 'urn:acr:mfa', auth_time: NOW - 900 }), {
        acr: ['urn:acr:mfa', 'urn:acr:hwk'],
        maxAge: 300,
      }),
    );
    expect(error.code).toBe('insufficient_user_authentication');
    expect(error.detail).toBe('authentication is older than maxAge');
    expect(error.acrValues).toEqual(['urn:acr:mfa', 'urn:acr:hwk']);
    expect(error.maxAge).toBe(300);
    expect(error.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_user_authentication", ' +
        'error_description="A stronger or more recent authentication is required", ' +
        'acr_values="urn:acr:mfa urn:acr:hwk", max_age="300"',
    );
  });

  it('sends only the attributes the rules have', async () => {
    const amrOnly = await rejection(verifier().verify(token(), { amr: 'mfa' }));
    expect(wwwAuthenticate(amrOnly, { includeDescription: false })).toBe(
      'Bearer realm="api", error="insufficient_user_authentication"',
    );
    const ageOnly = await rejection(verifier().verify(token({ auth_time: undefined }), { maxAge: 0 }));
    expect(wwwAuthenticate(ageOnly, { realm: 'orders', includeDescription: false })).toBe(
      'Bearer realm="orders", error="insufficient_user_authentication", max_age="0"',
    );
  });

  it('escapes acr values inside the quoted-string', () => {
    const error = new AuthError('insufficient_user_authentication', { acrValues: ['a"b', 'c\\d'] });
    expect(wwwAuthenticate(error, { includeDescription: false })).toBe(
      'Bearer realm="api", error="insufficient_user_authentication", acr_values="a\\"b c\\\\d"',
    );
    const compiled = compileRules({ acr: 'x"y' });
    const auth = { claims: { acr: 'other' } } as unknown as VerifiedToken;
    try {
      checkRules(auth, compiled);
      expect.unreachable();
    } catch (e) {
      expect((e as AuthError).headers['www-authenticate']).toContain('acr_values="x\\"y"');
    }
  });

  it('keeps acr_values and max_age to the step-up code', () => {
    const other = new AuthError('insufficient_scope', { acrValues: ['a'], maxAge: 5 });
    expect(other.acrValues).toBeUndefined();
    expect(other.maxAge).toBeUndefined();
    expect(wwwAuthenticate(other)).not.toMatch(/acr_values|max_age/);
  });
});

describe("step-up rules use the verifier's clock", () => {
  it('measures the age with the injected clock, not the system clock', async () => {
    // The system clock says the sign-in is new; the verifier's clock says it is ten minutes old.
    const realNow = Math.floor(Date.now() / 1000);
    const v = verifier({ now: () => (realNow + 600) * 1000 });
    const fresh = token({ auth_time: realNow, iat: realNow, exp: realNow + 3600 });
    expect((await rejection(v.verify(fresh, { maxAge: 300 }))).code).toBe('insufficient_user_authentication');
    await expect(v.verify(fresh, { maxAge: 900 })).resolves.toBeDefined();
  });

  it('re-reads the clock on cached verifications', async () => {
    let nowSeconds = NOW;
    const v = verifier({ now: () => nowSeconds * 1000 });
    const t = token({ auth_time: NOW - 100 });
    await expect(v.verify(t, { maxAge: 120 })).resolves.toBeDefined();
    nowSeconds = NOW + 30;
    expect(v.cachedTokens).toBe(1);
    expect((await rejection(v.verify(t, { maxAge: 120 }))).code).toBe('insufficient_user_authentication');
  });

  it('follows a verified token into checkRules (how adapters apply per-route rules)', async () => {
    let nowSeconds = NOW;
    const v = verifier({ now: () => nowSeconds * 1000 });
    const auth = await v.verify(token({ auth_time: NOW - 100 }));
    const rules = compileRules({ maxAge: 120 });
    expect(() => checkRules(auth, rules)).not.toThrow();
    nowSeconds = NOW + 30;
    expect(() => checkRules(auth, rules)).toThrow(
      expect.objectContaining({ code: 'insufficient_user_authentication' }),
    );
    // A spread copy is no verified token, and gets the system clock: NOW is far from today.
    expect(() => checkRules({ ...auth }, rules)).not.toThrow();
  });

  it('works through verifySync and verifyDirect', async () => {
    const v = verifier();
    const old = token({ auth_time: NOW - 1000 });
    expect(() => v.verifySync(old, { maxAge: 60 })).toThrow(
      expect.objectContaining({ code: 'insufficient_user_authentication' }),
    );
    expect(() => v.verifyDirect(old, { maxAge: 60 })).toThrow(
      expect.objectContaining({ code: 'insufficient_user_authentication' }),
    );
    expect(v.verifySync(old, { maxAge: 1000 }).sub).toBeDefined();
  });
});

describe('step-up rules are monotonic', () => {
  const tokens: Record<string, unknown>[] = [
    {},
    { acr: 'a' },
    { acr: 'b', amr: ['pwd'] },
    { acr: 'a', amr: ['pwd', 'mfa'], auth_time: NOW - 10 },
    { amr: ['mfa'], auth_time: NOW - 1000 },
    { auth_time: undefined, amr: ['hwk'] },
    { acr: 7 },
    { amr: 'mfa' },
  ];
  const requirements: AuthRules[] = [
    { acr: 'a' },
    { acr: ['a', 'b'] },
    { amr: 'mfa' },
    { amr: { anyOf: ['mfa', 'hwk'] } },
    { maxAge: 60 },
    { maxAge: 5000 },
    { groups: 'admin' },
    { scopes: { anyOf: ['orders/read'] } },
  ];
  // Adding a requirement (a key the base does not have) may only keep or turn a pass into a rejection.
  it('never turns a rejection into a pass when a requirement is added', async () => {
    for (const claims of tokens) {
      for (const base of requirements) {
        const before = await outcome(claims, base);
        for (const extra of requirements) {
          const key = Object.keys(extra)[0] as keyof AuthRules;
          if (key in base) continue;
          const after = await outcome(claims, { ...base, ...extra });
          if (before !== 'ok')
            expect(after, `${JSON.stringify(claims)} ${JSON.stringify({ ...base, ...extra })}`).not.toBe(
              'ok',
            );
        }
      }
    }
  });
});
