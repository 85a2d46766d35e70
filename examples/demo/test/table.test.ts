import { describe, expect, it } from 'vitest';
import { parseCli, useColor } from '../src/cli.js';
import type { DemoReport } from '../src/run.js';
import { renderReport, shortenChallenge, summary } from '../src/table.js';

const report = (overrides: Partial<DemoReport> = {}): DemoReport => ({
  ok: true,
  passed: 2,
  failed: 0,
  notApplicable: 1,
  durationMs: 1234,
  targets: [{ id: 'express', title: 'Express API', source: 'examples/express-api' }],
  results: [
    {
      target: 'express',
      scenario: 'expired',
      title: 'expired access token',
      request: 'GET /me',
      expected: { status: 401, code: 'expired' },
      observed: {
        status: 401,
        code: 'expired',
        wwwAuthenticate:
          'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
      },
      outcome: 'pass',
    },
    {
      target: 'express',
      scenario: 'outage',
      title: 'JWKS outage',
      request: 'GET /me',
      expected: { status: 503, code: 'jwks_unavailable' },
      observed: { status: 503, code: 'jwks_unavailable', retryAfter: '10' },
      outcome: 'pass',
    },
    {
      target: 'express',
      scenario: 'scope',
      title: 'missing scope',
      request: undefined,
      expected: undefined,
      observed: undefined,
      outcome: 'n/a',
      detail: 'no scope rule',
    },
  ],
  ...overrides,
});

describe('shortenChallenge', () => {
  it('drops realm and error_description, which the table already shows', () => {
    expect(
      shortenChallenge(
        'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
      ),
    ).toBe('Bearer error="invalid_token"');
  });

  it('keeps the scope a client needs, quoted as sent', () => {
    expect(
      shortenChallenge(
        'Bearer realm="api", error="insufficient_scope", error_description="x, y", scope="a/b c/d"',
      ),
    ).toBe('Bearer error="insufficient_scope", scope="a/b c/d"');
  });

  it('keeps the realm when it is all there is', () => {
    expect(shortenChallenge('Bearer realm="api"')).toBe('Bearer realm="api"');
    expect(shortenChallenge(undefined)).toBeUndefined();
  });
});

describe('renderReport', () => {
  it('shows expected and actual status, reason and the shortened headers, one aligned row each', () => {
    const lines = renderReport(report(), { color: false }).split('\n');
    const expired = lines.find((line) => line.includes('expired access token'))!;
    const outage = lines.find((line) => line.includes('JWKS outage'))!;

    expect(expired).toMatch(
      /✓\s+expired access token\s+GET \/me\s+401 expired\s+401\s+expired\s+Bearer error="invalid_token"$/,
    );
    expect(outage).toMatch(/503 jwks_unavailable\s+503\s+jwks_unavailable\s+Retry-After: 10$/);
    expect(expired.indexOf('GET /me')).toBe(outage.indexOf('GET /me'));
  });

  it('marks a scenario that does not apply with n/a and its reason', () => {
    const row = renderReport(report(), { color: false })
      .split('\n')
      .find((line) => line.includes('missing scope'))!;
    expect(row).toMatch(/–\s+missing scope\s+–\s+n\/a\s+–\s+no scope rule/);
  });

  it('uses ANSI colours only when asked to', () => {
    expect(renderReport(report(), { color: false })).not.toContain('\u001b[');
    expect(renderReport(report(), { color: true })).toContain('\u001b[32m✓\u001b[39m');
  });

  it('summarises success and failure', () => {
    expect(summary(report())).toBe('✓ 2 of 2 outcomes as expected, 1 not applicable (1.2 s)');
    expect(summary(report({ ok: false, passed: 1, failed: 1, notApplicable: 0 }))).toBe(
      '✗ 1 of 2 outcomes differ from the expected ones (marked ✗) (1.2 s)',
    );
  });
});

describe('command line', () => {
  it('runs the script by default, on the default ports for --serve', () => {
    expect(parseCli([])).toEqual({
      serve: false,
      json: false,
      color: undefined,
      portBase: 4010,
      help: false,
    });
    expect(parseCli(['--serve', '--port-base', '5000'])).toMatchObject({ serve: true, portBase: 5000 });
    expect(parseCli(['--json', '--no-color'])).toMatchObject({ json: true, color: false });
  });

  it('rejects unknown options and unusable port bases', () => {
    expect(() => parseCli(['--verbose'])).toThrow();
    for (const bad of ['-1', '65532', '40.5', 'http']) {
      expect(() => parseCli(['--port-base', bad]), bad).toThrow('--port-base');
    }
  });

  it('colours a terminal, unless NO_COLOR is set; FORCE_COLOR and the flags win', () => {
    expect(useColor(undefined, { isTTY: true }, {})).toBe(true);
    expect(useColor(undefined, { isTTY: false }, {})).toBe(false);
    expect(useColor(undefined, { isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(undefined, { isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor(undefined, { isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(true, { isTTY: false }, { NO_COLOR: '1' })).toBe(true);
    expect(useColor(false, { isTTY: true }, {})).toBe(false);
  });
});
