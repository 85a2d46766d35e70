import { describe, expect, it } from 'vitest';
import { globRegExp, globsOverlap, SEGMENT } from '../../packages/lambda/src/iam-glob.js';

describe('globRegExp', () => {
  it('matches with IAM semantics: * spans slashes, everything else is literal', () => {
    const pattern = globRegExp(['GET/orders/*', 'HEAD/a.b']);
    expect(pattern.test('GET/orders/1/items')).toBe(true);
    expect(pattern.test('HEAD/a.b')).toBe(true);
    expect(pattern.test('HEAD/axb')).toBe(false);
    expect(pattern.test('GET/orders')).toBe(false);
  });

  it('lets * match any character, line breaks included, as IAM does', () => {
    expect(globRegExp(['GET/*']).test('GET/a\nb\r\u2028c')).toBe(true);
  });
});

/** A reference reading of a glob with both wildcards. */
const toRegExp = (glob: string) =>
  new RegExp(
    `^${[...glob].map((c) => (c === '*' ? '.*' : c === SEGMENT ? '[^/]*' : c.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))).join('')}$`,
    's',
  );

describe('globsOverlap', () => {
  it.each([
    ['GET/orders/*', '*/orders/1', true],
    ['GET/orders/*', 'POST/*', false],
    ['*', 'anything', true],
    ['GET/a', 'GET/a', true],
    ['GET/a', 'GET/b', false],
    ['*/admin/*', 'GET/*', true],
    ['GET/x*y', 'GET/*z', false],
    ['GET/x*y', 'GET/*y', true],
    ['a*b*c', '*', true],
    ['', '*', true],
    ['', 'a', false],
    [`GET/orders/${SEGMENT}`, '*/admin/*', false],
    [`GET/${SEGMENT}/${SEGMENT}`, '*/admin/*', true],
    [`GET/orders/${SEGMENT}`, 'GET/orders/1/items', false],
    [`GET/orders/${SEGMENT}`, 'GET/orders/*', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });

  it('agrees with a brute-force search over short strings', () => {
    const alphabet = ['a', '/', '*', SEGMENT];
    const globs: string[] = [''];
    for (let length = 1; length <= 3; length++) {
      for (const prefix of globs.filter((g) => g.length === length - 1)) {
        for (const char of alphabet) globs.push(prefix + char);
      }
    }
    const words: string[] = [''];
    for (let length = 1; length <= 6; length++) {
      for (const prefix of words.filter((w) => w.length === length - 1)) {
        for (const char of ['a', '/']) words.push(prefix + char);
      }
    }
    for (const a of globs) {
      for (const b of globs) {
        const [ra, rb] = [toRegExp(a), toRegExp(b)];
        const brute = words.some((word) => ra.test(word) && rb.test(word));
        expect(globsOverlap(a, b), `${a} / ${b}`).toBe(brute);
      }
    }
  });
});
