import { decodeToken } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64url } from '../../packages/core/src/base64url.js';
import { b64 } from '../support/signer.js';

describe('isCanonicalBase64url', () => {
  it.each([
    ['', true],
    ['QQ', true],
    ['QR', false],
    // U is 0b010100: its low two bits are zero but one of the four unused bits of a 2-char tail is set.
    ['QU', false],
    ['QUK', false],
    ['QUI', true],
    ['QUJ', false],
    ['QUJD', true],
    ['Q', false],
    ['QQ==', false],
    ['Q+/A', false],
    ['Q Q', false],
    ['-_-_', true],
  ])('%j → %s', (text, expected) => {
    expect(isCanonicalBase64url(text)).toBe(expected);
  });
});

describe('decodeToken', () => {
  it('returns header, payload, signing input and signature bytes', () => {
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'x' })}.${b64('sig')}`;
    const decoded = decodeToken(token);
    expect(decoded.header).toEqual({ alg: 'RS256', kid: 'k' });
    expect(decoded.payload).toEqual({ sub: 'x' });
    expect(decoded.signingInput).toBe(token.slice(0, token.lastIndexOf('.')));
    expect(decoded.signature.toString()).toBe('sig');
  });

  it('applies the length cap before looking at the content', () => {
    // A well-formed token one character over the cap: only the cap can reject it.
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'x' })}.${b64('sig')}`;
    expect(decodeToken(token, token.length).payload).toEqual({ sub: 'x' });
    expect(() => decodeToken(token, token.length - 1)).toThrow(
      expect.objectContaining({ code: 'malformed_token', detail: 'token exceeds the size cap' }),
    );
  });

  it.each([
    [
      'a BOM before the JSON',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]).toString('base64url'),
    ],
    ['overlong UTF-8', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')],
    [
      'a lone surrogate',
      Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url'),
    ],
    ['an empty segment', ''],
    ['padding', `${b64({})}=`],
    ['a character outside base64url', `${b64({ a: 1 })}*`],
    ['JSON null', b64('null')],
    ['a JSON number', b64('1')],
    ['a JSON string', b64('"x"')],
    ['JSON true', b64('true')],
    ['a JSON array', b64('[]')],
    ['text that is not JSON', b64('{x}')],
  ])('rejects a payload with %s', (_name, payload) => {
    expect(() => decodeToken(`${b64({ alg: 'RS256', kid: 'k' })}.${payload}.${b64('s')}`)).toThrow(
      expect.objectContaining({ code: 'malformed_token' }),
    );
  });

  it.each([
    ['', 'token is not a non-empty string'],
    ['a.b', 'token does not have 3 segments'],
    ['HEADER.e30.AAAA.AAAA', 'token does not have 3 segments'],
    ['.e30.AAAA', 'header is not canonical base64url'],
    ['HEADER..AAAA', 'payload is not canonical base64url'],
    [`HEADER.${b64('{x}')}.AAAA`, 'payload is not JSON'],
    [`HEADER.${b64('[1]')}.AAAA`, 'payload is not a JSON object'],
    [`HEADER.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.AAAA`, 'payload is not valid UTF-8'],
    ['HEADER.e30.', 'signature is not canonical base64url'],
  ])('names what is wrong with %j in its detail (the CLI explains tokens with it)', (token, detail) => {
    const header = b64({ alg: 'RS256', kid: 'k' });
    expect(() => decodeToken(token.replace('HEADER', header))).toThrow(
      expect.objectContaining({ code: 'malformed_token', detail }),
    );
  });

  it('accepts a correctly encoded U+FFFD (only invalid byte sequences are refused)', () => {
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ name: 'a\uFFFDb' })}.${b64('s')}`;
    expect(decodeToken(token).payload).toEqual({ name: 'a\uFFFDb' });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an array', ['a', 'b', 'c']],
    ['an object with a length', { length: 3, indexOf: () => 1 }],
    ['the empty string', ''],
  ])('rejects %s as a token with an AuthError, never a TypeError', (_name, token) => {
    expect(() => decodeToken(token)).toThrow(expect.objectContaining({ code: 'malformed_token' }));
  });

  it.each([
    ['no dot', (h: string, p: string, s: string) => `${h}${p}${s}`],
    ['one dot', (h: string, p: string, s: string) => `${h}.${p}${s}`],
    ['four segments', (h: string, p: string, s: string) => `${h}.${p}.${s}.${s}`],
  ])('rejects a token with %s', (_name, build) => {
    // Segments that are each valid on their own, so only the segment count can reject the token.
    const header = b64({ alg: 'RS256', kid: 'k' });
    const payload = b64({ sub: 'x' });
    expect(() => decodeToken(build(header, payload, 'AAAA'))).toThrow(
      expect.objectContaining({ code: 'malformed_token' }),
    );
  });

  it('rejects a dotless token whose text, cut anywhere, would decode as JSON', () => {
    // Without the segment count check, `first` and `second` would both be -1 and the slices would
    // read `json` as the header and the payload, and the whole text as the signature.
    let kid = 'k';
    while (b64({ alg: 'RS256', kid }).length % 4 !== 3) kid += 'k';
    const json = b64({ alg: 'RS256', kid });
    expect(decodeToken(`${json}.${json}.${json}A`).payload).toEqual({ alg: 'RS256', kid });
    expect(() => decodeToken(`${json}A`)).toThrow(expect.objectContaining({ code: 'malformed_token' }));
  });
});
