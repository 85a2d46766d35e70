/**
 * Runs the CLI in-process with a fake terminal: collected stdout/stderr, a chosen stdin, a fixed
 * clock and no network unless a test injects a fetch. Also a Cognito-shaped test issuer whose JWKS
 * sits in a temporary file, for offline `verify --jwks-file` runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { JwksFetchFunction } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import type { CliIo } from '../../packages/cli/src/io.js';
import { main } from '../../packages/cli/src/main.js';

/** The tests' "now": 2026-11-26T10:00:00Z. */
export const NOW = Date.parse('2026-11-26T10:00:00Z');
export const NOW_SECONDS = NOW / 1000;

export interface RunOptions {
  /** Piped stdin content; absent means stdin is an interactive terminal with nothing piped. */
  readonly stdin?: string;
  /** Whether stdout is a terminal. Default false. */
  readonly isTTY?: boolean;
  readonly env?: Record<string, string | undefined>;
  readonly now?: number;
  readonly fetch?: JwksFetchFunction;
  readonly cwd?: string;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails the test on any network access a test did not set up. */
const noNetwork: JwksFetchFunction = async (url) => {
  throw new Error(`unexpected network access to ${url}`);
};

function stdinOf(content: string | undefined): CliIo['stdin'] {
  if (content === undefined) return Object.assign(Readable.from([]), { isTTY: true });
  return Readable.from([Buffer.from(content, 'utf8')]);
}

/** Run `cognito-gate …argv` and collect what it printed. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdin: stdinOf(options.stdin),
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    now: () => options.now ?? NOW,
    fetch: options.fetch ?? noNetwork,
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

/** The parsed `--json` output (and a check that stdout is exactly one JSON document). */
export function json<T = Record<string, unknown>>(result: RunResult): T {
  return JSON.parse(result.stdout) as T;
}

/** A JSON Response, as an injected fetch returns it. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export interface CliFixture {
  readonly issuer: TestIssuer;
  readonly dir: string;
  /** Path of a file holding the issuer's JWKS. */
  readonly jwksFile: string;
  /** `--user-pool-id … --client-id … --jwks-file …` for this issuer. */
  readonly args: readonly string[];
  /** Write `content` (JSON-encoded unless a string) to a file in the temp dir. */
  write(name: string, content: unknown): string;
  cleanup(): void;
}

/** A test issuer on the fixed clock, with its JWKS in a temporary file. */
export async function createCliFixture(userPoolId = 'eu-west-1_CliTest01'): Promise<CliFixture> {
  const issuer = await createTestIssuer({ userPoolId, now: () => NOW });
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-cli-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const jwksFile = write('jwks.json', issuer.jwks);
  return {
    issuer,
    dir,
    jwksFile,
    args: ['--user-pool-id', issuer.userPoolId, '--client-id', issuer.clientId, '--jwks-file', jwksFile],
    write,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Replace segment `index` of a compact JWS with the base64url of `json`. */
export function withSegment(token: string, index: number, json: unknown): string {
  const parts = token.split('.');
  parts[index] = Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)).toString('base64url');
  return parts.join('.');
}

/** The decoded payload of a token (test-side helper; no checks). */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting ANSI escapes is the point
export const ANSI = /\u001b\[/;
