import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { type DemoReport, runDemo, type ScenarioResult } from '../src/run.js';
import { SCENARIOS, type Scenario, type TargetId } from '../src/scenarios.js';
import { type ServeHandle, startServe } from '../src/serve.js';
import { sink, sourceApps } from './support.js';

const TARGETS: readonly TargetId[] = ['express', 'fastify', 'lambda'];
const scenario = (id: string): Scenario => SCENARIOS.find((s) => s.id === id)!;

describe('npm run demo', () => {
  let report: DemoReport;
  let printed: string;
  beforeAll(async () => {
    const output = sink();
    report = await runDemo({ apps: sourceApps, output });
    printed = output.text;
  });
  const result = (id: string, target: TargetId): ScenarioResult =>
    report.results.find((r) => r.scenario === id && r.target === target)!;

  it.each(SCENARIOS.flatMap((s) => TARGETS.map((target) => [s.id, target] as const)))(
    'gives the scripted outcome for %s on %s',
    (id, target) => {
      const step = target === 'lambda' ? scenario(id).lambda : scenario(id).http;
      const actual = result(id, target);

      if ('notApplicable' in step) {
        expect(actual).toMatchObject({ outcome: 'n/a', observed: undefined });
        return;
      }
      expect(actual.request).toBe(step.route);
      expect(actual.observed?.status).toBe(step.expect.status);
      expect(actual.observed?.code).toBe(step.expect.code);
      expect(actual.outcome).toBe('pass');
    },
  );

  it('answers a cold-start JWKS outage with 503 and Retry-After over HTTP, and 500 (never Allow) behind API Gateway', () => {
    for (const target of ['express', 'fastify'] as const) {
      expect(result('jwks-outage', target).observed).toMatchObject({
        status: 503,
        code: 'jwks_unavailable',
        retryAfter: '10',
        wwwAuthenticate: undefined,
      });
    }
    expect(result('jwks-outage', 'lambda').observed).toMatchObject({ status: 500, code: 'jwks_unavailable' });
  });

  it('keeps serving with cached keys while the JWKS endpoint is down', () => {
    for (const target of TARGETS) expect(result('jwks-outage-cached', target).observed?.status).toBe(200);
  });

  it('challenges a missing token without an error attribute and a bad one with invalid_token', () => {
    expect(result('no-token', 'express').observed?.wwwAuthenticate).toBe('Bearer realm="api"');
    expect(result('expired', 'fastify').observed?.wwwAuthenticate).toContain('error="invalid_token"');
    expect(result('missing-scope', 'express').observed?.wwwAuthenticate).toContain(
      'scope="orders/read orders/admin"',
    );
  });

  it('shows that API Gateway, not the authorizer, answers a request without a token', () => {
    expect(result('no-token', 'lambda').observed).toMatchObject({
      status: 401,
      code: undefined,
      note: 'API Gateway itself',
    });
  });

  it('prints one row per scenario in each target table, and a passing summary', () => {
    for (const s of SCENARIOS) {
      const rows = printed.split('\n').filter((line) => line.includes(` ${s.title} `));
      expect(rows, s.title).toHaveLength(3);
    }
    for (const title of ['Express API', 'Fastify API', 'REST API + Lambda TOKEN authorizer']) {
      expect(printed).toContain(title);
    }
    expect(printed).toContain('✓ 30 of 30 outcomes as expected');
    expect(printed).not.toContain('✗');
    expect(printed).not.toContain('\u001b[');
  });

  it('reports success only when every outcome is the expected one', () => {
    expect(report).toMatchObject({ ok: true, passed: 30, failed: 0, notApplicable: 0 });
  });
});

