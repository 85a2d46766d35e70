/**
 * A token has exactly one spelling: any change to the text of a verified token — 1 to 3 edits
 * (insert, delete, replace with any character, respell an ASCII character above U+00FF, flip
 * case, swap segments) — makes it fail with an honest AuthError on every entry point, cached
 * original or not. Where the reference decoder calls the result malformed, the code is
 * `malformed_token` (scure-base's slow-parity pattern: change one character of a valid input).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import { accessClaims, idClaims, signJwt } from '../support/signer.js';
import {
  type Clock,
  expectReached,
  generateKeys,
  hostileChar,
  KEYGEN_TIMEOUT_MS,
  keyA,
  keyB,
  makeVerifier,
  NOW,
  referenceDecode,
  verdict,
  viaDirect,
  viaSync,
  viaVerify,
} from './arbitraries-core.js';

const clock: Clock = { ms: NOW * 1000 };
// Cache on, and the originals verified first: a mutant that shares its last 43 characters with a
// cached original lands on the same cache slot and must still miss.
const verifier = makeVerifier(clock, { tokenUse: 'any' });

let originals: string[] = [];
beforeAll(async () => {
  generateKeys();
  originals = [
    signJwt({ alg: 'RS256', kid: 'key-a' }, accessClaims(), keyA()),
    signJwt({ alg: 'RS256', kid: 'key-b', typ: 'JWT' }, idClaims({ nested: { a: [1, 'é'] } }), keyB()),
    signJwt({ kid: 'key-a', alg: 'RS256' }, accessClaims({ scope: 'a b', 'cognito:groups': ['ü'] }), keyA()),
  ];
  for (const token of originals) expect(verdict(await viaVerify(verifier, token))).toBe('ok');
}, KEYGEN_TIMEOUT_MS);

type Edit =
  | { kind: 'insert'; at: number; char: string }
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; char: string }
  | { kind: 'respell'; at: number; high: number }
  | { kind: 'flipCase'; at: number }
  | { kind: 'swapSegments'; first: number; second: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: hostileChar }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: hostileChar }),
  // `A` as U+0141 and the like: Node's decoder keeps only the low byte of such characters.
  fc.record({ kind: fc.constant('respell' as const), at: fc.nat(), high: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('flipCase' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapSegments' as const), first: fc.nat(2), second: fc.nat(2) }),
);

function apply(token: string, change: Edit): string {
  if (change.kind === 'swapSegments') {
    const parts = token.split('.');
    if (parts.length < 3) return token;
    [parts[change.first], parts[change.second]] = [parts[change.second]!, parts[change.first]!];
    return parts.join('.');
  }
  // Positions wrap, so every edit lands somewhere (inserts may also land at the very end).
  const at = change.at % (token.length + (change.kind === 'insert' ? 1 : 0) || 1);
  const char = token[at] ?? '';
  switch (change.kind) {
    case 'insert':
      return token.slice(0, at) + change.char + token.slice(at);
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1);
    case 'replace':
      return token.slice(0, at) + change.char + token.slice(at + 1);
    case 'respell':
      return (
        token.slice(0, at) +
        String.fromCharCode(char.charCodeAt(0) + 0x100 * change.high) +
        token.slice(at + 1)
      );
    case 'flipCase': {
      const flipped = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
      return token.slice(0, at) + flipped + token.slice(at + 1);
    }
  }
}

describe('any change to a verified token', () => {
  it('makes every entry point refuse it', async () => {
    let changed = 0;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), async (which, edits) => {
        // Prepare
        const original = originals[which % originals.length]!;
        const mutant = edits.reduce(apply, original);
        cases++;
        fc.pre(mutant !== original);
        changed++;
        // Act
        const direct = await viaDirect(verifier, mutant);
        const promised = await viaVerify(verifier, mutant);
        const sync = viaSync(verifier, mutant);
        // Assess: refused everywhere (each helper already failed the case on a non-AuthError or an
        // `unexpected` one), with one code, and malformed where the reference decoder says so.
        expect(verdict(direct.outcome)).not.toBe('ok');
        expect([verdict(promised), verdict(sync)]).toEqual([
          verdict(direct.outcome),
          verdict(direct.outcome),
        ]);
        if (referenceDecode(mutant) === undefined) expect(verdict(direct.outcome)).toBe('malformed_token');
      }),
      propertyParameters(4000, 4000),
    );
    expectReached(changed, 'a changed token', cases);
  }, 60_000);
});
