/**
 * Properties of the OIDC path, across every algorithm of the table:
 * - a valid token verifies on every entry point, and the result reads the token's claims exactly;
 * - any 1–3 character edits of a valid token never verify, and end in a 401 AuthError;
 * - in a combined verifier, a token is never accepted under the settings of an issuer other than
 *   its own: whatever `iss` it names and whichever issuer's key signed it, it passes only when the
 *   key belongs to the issuer it names.
 */
import {
  AuthError,
  combineVerifiers,
  createOidcVerifier,
  type OidcAlgorithm,
  type VerifiedToken,
} from '@cognito-gate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  atClaims,
  makeOidcKey,
  OIDC_ALGORITHMS,
  type OidcKey,
  signOidc,
} from '../support/oidc-signer.js';
import { propertyParameters } from '../support/property.js';
import { NOW } from '../support/signer.js';

const ALGS = OIDC_ALGORITHMS;
const ISSUERS = ['https://a.idp.example', 'https://b.idp.example/tenant', 'http://127.0.0.1:9000/realms/c'];
/** One key per (issuer, algorithm); the kids collide across issuers on purpose. */
const keys = ISSUERS.map(() =>
  Object.fromEntries(ALGS.map((alg) => [alg, makeOidcKey(alg, `k-${alg}`)])),
) as Record<OidcAlgorithm, OidcKey>[];

const verifiers = ISSUERS.map((issuer, i) =>
  createOidcVerifier({
    issuer,
    audience: AUDIENCE,
    algorithms: ALGS,
    groupsClaim: 'groups',
    jwks: { keys: ALGS.map((alg) => keys[i]![alg].jwk), fetch: false },
    now: () => NOW * 1000,
  }),
);
const combined = combineVerifiers(verifiers);

const claimArbitrary = fc.record({
  sub: fc.string({ minLength: 1, maxLength: 16 }),
  scopes: fc.uniqueArray(fc.stringMatching(/^[a-z:/]{1,10}$/), { maxLength: 4 }),
  groups: fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  exp: fc.integer({ min: NOW + 1, max: NOW + 10 ** 6 }),
  aud: fc.oneof(fc.constant(AUDIENCE), fc.constant([AUDIENCE, 'x']), fc.constant(['y', AUDIENCE])),
});

async function verdict(
  run: () => Promise<VerifiedToken> | VerifiedToken,
): Promise<VerifiedToken | AuthError> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return error;
  }
}

describe('OIDC verification properties', () => {
  it('a valid token verifies everywhere and the result reads its claims', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ISSUERS.length - 1),
        fc.constantFrom(...ALGS),
        fc.constantFrom(undefined, 'JWT', 'at+jwt'),
        claimArbitrary,
        async (i, alg, typ, c) => {
          const claims = atClaims({
            iss: ISSUERS[i],
            sub: c.sub,
            scope: c.scopes.join(' '),
            groups: c.groups,
            exp: c.exp,
            aud: c.aud,
          });
          const token = signOidc(typ === undefined ? {} : { typ }, claims, keys[i]![alg]);
          for (const run of [
            () => combined.verify(token),
            () => combined.verifySync(token),
            () => verifiers[i]!.verify(token),
          ]) {
            const auth = await verdict(run);
            expect(auth).not.toBeInstanceOf(AuthError);
            const ok = auth as VerifiedToken;
            expect(ok.issuer).toBe(ISSUERS[i]);
            expect(ok.sub).toBe(c.sub);
            expect(ok.scopes).toEqual(c.scopes);
            expect(ok.groups).toEqual(c.groups);
            expect(ok.expiresAt.getTime()).toBe(c.exp * 1000);
          }
        },
      ),
      propertyParameters(100),
    );
  });

  it('1–3 edits of a valid token never verify and always end in a 401', async () => {
    const chars = fc.constantFrom(...'AZaz09-_.=+/ é\u0100'.split(''));
    const edit = fc.record({
      kind: fc.constantFrom('insert', 'delete', 'replace'),
      at: fc.nat(),
      char: chars,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALGS),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        async (alg, edits) => {
          const original = signOidc({ typ: 'at+jwt' }, atClaims({ iss: ISSUERS[0] }), keys[0]![alg]);
          let token = original;
          for (const e of edits) {
            const at = e.at % (token.length + 1);
            token =
              e.kind === 'insert'
                ? token.slice(0, at) + e.char + token.slice(at)
                : e.kind === 'delete'
                  ? token.slice(0, at) + token.slice(at + 1)
                  : token.slice(0, at) + e.char + token.slice(at + 1);
          }
          fc.pre(token !== original);
          const result = await verdict(() => combined.verify(token));
          expect(result).toBeInstanceOf(AuthError);
          expect((result as AuthError).status).toBe(401);
          expect((result as AuthError).unexpected).toBeFalsy();
        },
      ),
      propertyParameters(300),
    );
  });

  it("a token verifies only with a key of the issuer it names, never under another issuer's settings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ISSUERS.length - 1),
        fc.nat(ISSUERS.length - 1),
        fc.constantFrom(...ALGS),
        async (named, signer, alg) => {
          const token = signOidc({}, atClaims({ iss: ISSUERS[named] }), keys[signer]![alg]);
          const result = await verdict(() => combined.verify(token));
          if (named === signer) {
            expect((result as VerifiedToken).issuer).toBe(ISSUERS[named]);
          } else {
            expect(result).toBeInstanceOf(AuthError);
            expect((result as AuthError).code).toBe('invalid_signature');
          }
        },
      ),
      propertyParameters(150),
    );
  });
});
