import { describe, expect, it } from 'vitest';
import { isLoopbackHost, jwksUriProblem } from '../../packages/core/src/pools.js';

describe('isLoopbackHost', () => {
  it.each([['localhost'], ['[::1]'], ['127.0.0.1'], ['127.255.3.4'], ['127.0.10.100']])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  // The URL parser hands over canonical hosts, but the check itself must not depend on that.
  it.each([['x127.0.0.1'], ['127.0.0.1.example'], ['127.0.0.1:80'], ['example'], [''], ['::1']])(
    '%j is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('jwksUriProblem', () => {
  it.each([
    ['https://keys.example/jwks.json', undefined],
    ['http://localhost:3000/jwks.json', undefined],
    ['http://keys.example/jwks.json', 'must use https (plain http is allowed only for loopback hosts)'],
    ['file:///etc/passwd', 'must use https (plain http is allowed only for loopback hosts)'],
    ['https://user@keys.example/jwks.json', 'must not contain credentials'],
    ['https://:secret@keys.example/jwks.json', 'must not contain credentials'],
    ['keys.example/jwks.json', 'is not a URL'],
  ])('%s → %s', (uri, problem) => {
    expect(jwksUriProblem(uri)).toBe(problem);
  });
});
