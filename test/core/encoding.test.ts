/**
 * A token has exactly one spelling. Node's base64 decoder keeps only the low byte of characters
 * above U+00FF and skips others, so without an alphabet check `A` and `\u0141` decode alike, and a
 * revoked or cached token comes back under a new spelling.
 */
import { createVerifier } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');
const token = signJwt({ kid: 'key-1', alg: 'RS256' }, accessClaims(), key);

function verifier() {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
  });
}

/** Replace the character at `index` by `replacement(original)`. */
function respell(index: number, replacement: (c: string) => string): string {
  return token.slice(0, index) + replacement(token[index]!) + token.slice(index + 1);
}

const high = (offset: number) => (c: string) => String.fromCharCode(offset + c.charCodeAt(0));
const dots = [token.indexOf('.'), token.lastIndexOf('.')] as const;
const positions = {
  header: 3,
  payload: dots[0] + 5,
  signature: dots[1] + 7,
  'last character': token.length - 1,
};

describe('every segment is base64url alphabet only', () => {
  for (const [segment, index] of Object.entries(positions)) {
    it.each([
      ['U+0100 + c', high(0x100)],
      ['U+FF00 + c', high(0xff00)],
      ['Latin-1 U+0080 + c', high(0x80)],
      ['a fullwidth letter', () => '\uff21'],
      ['an astral character', () => '\u{1d400}'],
      ['a lone surrogate', () => '\ud800'],
      ['NUL', () => '\0'],
    ])(`a %s in the ${segment} → malformed_token`, async (_name, replacement) => {
      const v = verifier();
      await expect(v.verify(respell(index, replacement))).rejects.toMatchObject({ code: 'malformed_token' });
      expect(() => v.verifySync(respell(index, replacement))).toThrow(
        expect.objectContaining({ code: 'malformed_token' }),
      );
    });
  }

  it('every ASCII character outside the alphabet, anywhere in a segment → malformed_token', async () => {
    const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
    const v = verifier();
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      if (alphabet.has(c) || c === '.') continue;
      for (const at of [positions.header, positions.payload, positions.signature]) {
        expect(() => v.verifySync(respell(at, () => c)), `U+${code.toString(16)}`).toThrow(
          expect.objectContaining({ code: 'malformed_token' }),
        );
      }
    }
  });

  it('an inserted character the decoder would skip → malformed_token', async () => {
    for (const extra of ['\u0100', '\u2028', '\ufeff', ' ', '=', '+', '/']) {
      const spelled = token.slice(0, dots[1] + 4) + extra + token.slice(dots[1] + 4);
      await expect(verifier().verify(spelled)).rejects.toMatchObject({ code: 'malformed_token' });
    }
  });

  it('the original still verifies, and respellings stay refused once it is cached', async () => {
    const v = verifier();
    await expect(v.verify(token)).resolves.toMatchObject({ sub: expect.any(String) });
    for (let i = 0; i < 20; i++) {
      for (const at of [dots[0] + 1 + i, dots[1] + 1 + i]) {
        await expect(v.verify(respell(at, high(0x100)))).rejects.toMatchObject({ code: 'malformed_token' });
      }
    }
    expect(v.cachedTokens).toBe(1);
  });
});
