/**
 * Differential property: generated tokens, JWKS and clocks go through cognito-gate, aws-jwt-verify
 * 5.2.1 and jose 6, configured alike (peers.ts). What we accept, both must accept, with the same
 * claims; where we reject and a peer accepts (or crashes), a row of divergences.ts must say so.
 * A second property plants exactly one fault in a valid token and checks that all three name the
 * same fault, error code against error class against jose code.
 *
 * Replay a failure with PROPERTY_SEED / PROPERTY_PATH (test/support/property.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { propertyParameters } from '../support/property.js';
import { buildCase, planArbitrary } from './arbitraries.js';
import { DIVERGENCES, LOOSER, outcomeMatches } from './divergences.js';
import { describeCase, judge } from './explain.js';
import { getKeyring } from './keyring.js';
import { type Accepted, type PeerCase, runPeers, type TokenUse, useFakeDate } from './peers.js';
import {
  buildToken,
  CLIENT_ID,
  cognitoClaims,
  GLOBAL_ISSUER,
  ISSUER,
  NOW,
  OTHER_CLIENT_ID,
  POOL_ID,
} from './tokens.js';
import { LOOSER_WITNESSES, viewOf } from './witnesses.js';

const keys = getKeyring();
/** PROPERTY_RUNS scales runs and budgets (test/support/property.ts); the timeouts follow. */
const SCALE = Math.max(1, Number(process.env.PROPERTY_RUNS) || 1);

beforeAll(useFakeDate);
afterAll(() => {
  vi.useRealTimers();
});

const PROTO = '__proto__';

/** When all three accept, they must have read the same token. */
function expectSameValues(c: PeerCase, accepted: Accepted): void {
  const { ours, awsJwtVerify: aws, jose } = accepted;
  if (ours === undefined || aws === undefined || jose === undefined) return;
  for (const payload of [aws, jose]) {
    expect(ours.sub).toBe(payload.sub);
    expect(ours.tokenUse).toBe(payload.token_use);
    expect(ours.clientId).toBe(c.tokenUse === 'id' ? payload.aud : payload.client_id);
    expect(ours.expiresAt.getTime()).toBe((payload.exp as number) * 1000);
    expect(ours.groups).toEqual(payload['cognito:groups'] ?? []);
  }
  // jose keeps every member as JSON.parse made it; we drop only an own `__proto__`.
  const joseClaims: Record<string, unknown> = { ...jose };
  delete joseClaims[PROTO];
  expect({ ...ours.claims }).toEqual(joseClaims);
}

describe('cognito-gate against aws-jwt-verify 5.2.1 and jose 6', () => {
  it(
    'is never looser, and every stricter answer is a known divergence',
    async () => {
      const explained = new Map<string, number>();
      let runs = 0;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(planArbitrary, async (plan) => {
          const c = buildCase(plan, keys);
          const outcomes = await runPeers(c);
          runs++;
          if (outcomes.ours === 'accepts') accepted++;
          const view = viewOf(c);
          const { problems, explainedBy } = judge(view, outcomes);
          if (problems.length > 0) {
            throw new Error(`${problems.join('\n')}\n${describeCase(view, outcomes)}`);
          }
          for (const id of explainedBy) explained.set(id, (explained.get(id) ?? 0) + 1);
          expectSameValues(c, outcomes.accepted);
        }),
        propertyParameters(4000, 15_000),
      );
      // The generator must keep producing tokens we accept and reaching the divergences, or the
      // property proves little (a run cut short by the time budget on a loaded machine reaches fewer).
      expect(accepted).toBeGreaterThan(runs / 10);
      if (runs >= 2000) {
        expect([...explained.keys()].length, [...explained.keys()].join(' ')).toBeGreaterThanOrEqual(
          DIVERGENCES.length / 2,
        );
      }
    },
    15_000 * SCALE + 25_000,
  );
});

interface Fault {
  readonly ours: string;
  readonly awsJwtVerify: readonly string[];
  readonly jose: readonly string[];
  readonly make: (tokenUse: TokenUse, claims: Record<string, unknown>, k: number) => string;
}

const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, signer = keys.good) =>
  buildToken({ header: { alg: 'RS256', kid: signer.kid, ...header }, payload: claims, signer });

