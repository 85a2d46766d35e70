/**
 * Micro benchmark: one verification of a Cognito access token, cognito-gate against the physical
 * limit (`crypto.verify` with a ready KeyObject), a bare hand pipeline and the peers, interleaved in
 * one process. Every candidate is set up with its keys already loaded (no I/O in the loop).
 */
import { verify as cryptoVerify } from 'node:crypto';
import { createVerifier } from '@cognito-gate/core';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { createLocalJWKSet, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { accessToken, CLIENT_ID, ISSUER, makeKeys, POOL_ID } from './fixtures.js';
import { type Candidate, type Measurement, measure } from './measure.js';

export interface MicroResult extends Measurement {
  readonly ratioToLimit: number;
}

export async function runMicro(options: { rounds: number; sliceMs: number }): Promise<MicroResult[]> {
  const keys = makeKeys();
  const token = accessToken(keys, 1);
  const users = Array.from({ length: 1000 }, (_, i) => accessToken(keys, i));
  const dot = token.lastIndexOf('.');
  const signingInput = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');

  const base = { userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: { keys: keys.jwks, fetch: false as const } };
  const uncached = createVerifier({ ...base, cache: false });
  const cached = createVerifier(base);
  const mixed = createVerifier(base);
  let next = 0;

  const aws = CognitoJwtVerifier.create({ userPoolId: POOL_ID, tokenUse: 'access', clientId: CLIENT_ID });
  aws.cacheJwks(keys.jwks as never);
  const jwks = createLocalJWKSet(keys.jwks as never);
  const fastUncached = createFastJwtVerifier({
    key: keys.publicPem,
    algorithms: ['RS256'],
    allowedIss: ISSUER,
  });
  const fastCached = createFastJwtVerifier({
    key: keys.publicPem,
    algorithms: ['RS256'],
    allowedIss: ISSUER,
    cache: 10_000,
  });

  const candidates: Candidate[] = [
    {
      name: 'crypto.verify (limit)',
      op: () => cryptoVerify('RSA-SHA256', signingInput, keys.publicKey, signature),
    },
    {
      name: 'hand pipeline (decode + JSON.parse + verify, no checks)',
      op: () => {
        const first = token.indexOf('.');
        const last = token.lastIndexOf('.');
        JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString());
        JSON.parse(Buffer.from(token.slice(first + 1, last), 'base64url').toString());
        return cryptoVerify(
          'RSA-SHA256',
          Buffer.from(token.slice(0, last)),
          keys.publicKey,
          Buffer.from(token.slice(last + 1), 'base64url'),
        );
      },
    },
    { name: 'cognito-gate verify (cache off)', op: () => uncached.verify(token) },
    { name: 'cognito-gate verifySync (cache off)', op: () => uncached.verifySync(token) },
    { name: 'cognito-gate verify (cache on, same token)', op: () => cached.verify(token) },
    { name: 'cognito-gate verify (cache on, 1,000 users)', op: () => mixed.verify(users[next++ % 1000]!) },
    { name: 'aws-jwt-verify 5.2.1 verifySync', op: () => aws.verifySync(token) },
    { name: 'jose 6 jwtVerify', op: () => jwtVerify(token, jwks, { issuer: ISSUER, algorithms: ['RS256'] }) },
    { name: 'fast-jwt (cache off)', op: () => fastUncached(token) },
    { name: 'fast-jwt (cache on, same token)', op: () => fastCached(token) },
    {
      name: 'jsonwebtoken (KeyObject)',
      op: () => jsonwebtoken.verify(token, keys.publicKey, { algorithms: ['RS256'] }),
    },
    {
      name: 'jsonwebtoken (PEM string)',
      op: () => jsonwebtoken.verify(token, keys.publicPem, { algorithms: ['RS256'] }),
    },
  ];
  const results = await measure(candidates, options.rounds, options.sliceMs);
  const limit = results[0]!.opsPerSecond;
  return results.map((r) => ({ ...r, ratioToLimit: r.opsPerSecond / limit }));
}
