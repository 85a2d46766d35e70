/**
 * Differential property for the OIDC path: generated tokens (every algorithm of the table, the three
 * accepted `typ` spellings, varied audiences and times) go through `createOidcVerifier` and jose 6's
 * `jwtVerify` with a local JWKS, configured alike. On valid tokens both accept and read the same
 * claims; with exactly one planted fault both reject and name the same fault (our code against
 * jose's code and claim), following the Cognito differential suite (peers.test.ts).
 *
 * Configured alike: issuer, audience, algorithm list, clock, tolerance 0; jose's `requiredClaims`
 * and `typ` mirror our RFC 9068 rules for `at+jwt` tokens, and `sub` is required for every token.
 * Replay a failure with PROPERTY_SEED / PROPERTY_PATH (test/support/property.ts).
 */
import { AuthError, createOidcVerifier, type OidcAlgorithm } from '@cognito-gate/core';
import fc from 'fast-check';
import { createLocalJWKSet, type errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  atClaims,
  flipS,
  makeOidcKey,
  OIDC_ALGORITHMS,
  OIDC_ISSUER,
  type OidcKey,
  signatureOf,
  signOidc,
  withSignature,
} from '../support/oidc-signer.js';
import { propertyParameters } from '../support/property.js';
import { NOW } from '../support/signer.js';

const ALGS = OIDC_ALGORITHMS;
const keys = Object.fromEntries(ALGS.map((alg) => [alg, makeOidcKey(alg)])) as Record<OidcAlgorithm, OidcKey>;
/** A second key per algorithm, published under the same kid nowhere: signs "wrong key" faults. */
const strangers = Object.fromEntries(ALGS.map((alg) => [alg, makeOidcKey(alg)])) as Record<
  OidcAlgorithm,
  OidcKey
>;
const jwks = { keys: ALGS.map((alg) => keys[alg].jwk) };

const ours = createOidcVerifier({
  issuer: OIDC_ISSUER,
  audience: [AUDIENCE, 'api-2'],
  algorithms: ALGS,
  jwks: { keys: jwks, fetch: false },
  cache: false,
  now: () => NOW * 1000,
});
const joseKeys = createLocalJWKSet(jwks as never);

type Typ = undefined | 'JWT' | 'at+jwt';

interface Case {
  readonly alg: OidcAlgorithm;
  readonly typ: Typ;
  readonly claims: Record<string, unknown>;
  readonly token: string;
}

type Verdict = { ok: true; payload: Record<string, unknown> } | { ok: false; code: string };

async function viaOurs(token: string): Promise<Verdict> {
  try {
    const auth = await ours.verify(token);
    return { ok: true, payload: auth.claims as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    expect(error.unexpected, `unexpected failure: ${String(error.cause)}`).toBeFalsy();
    return { ok: false, code: error.code };
  }
}

async function viaJose(token: string, typ: Typ): Promise<Verdict> {
  try {
    const { payload } = await jwtVerify(token, joseKeys, {
      issuer: OIDC_ISSUER,
      audience: [AUDIENCE, 'api-2'],
      algorithms: [...ALGS],
      currentDate: new Date(NOW * 1000),
      requiredClaims: typ === 'at+jwt' ? ['sub', 'client_id', 'iat', 'jti', 'exp'] : ['sub', 'exp'],
      ...(typ === 'at+jwt' ? { typ: 'at+jwt' } : {}),
    });
    return { ok: true, payload: payload as Record<string, unknown> };
  } catch (error) {
    const e = error as errors.JOSEError & { claim?: string };
    return { ok: false, code: e.claim === undefined ? e.code : `${e.code}:${e.claim}` };
  }
}

const claimsArbitrary = fc.record({
  sub: fc.string({ minLength: 1, maxLength: 12 }),
  aud: fc.oneof(
    fc.constantFrom(AUDIENCE, 'api-2'),
    fc.constant([AUDIENCE, 'other']),
    fc.constant(['other', 'api-2']),
  ),
  exp: fc.integer({ min: NOW + 1, max: NOW + 86_400 }),
  iat: fc.integer({ min: NOW - 86_400, max: NOW }),
  nbf: fc.option(fc.integer({ min: NOW - 86_400, max: NOW }), { nil: undefined }),
  scope: fc.option(fc.constantFrom('a', 'a b', 'orders:read orders:write'), { nil: undefined }),
  jti: fc.string({ minLength: 1, maxLength: 8 }),
  client_id: fc.string({ minLength: 1, maxLength: 8 }),
});

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    alg: fc.constantFrom(...ALGS),
    typ: fc.constantFrom<Typ>(undefined, 'JWT', 'at+jwt'),
    claims: claimsArbitrary,
  })
  .map(({ alg, typ, claims }) => {
    const full = atClaims(claims);
    return { alg, typ, claims: full, token: signOidc(typ === undefined ? {} : { typ }, full, keys[alg]) };
  });

type Fault =
  | 'signature bit'
  | 'wrong key'
  | 'alg of another key type'
  | 'alg not listed'
  | 'iss'
  | 'aud'
  | 'expired'
  | 'nbf'
  | 'missing sub'
  | 'der signature';

