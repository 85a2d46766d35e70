/**
 * The target process's instruments: a memory and CPU reading every second, event-loop delay
 * (perf_hooks.monitorEventLoopDelay, for the whole run and after the warm-up), the time and length
 * of every stall over STALL_MS (the histogram says how long, not when), and V8's own garbage
 * collections, so a stall can be told apart from a collection. Collections forced for a retained-heap
 * reading are kept out of all of it.
 */
import {
  constants,
  type IntervalHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
  performance,
} from 'node:perf_hooks';
import { type GcPause, type LoopDelay, type Sample, STALL_MS, type TargetId } from './protocol.js';

const RESOLUTION_MS = 10;
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

export interface ProbeResults {
  readonly wholeRun: LoopDelay;
  readonly afterWarmUp: LoopDelay | undefined;
  readonly stalls: readonly { readonly t: number; readonly ms: number }[];
  readonly gcPauses: readonly GcPause[];
  readonly gcTotals: Readonly<Record<string, { readonly count: number; readonly ms: number }>>;
}

export interface Probes {
  /** Force a collection (outside every figure) and read what is retained. */
  collect(endsWarmUp: boolean): Sample;
  /** Stop everything; a last forced collection, then the final reading. */
  stop(): { results: ProbeResults; endSample: Sample };
}

function delayOf(histogram: IntervalHistogram): LoopDelay {
  // The histogram records the whole interval between ticks; the delay is what exceeds it.
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    p50: beyond(histogram.percentile(50)),
    p99: beyond(histogram.percentile(99)),
    max: beyond(histogram.max),
  };
}

/**
 * Start the instruments at `t0` (epoch ms, the start of the run).
 *
 * @example
 * const probes = startProbes(t0, () => ({ express: 0, fastify: 0, lambda: 0 }), (s) => process.send?.(s));
 */
export function startProbes(
  t0: number,
  cachedTokens: () => Record<TargetId, number>,
  onSample: (sample: Sample) => void,
): Probes {
  const since = (epochMs: number) => (epochMs - t0) / 1000;
  let cpuFrom = { usage: process.cpuUsage(), at: performance.now() };
  const sample = (): Sample => {
    const memory = process.memoryUsage();
    const cpu = { usage: process.cpuUsage(), at: performance.now() };
    const usedMicros = cpu.usage.user + cpu.usage.system - cpuFrom.usage.user - cpuFrom.usage.system;
    const cpuPercent = usedMicros / 10 / Math.max(1, cpu.at - cpuFrom.at);
    cpuFrom = cpu;
    return {
      t: since(Date.now()),
      cpuPercent,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      rss: memory.rss,
      external: memory.external,
      cachedTokens: cachedTokens(),
    };
  };

  const wholeRun = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  wholeRun.enable();
  let afterWarmUp: IntervalHistogram | undefined;

  const stalls: { t: number; ms: number }[] = [];
  let lastTick = performance.now();
  const stallWatch = setInterval(() => {
    const now = performance.now();
    const late = now - lastTick - RESOLUTION_MS;
    if (late > STALL_MS) stalls.push({ t: since(Date.now()), ms: late });
    lastTick = now;
  }, RESOLUTION_MS);

  const gcPauses: GcPause[] = [];
  const gcTotals: Record<string, { count: number; ms: number }> = {};
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind, flags } = (entry as unknown as { detail: { kind: number; flags: number } }).detail;
      if ((flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) continue;
      const name = GC_KINDS[kind] ?? String(kind);
      gcTotals[name] ??= { count: 0, ms: 0 };
      const total = gcTotals[name];
      total.count += 1;
      total.ms += entry.duration;
      if (entry.duration >= STALL_MS / 5) {
        gcPauses.push({ t: since(performance.timeOrigin + entry.startTime), ms: entry.duration, kind: name });
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  onSample(sample());
  const sampler = setInterval(() => onSample(sample()), 1000);

  const forcedCollection = () => {
    wholeRun.disable();
    afterWarmUp?.disable();
    globalThis.gc?.();
    lastTick = performance.now();
    wholeRun.enable();
    afterWarmUp?.enable();
  };

  return {
    collect(endsWarmUp) {
      forcedCollection();
      const reading = sample();
      if (endsWarmUp) {
        afterWarmUp = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
        afterWarmUp.enable();
      }
      return reading;
    },
    stop() {
      clearInterval(sampler);
      clearInterval(stallWatch);
      gcObserver.disconnect();
      wholeRun.disable();
      afterWarmUp?.disable();
      globalThis.gc?.();
      return {
        results: {
          wholeRun: delayOf(wholeRun),
          afterWarmUp: afterWarmUp === undefined ? undefined : delayOf(afterWarmUp),
          stalls,
          gcPauses,
          gcTotals,
        },
        endSample: sample(),
      };
    },
  };
}
