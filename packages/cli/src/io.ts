/**
 * The CLI's window on the world. Streams, terminal detection, environment, clock and network are
 * handed in, so tests run every command in-process (no spawning, no real network, no real clock)
 * and `bin.ts` wires in the real process.
 */
import type { JwksFetchFunction } from '@cognito-gate/core';
import { UsageError } from './args.js';

/** Anything with a `write(string)`: `process.stdout`, or a collecting stub in tests. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface CliIo {
  /** Read when the token argument is `-`, or absent and stdin is not a terminal. */
  readonly stdin: AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether stdout is a terminal: colours are used only then (and never with `NO_COLOR` or `--json`). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
  /** JWKS downloads go through this; the global `fetch` by default. */
  readonly fetch?: JwksFetchFunction;
  /** Base of relative file paths; `process.cwd()` by default. */
  readonly cwd?: string;
}

/**
 * The real process as a `CliIo`.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    now: Date.now,
    cwd: process.cwd(),
  };
}

/** Far above any real token (Cognito's are 1–4 KB); stops `cat big-file | cognito-gate decode`. */
const MAX_STDIN_BYTES = 64 * 1024;

async function readStdin(stdin: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError(`stdin holds more than ${MAX_STDIN_BYTES} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Trim whitespace and a leading `Bearer ` (people paste whole Authorization header values).
 *
 * @example
 * normalizeToken('  Bearer eyJ...\n') // 'eyJ...'
 */
export function normalizeToken(raw: string): string {
  return raw.trim().replace(/^bearer\s+/i, '');
}

/**
 * The token a command works on: the positional argument, or stdin when it is `-`, or when it is
 * absent and something is piped in.
 *
 * @example
 * const token = await readToken(positionals[0], io); // throws UsageError when there is none
 */
export async function readToken(positional: string | undefined, io: CliIo): Promise<string> {
  let raw: string;
  if (positional !== undefined && positional !== '-') {
    raw = positional;
  } else if (positional === undefined && io.stdin.isTTY === true) {
    throw new UsageError('missing <token>: pass it as an argument, or pipe it in on stdin');
  } else {
    raw = await readStdin(io.stdin);
  }
  const token = normalizeToken(raw);
  if (token.length === 0) throw new UsageError('no token given (the argument or stdin was empty)');
  return token;
}
