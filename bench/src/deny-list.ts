/**
 * What the deny-list costs per request: cached verification (`verifyDirect`, as the adapters call
 * it, over 1,000 users' cached tokens) with a 10,000-entry deny-list against the same without one.
 * The list holds token, session and user entries; a tenth of the benchmarked users have a user
 * entry from before their tokens were issued, so every lookup path runs and nothing is refused.
 * Interleaved rounds; ops/s from the wall clock and, because the machine may be shared, CPU time per
 * operation from `process.cpuUsage()` as well. The target is a ratio of at least 0.95.
 */
import { createDenyList, createVerifier, type Verifier } from '@cognito-gate/core';
import { accessToken, CLIENT_ID, makeKeys, POOL_ID } from './fixtures.js';
import { median } from './measure.js';

export interface DenyListBenchResult {
  readonly entries: number;
  readonly withoutOpsPerSecond: number;
  readonly withOpsPerSecond: number;
  /** with / without, wall clock. */
  readonly ratio: number;
  readonly withoutCpuNsPerOp: number;
  readonly withCpuNsPerOp: number;
  /** without / with, CPU time per operation (higher is better, as `ratio`). */
  readonly cpuRatio: number;
}

const USERS = 1000;

function slice(
  verifier: Verifier,
  tokens: readonly string[],
  ms: number,
): { opsPerSecond: number; cpuNs: number } {
  let ops = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const end = started + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) verifier.verifyDirect(tokens[(ops + i) % USERS]!);
    ops += 256;
  }
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { opsPerSecond: ops / (elapsed / 1000), cpuNs: ((used.user + used.system) * 1000) / ops };
}

export async function runDenyListBench(options: {
  rounds: number;
  sliceMs: number;
  entries?: number;
}): Promise<DenyListBenchResult> {
  const entries = options.entries ?? 10_000;
  const keys = makeKeys();
  const tokens = Array.from({ length: USERS }, (_, user) => accessToken(keys, user));
  const denyList = createDenyList();
  await denyList.ready();
  const nowSeconds = Math.floor(Date.now() / 1000);
  const writes: Promise<void>[] = [];
  for (let i = 0; writes.length < entries; i++) {
    const kind = i % 3;
    if (kind === 0) writes.push(denyList.denyToken(`revoked-jti-${i}`));
    else if (kind === 1) writes.push(denyList.denySession(`revoked-origin-${i}`));
    else if (i % 30 === 2 && i / 30 < USERS / 10) {
      // A benchmarked user signed out before the tokens were issued: looked up, not refused.
      const user = Math.floor(i / 30) * 10;
      writes.push(
        denyList.denyUser(
          `0000${user.toString(16).padStart(4, '0')}-1111-2222-3333-444455556666`,
          nowSeconds - 3600,
        ),
      );
    } else writes.push(denyList.denyUser(`signed-out-${i}`, nowSeconds));
  }
  await Promise.all(writes);
  const base = { userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: { keys: keys.jwks, fetch: false as const } };
  const without = createVerifier(base);
  const withList = createVerifier({ ...base, denyList });
  for (const v of [without, withList]) for (const t of tokens) v.verifySync(t); // fill both caches
  const candidates = [without, withList];
  const samples = candidates.map(() => ({ ops: [] as number[], cpu: [] as number[] }));
  for (const v of candidates) slice(v, tokens, Math.min(100, options.sliceMs)); // warm-up
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < candidates.length; k++) {
      const index = (k + round) % candidates.length;
      const result = slice(candidates[index]!, tokens, options.sliceMs);
      samples[index]!.ops.push(result.opsPerSecond);
      samples[index]!.cpu.push(result.cpuNs);
    }
  }
  await denyList.close();
  const [a, b] = samples.map((s) => ({ ops: median(s.ops), cpu: median(s.cpu) }));
  return {
    entries: denyList.size,
    withoutOpsPerSecond: a!.ops,
    withOpsPerSecond: b!.ops,
    ratio: b!.ops / a!.ops,
    withoutCpuNsPerOp: a!.cpu,
    withCpuNsPerOp: b!.cpu,
    cpuRatio: a!.cpu / b!.cpu,
  };
}
