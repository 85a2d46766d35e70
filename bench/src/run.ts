/**
 * `npm run bench`: micro benchmark, then prints a markdown table and writes
 * bench/results/latest.json. A benchmark, not a test: it asserts nothing and never runs in CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runMicro } from './micro.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const sliceMs = Number(process.env.BENCH_SLICE_MS ?? 250);
const only = process.argv.slice(2);
const want = (part: string) => only.length === 0 || only.includes(part);

const results: Record<string, unknown> = {
  node: process.version,
  date: new Date().toISOString(),
  cpus: (await import('node:os')).cpus().length,
};

if (want('micro')) {
  const micro = await runMicro({ rounds, sliceMs });
  results.micro = micro;
  console.log(`\n## Verification (RS256-2048, median of ${rounds} interleaved rounds)\n`);
  console.log('| candidate | ops/s | × crypto.verify |');
  console.log('|---|---:|---:|');
  for (const r of micro) console.log(`| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} | ${r.ratioToLimit.toFixed(2)} |`);
}

const dir = new URL('../results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('latest.json', dir), `${JSON.stringify(results, null, 2)}\n`);
