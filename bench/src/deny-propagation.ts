/**
 * Deny-list propagation through Redis between two processes on one machine (`child_process.fork`):
 * a writer denies tokens one by one, a reader reports the moment each becomes denied there
 * (`isDenied` true, checked as the entry lands in its deny-list). Latency = reader's time minus the
 * writer's time just before `denyToken()`, both on `performance.timeOrigin + performance.now()`.
 * The first 50 entries of the steady run are a warm-up and not measured.
 *
 * 1. Steady state on the machine's Redis (REDIS_URL or 127.0.0.1:6379), a private key prefix.
 * 2. A Redis restart, on a private `redis-server` (AOF, fsync always) on its own port: the writer
 *    keeps denying every `restartIntervalMs` while the server is killed (SIGKILL), down for
 *    `downMs`, then started again. Denials during the outage reject at the writer (kept by its store
 *    and written on reconnect); the reader misses their messages and gets them by reloading. We
 *    report how long each process took to recover after the server answered again, how many
 *    entries were denied during the outage, and how many of all of them the reader holds at the
 *    end (lost = written minus held), and what a third process, started afterwards, loads.
 *    Recovery is timed from the moment redis-server is spawned again (its start-up included).
 * A benchmark, not a test: it asserts nothing.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDenyList, type DenyList, type DenyListEvent } from '@cognito-gate/core';
// The subpath `@cognito-gate/core/redis` once the package exports it; the built file until then.
import { createRedisStore } from '@cognito-gate/core/redis';
import { createClient } from 'redis';

export interface PropagationResult {
  readonly entries: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The five slowest entries (their index in the run, and ms): warm-up, or a busy machine. */
  readonly slowest: ReadonlyArray<{ readonly i: number; readonly ms: number }>;
}

export interface RestartResult {
  readonly downMs: number;
  readonly written: number;
  readonly writtenDuringOutage: number;
  readonly rejectedAtWriter: number;
  readonly heldByReader: number;
  readonly lost: number;
  readonly writerRecoveredMs: number;
  readonly readerRecoveredMs: number;
  /** Entries written during the outage: from the deny call to the reader, p50 / max. */
  readonly outageEntryP50Ms: number;
  readonly outageEntryMaxMs: number;
  readonly loadedByNewProcess: number;
}

export interface DenyPropagationResult {
  readonly steady?: PropagationResult;
  readonly restart?: RestartResult;
  readonly skipped?: string;
}

type ToChild =
  | { type: 'expect'; n: number }
  | { type: 'deny'; i: number }
  | { type: 'count'; n: number }
  | { type: 'size' }
  | { type: 'stop' };
type FromChild =
  | { type: 'ready'; size: number }
  | { type: 'denying'; i: number; at: number }
  | { type: 'denied'; i: number; ok: boolean }
  | { type: 'arrived'; i: number; at: number }
  | { type: 'event'; event: DenyListEvent['type']; at: number }
  | { type: 'count'; held: number }
  | { type: 'size'; size: number };