/** One fault each; the background (issuer form, token_use, groups, clock) stays valid. */
const FAULTS: Readonly<Record<string, Fault>> = {
  expired: {
    ours: 'expired',
    awsJwtVerify: ['JwtExpiredError'],
    jose: ['ERR_JWT_EXPIRED'],
    make: (_u, claims, k) => sign({ ...claims, exp: NOW - k }),
  },
  'not yet valid': {
    ours: 'not_yet_valid',
    awsJwtVerify: ['JwtNotBeforeError'],
    jose: ['ERR_JWT_CLAIM_VALIDATION_FAILED'],
    make: (_u, claims, k) => sign({ ...claims, nbf: NOW + k }),
  },
  'tampered payload': {
    ours: 'invalid_signature',
    awsJwtVerify: ['JwtInvalidSignatureError'],
    jose: ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    make: (_u, claims) => {
      const [header, , signature] = sign(claims).split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['root'] })).toString(
        'base64url',
      );
      return `${header}.${forged}.${signature}`;
    },
  },
  'signed by another key under our kid': {
    ours: 'invalid_signature',
    awsJwtVerify: ['JwtInvalidSignatureError'],
    jose: ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    make: (_u, claims) =>
      buildToken({ header: { alg: 'RS256', kid: keys.good.kid }, payload: claims, signer: keys.other }),
  },
  'unknown kid': {
    ours: 'unknown_key',
    awsJwtVerify: ['KidNotFoundInJwksError'],
    jose: ['ERR_JWKS_NO_MATCHING_KEY'],
    make: (_u, claims, k) => sign(claims, { kid: `k-unknown-${k}` }),
  },
  'HS256 with the public key as secret': {
    ours: 'unsupported_algorithm',
    awsJwtVerify: ['JwtInvalidSignatureAlgorithmError'],
    jose: ['ERR_JOSE_ALG_NOT_ALLOWED'],
    make: (_u, claims) => sign(claims, { alg: 'HS256' }),
  },
  'alg none': {
    ours: 'unsupported_algorithm',
    awsJwtVerify: ['JwtInvalidSignatureAlgorithmError'],
    jose: ['ERR_JOSE_ALG_NOT_ALLOWED'],
    make: (_u, claims) => `${sign(claims, { alg: 'none' })}AAAA`,
  },
  'another issuer': {
    ours: 'invalid_issuer',
    // aws-jwt-verify looks the issuer up before anything else and reports a miss as a parameter error.
    awsJwtVerify: ['ParameterValidationError'],
    jose: ['ERR_JWT_CLAIM_VALIDATION_FAILED'],
    make: (_u, claims, k) =>
      sign({
        ...claims,
        iss: [
          `${ISSUER}/`,
          `${GLOBAL_ISSUER}/`,
          ISSUER.toUpperCase(),
          ISSUER.replace(POOL_ID, `${POOL_ID}x`),
          ISSUER.replace('https:', 'http:'),
        ][k % 5],
      }),
  },
  'the other token_use': {
    ours: 'invalid_token_use',
    awsJwtVerify: ['CognitoJwtInvalidTokenUseError'],
    jose: ['COGNITO_TOKEN_USE'],
    make: (use, claims) => sign({ ...claims, token_use: use === 'id' ? 'access' : 'id' }),
  },
  'another client': {
    ours: 'invalid_client',
    awsJwtVerify: ['CognitoJwtInvalidClientIdError'],
    jose: ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'COGNITO_CLIENT_ID'],
    make: (use, claims) => sign({ ...claims, [use === 'id' ? 'aud' : 'client_id']: OTHER_CLIENT_ID }),
  },
  'a header that is not JSON': {
    ours: 'malformed_token',
    awsJwtVerify: ['JwtParseError'],
    jose: ['ERR_JWS_INVALID'],
    make: (_u, claims) =>
      `${Buffer.from('{"alg":').toString('base64url')}.${sign(claims).split('.').slice(1).join('.')}`,
  },
  'two segments': {
    ours: 'malformed_token',
    awsJwtVerify: ['JwtParseError'],
    jose: ['ERR_JWS_INVALID'],
    make: (_u, claims) => sign(claims).split('.').slice(0, 2).join('.'),
  },
};

