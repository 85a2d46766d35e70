/**
 * Micro benchmark of the non-Cognito path: one verification of an RFC 9068 access token signed with
 * ES256 (P-256) and with EdDSA (Ed25519), cognito-gate's `createOidcVerifier` (alone and behind
 * `combineVerifiers` next to a Cognito pool) against `crypto.verify` with the same KeyObject, and
 * jose for reference. Each candidate's ratio is to the limit of its own algorithm.
 */
import { verify as cryptoVerify, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { combineVerifiers, createOidcVerifier, createVerifier } from '@cognito-gate/core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CLIENT_ID, makeKeys, POOL_ID } from './fixtures.js';
import { type Candidate, type Measurement, measure } from './measure.js';

const OIDC_ISSUER = 'https://login.partner.example';
const AUDIENCE = 'https://api.example.com';

export interface OidcMicroResult extends Measurement {
  readonly alg: 'ES256' | 'EdDSA';
  readonly ratioToLimit: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Fixture {
  readonly alg: 'ES256' | 'EdDSA';
  readonly publicKey: KeyObject;
  readonly jwk: Record<string, unknown>;
  readonly token: string;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

function fixture(alg: 'ES256' | 'EdDSA'): Fixture {
  const pair =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const kid = `bench-${alg}`;
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ typ: 'at+jwt', alg, kid })}.${b64({
    iss: OIDC_ISSUER,
    sub: '00001111-2222-3333-4444-555566667777',
    aud: AUDIENCE,
    client_id: 'partner-client-000001',
    scope: 'orders:read orders:write',
    exp: now + 86_400,
    iat: now - 60,
    jti: 'jti-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  })}`;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), pair.privateKey);
  return {
    alg,
    publicKey: pair.publicKey,
    jwk,
    token: `${input}.${signature.toString('base64url')}`,
    signingInput: Buffer.from(input),
    signature,
  };
}

export async function runMicroOidc(options: { rounds: number; sliceMs: number }): Promise<OidcMicroResult[]> {
  const fixtures = [fixture('ES256'), fixture('EdDSA')];
  const cognitoKeys = makeKeys();
  const candidates: (Candidate & { alg: 'ES256' | 'EdDSA' })[] = [];
  for (const f of fixtures) {
    const base = {
      issuer: OIDC_ISSUER,
      audience: AUDIENCE,
      algorithms: [f.alg],
      jwks: { keys: [f.jwk], fetch: false as const },
      cache: false as const,
    };
    const alone = createOidcVerifier(base);
    const combined = combineVerifiers([
      createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        jwks: { keys: cognitoKeys.jwks, fetch: false },
      }),
      createOidcVerifier(base),
    ]);
    const jwks = createLocalJWKSet({ keys: [f.jwk] } as never);
    const limit =
      f.alg === 'ES256'
        ? () =>
            cryptoVerify(
              'sha256',
              f.signingInput,
              { key: f.publicKey, dsaEncoding: 'ieee-p1363' },
              f.signature,
            )
        : () => cryptoVerify(null, f.signingInput, f.publicKey, f.signature);
    candidates.push(
      { alg: f.alg, name: `${f.alg} crypto.verify (limit)`, op: limit },
      { alg: f.alg, name: `${f.alg} cognito-gate OIDC verify (cache off)`, op: () => alone.verify(f.token) },
      {
        alg: f.alg,
        name: `${f.alg} cognito-gate OIDC verifySync (cache off)`,
        op: () => alone.verifySync(f.token),
      },
      {
        alg: f.alg,
        name: `${f.alg} cognito-gate combined verifySync (cache off)`,
        op: () => combined.verifySync(f.token),
      },
      {
        alg: f.alg,
        name: `${f.alg} jose 6 jwtVerify`,
        op: () => jwtVerify(f.token, jwks, { issuer: OIDC_ISSUER, audience: AUDIENCE, algorithms: [f.alg] }),
      },
    );
  }
  const results = await measure(candidates, options.rounds, options.sliceMs);
  return results.map((r, i) => {
    const alg = candidates[i]!.alg;
    const limit = results.find((l, j) => candidates[j]!.alg === alg && l.name.endsWith('(limit)'))!;
    return { ...r, alg, ratioToLimit: r.opsPerSecond / limit.opsPerSecond };
  });
}
