import { AuthError } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { instant, list, UsageError } from '../../packages/cli/src/args.js';
import { explainRejection } from '../../packages/cli/src/explain.js';
import { inspectToken } from '../../packages/cli/src/inspect-token.js';
import { normalizeToken } from '../../packages/cli/src/io.js';
import { printable, toJson } from '../../packages/cli/src/style.js';
import { formatDuration, isoDate, relativeTime } from '../../packages/cli/src/time.js';
import { NOW } from './support.js';

describe('times', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [90, '1 min 30 s'],
    [3600, '1 h'],
    [11_520, '3 h 12 min'],
    [11_525, '3 h 12 min'],
    [86_400 + 7200, '1 d 2 h'],
    [2 * 86_400 + 60, '2 d'],
    [400 * 86_400, '1 y 35 d'],
    [-11_520, '3 h 12 min'],
  ])('formatDuration(%d) is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('isoDate drops zero milliseconds and refuses what is not a time', () => {
    expect(isoDate(1795687200)).toBe('2026-11-26T10:00:00Z');
    expect(isoDate(1795687200.5)).toBe('2026-11-26T10:00:00.500Z');
    expect(isoDate(1e300)).toBeUndefined();
    expect(isoDate('1795687200')).toBeUndefined();
    expect(isoDate(Number.NaN)).toBeUndefined();
  });

  it('relativeTime says in, ago or now', () => {
    expect(relativeTime(NOW / 1000 + 60, NOW)).toBe('in 1 min');
    expect(relativeTime(NOW / 1000 - 60, NOW)).toBe('1 min ago');
    expect(relativeTime(NOW / 1000, NOW)).toBe('now');
  });
});

describe('arguments', () => {
  it('instant reads ISO dates, epoch seconds and epoch milliseconds', () => {
    expect(instant('2026-11-26T10:00:00Z', 'now')).toBe(NOW);
    expect(instant('1795687200', 'now')).toBe(NOW);
    expect(instant('1795687200000', 'now')).toBe(NOW);
    expect(() => instant('tomorrow', 'now')).toThrow(UsageError);
    expect(() => instant('2026-13-45', 'now')).toThrow(UsageError);
  });

  it('list flattens comma lists and repeats, and refuses an empty one', () => {
    expect(list(['a,b', ' c '], 'groups')).toEqual(['a', 'b', 'c']);
    expect(list(undefined, 'groups')).toBeUndefined();
    expect(() => list([' , '], 'groups')).toThrow('--groups needs at least one value');
  });

  it('normalizeToken trims and strips a Bearer scheme in any case', () => {
    expect(normalizeToken('  Bearer abc.def.ghi \n')).toBe('abc.def.ghi');
    expect(normalizeToken('BEARER\tabc')).toBe('abc');
    expect(normalizeToken('abc')).toBe('abc');
  });
});

describe('terminal safety', () => {
  it('printable escapes C0 and C1 control characters', () => {
    expect(printable('a\u001b[2Jb\u009bc\nd')).toBe('a\\u001b[2Jb\\u009bc\\u000ad');
  });

  it('toJson stays valid JSON while escaping what JSON.stringify leaves raw', () => {
    const text = toJson({ evil: 'x\u009by\u2028', nested: { ok: true } });
    expect(text).not.toContain('\u009b');
    expect(JSON.parse(text)).toEqual({ evil: 'x\u009by\u2028', nested: { ok: true } });
  });
});

describe('explanations without a specific branch', () => {
  it('fall back on the description and the detail', () => {
    const context = {
      token: inspectToken('a.b.c'),
      expected: {
        userPoolIds: ['us-east-1_Abc123'],
        clientIds: ['x'],
        tokenUse: 'access' as const,
        groups: undefined,
        scopes: undefined,
        clockToleranceSeconds: 0,
      },
      nowMs: NOW,
      jwks: { source: 'jwks.json', kids: undefined },
    };
    expect(explainRejection(new AuthError('revoked', { detail: 'on the deny-list' }), context)).toBe(
      'The token has been revoked: on the deny-list',
    );
    expect(explainRejection(new AuthError('forbidden'), context)).toBe(
      'Access to this resource is forbidden',
    );
  });
});
