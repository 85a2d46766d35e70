/**
 * Real Cognito tokens (../shared/fixtures/real/cognito-*.json, each with its own pool's JWKS) and
 * the real ID tokens inside AWS-published API Gateway events, through all three verifiers. Skips
 * visibly when ../shared is absent (test/support/shared.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { decodeToken, parseBearer } from '@cognito-gate/core';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeShared, hasShared, readShared, SHARED_DIR } from '../support/shared.js';
import { getKeyring } from './keyring.js';
import { type PeerCase, runPeers, type TokenUse, useFakeDate } from './peers.js';
import type { Jwks } from './tokens.js';

interface RealFixture {
  token: string;
  jwks: Jwks;
  tokenUse: TokenUse;
  userPoolId: string;
  clientId: string;
  exp: number;
}

const REAL = 'fixtures/real';
const EVENTS = `${REAL}/events`;

const fixtures = hasShared
  ? readdirSync(`${SHARED_DIR}/${REAL}`)
      .filter((f) => /^cognito-\d+\.json$/.test(f))
      .map((file) => [file, readShared<RealFixture>(`${REAL}/${file}`)] as const)
  : [];

function caseOf(fixture: RealFixture, nowSeconds: number, tokenUse = fixture.tokenUse): PeerCase {
  return {
    token: fixture.token,
    jwks: fixture.jwks,
    tokenUse,
    userPoolId: fixture.userPoolId,
    clientId: fixture.clientId,
    nowMs: nowSeconds * 1000,
  };
}

beforeAll(useFakeDate);
afterAll(() => {
  vi.useRealTimers();
});

describeShared('real Cognito tokens through all three verifiers (fixtures/real/cognito-*.json)', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(11);
  });

  it.each(fixtures)(
    '%s verifies with all three just before its exp, and they read the same claims',
    async (_f, fixture) => {
      const { ours, awsJwtVerify, jose, accepted } = await runPeers(caseOf(fixture, fixture.exp - 10));
      expect([ours, awsJwtVerify, jose]).toEqual(['accepts', 'accepts', 'accepts']);
      for (const payload of [accepted.awsJwtVerify!, accepted.jose!]) {
        expect(accepted.ours!.sub).toBe(payload.sub);
        expect(accepted.ours!.clientId).toBe(fixture.tokenUse === 'id' ? payload.aud : payload.client_id);
        expect(accepted.ours!.expiresAt.getTime()).toBe((payload.exp as number) * 1000);
        expect(accepted.ours!.groups).toEqual(payload['cognito:groups'] ?? []);
      }
      expect({ ...accepted.ours!.claims }).toEqual(accepted.jose);
    },
  );

  it.each(fixtures)('%s is rejected by all three a second after its exp', async (_f, fixture) => {
    const outcomes = await runPeers(caseOf(fixture, fixture.exp + 1));
    expect([outcomes.ours, outcomes.awsJwtVerify, outcomes.jose]).toEqual([
      'expired',
      'throws JwtExpiredError',
      'throws ERR_JWT_EXPIRED',
    ]);
  });

  it.each(fixtures)(
    '%s at exactly its exp: expired for us and jose, accepted by aws-jwt-verify (row exp-now)',
    async (_f, fixture) => {
      const outcomes = await runPeers(caseOf(fixture, fixture.exp));
      expect([outcomes.ours, outcomes.awsJwtVerify, outcomes.jose]).toEqual([
        'expired',
        'accepts',
        'throws ERR_JWT_EXPIRED',
      ]);
    },
  );

  it.each(fixtures)('%s is rejected by all three with the other token_use', async (_f, fixture) => {
    const other = fixture.tokenUse === 'id' ? 'access' : 'id';
    const outcomes = await runPeers(caseOf(fixture, fixture.exp - 10, other));
    expect(outcomes.ours).toBe('invalid_token_use');
    expect(outcomes.awsJwtVerify).toBe('throws CognitoJwtInvalidTokenUseError');
    // jose checks `audience` (asked of ID tokens; access tokens have no aud) before our token_use check.
    expect(outcomes.jose).toBe(
      other === 'id' ? 'throws ERR_JWT_CLAIM_VALIDATION_FAILED' : 'throws COGNITO_TOKEN_USE',
    );
  });

  it.each(fixtures)('%s is rejected by all three under another pool’s JWKS', async (_f, fixture) => {
    const others = fixtures
      .filter(([, f]) => f.userPoolId !== fixture.userPoolId)
      .map(([, f]) => f.jwks.keys);
    const outcomes = await runPeers({ ...caseOf(fixture, fixture.exp - 10), jwks: { keys: others.flat() } });
    expect([outcomes.ours, outcomes.awsJwtVerify, outcomes.jose]).toEqual([
      'unknown_key',
      'throws KidNotFoundInJwksError',
      'throws ERR_JWKS_NO_MATCHING_KEY',
    ]);
  });
});

/** Every JWT-shaped string in a JSON value (bare, or after `Bearer `), with where it was found. */
function tokensIn(value: unknown, path = '$'): Array<{ path: string; token: string }> {
  if (typeof value === 'string') {
    const token = /^Bearer /i.test(value) ? parseBearer(value) : value;
    return /^eyJ[\w-]*\.eyJ[\w-]*\.[\w-]+$/.test(token) ? [{ path, token }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) => tokensIn(member, `${path}.${key}`));
}

