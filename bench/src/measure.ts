/**
 * Interleaved measurement: every round runs each candidate for a fixed slice of time, in a
 * rotating order, and the result is the median of the rounds. Interleaving spreads thermal and
 * scheduler noise over all candidates instead of penalising whichever runs last.
 */

export interface Candidate {
  readonly name: string;
  /** One operation; may return a promise. Set up everything else beforehand. */
  readonly op: () => unknown;
}

export interface Measurement {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly rounds: readonly number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runFor(op: () => unknown, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let ops = 0;
  const started = performance.now();
  // Batches of 64 keep clock reads out of the measured work.
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    ops += 64;
  }
  return ops / ((performance.now() - started) / 1000);
}

/**
 * Collect garbage before each slice (when run with --expose-gc) so one candidate's garbage is not
 * collected, and paid for, during the next candidate's slice: the rotation keeps neighbours fixed,
 * so that cost would otherwise land on the same candidate every round.
 */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

export async function measure(
  candidates: readonly Candidate[],
  rounds: number,
  sliceMs: number,
): Promise<Measurement[]> {
  const samples = candidates.map(() => [] as number[]);
  for (const candidate of candidates) await runFor(candidate.op, Math.min(100, sliceMs)); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < candidates.length; k++) {
      const index = (k + round) % candidates.length;
      collect();
      samples[index]!.push(await runFor(candidates[index]!.op, sliceMs));
    }
  }
  return candidates.map((c, i) => ({ name: c.name, opsPerSecond: median(samples[i]!), rounds: samples[i]! }));
}
