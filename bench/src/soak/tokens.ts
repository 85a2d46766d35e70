/**
 * The soak's tokens, all minted before the run so that signing never competes with the load:
 * thousands of distinct users' access tokens from the test issuer (a quarter may list orders, a tenth
 * are admins), expired ones, forgeries (an attacker's key under the pool's kid; a genuine token with
 * an edited payload), tokens naming random kids, tokens over 16 KiB, and for each rotation a key the
 * JWKS does not publish yet with a few hundred users' tokens signed by it.
 */
import {
  encodeSegments,
  generateKid,
  generateSigningKey,
  type SigningKey,
  signToken,
  type TestIssuer,
} from '@cognito-gate/testing';
import type { TokenPools } from './mix.js';

export interface MintOptions {
  readonly users: number;
  /** Keys to rotate in during the run. */
  readonly rotations: number;
  /** Users holding a token signed by each rotated key. */
  readonly rotatedUsers: number;
}

/** Tokens of the hostile kinds in each pool (distinct strings, so no cache can help). */
const HOSTILE = 256;
/** Past the verifier's default maxTokenLength of 16,384 characters. */
const OVERSIZED_PADDING = 17_000;

const segments = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segments(token)[1], 'base64url').toString('utf8'));

function userClaims(i: number) {
  const hex = i.toString(16).padStart(12, '0');
  return {
    sub: `5a0c1e2d-0000-4000-8000-${hex}`,
    username: `user${i}`,
    scopes: i % 4 === 0 ? ['aws.cognito.signin.user.admin', 'orders/read'] : undefined,
    groups: i % 10 === 0 ? ['admin'] : undefined,
  };
}

/**
 * Mint every pool. Takes a few seconds (one RSA signature per token).
 *
 * @example
 * const { pools, rotatedKeys } = await mintPools(issuer, { users: 4000, rotations: 3, rotatedUsers: 300 });
 */
export async function mintPools(
  issuer: TestIssuer,
  options: MintOptions,
): Promise<{ pools: TokenPools; rotatedKeys: SigningKey[] }> {
  const valid: string[] = [];
  for (let i = 0; i < options.users; i++) valid.push(await issuer.accessToken(userClaims(i)));

  const twoHoursAgo = Math.floor(Date.now() / 1000) - 7200;
  const expired: string[] = [];
  for (let i = 0; i < HOSTILE; i++) {
    expired.push(await issuer.accessToken({ ...userClaims(i), issuedAt: twoHoursAgo }));
  }

  // The pool's own kid over an attacker's signature.
  const attacker = await generateSigningKey();
  const forgedKey: string[] = [];
  for (let i = 0; i < HOSTILE; i++) {
    const [header] = segments(valid[i]!);
    forgedKey.push(await signToken(header, payloadOf(valid[i]!), attacker.privateKey));
  }

  // A genuine token promoted after signing (another username, the admin group), its signature kept.
  const tampered = valid.slice(0, HOSTILE).map((token) => {
    const [header, , signature] = segments(token);
    const claims = { ...payloadOf(token), username: 'root', 'cognito:groups': ['admin', 'root'] };
    return encodeSegments(header, claims, signature);
  });

  // Unknown kids: rejected before any signature check, but each asks for a JWKS refetch.
  const randomKid = valid.slice(0, HOSTILE).map((token) => {
    const [, payload, signature] = segments(token);
    return encodeSegments({ kid: generateKid(), alg: 'RS256' }, payload, signature);
  });

  const oversized: string[] = [];
  for (let i = 0; i < 4; i++) {
    oversized.push(
      await issuer.accessToken({ ...userClaims(i), claims: { padding: 'x'.repeat(OVERSIZED_PADDING + i) } }),
    );
  }

  const rotatedKeys: SigningKey[] = [];
  const rotated: string[][] = [];
  for (let c = 0; c < options.rotations; c++) {
    const key = await generateSigningKey();
    rotatedKeys.push(key);
    const tokens: string[] = [];
    for (let i = 0; i < options.rotatedUsers; i++) {
      tokens.push(await signToken({ kid: key.kid, alg: 'RS256' }, payloadOf(valid[i]!), key.privateKey));
    }
    rotated.push(tokens);
  }

  return {
    pools: {
      valid,
      rotated,
      expired,
      'forged-key': forgedKey,
      tampered,
      'random-kid': randomKid,
      oversized,
    },
    rotatedKeys,
  };
}
