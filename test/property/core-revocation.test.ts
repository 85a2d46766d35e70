/**
 * The `isRevoked` answer rule (README, packages/core/README.md `isRevoked`): only `false`, `null`
 * and `undefined` mean "not revoked"; any other value — falsy ones like 0, '' and NaN included —
 * revokes, whether it is answered synchronously, as a Promise or as a non-Promise thenable; a
 * throw, a rejection or no answer before `revocationTimeoutMs` revokes too. The rule holds on
 * every entry point and on cached verifications.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import { accessClaims, signJwt } from '../support/signer.js';
import {
  type Clock,
  expectReached,
  generateKeys,
  KEYGEN_TIMEOUT_MS,
  keyA,
  makeVerifier,
  NOT_REVOKED,
  NOW,
  type Outcome,
  rejection,
  verdict,
  viaDirect,
  viaVerify,
} from './arbitraries-core.js';

let token = '';
beforeAll(() => {
  generateKeys();
  token = signJwt({ alg: 'RS256', kid: 'key-a' }, accessClaims(), keyA());
}, KEYGEN_TIMEOUT_MS);

/** How the hook delivers its answer. */
type Mode = 'sync' | 'promise' | 'thenable' | 'lateThenable' | 'throws' | 'rejects' | 'thenThrows' | 'never';

function hookFor(mode: Mode, answer: unknown): () => unknown {
  switch (mode) {
    case 'sync':
      return () => answer;
    case 'promise':
      return () => Promise.resolve().then(() => answer);
    case 'thenable': // a query builder: not a Promise, resolves at once
      return () => ({ then: (resolve: (value: unknown) => void) => resolve(answer) });
    case 'lateThenable':
      return () => ({ then: (resolve: (value: unknown) => void) => setTimeout(() => resolve(answer), 1) });
    case 'throws':
      return () => {
        throw answer;
      };
    case 'rejects':
      return () => Promise.reject(answer);
    case 'thenThrows':
      return () => ({
        then: () => {
          throw answer;
        },
      });
    case 'never':
      return () => new Promise(() => {});
  }
}

/** Answers worth trying: the three "no"s, every other falsy value and look-alikes, and anything. */
const answer = fc.oneof(
  fc.constantFrom<unknown>(false, null, undefined),
  fc.constantFrom<unknown>(0, -0, '', Number.NaN, 0n, 'false', 'null', [], {}, [false], true, 1),
  fc.anything({ withBoxedValues: true, withBigInt: true, withNullPrototype: true }),
);

const mode = fc.constantFrom<Mode>(
  'sync',
  'sync',
  'promise',
  'thenable',
  'lateThenable',
  'throws',
  'rejects',
  'thenThrows',
  'never',
);

describe('isRevoked answers', () => {
  it('let a token through only on a settled false, null or undefined, on every entry point', async () => {
    const seen = { passed: 0, revoked: 0 };
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(answer, mode, fc.boolean(), async (value, how, cacheFirst) => {
        // Prepare: a verifier whose hook answers `value` the `how` way, with a short deadline for
        // hooks that never answer. Sometimes the token is cached first, so the hook runs on a hit.
        cases++;
        const clock: Clock = { ms: NOW * 1000 };
        let asking = false;
        const verifier = makeVerifier(clock, {
          // A short deadline where the hook never answers; elsewhere one no loaded machine misses.
          revocationTimeoutMs: how === 'never' ? 10 : 1000,
          isRevoked: () => (asking ? hookFor(how, value)() : false),
        });
        if (cacheFirst) expect(verdict(await viaVerify(verifier, token))).toBe('ok');
        asking = true;
        // Act
        const promised = await viaVerify(verifier, token);
        const direct = await viaDirect(verifier, token);
        let sync: Outcome | 'needs verify()';
        try {
          sync = { ok: true, token: verifier.verifySync(token) };
        } catch (error) {
          // verifySync cannot wait: it refuses an asynchronous hook with a ConfigurationError
          // (documented), and otherwise throws only honest AuthErrors.
          sync = (error as Error).name === 'ConfigurationError' ? 'needs verify()' : rejection(error);
        }
        // Assess: the documented rule, the same everywhere, and synchronous when the hook is.
        const passes =
          how !== 'throws' &&
          how !== 'rejects' &&
          how !== 'thenThrows' &&
          how !== 'never' &&
          NOT_REVOKED.includes(value);
        const expected = passes ? 'ok' : 'revoked';
        expect(verdict(promised)).toBe(expected);
        expect(verdict(direct.outcome)).toBe(expected);
        expect(direct.async).toBe(how !== 'sync' && how !== 'throws');
        if (how === 'sync' || how === 'throws')
          expect(sync === 'needs verify()' ? sync : verdict(sync)).toBe(expected);
        else expect(sync).toBe('needs verify()');
        seen[passes ? 'passed' : 'revoked']++;
      }),
      propertyParameters(600, 5000),
    );
    expectReached(seen.passed, 'a "not revoked" answer', cases);
    expectReached(seen.revoked, 'a revoking answer', cases);
  }, 60_000);
});