const WARM_UP = 50;
const clock = () => performance.timeOrigin + performance.now();
const jtiOf = (run: string, i: number) => `${run}-${i}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs in each forked process: argv = [url, prefix, run id]. */
async function child(url: string, prefix: string, run: string): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  await client.connect();
  const store = createRedisStore({ client, keyPrefix: prefix, commandTimeoutMs: 1000 });
  let denyList: DenyList | undefined;
  // Time each entry as it lands: the listener the deny-list gives the store is wrapped, so
  // `isDenied` is read right after the deny-list has applied the entry.
  const timed: typeof store = {
    ...store,
    push: store.push,
    load: () => store.load(),
    add: (entry) => store.add(entry),
    close: () => store.close(),
    subscribe: (listener) =>
      store.subscribe({
        status: (status) => listener.status(status),
        entry: (entry) => {
          listener.entry(entry);
          if (entry.kind !== 'token' || denyList === undefined) return;
          const i = Number(entry.jti.slice(run.length + 1));
          if (awaited.has(i) && denyList.isDenied({ claims: { jti: entry.jti }, sub: 'bench' })) {
            send({ type: 'arrived', i, at: clock() });
            awaited.delete(i);
          }
        },
      }),
  };
  // Indices not yet arrived: those that come with a reload (after a gap) are reported then.
  const awaited = new Set<number>();
  denyList = createDenyList({
    store: timed,
    storeTimeoutMs: 1500,
    refreshIntervalMs: 100,
    onEvent: (event) => {
      send({ type: 'event', event: event.type, at: clock() });
      // Entries that came with a reload (after a gap) rather than by push: report them too.
      if (event.type === 'loaded' && denyList !== undefined) {
        const at = clock();
        for (const i of awaited) {
          if (denyList.isDenied({ claims: { jti: jtiOf(run, i) }, sub: 'bench' })) {
            send({ type: 'arrived', i, at });
            awaited.delete(i);
          }
        }
      }
    },
  });
  await denyList.ready();
  const list = denyList;
  process.on('message', async (message: ToChild) => {
    if (message.type === 'expect') {
      for (let i = 0; i < message.n; i++) awaited.add(i);
    } else if (message.type === 'deny') {
      send({ type: 'denying', i: message.i, at: clock() });
      const ok = await list.denyToken(jtiOf(run, message.i)).then(
        () => true,
        () => false,
      );
      send({ type: 'denied', i: message.i, ok });
    } else if (message.type === 'count') {
      let held = 0;
      for (let i = 0; i < message.n; i++) {
        if (list.isDenied({ claims: { jti: jtiOf(run, i) }, sub: 'bench' })) held++;
      }
      send({ type: 'count', held });
    } else if (message.type === 'size') {
      send({ type: 'size', size: list.size });
    } else {
      await list.close();
      await store.close();
      await client.close().catch(() => {});
      process.exit(0);
    }
  });
  send({ type: 'ready', size: list.size });
}

/** A forked process and the messages it sent. */
interface Proc {
  readonly proc: ChildProcess;
  readonly messages: FromChild[];
  next<T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>>;
  tell(message: ToChild): void;
}

function start(url: string, prefix: string, run: string): Promise<Proc> {
  const proc = fork(fileURLToPath(import.meta.url), ['--deny-child', url, prefix, run], { stdio: 'inherit' });
  const messages: FromChild[] = [];
  const waiters: Array<(m: FromChild) => boolean> = [];
  proc.on('message', (m: FromChild) => {
    messages.push(m);
    for (let k = waiters.length - 1; k >= 0; k--) if (waiters[k]!(m)) waiters.splice(k, 1);
  });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve) => {
      waiters.push((m) => {
        if (m.type !== type) return false;
        resolve(m as Extract<FromChild, { type: T }>);
        return true;
      });
    });
  const p: Proc = { proc, messages, next, tell: (message) => proc.send(message) };
  return next('ready').then(() => p);
}

async function stopAll(procs: Proc[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.proc.exitCode !== null) return resolve();
          p.proc.once('exit', () => resolve());
          p.tell({ type: 'stop' });
        }),
    ),
  );
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Writer's `denying` time to reader's `arrived` time, per entry. */
function latencies(writer: Proc, reader: Proc, only?: Set<number>): Map<number, number> {
  const sent = new Map<number, number>();
  for (const m of writer.messages) if (m.type === 'denying') sent.set(m.i, m.at);
  const out = new Map<number, number>();
  for (const m of reader.messages) {
    if (m.type !== 'arrived' || out.has(m.i) || (only !== undefined && !only.has(m.i))) continue;
    const t0 = sent.get(m.i);
    if (t0 !== undefined) out.set(m.i, m.at - t0);
  }
  return out;
}

function summary(values: Iterable<number>) {
  const sorted = [...values].sort((x, y) => x - y);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('+')));
  });
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

async function steady(url: string, entries: number, intervalMs: number): Promise<PropagationResult> {
  const prefix = `cognito-gate-bench:${randomUUID()}:`;
  const run = randomUUID();
  const [writer, reader] = await Promise.all([start(url, prefix, run), start(url, prefix, run)]);
  try {
    // Warm-up, not measured: the first few dozen entries pay for JIT and first-use allocations.
    for (let i = 0; i < WARM_UP; i++) {
      writer.tell({ type: 'deny', i: entries + i });
      await sleep(intervalMs);
    }
    await sleep(200);
    reader.tell({ type: 'expect', n: entries });
    for (let i = 0; i < entries; i++) {
      writer.tell({ type: 'deny', i });
      await sleep(intervalMs);
    }
    const deadline = Date.now() + 10_000;
    while (latencies(writer, reader).size < entries && Date.now() < deadline) await sleep(20);
    const measured = latencies(writer, reader);
    const s = summary(measured.values());
    const slowest = [...measured]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([i, ms]) => ({ i, ms: Math.round(ms * 10) / 10 }));
    return { entries: measured.size, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max, slowest };
  } finally {
    await stopAll([writer, reader]);
    await deletePrefix(url, prefix);
  }
}

/** A private redis-server on a free port, with AOF (fsync always) in a temporary folder. */
async function privateServer(binary: string) {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-bench-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  /** Starts the server and waits for PING; returns when it was spawned (recovery is timed from then). */
  const up = async () => {
    const spawnedAt = clock();
    proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes'].concat([
        '--appendfsync',
        'always',
        '--dir',
        dir,
      ]),
      { stdio: 'ignore' },
    );
    while (!(await reachable(url))) await sleep(10);
    return spawnedAt;
  };
  const kill = async () => {
    const p = proc;
    if (p?.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    process.kill(p.pid, 'SIGKILL');
    await exited;
  };
  await up();
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, up, kill, stop };
}

async function restart(
  binary: string,
  entries: number,
  intervalMs: number,
  downMs: number,
): Promise<RestartResult> {
  const server = await privateServer(binary);
  const prefix = `cognito-gate-bench:${randomUUID()}:`;
  const run = randomUUID();
  const [writer, reader] = await Promise.all([
    start(server.url, prefix, run),
    start(server.url, prefix, run),
  ]);
  const procs = [writer, reader];
  try {
    reader.tell({ type: 'expect', n: entries });
    const outage = new Set<number>();
    const killAt = Math.floor(entries / 3);
    let down = false;
    let killedAt = 0;
    let restartedAt = Number.NaN;
    for (let i = 0; i < entries; i++) {
      if (i === killAt) {
        await server.kill();
        down = true;
        killedAt = Date.now();
      }
      // The writer keeps its pace through the outage; the restart waits for PING to answer.
      if (down && Date.now() - killedAt >= downMs) {
        restartedAt = await server.up();
        down = false;
      }
      if (down) outage.add(i);
      writer.tell({ type: 'deny', i });
      await sleep(intervalMs);
    }
    const written = entries;
    const deadline = Date.now() + 15_000;
    let held = 0;
    while (Date.now() < deadline) {
      reader.tell({ type: 'count', n: written });
      held = (await reader.next('count')).held;
      if (held >= written) break;
      await sleep(100);
    }
    const recovered = (p: Proc) =>
      (
        p.messages.find((m) => m.type === 'event' && m.event === 'recovered' && m.at >= restartedAt) as
          | { at: number }
          | undefined
      )?.at ?? Number.NaN;
    const outageLatency = summary(latencies(writer, reader, outage).values());
    const late = await start(server.url, prefix, run);
    procs.push(late);
    late.tell({ type: 'count', n: written });
    const loaded = (await late.next('count')).held;
    const rejected = writer.messages.filter((m) => m.type === 'denied' && !m.ok).length;
    return {
      downMs,
      written,
      writtenDuringOutage: outage.size,
      rejectedAtWriter: rejected,
      heldByReader: held,
      lost: written - held,
      writerRecoveredMs: recovered(writer) - restartedAt,
      readerRecoveredMs: recovered(reader) - restartedAt,
      outageEntryP50Ms: outageLatency.p50,
      outageEntryMaxMs: outageLatency.max,
      loadedByNewProcess: loaded,
    };
  } finally {
    await stopAll(procs);
    await server.stop();
  }
}

/** The bench part: `npm run bench -- deny-propagation`. */
export async function runDenyPropagation(options: {
  entries: number;
  intervalMs: number;
  downMs: number;
}): Promise<DenyPropagationResult> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const result: { steady?: PropagationResult; restart?: RestartResult; skipped?: string } = {};
  if (await reachable(url)) result.steady = await steady(url, options.entries, options.intervalMs);
  else result.skipped = `no Redis at ${url}`;
  const binary = process.env.REDIS_SERVER ?? 'redis-server';
  const hasServer = await new Promise<boolean>((resolve) => {
    const p = spawn(binary, ['--version'], { stdio: 'ignore' });
    p.once('error', () => resolve(false));
    p.once('exit', (code) => resolve(code === 0));
  });
  if (hasServer) result.restart = await restart(binary, options.entries, options.intervalMs, options.downMs);
  else result.skipped = `${result.skipped ?? ''} no redis-server for the restart scenario`.trim();
  return result;
}

if (process.argv[2] === '--deny-child') {
  const [url, prefix, run] = process.argv.slice(3) as [string, string, string];
  await child(url, prefix, run);
}
