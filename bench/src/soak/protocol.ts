/**
 * Messages between the soak's driver (load, JWKS schedule, report) and its target process (the
 * Express and Fastify examples listening on loopback, the Lambda authorizer invoked in process), over
 * the child-process IPC channel. Times are epoch milliseconds: both processes read the same clock.
 */
import type { MixFlags, TokenPools } from './mix.js';
import type { TallyData } from './tally.js';

export type TargetId = 'express' | 'fastify' | 'lambda';
export const TARGETS: readonly TargetId[] = ['express', 'fastify', 'lambda'];

/** One reading of the target process: memory, CPU, cache sizes. */
export interface Sample {
  /** Seconds since the run started. */
  readonly t: number;
  /** CPU time used since the previous reading, in % of one core. */
  readonly cpuPercent: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  /** Verified-token cache sizes. */
  readonly cachedTokens: Readonly<Record<TargetId, number>>;
}

/** A timer this late counts as a stall, listed with its time in the report. */
export const STALL_MS = 50;

/** Event-loop delay in milliseconds, beyond the histogram's sampling interval. */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** A JWKS cache event of one target's verifier (fetches and key removals only). */
export interface JwksNote {
  readonly target: TargetId;
  readonly at: number;
  readonly type: 'jwks_fetch_start' | 'jwks_fetch_success' | 'jwks_fetch_failure' | 'jwks_keys_removed';
  readonly uri: string;
  readonly reason?: string;
  readonly error?: string;
}

export type ToTarget =
  /** Set up the apps and verifiers; answered with `ready`. No traffic yet. */
  | {
      readonly type: 'start';
      readonly pools: TokenPools;
      readonly seed: number;
      readonly lambdaRate: number;
      readonly userPoolId: string;
      readonly clientId: string;
      readonly jwksUri: string;
      readonly flags: MixFlags;
    }
  /** The run starts now (`t0`): start the Lambda load and the memory readings. */
  | { readonly type: 'go'; readonly t0: number }
  | { readonly type: 'phase'; readonly flags: MixFlags }
  /**
   * Collect garbage and read the retained heap. The first one ends the warm-up (it is the reference
   * reading, and starts the steady-state histogram); the later ones fall on cycle boundaries.
   */
  | { readonly type: 'checkpoint'; readonly endsWarmUp: boolean }
  | { readonly type: 'stop' };

/** One garbage-collection pause: when it started (seconds from the start), how long, which kind. */
export interface GcPause {
  readonly t: number;
  readonly ms: number;
  readonly kind: string;
}

export interface TargetFinal {
  readonly lambda: TallyData;
  /** Per cycle, when the Lambda authorizer last accepted a token of that cycle's rotated key. */
  readonly lambdaRotatedLastAccepted: Readonly<Record<number, number>>;
  /** What the example's decision log said, per outcome: a cross-check of `lambda`. */
  readonly lambdaDecisionLog: Record<string, number>;
  readonly lambdaShed: number;
  /** When the Lambda load shed invocations, in epoch ms. */
  readonly lambdaShedAt: readonly number[];
  /** Unknown kids that found the refetch on cooldown (no fetch made), per target. */
  readonly kidMissesWithoutFetch: Readonly<Record<TargetId, number>>;
  readonly loopDelayWholeRun: LoopDelay;
  readonly loopDelayAfterWarmUp: LoopDelay | undefined;
  /** Event-loop stalls over STALL_MS: when (seconds from the start) and how long (ms). */
  readonly stalls: readonly { readonly t: number; readonly ms: number }[];
  /** Garbage-collection pauses V8 chose (forced ones left out), over STALL_MS / 5 each. */
  readonly gcPauses: readonly GcPause[];
  /** All of V8's own pauses, per kind: how many, and their total duration in ms. */
  readonly gcTotals: Readonly<Record<string, { readonly count: number; readonly ms: number }>>;
  /** After a forced garbage collection, once the load stopped. */
  readonly endSample: Sample;
}

export type FromTarget =
  | { readonly type: 'ready'; readonly express: string; readonly fastify: string }
  | { readonly type: 'jwks'; readonly note: JwksNote }
  | { readonly type: 'sample'; readonly sample: Sample }
  | { readonly type: 'checkpoint'; readonly sample: Sample; readonly endsWarmUp: boolean }
  | { readonly type: 'final'; readonly final: TargetFinal };
