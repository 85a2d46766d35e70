/**
 * `npm run bench`: verification micro benchmark, HTTP benchmark, cold start of the Lambda
 * authorizer example. Prints markdown tables and writes bench/results/latest.json and SVG charts.
 * A benchmark, not a test: it asserts nothing and never runs in CI.
 *
 *   npm run bench                 everything
 *   npm run bench -- micro http   only some parts (also: micro-oidc, deny-list, cold, memory)
 *   BENCH_ROUNDS, BENCH_SLICE_MS, BENCH_HTTP_ROUNDS, BENCH_HTTP_SECONDS tune the run length
 *   BENCH_HTTP_FRAMEWORKS=fastify  only one framework; BENCH_PRELOAD=1  servers get the JWKS
 *   in their options instead of fetching it over loopback; BENCH_MEMORY_TOKENS  cache size tested
 *   BENCH_DENY_ENTRIES, BENCH_DENY_INTERVAL_MS, BENCH_DENY_DOWN_MS  deny-list propagation through
 *   Redis (REDIS_URL, default 127.0.0.1:6379; the restart scenario needs redis-server on PATH)
 * The markdown tables also go to bench/results/latest.md, for the README.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { barChart } from './chart.js';
import { runColdStart } from './cold-start.js';
import { runDenyListBench } from './deny-list.js';
import { runDenyPropagation } from './deny-propagation.js';
import { type HttpResult, runHttp } from './http/run-http.js';
import { runMemory } from './memory.js';
import { type MicroResult, runMicro } from './micro.js';
import { runMicroOidc } from './micro-oidc.js';

const dir = new URL('../results/', import.meta.url);

/** The SVG charts linked from the README (ratios, so they read the same on any machine). */
function writeCharts(micro: MicroResult[] | undefined, http: HttpResult[] | undefined): void {
  if (micro !== undefined) {
    const bars = micro.map((r) => ({
      label: r.name,
      value: r.ratioToLimit,
      ours: r.name.startsWith('cognito-gate'),
    }));
    writeFileSync(
      new URL('verification.svg', dir),
      barChart('Verifications per second, × crypto.verify', bars, 10, '×'),
    );
  }
  if (http !== undefined) {
    const bars = http.map((r) => ({
      label: `${r.framework}: ${r.variant}`,
      value: r.ratioToNoAuth,
      ours: r.variant.startsWith('cognito-gate'),
    }));
    writeFileSync(new URL('http.svg', dir), barChart('HTTP requests per second, × no auth', bars, 1, '×'));
  }
}

const only = process.argv.slice(2);
if (only[0] === 'charts') {
  // Redraw the charts from the published results, without measuring anything.
  const { readFileSync } = await import('node:fs');
  const saved = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8'));
  writeCharts(saved.micro, saved.http);
  process.exit(0);
}
const want = (part: string) => only.length === 0 || only.includes(part);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

mkdirSync(dir, { recursive: true });
const markdown: string[] = [];
const print = (line: string) => {
  console.log(line);
  markdown.push(line);
};
const results: Record<string, unknown> = {
  node: process.version,
  date: new Date().toISOString(),
  cpus: cpus().length,
};

if (want('micro')) {
  const rounds = env('BENCH_ROUNDS', 7);
  const micro = await runMicro({ rounds, sliceMs: env('BENCH_SLICE_MS', 250) });
  results.micro = micro;
  print(`\n## Verification (RS256-2048, median of ${rounds} interleaved rounds)\n`);
  print('| candidate | ops/s | × crypto.verify |\n|---|---:|---:|');
  for (const r of micro) print(`| ${r.name} | ${fmt(r.opsPerSecond)} | ${r.ratioToLimit.toFixed(2)} |`);
  if (only.length === 0) writeCharts(micro, undefined);
}

if (want('micro-oidc')) {
  const rounds = env('BENCH_ROUNDS', 7);
  const oidc = await runMicroOidc({ rounds, sliceMs: env('BENCH_SLICE_MS', 250) });
  results.microOidc = oidc;
  print(`\n## Verification, other OIDC issuers (ES256 P-256, EdDSA Ed25519; median of ${rounds} rounds)\n`);
  print('| candidate | ops/s | × crypto.verify (same alg) |\n|---|---:|---:|');
  for (const r of oidc) print(`| ${r.name} | ${fmt(r.opsPerSecond)} | ${r.ratioToLimit.toFixed(2)} |`);
}

