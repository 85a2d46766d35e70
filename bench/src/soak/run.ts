/**
 * `npm run soak`: a few minutes of mixed traffic through the Express and Fastify example APIs and the
 * Lambda authorizer example while their JWKS endpoint flaps (schedule.ts). Prints a markdown report
 * and writes bench/results/soak.json, soak.md and soak.svg (heap and RSS over time). A benchmark,
 * not a test: it asserts nothing and never runs in CI.
 *
 *   SOAK_SECONDS          run length (default 180)
 *   SOAK_WARMUP_SECONDS   excluded from the "flat after warm-up" figures (default 65: the opening
 *                         outage and one full cycle, so every path ran once and the reference
 *                         reading falls where the end one does, rotated key gone; at most half the run)
 *   SOAK_RATE             requests per second to each of the three targets (default 400)
 *   SOAK_USERS            distinct users with a valid token (default 4000)
 *   SOAK_SEED             seed of the request mix (default 1)
 *
 * The driver (this process) holds the test issuer, its JWKS server and the HTTP load; the targets run
 * in a child process (target.ts), so its memory and event-loop figures are theirs alone. Neither is
 * pinned to a core: this measures behaviour over time, not peak throughput.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestIssuer } from '@cognito-gate/testing';
import { startHttpLoad } from './http-load.js';
import { startJwksFront } from './jwks-front.js';
import { lineChart } from './line-chart.js';
import { toMarkdown } from './markdown.js';
import type { MixFlags } from './mix.js';
import type { FromTarget, JwksNote, Sample, TargetFinal, ToTarget } from './protocol.js';
import { buildSchedule, cycleStarts, type Phase, rotationCount } from './schedule.js';
import { type RanPhase, type SoakRecord, summarize } from './summary.js';
import { mintPools } from './tokens.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seconds = env('SOAK_SECONDS', 180);
const warmUpSeconds = Math.min(env('SOAK_WARMUP_SECONDS', 65), Math.floor(seconds / 2));
const ratePerTarget = env('SOAK_RATE', 400);
const users = env('SOAK_USERS', 4000);
const seed = env('SOAK_SEED', 1);
const dir = new URL('../../results/', import.meta.url);
if (!(seconds >= 10) || !(ratePerTarget > 0) || !(users >= 300) || !Number.isInteger(seed)) {
  throw new Error('SOAK_SECONDS must be >= 10, SOAK_RATE > 0, SOAK_USERS >= 300, SOAK_SEED an integer');
}

const schedule = buildSchedule(seconds);
const issuer = await createTestIssuer({ userPoolId: 'us-east-1_SoakPool01' });
await issuer.listen();
const front = await startJwksFront(issuer.jwksUri);

const minting = performance.now();
const { pools, rotatedKeys } = await mintPools(issuer, {
  users,
  rotations: rotationCount(schedule),
  rotatedUsers: 300,
});
console.error(
  `minted ${pools.valid.length} users' tokens in ${((performance.now() - minting) / 1000).toFixed(1)} s`,
);

/** Put the endpoint (issuer's server and the front) into a phase's state, and make its key change. */
async function enter(phase: Phase): Promise<void> {
  const endpoint = phase.endpoint;
  if (phase.keys === 'publish') issuer.addKey(rotatedKeys[phase.cycle]!.jwk);
  if (phase.keys === 'remove') issuer.removeKey(rotatedKeys[phase.cycle]!.kid);
  front.setRetryAfter(endpoint.type === 'status' ? endpoint.retryAfterSeconds : undefined);
  if (endpoint.type === 'down') {
    await front.setDown(true);
    await issuer.server.setFault({ type: 'down' });
    return;
  }
  await issuer.server.setFault(
    endpoint.type === 'ok'
      ? null
      : endpoint.type === 'slow'
        ? { type: 'slowHeaders', delayMs: endpoint.delayMs }
        : { type: 'status', status: endpoint.status },
  );
  await front.setDown(false);
}

