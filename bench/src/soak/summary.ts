/**
 * What a soak run amounts to: outcomes per target, the 5xx among them (expected or not), memory
 * before and after the warm-up, JWKS fetches against their bound (schedule.ts `phaseBound`, applied
 * to each phase as it actually ran), and event-loop delay. Computed from the run's record by a pure
 * function, so a saved record (bench/results/soak.json) can be summarised again.
 */
import { median } from '../measure.js';
import type { JwksNote, LoopDelay, Sample, TargetFinal, TargetId } from './protocol.js';
import { type Phase, phaseBound } from './schedule.js';
import { byOutcome, faultOf, type TallyData } from './tally.js';

/** Heap growth after the warm-up below which memory counts as flat. */
export const FLAT_PERCENT = 10;

/** A phase as it ran: when the driver actually switched to it, in seconds from the start. */
export interface RanPhase extends Phase {
  readonly ranFrom: number;
  readonly ranTo: number;
}

export interface SoakRecord {
  readonly config: {
    readonly seconds: number;
    readonly warmUpSeconds: number;
    readonly ratePerTarget: number;
    readonly users: number;
    readonly seed: number;
    readonly jwksUri: string;
  };
  readonly t0: number;
  readonly phases: readonly RanPhase[];
  readonly outcomes: Readonly<Record<TargetId, TallyData>>;
  readonly shed: Readonly<Record<TargetId, number>>;
  /** Per target and cycle, when a token of the cycle's rotated key was last accepted (epoch ms). */
  readonly rotatedLastAccepted: Readonly<Record<TargetId, Readonly<Record<number, number>>>>;
  /** When requests were shed, in epoch ms. */
  readonly shedAt: Readonly<Record<TargetId, readonly number[]>>;
  readonly notes: readonly JwksNote[];
  readonly samples: readonly Sample[];
  readonly warm: Sample | undefined;
  /** Readings after a forced GC: the end of the warm-up, then each later cycle boundary. */
  readonly checkpoints: readonly Sample[];
  readonly final: TargetFinal;
  /** HTTP requests the JWKS endpoint received. */
  readonly endpointRequests: number;
  /** 1-minute load average of the machine when the run started and ended (other processes' share). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface JwksSummary {
  readonly fetches: number;
  readonly byReason: Record<string, number>;
  readonly failed: number;
  readonly bound: number;
  /** Fetches started in each phase (same order as the record's phases), and each phase's bound. */
  readonly perPhase: readonly number[];
  readonly perPhaseBound: readonly number[];
  /** Phases with more fetches than their own bound. */
  readonly phasesOverBound: readonly string[];
  /** Failed fetches while the endpoint was healthy (a bound assumes there are none). */
  readonly failedWhileHealthy: number;
}

export interface SoakSummary {
  readonly totals: Record<TargetId, number>;
  readonly byOutcome: Record<TargetId, Record<string, number>>;
  readonly expected5xx: Record<TargetId, number>;
  readonly unexpected5xx: Record<TargetId, Record<string, number>>;
  readonly memory: {
    readonly start: Sample;
    readonly afterWarmUp: Sample | undefined;
    readonly endUnderLoad: Sample;
    readonly endAfterGc: Sample;
    readonly maxHeapUsed: number;
    readonly maxRss: number;
    readonly heapGrowthPercent: number | undefined;
    /** Median RSS over the first and the last window after the warm-up (a single reading is noisy). */
    readonly rssWindowSeconds: number;
    readonly rssFirstWindow: number | undefined;
    readonly rssLastWindow: number | undefined;
    readonly rssGrowthPercent: number | undefined;
    readonly heapSlopeMiBPerMinute: number | undefined;
    readonly flat: boolean | undefined;
  };
  /** Mean CPU of the target process after the warm-up, in % of one core. */
  readonly cpuPercentAfterWarmUp: number | undefined;
  readonly jwks: Record<TargetId, JwksSummary>;
  /**
   * The longest a removed key went on verifying, per target: seconds from its removal to the last
   * acceptance of a token it signed (undefined: no removal happened); at most about ttlSeconds.
   */
  readonly removedKeyAcceptedFor: Record<TargetId, number | undefined>;
  readonly endpointRequests: { readonly count: number; readonly bound: number };
  readonly loopDelay: { readonly wholeRun: LoopDelay; readonly afterWarmUp: LoopDelay | undefined };
  /** Does the example's decision log agree with the outcomes read from the Lambda results? */
  readonly lambdaLogAgrees: boolean;
}