const eventTokens = hasShared
  ? readdirSync(`${SHARED_DIR}/${EVENTS}`)
      .filter((f) => f.endsWith('.json'))
      .flatMap((file) => {
        const text = readFileSync(`${SHARED_DIR}/${EVENTS}/${file}`, 'utf8').replace(/^\uFEFF/, '');
        return tokensIn(JSON.parse(text)).map(({ path, token }) => [`${file} ${path}`, token] as const);
      })
  : [];

describeShared('real tokens inside AWS-published API Gateway events (fixtures/real/events)', () => {
  it('finds them', () => {
    // dotnet-rest-proxy-cognito-claims-{access,noaccess} and ptts-rest-cognito-authorizer-auth.
    expect(eventTokens.length).toBeGreaterThanOrEqual(3);
  });

  it.each(eventTokens)('%s: the three decoders read the same header and claims', (_where, token) => {
    const ours = decodeToken(token);
    const aws = decomposeUnverifiedJwt(token);
    expect({ ...ours.header }).toEqual(aws.header);
    expect({ ...ours.header }).toEqual(decodeProtectedHeader(token));
    expect({ ...ours.payload }).toEqual(aws.payload);
    expect({ ...ours.payload }).toEqual(decodeJwt(token));
  });

  it.each(eventTokens)(
    '%s: with its pool configured, all three agree on a missing key and on a wrong one',
    async (_where, token) => {
      const payload = decodeJwt(token);
      const kid = decodeProtectedHeader(token).kid!;
      const base = {
        token,
        tokenUse: payload.token_use as TokenUse,
        userPoolId: String(payload.iss).split('/').at(-1)!,
        clientId: String(payload.aud ?? payload.client_id),
        nowMs: ((payload.exp as number) - 10) * 1000,
      };
      const missing = await runPeers({ ...base, jwks: { keys: [getKeyring().good.jwk] } });
      expect([missing.ours, missing.awsJwtVerify, missing.jose]).toEqual([
        'unknown_key',
        'throws KidNotFoundInJwksError',
        'throws ERR_JWKS_NO_MATCHING_KEY',
      ]);
      // A key under the token's kid that did not sign it: the signature check must fail everywhere.
      const impostor = { ...getKeyring().other.jwk, kid };
      const wrong = await runPeers({ ...base, jwks: { keys: [impostor] } });
      expect([wrong.ours, wrong.awsJwtVerify, wrong.jose]).toEqual([
        'invalid_signature',
        'throws JwtInvalidSignatureError',
        'throws ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      ]);
    },
  );
});