/** Plant one fault; returns the token and the (our code, jose code) pair both must answer. */
function plant(c: Case, fault: Fault): { token: string; ours: string; jose: string } | undefined {
  const header = c.typ === undefined ? {} : { typ: c.typ };
  const resign = (claims: Record<string, unknown>) => signOidc(header, claims, keys[c.alg]);
  switch (fault) {
    case 'signature bit': {
      const signature = signatureOf(c.token);
      signature[signature.length >> 1]! ^= 0x10;
      return {
        token: withSignature(c.token, signature),
        ours: 'invalid_signature',
        jose: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      };
    }
    case 'wrong key':
      return {
        token: signOidc({ ...header, kid: keys[c.alg].kid }, c.claims, strangers[c.alg]),
        ours: 'invalid_signature',
        jose: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      };
    case 'alg of another key type': {
      const other: OidcAlgorithm = c.alg.startsWith('ES') ? 'EdDSA' : c.alg === 'EdDSA' ? 'RS256' : 'ES256';
      // Signed by the other algorithm's key, but naming this key's kid.
      const token = signOidc({ ...header, kid: keys[c.alg].kid }, c.claims, keys[other]);
      return { token, ours: 'invalid_key', jose: 'ERR_JWKS_NO_MATCHING_KEY' };
    }
    case 'alg not listed':
      return {
        token: resign(c.claims).replace(
          /^[^.]+/,
          b64Header({ alg: 'HS256', kid: keys[c.alg].kid, ...header }),
        ),
        ours: 'unsupported_algorithm',
        jose: 'ERR_JOSE_ALG_NOT_ALLOWED',
      };
    case 'iss':
      return {
        token: resign({ ...c.claims, iss: `${OIDC_ISSUER}/` }),
        ours: 'invalid_issuer',
        jose: 'ERR_JWT_CLAIM_VALIDATION_FAILED:iss',
      };
    case 'aud':
      return {
        token: resign({ ...c.claims, aud: 'https://elsewhere.example' }),
        ours: 'invalid_client',
        jose: 'ERR_JWT_CLAIM_VALIDATION_FAILED:aud',
      };
    case 'expired':
      return {
        token: resign({ ...c.claims, exp: NOW, iat: NOW - 10, nbf: undefined }),
        ours: 'expired',
        jose: 'ERR_JWT_EXPIRED:exp',
      };
    case 'nbf':
      return {
        token: resign({ ...c.claims, nbf: NOW + 5 }),
        ours: 'not_yet_valid',
        jose: 'ERR_JWT_CLAIM_VALIDATION_FAILED:nbf',
      };
    case 'missing sub': {
      const { sub: _sub, ...rest } = c.claims;
      return { token: resign(rest), ours: 'invalid_claims', jose: 'ERR_JWT_CLAIM_VALIDATION_FAILED:sub' };
    }
    case 'der signature': {
      if (!c.alg.startsWith('ES')) return undefined;
      return {
        token: signOidc(header, c.claims, keys[c.alg], { der: true }),
        ours: 'invalid_signature',
        jose: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      };
    }
  }
}

function b64Header(header: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(header)).toString('base64url');
}

describe('OIDC path against jose 6 (differential)', () => {
  it('both accept every valid token and read the same claims', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const [mine, theirs] = await Promise.all([viaOurs(c.token), viaJose(c.token, c.typ)]);
        expect(mine).toEqual(theirs);
        expect(mine.ok).toBe(true);
      }),
      propertyParameters(150),
    );
  });

  it('both reject one planted fault and name the same fault', async () => {
    const faults: Fault[] = [
      'signature bit',
      'wrong key',
      'alg of another key type',
      'alg not listed',
      'iss',
      'aud',
      'expired',
      'nbf',
      'missing sub',
      'der signature',
    ];
    await fc.assert(
      fc.asyncProperty(caseArbitrary, fc.constantFrom(...faults), async (c, fault) => {
        const planted = plant(c, fault);
        if (planted === undefined) return;
        const [mine, theirs] = await Promise.all([viaOurs(planted.token), viaJose(planted.token, c.typ)]);
        expect({ fault, code: mine.ok ? 'accepted' : mine.code }).toEqual({ fault, code: planted.ours });
        expect({ fault, code: theirs.ok ? 'accepted' : theirs.code }).toEqual({ fault, code: planted.jose });
      }),
      propertyParameters(200),
    );
  });

  it('both accept the high-S twin of an ECDSA signature (our documented choice matches jose)', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArbitrary.filter((c) => c.alg.startsWith('ES')),
        async (c) => {
          const twin = withSignature(c.token, flipS(c.alg, signatureOf(c.token)));
          const [mine, theirs] = await Promise.all([viaOurs(twin), viaJose(twin, c.typ)]);
          expect(mine.ok).toBe(true);
          expect(theirs.ok).toBe(true);
        },
      ),
      propertyParameters(30),
    );
  });
});