const child: ChildProcess = fork(new URL('./target.js', import.meta.url).pathname, [], {
  execArgv: ['--expose-gc', '--max-http-header-size=65536'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const tell = (message: ToTarget) => child.send(message);

const notes: JwksNote[] = [];
const samples: Sample[] = [];
const keysLoaded = new Set<string>();
let warm: Sample | undefined;
const checkpoints: Sample[] = [];
let final: TargetFinal | undefined;
const finished = new Promise<void>((resolve, reject) => {
  child.on('exit', (code) =>
    final === undefined ? reject(new Error(`target exited with ${code}`)) : resolve(),
  );
});
const listening = new Promise<{ express: string; fastify: string }>((resolve) => {
  child.on('message', (message: FromTarget) => {
    if (message.type === 'ready') resolve(message);
    else if (message.type === 'sample') samples.push(message.sample);
    else if (message.type === 'checkpoint') {
      if (message.endsWarmUp) warm = message.sample;
      checkpoints.push(message.sample);
    } else if (message.type === 'final') final = message.final;
    else if (message.type === 'jwks') {
      notes.push(message.note);
      if (message.note.type === 'jwks_fetch_success') keysLoaded.add(message.note.target);
    }
  });
});

let flags: MixFlags = schedule[0]!.flags;
await enter(schedule[0]!);
tell({
  type: 'start',
  pools,
  seed: seed * 3 + 2,
  lambdaRate: ratePerTarget,
  userPoolId: issuer.userPoolId,
  clientId: issuer.clientId,
  jwksUri: front.jwksUri,
  flags,
});
const urls = await listening;

const loadAtStart = loadavg()[0]!;
const t0 = Date.now();
tell({ type: 'go', t0 });
const loads = {
  express: startHttpLoad({
    url: urls.express,
    pools,
    seed: seed * 3,
    rate: ratePerTarget,
    flags: () => flags,
    keysLoaded: () => keysLoaded.has('express'),
  }),
  fastify: startHttpLoad({
    url: urls.fastify,
    pools,
    seed: seed * 3 + 1,
    rate: ratePerTarget,
    flags: () => flags,
    keysLoaded: () => keysLoaded.has('fastify'),
  }),
};
// Retained heap: after the warm-up, then at each later cycle boundary (same point of the schedule).
const checkpointTimers = [
  warmUpSeconds,
  ...cycleStarts(schedule).filter((t) => t > warmUpSeconds && t < seconds - 2),
].map((t, i) => setTimeout(() => tell({ type: 'checkpoint', endsWarmUp: i === 0 }), t * 1000));

const ran: RanPhase[] = [];
const elapsed = () => (Date.now() - t0) / 1000;
for (const [i, phase] of schedule.entries()) {
  if (i > 0) {
    await sleep(Math.max(0, t0 + phase.start * 1000 - Date.now()));
    await enter(phase);
    flags = phase.flags;
    tell({ type: 'phase', flags });
  }
  const from = elapsed();
  if (i > 0) ran[i - 1] = { ...ran[i - 1]!, ranTo: from };
  ran.push({ ...phase, ranFrom: i === 0 ? 0 : from, ranTo: seconds });
  console.error(`${from.toFixed(1).padStart(6)} s  ${phase.name}`);
}
await sleep(Math.max(0, t0 + seconds * 1000 - Date.now()));
await Promise.all([loads.express.stop(), loads.fastify.stop()]);
const loadAtEnd = loadavg()[0]!;
ran[ran.length - 1] = { ...ran.at(-1)!, ranTo: elapsed() };
for (const timer of checkpointTimers) clearTimeout(timer);
tell({ type: 'stop' });
await finished;
await issuer.server.setFault(null);
await front.close();
await issuer.close();

const record: SoakRecord = {
  config: { seconds, warmUpSeconds, ratePerTarget, users, seed, jwksUri: front.jwksUri },
  t0,
  phases: ran,
  outcomes: {
    express: loads.express.tally.toJSON(),
    fastify: loads.fastify.tally.toJSON(),
    lambda: final!.lambda,
  },
  rotatedLastAccepted: {
    express: loads.express.tally.rotatedLastAccepted,
    fastify: loads.fastify.tally.rotatedLastAccepted,
    lambda: final!.lambdaRotatedLastAccepted,
  },
  shedAt: { express: loads.express.shedAt, fastify: loads.fastify.shedAt, lambda: final!.lambdaShedAt },
  shed: { express: loads.express.shed, fastify: loads.fastify.shed, lambda: final!.lambdaShed },
  notes,
  samples,
  warm,
  checkpoints,
  final: final!,
  endpointRequests: front.requestCount,
  loadAverage: { start: loadAtStart, end: loadAtEnd },
};
const summary = summarize(record);
const markdown = toMarkdown(record, summary);
console.log(markdown.join('\n'));

mkdirSync(dir, { recursive: true });
const meta = { node: process.version, date: new Date().toISOString(), cpus: cpus().length };
writeFileSync(new URL('soak.json', dir), `${JSON.stringify({ ...meta, summary, record }, null, 2)}\n`);
writeFileSync(new URL('soak.md', dir), `${markdown.join('\n')}\n`);
const MiB = 2 ** 20;
writeFileSync(
  new URL('soak.svg', dir),
  lineChart(
    `Soak: target process memory (${seconds} s, Express + Fastify + Lambda)`,
    [
      { label: 'RSS', color: '#d9480f', points: samples.map((s) => [s.t, s.rss / MiB] as const) },
      {
        label: 'heap total',
        color: '#868e96',
        points: samples.map((s) => [s.t, s.heapTotal / MiB] as const),
      },
      { label: 'heap used', color: '#1971c2', points: samples.map((s) => [s.t, s.heapUsed / MiB] as const) },
      {
        label: 'heap retained (after a forced GC)',
        color: '#2f9e44',
        points: [...checkpoints, final!.endSample].map((s) => [s.t, s.heapUsed / MiB] as const),
      },
    ],
    {
      xLabel: 'seconds',
      yLabel: 'MiB',
      markers: [{ x: warmUpSeconds, label: 'end of warm-up' }],
      bands: ran.filter((p) => p.endpoint.type !== 'ok').map((p) => ({ from: p.ranFrom, to: p.ranTo })),
      bandLabel: 'JWKS endpoint failing',
    },
  ),
);
console.error('\nwrote bench/results/soak.json, soak.md and soak.svg');