export const TARGET_IDS: readonly TargetId[] = ['express', 'fastify', 'lambda'];
export const MiB = 2 ** 20;

export function phaseAt(phases: readonly RanPhase[], seconds: number): RanPhase {
  return phases.findLast((p) => p.ranFrom <= seconds) ?? phases[0]!;
}

function slope(points: readonly (readonly [number, number])[]): number | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? undefined : num / den;
}

function jwksOf(record: SoakRecord, target: TargetId): JwksSummary {
  const starts = record.notes.filter((n) => n.target === target && n.type === 'jwks_fetch_start');
  const failures = record.notes.filter((n) => n.target === target && n.type === 'jwks_fetch_failure');
  const byReason: Record<string, number> = {};
  for (const note of starts) byReason[note.reason ?? '?'] = (byReason[note.reason ?? '?'] ?? 0) + 1;
  const perPhase = record.phases.map(() => 0);
  for (const note of starts)
    perPhase[record.phases.indexOf(phaseAt(record.phases, (note.at - record.t0) / 1000))]! += 1;
  // The first phase also holds the very first, cold fetch.
  const perPhaseBound = record.phases.map(
    (phase, i) => phaseBound(phase.endpoint, phase.ranTo - phase.ranFrom).attempts + (i === 0 ? 1 : 0),
  );
  const phasesOverBound = record.phases
    .filter((_, i) => perPhase[i]! > perPhaseBound[i]!)
    .map((phase) => {
      const i = record.phases.indexOf(phase);
      return `${phase.name}@${phase.ranFrom.toFixed(0)}s: ${perPhase[i]} > ${perPhaseBound[i]}`;
    });
  const failedWhileHealthy = failures.filter(
    (n) => phaseAt(record.phases, (n.at - record.t0) / 1000).endpoint.type === 'ok',
  ).length;
  return {
    fetches: starts.length,
    byReason,
    failed: failures.length,
    bound: perPhaseBound.reduce((a, b) => a + b, 0),
    perPhase,
    perPhaseBound,
    phasesOverBound,
    failedWhileHealthy,
  };
}

/**
 * The figures of a run.
 *
 * @example
 * const summary = summarize(JSON.parse(readFileSync('bench/results/soak.json', 'utf8')).record);
 */