describe('exit code', () => {
  const wrong: Scenario = { ...scenario('expired'), http: { route: 'GET /me', expect: { status: 200 } } };
  const io = (env: Record<string, string> = {}, isTTY = false) => {
    const stdout = Object.assign(sink(), { isTTY });
    const stderr = sink();
    return { stdout, stderr, env };
  };

  it('fails the run when an outcome differs from its expectation, and marks the row', async () => {
    const output = sink();
    const outcome = await runDemo({ apps: sourceApps, output, scenarios: [wrong] });

    expect(outcome).toMatchObject({ ok: false, failed: 2, passed: 1 });
    expect(output.text.split('\n').filter((line) => line.includes('✗ '))).toHaveLength(3); // 2 rows + summary
    expect(output.text).toContain('2 of 3 outcomes differ from the expected ones');
  });

  it('is 1 when an outcome differs and 0 when all match', async () => {
    expect(await main([], io(), { apps: sourceApps, scenarios: [wrong] })).toBe(1);
    expect(await main([], io(), { apps: sourceApps, scenarios: [scenario('valid')] })).toBe(0);
  });

  it('is 2 with usage on stderr for an unknown option', async () => {
    const streams = io();
    expect(await main(['--frobnicate'], streams)).toBe(2);
    expect(streams.stderr.text).toContain('Usage: npm run demo');
  });

  it('prints the results as JSON with --json', async () => {
    const streams = io();
    await main(['--json'], streams, { apps: sourceApps, scenarios: [scenario('no-token')] });
    const parsed = JSON.parse(streams.stdout.text) as DemoReport;
    expect(parsed.ok).toBe(true);
    expect(parsed.results.map((r) => [r.target, r.observed?.status])).toEqual([
      ['express', 401],
      ['fastify', 401],
      ['lambda', 401],
    ]);
  });

  it('colours a terminal unless NO_COLOR is set', async () => {
    const tty = io({}, true);
    const noColor = io({ NO_COLOR: '1' }, true);
    await main([], tty, { apps: sourceApps, scenarios: [scenario('valid')] });
    await main([], noColor, { apps: sourceApps, scenarios: [scenario('valid')] });
    expect(tty.stdout.text).toContain('\u001b[32m✓');
    expect(noColor.stdout.text).not.toContain('\u001b[');
  });
});

describe('npm run demo -- --serve', () => {
  let handle: ServeHandle;
  const printed = sink();
  beforeAll(async () => {
    handle = await startServe({ portBase: 0, apps: sourceApps, output: printed });
  });
  afterAll(() => handle?.close());

  const mint = async (query = '') => (await (await fetch(`${handle.urls.mint}${query}`)).text()).trim();
  const call = (url: string, token: string, method = 'GET') =>
    fetch(url, { method, headers: { authorization: `Bearer ${token}` } });

  it('prints every URL and copy-paste commands for minting and calling', () => {
    const { mint: mintUrl, express, fastify, lambda, jwks } = handle.urls;
    expect(printed.text).toContain(`TOKEN=$(curl -s '${mintUrl}?groups=admin&scopes=orders/read')`);
    expect(printed.text).toContain(`curl -i -H "Authorization: Bearer $TOKEN" ${express}/me`);
    expect(printed.text).toContain(`${fastify}/admin/users`);
    expect(printed.text).toContain(`curl -i -X DELETE -H "Authorization: Bearer $TOKEN" ${lambda}/orders/42`);
    expect(printed.text).toContain(jwks);
  });

  it('accepts a minted admin token on every API, as the printed curl commands do', async () => {
    const token = await mint('?groups=admin&scopes=orders/read');

    expect((await call(`${handle.urls.express}/me`, token)).status).toBe(200);
    expect((await call(`${handle.urls.fastify}/admin/users`, token)).status).toBe(200);
    expect((await call(`${handle.urls.express}/orders`, token)).status).toBe(200);
    const deleted = await call(`${handle.urls.lambda}/orders/42`, token, 'DELETE');
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ groups: ['admin'], route: 'DELETE /orders/42' });
  });

  it('mints the other tokens the instructions suggest, and the APIs reject them', async () => {
    const idToken = await call(`${handle.urls.express}/me`, await mint('?type=id'));
    const expired = await call(`${handle.urls.fastify}/me`, await mint('?expired=1'));
    const notAdmin = await call(`${handle.urls.lambda}/orders/42`, await mint(), 'DELETE');

    expect([idToken.status, await idToken.json()]).toMatchObject([401, { error: 'invalid_token_use' }]);
    expect([expired.status, await expired.json()]).toMatchObject([401, { code: 'expired' }]);
    expect(notAdmin.status).toBe(403);
  });

  it('refuses to mint an unknown token type', async () => {
    const res = await fetch(`${handle.urls.mint}?type=refresh`);
    expect(res.status).toBe(400);
  });

  it('refuses mint requests addressed to a non-loopback host name (DNS rebinding)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(handle.urls.mint, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject).end();
    });
    expect(status).toBe(403);
  });

  it('closes every server on close', async () => {
    const other = await startServe({ portBase: 0, apps: sourceApps, output: sink() });
    const { mint: mintUrl, jwks, express, fastify, lambda } = other.urls;
    await other.close();

    for (const url of [mintUrl, jwks, `${express}/me`, `${fastify}/me`, `${lambda}/me`]) {
      await expect(fetch(url), url).rejects.toThrow();
    }
  });
});
