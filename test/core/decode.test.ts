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
    ['JSON null', b64('null')],
  ])('rejects a payload with %s', (_name, payload) => {
    expect(() => decodeToken(`${b64({ alg: 'RS256', kid: 'k' })}.${payload}.${b64('s')}`)).toThrow(
      expect.objectContaining({ code: 'malformed_token' }),
    );
  });
});
