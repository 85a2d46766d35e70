/**
 * The demo's command line: `[--json] [--color | --no-color]` runs the script and returns the exit
 * code (0 only when every outcome is the expected one); `--serve [--port-base N]` keeps everything
 * running until Ctrl-C. Parsing and colour detection are separate functions so tests can call them.
 */
import { parseArgs } from 'node:util';
import { type RunDemoOptions, runDemo } from './run.js';
import { DEFAULT_PORT_BASE, startServe } from './serve.js';

export interface CliOptions {
  readonly serve: boolean;
  readonly json: boolean;
  /** `true`/`false` from `--color`/`--no-color`; `undefined`: decide from the terminal. */
  readonly color: boolean | undefined;
  readonly portBase: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run demo -- [options]

  (no option)      send the scripted requests to every example, print the results, exit 0 if all are as expected
  --json           print the results as JSON instead of tables
  --color, --no-color
                   force colours on or off (default: on for a terminal, off with NO_COLOR)
  --serve          keep the issuer and the APIs running and print curl commands; Ctrl-C stops
  --port-base N    with --serve: mint on N, Express N+1, Fastify N+2, Lambda API N+3, JWKS N+4 (default ${DEFAULT_PORT_BASE})
  -h, --help       show this help
`;

/**
 * Parses the arguments after `--`; throws a `TypeError` with a readable message on bad input.
 *
 * @example
 * parseCli(['--serve', '--port-base', '5000']) // { serve: true, portBase: 5000, … }
 */
export function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      serve: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      'port-base': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const portBase = values['port-base'] === undefined ? DEFAULT_PORT_BASE : Number(values['port-base']);
  // The last of the five ports must still be a valid one.
  if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65_531) {
    throw new TypeError('--port-base must be an integer from 0 to 65531');
  }
  const color = values['no-color'] === true ? false : values.color === true ? true : undefined;
  return { serve: values.serve, json: values.json, color, portBase, help: values.help };
}

/**
 * Colours on a terminal unless `NO_COLOR` is set (https://no-color.org); `FORCE_COLOR` forces them.
 *
 * @example
 * useColor(undefined, process.stdout, process.env)
 */
export function useColor(
  flag: boolean | undefined,
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the command line and resolves with the exit code (in `--serve` mode, after Ctrl-C). `demo`
 * replaces the example apps or the script (tests use it).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
  demo: Pick<RunDemoOptions, 'apps' | 'scenarios'> = {},
): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (options.serve) return serveUntilSignal(options.portBase, io);
  const color = useColor(options.color, io.stdout, io.env);
  const report = await runDemo({
    ...demo,
    output: io.stdout,
    color,
    format: options.json ? 'json' : 'table',
  });
  return report.ok ? 0 : 1;
}

async function serveUntilSignal(portBase: number, io: CliIo): Promise<number> {
  let handle: Awaited<ReturnType<typeof startServe>>;
  try {
    handle = await startServe({ portBase, output: io.stdout });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint =
      code === 'EADDRINUSE' ? ` (a port from ${portBase} to ${portBase + 4} is taken: try --port-base)` : '';
    io.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second Ctrl-C while closing exits at once (the default handler is back).
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write('\nclosing…\n');
  await handle.close();
  return 0;
}
