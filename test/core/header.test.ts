/**
 * JOSE header policy beyond alg/kid: members Cognito never sends and we cannot honour are refused,
 * and the parsed-header cache cannot be disabled by a flood of distinct headers.
 */
import { createVerifier, decodeToken } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { accessClaims, b64, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('key-1');
const verifier = createVerifier({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  jwks: { keys: { keys: [key.jwk] }, fetch: false },
  now: () => NOW * 1000,
});
const signed = (header: Record<string, unknown>) =>
  signJwt({ kid: 'key-1', alg: 'RS256', ...header }, accessClaims(), key);

describe('header members', () => {
  it.each([
    ['typ as a number', { typ: 1 }],
    ['typ as an object', { typ: { JWT: true } }],
    ['typ as null', { typ: null }],
    ['cty JWT (a nested token)', { cty: 'JWT' }],
    ['any cty', { cty: 'json' }],
  ])('a signed token with %s → malformed_token', async (_name, header) => {
    await expect(verifier.verify(signed(header))).rejects.toMatchObject({
      code: 'malformed_token',
      unexpected: false,
    });
  });

  it('a kid of 256 characters is looked up; 257 is malformed_token before any lookup', async () => {
    await expect(verifier.verify(signed({ kid: 'k'.repeat(256) }))).rejects.toMatchObject({
      code: 'unknown_key',
    });
    await expect(verifier.verify(signed({ kid: 'k'.repeat(257) }))).rejects.toMatchObject({
      code: 'malformed_token',
    });
    await expect(verifier.verify(signed({ kid: '' }))).rejects.toMatchObject({ code: 'malformed_token' });
  });

  it('a string typ is accepted (RFC 7519 makes it advisory)', async () => {
    await expect(verifier.verify(signed({ typ: 'JWT' }))).resolves.toMatchObject({ tokenUse: 'access' });
  });
});

describe('the parsed-header cache', () => {
  it('keeps caching the headers in use after a flood of distinct junk headers', () => {
    const good = signed({});
    for (let i = 0; i < 500; i++) {
      try {
        decodeToken(`${b64({ alg: 'RS256', kid: `junk-${i}` })}.${b64({})}.AAAA`);
      } catch {
        // only the side effect on the cache matters here
      }
    }
    // A cached header is returned as the same frozen object on every decode.
    const first = decodeToken(good).header;
    expect(decodeToken(good).header).toBe(first);
  });

  it('holds at most 64 headers, evicting the oldest first', () => {
    const header = (i: number) =>
      decodeToken(`${b64({ alg: 'RS256', kid: `bound-${i}` })}.${b64({})}.AAAA`).header;
    const first = header(0);
    for (let i = 1; i < 64; i++) header(i);
    // 64 entries, the first of them the oldest: still cached.
    expect(header(0)).toBe(first);
    header(64);
    expect(header(0)).not.toBe(first);
  });

  it('caches headers of up to 512 characters only, so it stays small', () => {
    const segment = (length: number) => {
      // JSON of 3n/4 bytes encodes to n characters.
      const json = JSON.stringify({ alg: 'RS256', kid: 'k', pad: '' });
      const text = b64(
        JSON.stringify({ alg: 'RS256', kid: 'k', pad: 'x'.repeat((length * 3) / 4 - json.length) }),
      );
      expect(text).toHaveLength(length);
      return text;
    };
    const header = (text: string) => decodeToken(`${text}.${b64({})}.AAAA`).header;
    const longest = segment(512);
    expect(header(longest)).toBe(header(longest));
    const tooLong = segment(516);
    expect(header(tooLong)).not.toBe(header(tooLong));
    expect(header(tooLong)).toEqual(header(tooLong));
  });
});