if (want('deny-list')) {
  const rounds = env('BENCH_ROUNDS', 7);
  const deny = await runDenyListBench({ rounds, sliceMs: env('BENCH_SLICE_MS', 250) });
  results.denyList = deny;
  print(
    `\n## Cached verification with a ${fmt(deny.entries)}-entry deny-list (median of ${rounds} rounds)\n`,
  );
  print('| verifyDirect, cached | ops/s | CPU ns/op |\n|---|---:|---:|');
  print(`| without a deny-list | ${fmt(deny.withoutOpsPerSecond)} | ${fmt(deny.withoutCpuNsPerOp)} |`);
  print(`| with a deny-list | ${fmt(deny.withOpsPerSecond)} | ${fmt(deny.withCpuNsPerOp)} |`);
  print(`\nratio (target ≥ 0.95): ${deny.ratio.toFixed(3)} wall clock, ${deny.cpuRatio.toFixed(3)} CPU time`);
}

if (want('http')) {
  const rounds = env('BENCH_HTTP_ROUNDS', 3);
  const http = await runHttp({ rounds, seconds: env('BENCH_HTTP_SECONDS', 4) });
  results.http = http;
  print(`\n## HTTP (autocannon, 32 connections, 1,000 users' tokens, median of ${rounds} rounds)\n`);
  print('| framework | auth | req/s | × no auth | non-2xx |\n|---|---|---:|---:|---:|');
  for (const r of http) {
    print(
      `| ${r.framework} | ${r.variant} | ${fmt(r.requestsPerSecond)} | ${r.ratioToNoAuth.toFixed(2)} | ${r.non2xx} |`,
    );
  }
  if (only.length === 0) writeCharts(undefined, http);
}

if (want('cold')) {
  const cold = await runColdStart();
  results.coldStart = cold;
  print('\n## Cold start (examples/lambda-authorizer, esbuild --minify)\n');
  print('| bundle | bytes | import ms (median) |\n|---|---:|---:|');
  for (const r of cold) print(`| ${r.name} | ${fmt(r.bytes)} | ${r.importMs.toFixed(1)} |`);
}

if (want('memory')) {
  const memory = await runMemory(env('BENCH_MEMORY_TOKENS', 100_000));
  results.memory = memory;
  print(`\n## Verified-token cache memory (${fmt(memory.tokens)} distinct tokens)\n`);
  print(
    `heap: ${(memory.heapBytes / 2 ** 20).toFixed(1)} MiB (${fmt(memory.bytesPerToken)} bytes per token)`,
  );
  print(`\nbound held after ${fmt(memory.tokens + 1000)} tokens: ${memory.boundHeld ? 'yes' : 'NO'}`);
}

if (want('deny-propagation')) {
  const entries = env('BENCH_DENY_ENTRIES', 500);
  const intervalMs = env('BENCH_DENY_INTERVAL_MS', 10);
  const deny = await runDenyPropagation({ entries, intervalMs, downMs: env('BENCH_DENY_DOWN_MS', 1000) });
  results.denyPropagation = deny;
  print(`\n## Deny-list propagation through Redis (two processes, one entry every ${intervalMs} ms)\n`);
  if (deny.skipped !== undefined) print(`skipped: ${deny.skipped}`);
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  if (deny.steady !== undefined) {
    const s = deny.steady;
    print('| entries arrived | p50 ms | p99 ms | max ms |\n|---:|---:|---:|---:|');
    print(`| ${fmt(s.entries)} / ${fmt(entries)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} |`);
  }
  if (deny.restart !== undefined) {
    const r = deny.restart;
    print(
      `\nRedis killed (SIGKILL) and restarted after ${fmt(r.downMs)} ms, the writer denying throughout:\n`,
    );
    print(
      '| written | during outage | rejected at writer | held by reader | lost | writer recovered ms after restart | reader recovered ms after restart | outage entries p50 / max ms | loaded by a new process |',
    );
    print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    print(
      `| ${r.written} | ${r.writtenDuringOutage} | ${r.rejectedAtWriter} | ${r.heldByReader} | ${r.lost} | ${ms(r.writerRecoveredMs)} | ${ms(r.readerRecoveredMs)} | ${ms(r.outageEntryP50Ms)} / ${ms(r.outageEntryMaxMs)} | ${r.loadedByNewProcess} |`,
    );
  }
}

// Only a full run replaces the published results; a partial one (or one with BENCH_PRELOAD) is kept apart.
const name = only.length === 0 && process.env.BENCH_PRELOAD === undefined ? 'latest' : 'partial';
writeFileSync(new URL(`${name}.md`, dir), `${markdown.join('\n').trim()}\n`);
writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results/${name}.json and ${name}.md`);
