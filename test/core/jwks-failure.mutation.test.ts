/**
 * Edges of the JWKS failure cause a mutation run found unguarded: which error codes count, which
 * count as TLS, how far and how the chain of causes is walked, how messages are cleaned and how
 * the one-line sentence is built.
 */
import { describe, expect, it } from 'vitest';
import {
  cleanFailureText,
  failureOfThrown,
  failureSentence,
  jwksFailure,
} from '../../packages/core/src/jwks-failure.js';

describe('failureOfThrown: error codes', () => {
  it.each([
    ['a code with a lowercase prefix', 'eCONNREFUSED'],
    ['a code with a trailing lowercase part', 'ECONNRESET-soon'],
  ])('ignores %s', (_label, code) => {
    // Prepare
    const thrown = { code, message: 'socket trouble' };

    // Act
    const failure = failureOfThrown(thrown);

    // Assess
    expect(failure).toStrictEqual({ kind: 'network', message: 'socket trouble' });
  });

  it.each([
    ['an ERR_SSL_ prefix not at the start', 'XERR_SSL_WRONG_VERSION'],
    ['a bare TLS name with a prefix', 'XHOSTNAME_MISMATCH'],
    ['a bare TLS name with a suffix', 'HOSTNAME_MISMATCH_LATER'],
  ])('does not call a code tls when it is %s', (_label, code) => {
    expect(failureOfThrown({ code, message: 'm' }).kind).toBe('network');
  });

  it('calls a plain error with no code a network failure', () => {
    expect(failureOfThrown(new Error('socket hang up'))).toStrictEqual({
      kind: 'network',
      message: 'socket hang up',
    });
  });

  it('keeps an outer code when a deeper cause has none or an unusable one', () => {
    // Prepare
    const thrown = {
      message: 'fetch failed',
      code: 'ECONNREFUSED',
      cause: { message: 'inner', code: 'not a code', cause: { message: 'innermost' } },
    };

    // Act
    const failure = failureOfThrown(thrown);

    // Assess
    expect(failure).toStrictEqual({ kind: 'network', code: 'ECONNREFUSED', message: 'innermost' });
  });
});

describe('failureOfThrown: messages along the chain', () => {
  it.each([
    ['no message', { code: 'ECONNRESET' }],
    ['an empty message', { message: '' }],
    ['a blank message', { message: '   ' }],
    ['a non-string message', { message: 42 }],
  ])('keeps the outer message when the cause has %s', (_label, cause) => {
    const failure = failureOfThrown({ message: 'fetch failed', cause });
    expect(failure.message).toBe('fetch failed');
  });

  it('describes an object whose only message is not a string', () => {
    expect(failureOfThrown({ message: 42 }).message).toBe('fetch threw an object without a message');
  });

  it.each([
    ['number', 42, 'fetch threw a number'],
    ['empty string', '', 'fetch threw a string'],
    ['blank string', '   ', 'fetch threw a string'],
    ['non-empty string', 'boom', 'boom'],
  ])('describes a thrown %s', (_label, thrown, message) => {
    expect(failureOfThrown(thrown)).toStrictEqual({ kind: 'network', message });
  });

  it('follows cause, not the members, of an empty AggregateError-like errors list', () => {
    // Prepare
    const thrown = { message: 'outer', errors: [], cause: { message: 'inner', code: 'ECONNRESET' } };

    // Act
    const failure = failureOfThrown(thrown);

    // Assess
    expect(failure).toStrictEqual({ kind: 'network', code: 'ECONNRESET', message: 'inner' });
  });

  it('looks six levels deep and no further', () => {
    // Prepare: levels 0…6; level 6 is past the limit.
    let chain: Record<string, unknown> = { message: 'level 6', code: 'ETOODEEP' };
    for (let level = 5; level >= 0; level--) chain = { message: `level ${level}`, cause: chain };

    // Act
    const failure = failureOfThrown(chain);

    // Assess
    expect(failure).toStrictEqual({ kind: 'network', message: 'level 5' });
  });

  it('stops at a cause that is a function, not an object', () => {
    // Prepare
    const cause = Object.assign(() => undefined, { code: 'EFUNCTION', message: 'from a function' });

    // Act
    const failure = failureOfThrown({ message: 'fetch failed', cause });

    // Assess
    expect(failure).toStrictEqual({ kind: 'network', message: 'fetch failed' });
  });
});

describe('cleanFailureText', () => {
  it('trims the ends, including control characters turned into spaces', () => {
    expect(cleanFailureText('  \nconnect failed\r\n ')).toBe('connect failed');
  });

  it('keeps a text of exactly 200 characters whole', () => {
    const text = 'x'.repeat(200);
    expect(cleanFailureText(text)).toBe(text);
  });

  it('cuts a text of 201 characters to 199 and an ellipsis', () => {
    expect(cleanFailureText('y'.repeat(201))).toBe(`${'y'.repeat(199)}…`);
  });
});

describe('jwksFailure', () => {
  it('has no code or status keys when none are given', () => {
    const failure = jwksFailure('network', 'm');
    expect(Object.keys(failure)).toStrictEqual(['kind', 'message']);
  });

  it('keeps a given code and status', () => {
    expect(jwksFailure('status', 'm', { code: 'E1X', status: 503 })).toStrictEqual({
      kind: 'status',
      code: 'E1X',
      status: 503,
      message: 'm',
    });
  });
});

describe('failureSentence', () => {
  it('adds nothing after the message when there is no code', () => {
    expect(failureSentence('JWKS request failed', jwksFailure('network', 'socket hang up'))).toBe(
      'JWKS request failed: socket hang up',
    );
  });

  it('does not repeat a code the message already names', () => {
    const cause = jwksFailure('network', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' });
    expect(failureSentence('P', cause)).toBe('P: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('adds a code the message does not name', () => {
    const cause = jwksFailure('tls', 'self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(failureSentence('P', cause)).toBe('P: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });
});