describe('error semantics, one planted fault at a time', () => {
  const background = fc.record({
    tokenUse: fc.constantFrom<TokenUse>('access', 'id'),
    iss: fc.constantFrom(ISSUER, GLOBAL_ISSUER),
    groups: fc.constantFrom<unknown>(undefined, [], ['admin']),
    nowOffsetMs: fc.integer({ min: 0, max: 999 }),
    k: fc.integer({ min: 1, max: 100_000 }),
  });

  it(
    'all three name the same fault',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(FAULTS)), background, async (name, bg) => {
          const fault = FAULTS[name]!;
          const claims = cognitoClaims(bg.tokenUse, { iss: bg.iss, 'cognito:groups': bg.groups });
          const c: PeerCase = {
            token: fault.make(bg.tokenUse, claims, bg.k),
            jwks: { keys: [keys.good.jwk, keys.other.jwk] },
            tokenUse: bg.tokenUse,
            nowMs: NOW * 1000 + bg.nowOffsetMs,
          };
          const outcomes = await runPeers(c);
          expect({ fault: name, ...outcomes, accepted: undefined }).toEqual({
            fault: name,
            ours: fault.ours,
            awsJwtVerify: expect.toBeOneOf(fault.awsJwtVerify.map((e) => `throws ${e}`)),
            jose: expect.toBeOneOf(fault.jose.map((e) => `throws ${e}`)),
            accepted: undefined,
          });
        }),
        propertyParameters(500, 8_000),
      );
    },
    8_000 * SCALE + 10_000,
  );

  it('all three accept the untouched token, in both issuer forms and both token uses', async () => {
    for (const tokenUse of ['access', 'id'] as const) {
      for (const iss of [ISSUER, GLOBAL_ISSUER]) {
        const outcomes = await runPeers({
          token: sign(cognitoClaims(tokenUse, { iss })),
          jwks: { keys: [keys.good.jwk, keys.other.jwk] },
          tokenUse,
        });
        expect([outcomes.ours, outcomes.awsJwtVerify, outcomes.jose]).toEqual([
          'accepts',
          'accepts',
          'accepts',
        ]);
      }
    }
  });
});

describe('known cases where cognito-gate is looser than a peer (divergences.ts LOOSER)', () => {
  // Each entry is a bug to fix in packages/ or a peer's imprecision. When a fix lands, this test
  // fails: delete the entry, and the property above then holds the line.
  for (const entry of LOOSER) {
    for (const example of LOOSER_WITNESSES[entry.id].examples) {
      it(`${entry.id} (${entry.verdict}): ${example.name}`, async () => {
        const c = example.build({ keys, rocaJwk: undefined })!;
        const outcomes = await runPeers(c);
        expect(outcomes.ours).toBe('accepts');
        expect(
          outcomeMatches(entry.peerOutcome, outcomes[entry.rejectedBy]),
          outcomes[entry.rejectedBy],
        ).toBe(true);
        expect(LOOSER_WITNESSES[entry.id].applies(viewOf(c))).toBe(true);
      });
    }
  }
});

describe('China regions (outside the property: aws-jwt-verify 5.2.1 builds amazonaws.com issuers everywhere)', () => {
  const pool = 'cn-north-1_ChinaPool1';
  const chinaIssuer = `https://cognito-idp.cn-north-1.amazonaws.com.cn/${pool}`;
  const comIssuer = `https://cognito-idp.cn-north-1.amazonaws.com/${pool}`;

  async function answers(iss: string) {
    const token = sign(cognitoClaims('access', { iss }));
    const c: PeerCase = {
      token,
      jwks: { keys: [keys.good.jwk] },
      tokenUse: 'access',
      userPoolId: pool,
      clientId: CLIENT_ID,
    };
    return runPeers(c);
  }

  it('we accept the amazonaws.com.cn issuer Cognito uses there; aws-jwt-verify refuses it', async () => {
    const outcomes = await answers(chinaIssuer);
    expect(outcomes.ours).toBe('accepts');
    expect(outcomes.awsJwtVerify).toBe('throws ParameterValidationError');
  });

  it('we refuse an amazonaws.com issuer for a China pool; aws-jwt-verify accepts it', async () => {
    const outcomes = await answers(comIssuer);
    expect(outcomes.ours).toBe('invalid_issuer');
    expect(outcomes.awsJwtVerify).toBe('accepts');
  });
});
