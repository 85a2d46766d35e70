/**
 * Real Redis for the store suites. The machine's shared server (REDIS_URL, 127.0.0.1:6379 by
 * default) is used with a random key prefix and channel per run, and only our own keys are deleted
 * afterwards: never FLUSHALL/FLUSHDB, never stopped. Suites that restart Redis start a private
 * `redis-server` on a free port (AOF on, in a temporary folder) and stop it by its process id.
 * A missing Redis skips its suite with a visible message, and fails it under CI=true.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import { describeWhenAvailable } from './needs.js';

/** The shared server of the machine (CI runs one on 127.0.0.1:6379). */
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The redis-server binary for private servers: REDIS_SERVER, or `redis-server` on PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** True when a Redis answers PING at `url` within a second. */
export async function redisReachable(url = SHARED_REDIS_URL): Promise<boolean> {
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
    // +PONG, or -NOAUTH from a server with a password: either way a Redis answers.
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('latin1'))));
  });
}

/** True when a private redis-server can be started. */
export function hasRedisServer(): boolean {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.error === undefined && probe.status === 0;
}

/**
 * `describe` for a suite that needs Redis: runs it when `available`, skips it with a console
 * message elsewhere, and fails under CI=true, where a quiet skip would hide the suite.
 */
export function describeWithRedis(name: string, available: boolean, needs: string, body: () => void): void {
  describeWhenAvailable(
    {
      name,
      available,
      skipMessage: `no Redis (${needs})`,
      skipTitle: `needs Redis: ${needs}`,
      ciTitle: `needs Redis (CI=true): ${needs}`,
      ciError: `CI=true but "${name}" found no Redis: CI must provide ${needs}`,
    },
    body,
  );
}

/** A key prefix and channel no other run uses. */
export function uniquePrefix(): string {
  return `cognito-gate-test:${randomUUID()}:`;
}

/** A connected node-redis client that never crashes the run on a connection error. */
export async function connectClient(url: string, retryMs = 50): Promise<RedisClientType> {
  const client: RedisClientType = createClient({
    url,
    socket: { reconnectStrategy: () => retryMs, connectTimeout: 2000 },
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Deletes every key under `prefix` (SCAN, never KEYS) with `client`. */
export async function deletePrefix(client: RedisClientType, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A private redis-server on its own port, with AOF, so its data survives a kill and restart. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL by default: no shutdown save; AOF with fsync always keeps every write). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and folder, and waits for PING. */
  start(): Promise<void>;
  /** Kills it and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes'];
    args.push('--appendfsync', 'always', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
    const proc = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await redisReachable(url))) {
      if (proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`redis-server did not start on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    process.kill(proc.pid, signal);
    await exited;
  };

  await start();
  return {
    port,
    url,
    kill,
    start,
    async stop() {
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A loopback TCP relay to a Redis: one instance's network link, which a test can cut (open sockets
 * destroyed, new ones refused) and restore, while the server and every other instance stay up.
 */
export interface RedisLink {
  readonly url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLink(targetPort: number): Promise<RedisLink> {
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((inbound) => {
    if (!open) {
      inbound.destroy();
      return;
    }
    const outbound = connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(inbound);
    sockets.add(outbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cut,
    restore: () => {
      open = true;
    },
    close: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
