/**
 * Settings shared by every property-based suite (fast-check). Runs are seeded so CI is repeatable;
 * fast-check prints the seed and the shrunk counterexample path of a failure, and the same run can be
 * replayed locally:
 *
 *   PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx vitest run test/property/<file>
 *
 * `PROPERTY_RUNS` scales the number of cases (default 1: the bounded numbers each suite chooses, sized
 * to keep the whole suite within a few minutes on 2 cores); raise it for a longer local hunt, and set
 * `PROPERTY_SEED=random` for a fresh seed each run.
 */
import type { Parameters } from 'fast-check';

/** The seed of every property in CI. Changing it is a new experiment, not a fix. */
export const DEFAULT_SEED = 20_261_207;

function seed(): number {
  const value = process.env.PROPERTY_SEED;
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31);
  const parsed = Number(value);
  if (!Number.isInteger(parsed))
    throw new Error(`PROPERTY_SEED must be an integer or "random", got ${value}`);
  return parsed;
}

function scale(): number {
  const value = Number(process.env.PROPERTY_RUNS ?? '1');
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/**
 * fast-check parameters for one property: a fixed seed, `runs` cases (times `PROPERTY_RUNS`), a time
 * budget after which the run stops early instead of timing the test out, and the replay path when
 * one is given.
 *
 * @example
 * await fc.assert(fc.asyncProperty(arbitrary, check), propertyParameters(200));
 */
export function propertyParameters<T>(runs: number, budgetMs = 20_000): Parameters<T> {
  const path = process.env.PROPERTY_PATH;
  return {
    seed: seed(),
    numRuns: Math.max(1, Math.round(runs * scale())),
    interruptAfterTimeLimit: budgetMs * scale(),
    markInterruptAsFailure: false,
    ...(path === undefined || path === '' ? {} : { path }),
  };
}