export function summarize(record: SoakRecord): SoakSummary {
  const outcomes = Object.fromEntries(TARGET_IDS.map((t) => [t, byOutcome(record.outcomes[t])])) as Record<
    TargetId,
    Record<string, number>
  >;
  const expected5xx = {} as Record<TargetId, number>;
  const unexpected5xx = {} as Record<TargetId, Record<string, number>>;
  const totals = {} as Record<TargetId, number>;
  for (const target of TARGET_IDS) {
    expected5xx[target] = 0;
    unexpected5xx[target] = {};
    totals[target] = 0;
    for (const [outcome, n] of Object.entries(outcomes[target])) {
      totals[target] += n;
      const fault = faultOf(outcome);
      if (fault === 'expected') expected5xx[target] += n;
      else if (fault === 'unexpected') unexpected5xx[target][outcome] = n;
    }
  }

  const samples = record.samples;
  const warm = record.warm;
  const endUnderLoad = samples.at(-1)!;
  const endAfterGc = record.final.endSample;
  const percent = (from: number, to: number) => ((to - from) / from) * 100;
  const heapGrowthPercent = warm === undefined ? undefined : percent(warm.heapUsed, endAfterGc.heapUsed);
  // RSS moves in steps as V8 grows and releases its heap: compare medians over windows instead.
  const { seconds, warmUpSeconds } = record.config;
  const rssWindowSeconds = Math.max(5, Math.min(30, (seconds - warmUpSeconds) / 3));
  const rssOver = (from: number, to: number) => {
    const values = samples.filter((s) => s.t >= from && s.t <= to).map((s) => s.rss);
    return values.length === 0 ? undefined : median(values);
  };
  const rssFirstWindow = rssOver(warmUpSeconds, warmUpSeconds + rssWindowSeconds);
  const rssLastWindow = rssOver(seconds - rssWindowSeconds, seconds);
  const rssGrowthPercent =
    rssFirstWindow === undefined || rssLastWindow === undefined
      ? undefined
      : percent(rssFirstWindow, rssLastWindow);
  // The trend of the retained heap (readings after a forced GC), not of the 1-s samples: between two
  // major collections V8 lets garbage pile up for tens of seconds, and that sawtooth is not growth.
  const retained = [...record.checkpoints, endAfterGc].map((s) => [s.t, s.heapUsed] as const);
  const perSecond = slope(retained);
  const steadyCpu = samples.filter((s) => s.t > record.config.warmUpSeconds).map((s) => s.cpuPercent);

  const jwks = Object.fromEntries(TARGET_IDS.map((t) => [t, jwksOf(record, t)])) as Record<
    TargetId,
    JwksSummary
  >;
  let endpointBound = 0;
  for (const phase of record.phases)
    endpointBound += phaseBound(phase.endpoint, phase.ranTo - phase.ranFrom).requests;
  endpointBound = TARGET_IDS.length * (endpointBound + 2);

  const log = record.final.lambdaDecisionLog;
  const lambda = outcomes.lambda;
  const sumWhere = (test: (outcome: string) => boolean) =>
    Object.entries(lambda)
      .filter(([outcome]) => test(outcome))
      .reduce((a, [, n]) => a + n, 0);
  const lambdaLogAgrees =
    (log.allow ?? 0) === (lambda.Allow ?? 0) &&
    (log.deny ?? 0) === (lambda.Deny ?? 0) &&
    (log.unauthorized ?? 0) === (lambda.Unauthorized ?? 0) &&
    (log.unavailable ?? 0) === sumWhere((o) => o.startsWith('unavailable')) &&
    (log.error ?? 0) === sumWhere((o) => o.startsWith('error'));

  const removedKeyAcceptedFor = {} as Record<TargetId, number | undefined>;
  for (const target of TARGET_IDS) {
    let longest: number | undefined;
    for (const phase of record.phases.filter((p) => p.keys === 'remove')) {
      const last = record.rotatedLastAccepted[target][phase.cycle];
      const after = last === undefined ? 0 : Math.max(0, (last - record.t0) / 1000 - phase.ranFrom);
      longest = Math.max(longest ?? 0, after);
    }
    removedKeyAcceptedFor[target] = longest;
  }

  return {
    totals,
    byOutcome: outcomes,
    expected5xx,
    unexpected5xx,
    memory: {
      start: samples[0]!,
      afterWarmUp: warm,
      endUnderLoad,
      endAfterGc,
      maxHeapUsed: Math.max(...samples.map((s) => s.heapUsed)),
      maxRss: Math.max(...samples.map((s) => s.rss)),
      heapGrowthPercent,
      rssWindowSeconds,
      rssFirstWindow,
      rssLastWindow,
      rssGrowthPercent,
      heapSlopeMiBPerMinute: perSecond === undefined ? undefined : (perSecond * 60) / MiB,
      flat: heapGrowthPercent === undefined ? undefined : heapGrowthPercent < FLAT_PERCENT,
    },
    cpuPercentAfterWarmUp:
      steadyCpu.length === 0 ? undefined : steadyCpu.reduce((a, b) => a + b, 0) / steadyCpu.length,
    jwks,
    removedKeyAcceptedFor,
    endpointRequests: { count: record.endpointRequests, bound: endpointBound },
    loopDelay: { wholeRun: record.final.loopDelayWholeRun, afterWarmUp: record.final.loopDelayAfterWarmUp },
    lambdaLogAgrees,
  };
}
