/**
 * HTTP benchmark: Express and Fastify without auth, with cognito-gate (cache on and off) and with
 * the peers, each server in its own process on loopback, loaded by autocannon from this process
 * with a mix of 1,000 users' tokens. Bounded runs, interleaved rounds, medians, ratios to no-auth.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { startJwksServer } from '@cognito-gate/testing';
import autocannon from 'autocannon';
import { accessToken, makeKeys } from '../fixtures.js';
import { median } from '../measure.js';
import { EXPRESS_VARIANTS, FASTIFY_VARIANTS } from './apps.js';

export interface HttpResult {
  readonly framework: string;
  readonly variant: string;
  readonly requestsPerSecond: number;
  readonly rounds: readonly number[];
  readonly ratioToNoAuth: number;
  readonly non2xx: number;
}

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

// On Linux the server gets core 0 and the load generator core 1, so the two never compete for a
// core and rounds vary less. Without taskset both float.
const PIN = process.platform === 'linux' && spawnSync('taskset', ['-V']).status === 0;

async function startServer(framework: string, variant: string, context: string): Promise<Running> {
  const script = [new URL('./server.js', import.meta.url).pathname, framework, variant];
  const child = spawn(
    PIN ? 'taskset' : process.execPath,
    PIN ? ['-c', '0', process.execPath, ...script] : script,
    {
      env: { ...process.env, BENCH_CONTEXT: context, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

async function load(port: number, tokens: readonly string[], seconds: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/me`,
    connections: 32,
    duration: seconds,
    requests: tokens.map((token) => ({ method: 'GET', headers: { authorization: `Bearer ${token}` } })),
  });
  return { rps: result.requests.average, non2xx: result.non2xx };
}

export async function runHttp(options: { rounds: number; seconds: number }): Promise<HttpResult[]> {
  if (PIN) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const keys = makeKeys();
  const tokens = Array.from({ length: 1000 }, (_, i) => accessToken(keys, i));
  const jwksServer = await startJwksServer(() => keys.jwks);
  const context = JSON.stringify({ jwksUri: jwksServer.jwksUri, jwks: keys.jwks, publicPem: keys.publicPem });
  const results: HttpResult[] = [];
  try {
    const frameworks = (process.env.BENCH_HTTP_FRAMEWORKS ?? 'express,fastify').split(',');
    for (const [framework, variants] of [
      ['express', EXPRESS_VARIANTS],
      ['fastify', FASTIFY_VARIANTS],
    ] as const) {
      if (!frameworks.includes(framework)) continue;
      const servers = new Map<string, Running>();
      for (const variant of variants) servers.set(variant, await startServer(framework, variant, context));
      const samples = new Map<string, number[]>(variants.map((v) => [v, []]));
      let non2xx = new Map<string, number>(variants.map((v) => [v, 0]));
      for (const variant of variants) await load(servers.get(variant)!.port, tokens, 1); // warm-up
      for (let round = 0; round < options.rounds; round++) {
        for (let k = 0; k < variants.length; k++) {
          const variant = variants[(k + round) % variants.length]!;
          const { rps, non2xx: bad } = await load(servers.get(variant)!.port, tokens, options.seconds);
          samples.get(variant)!.push(rps);
          non2xx = non2xx.set(variant, non2xx.get(variant)! + bad);
        }
      }
      for (const server of servers.values()) server.child.kill('SIGTERM');
      const baseline = median(samples.get('none')!);
      for (const variant of variants) {
        const rounds = samples.get(variant)!;
        const rps = median(rounds);
        results.push({
          framework,
          variant,
          requestsPerSecond: rps,
          rounds,
          ratioToNoAuth: rps / baseline,
          non2xx: non2xx.get(variant)!,
        });
      }
    }
  } finally {
    await jwksServer.close();
  }
  return results;
}
