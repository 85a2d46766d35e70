/**
 * The soak report as markdown: the tables printed at the end of a run and written to
 * bench/results/soak.md, from a run's record and its summary (summary.ts).
 */
import { type LoopDelay, type Sample, STALL_MS, type TargetId } from './protocol.js';
import { describeSchedule, JWKS_SETTINGS, RETRY_AFTER_SECONDS } from './schedule.js';
import { FLAT_PERCENT, MiB, phaseAt, type SoakRecord, type SoakSummary, TARGET_IDS } from './summary.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / MiB).toFixed(1);
const signed = (n: number | undefined, digits = 1) =>
  n === undefined ? 'n/a' : `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** Sort outcome labels: successes, then by status, then Lambda decisions. */
function outcomeOrder(a: string, b: string): number {
  const key = (o: string) => (/^\d/.test(o) ? `0${o}` : `1${o}`);
  return key(a).localeCompare(key(b));
}

/**
 * The report as markdown lines.
 *
 * @example
 * for (const line of toMarkdown(record, summarize(record))) console.log(line);
 */
export function toMarkdown(record: SoakRecord, summary: SoakSummary): string[] {
  const { config } = record;
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out(
    `## Soak: ${config.seconds} s, ${fmt(config.ratePerTarget)} requests/s to each target, ${fmt(config.users)} users, seed ${config.seed}`,
  );
  out();
  out(
    `Verifiers fetch the JWKS over loopback with ttlSeconds ${JWKS_SETTINGS.ttlSeconds}, cooldownSeconds ${JWKS_SETTINGS.cooldownSeconds}, timeoutMs ${JWKS_SETTINGS.timeoutMs}. ` +
      `Endpoint schedule: ${describeSchedule()}; random-kid tokens from the rotation through the 429.`,
  );
  out();
  out('### Requests per outcome');
  out();
  out('| outcome | express | fastify | lambda |\n|---|---:|---:|---:|');
  const labels = [...new Set(TARGET_IDS.flatMap((t) => Object.keys(summary.byOutcome[t])))].sort(
    outcomeOrder,
  );
  for (const label of labels) {
    const cells = TARGET_IDS.map((t) => summary.byOutcome[t][label]);
    out(`| ${label} | ${cells.map((n) => (n === undefined ? '' : fmt(n))).join(' | ')} |`);
  }
  out(`| **total** | ${TARGET_IDS.map((t) => `**${fmt(summary.totals[t])}**`).join(' | ')} |`);
  out(
    `| not sent: shed at the load's cap of 256 in flight | ${TARGET_IDS.map((t) => fmt(record.shed[t])).join(' | ')} |`,
  );
  out();
  const shedding = TARGET_IDS.filter((t) => record.shedAt[t].length > 0).map((t) => {
    const byPhase: Record<string, number> = {};
    for (const at of record.shedAt[t]) {
      const name = phaseAt(record.phases, (at - record.t0) / 1000).name;
      byPhase[name] = (byPhase[name] ?? 0) + 1;
    }
    const where = Object.entries(byPhase).map(([name, n]) => `${name} ${fmt(n)}`);
    return `${t} (${where.join(', ')})`;
  });
  if (shedding.length > 0) {
    out(
      `Shed during: ${shedding.join('; ')}. Requests pile up when the target, or the load generator, stalls for a fraction of a second.`,
    );
    out();
  }
  out('By kind of request:');
  out();
  out('| kind | express | fastify | lambda |\n|---|---|---|---|');
  const kinds = [...new Set(TARGET_IDS.flatMap((t) => Object.keys(record.outcomes[t])))];
  for (const kind of kinds) {
    const cell = (t: TargetId) =>
      Object.entries(record.outcomes[t][kind] ?? {})
        .sort(([a], [b]) => outcomeOrder(a, b))
        .map(([o, n]) => `${o}: ${fmt(n)}`)
        .join('; ');
    out(`| ${kind} | ${TARGET_IDS.map(cell).join(' | ')} |`);
  }
  out();
  const unexpected = TARGET_IDS.flatMap((t) =>
    Object.entries(summary.unexpected5xx[t]).map(([o, n]) => `${t} ${o}: ${fmt(n)}`),
  );
  out(
    `**5xx**: unexpected ${unexpected.length === 0 ? '0' : unexpected.join(', ')}; expected (503 / Lambda unavailable before any key set was loaded, during the opening outage): ` +
      TARGET_IDS.map((t) => `${t} ${fmt(summary.expected5xx[t])}`).join(', ') +
      `. Lambda decision log agrees with the results: ${summary.lambdaLogAgrees ? 'yes' : 'NO'}.`,
  );
  out();
  const m = summary.memory;
  out('### Memory of the target process (all three targets)');
  out();
  out(
    '| reading | t (s) | heap used (MiB) | RSS (MiB) | cached tokens (express / fastify / lambda) |\n|---|---:|---:|---:|---|',
  );
  const row = (name: string, s: Sample | undefined) => {
    if (s === undefined) return;
    const cached = TARGET_IDS.map((t) => fmt(s.cachedTokens[t])).join(' / ');
    out(`| ${name} | ${s.t.toFixed(0)} | ${mib(s.heapUsed)} | ${mib(s.rss)} | ${cached} |`);
  };
  row('start', m.start);
  row('after warm-up (after a GC)', m.afterWarmUp);
  for (const checkpoint of record.checkpoints.slice(1)) row('cycle boundary (after a GC)', checkpoint);
  row('end, under load', m.endUnderLoad);
  row('end, load stopped, after a GC', m.endAfterGc);
  out(`| max (1-s samples) | | ${mib(m.maxHeapUsed)} | ${mib(m.maxRss)} | |`);
  out();
  out(
    `Growth after the warm-up (${config.warmUpSeconds} s): heap ${signed(m.heapGrowthPercent)}% (after GC, both ends), ` +
      `RSS ${m.rssFirstWindow === undefined || m.rssLastWindow === undefined ? 'n/a' : `${mib(m.rssFirstWindow)} → ${mib(m.rssLastWindow)} MiB`} ` +
      `(${signed(m.rssGrowthPercent)}%, medians of the first and last ${m.rssWindowSeconds.toFixed(0)} s after it), retained-heap trend ${signed(m.heapSlopeMiBPerMinute, 2)} MiB/min (over the readings after a GC). ` +
      `Flat (heap growth under ${FLAT_PERCENT}%): ${m.flat === undefined ? 'n/a' : m.flat ? 'yes' : 'NO'}. ` +
      `Target CPU after the warm-up: ${summary.cpuPercentAfterWarmUp === undefined ? 'n/a' : `${summary.cpuPercentAfterWarmUp.toFixed(0)}% of one core`}.`,
  );
  out();
  out(`### JWKS fetches (${config.jwksUri}, one verifier per target)`);
  out();
  out(
    '| target | fetches | cold | refresh | kid_miss | failed | bound | within | kid misses left unfetched (cooldown or back-off) |\n|---|---:|---:|---:|---:|---:|---:|---|---:|',
  );
  for (const t of TARGET_IDS) {
    const j = summary.jwks[t];
    const r = (reason: string) => fmt(j.byReason[reason] ?? 0);
    const within =
      j.fetches <= j.bound && j.phasesOverBound.length === 0 ? 'yes' : `NO ${j.phasesOverBound.join('; ')}`;
    out(
      `| ${t} | ${fmt(j.fetches)} | ${r('cold')} | ${r('refresh')} | ${r('kid_miss')} | ${fmt(j.failed)} | ${fmt(j.bound)} | ${within} | ${fmt(record.final.kidMissesWithoutFetch[t])} |`,
    );
  }
  out();
  out(
    '<details><summary>Fetches per phase (express / fastify / lambda) against the bound of one verifier</summary>',
  );
  out();
  out('| from (s) | phase | endpoint | fetches | bound |\n|---:|---|---|---|---:|');
  record.phases.forEach((phase, i) => {
    const e = phase.endpoint;
    const endpoint =
      e.type === 'status'
        ? `${e.status}${e.retryAfterSeconds === undefined ? '' : `, Retry-After: ${e.retryAfterSeconds}`}`
        : e.type === 'slow'
          ? `headers after ${e.delayMs} ms`
          : e.type;
    const counts = TARGET_IDS.map((t) => summary.jwks[t].perPhase[i]).join(' / ');
    const own = summary.jwks.express.perPhaseBound[i];
    out(`| ${phase.ranFrom.toFixed(1)} | ${phase.name} | ${endpoint} | ${counts} | ${own} |`);
  });
  out();
  out('</details>');
  out();
  const ep = summary.endpointRequests;
  out(
    `HTTP requests received by the endpoint: ${fmt(ep.count)} (bound ${fmt(ep.bound)}: each fetch retries once on a 5xx, none arrive while it refuses connections). ` +
      `Failed fetches while the endpoint was healthy: ${TARGET_IDS.map((t) => `${t} ${summary.jwks[t].failedWhileHealthy}`).join(', ')}.`,
  );
  out();
  const removed = TARGET_IDS.map((t) => {
    const s = summary.removedKeyAcceptedFor[t];
    return `${t} ${s === undefined ? 'n/a' : `${s.toFixed(1)} s`}`;
  });
  out(
    `A removed key's tokens stopped verifying (longest time from the removal to the last acceptance): ${removed.join(', ')}; ` +
      `the cache notices at its next successful fetch: at most ttlSeconds after the last success, or the cooldown or Retry-After after the last failure ` +
      `(here at most ${Math.max(JWKS_SETTINGS.ttlSeconds, JWKS_SETTINGS.cooldownSeconds, RETRY_AFTER_SECONDS)} s).`,
  );
  out();
  out('### Event-loop delay of the target process (ms beyond the 10 ms sampling interval)');
  out();
  out('| window | p50 | p99 | max |\n|---|---:|---:|---:|');
  const delay = (name: string, d: LoopDelay | undefined) => {
    if (d !== undefined) out(`| ${name} | ${d.p50.toFixed(2)} | ${d.p99.toFixed(2)} | ${d.max.toFixed(2)} |`);
  };
  delay('after warm-up', summary.loopDelay.afterWarmUp);
  delay('whole run', summary.loopDelay.wholeRun);
  out();
  out(
    `Machine load average (1 min) at the start and end: ${record.loadAverage.start.toFixed(2)} and ${record.loadAverage.end.toFixed(2)}; ` +
      'the driver and the target take one core each, so anything above 2 is other processes competing with them.',
  );
  out();
  const stalls = record.final.stalls;
  const byPhase: Record<string, number> = {};
  for (const stall of stalls) {
    const name = phaseAt(record.phases, stall.t).name;
    byPhase[name] = (byPhase[name] ?? 0) + 1;
  }
  const longest = [...stalls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((s) => `${s.ms.toFixed(0)} ms at ${s.t.toFixed(1)} s (${phaseAt(record.phases, s.t).name})`);
  const { gcPauses, gcTotals } = record.final;
  const withGc = stalls.filter((stall) =>
    gcPauses.some((gc) => gc.t <= stall.t && gc.t + gc.ms / 1000 >= stall.t - stall.ms / 1000),
  ).length;
  const gcLine = Object.entries(gcTotals)
    .map(([kind, { count, ms }]) => `${kind} ${fmt(count)} (${fmt(ms)} ms)`)
    .join(', ');
  const longestGc =
    gcPauses.length === 0
      ? `none of ${STALL_MS / 5} ms or more`
      : `longest pause ${Math.max(...gcPauses.map((gc) => gc.ms)).toFixed(0)} ms`;
  out(
    `Garbage collection (V8's own, forced ones left out): ${gcLine}; ${longestGc}. ` +
      `Stalls that overlap a collection of ${STALL_MS / 5} ms or more: ${withGc} of ${stalls.length}.`,
  );
  out();
  out(
    stalls.length === 0
      ? `Stalls over ${STALL_MS} ms: none.`
      : `Stalls over ${STALL_MS} ms: ${stalls.length} (by phase: ${Object.entries(byPhase)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')}); longest: ${longest.join(', ')}.`,
  );
  return lines;
}
