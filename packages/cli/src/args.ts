/**
 * Command-line parsing helpers around `node:util` `parseArgs`: usage errors with short messages
 * (exit code 2), comma-separated lists, instants and durations. Parsing is strict: an unknown flag
 * is a mistake worth stopping for, never silently ignored.
 */

/** Exit codes: documented, and relied on by scripts. */
export const EXIT = Object.freeze({
  /** Valid token, or the command succeeded. */
  ok: 0,
  /** The token was rejected (`verify`) or could not be decoded (`decode`). */
  rejected: 1,
  /** Unknown command or flag, a missing required option, an unreadable file. */
  usage: 2,
} as const);

/** A mistake on the command line; `main` prints it with a hint to `--help` and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose `--help` the hint points to, when known. */
  command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** `parseArgs`' own messages are long and mention internals; say the same thing in a few words. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('does not take an argument')
      ? `option ${option} takes no value`
      : `option ${option} needs a value`;
  }
  return message;
}

/**
 * Run a `parseArgs` call, turning its errors into `UsageError`s for `command`. Taking a thunk keeps
 * `parseArgs`' inferred result types intact.
 *
 * @example
 * const { values } = parseOrUsage('decode', () => parseArgs({ args, options, allowPositionals: true }));
 */
export function parseOrUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
}

/**
 * Options given as `--groups a,b` and/or `--groups a --groups b`, flattened. `undefined` when the
 * option was not given at all.
 *
 * @example
 * list(['admin,ops', 'audit'], 'groups') // ['admin', 'ops', 'audit']
 */
export function list(values: readonly string[] | undefined, name: string): string[] | undefined {
  if (values === undefined) return undefined;
  const items = values.flatMap((value) => value.split(',')).map((item) => item.trim());
  const kept = items.filter((item) => item.length > 0);
  if (kept.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return kept;
}

/** The value of an option that may be given once only. */
export function single(values: readonly string[] | undefined, name: string): string | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1) throw new UsageError(`--${name} may be given only once`);
  return values[0];
}

/**
 * One of a fixed set of words.
 *
 * @example
 * oneOf('id', ['id', 'access', 'any'], 'token-use') // 'id'
 */
export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** A non-negative number of seconds. */
export function seconds(value: string, name: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`--${name} must be a number of seconds, 0 or more (got '${value}')`);
  }
  return parsed;
}

/** Epoch values this large are milliseconds (1e11 seconds is the year 5138). */
const MILLISECONDS_FROM = 1e11;

/**
 * An instant as epoch milliseconds, from an ISO 8601 date or an epoch number (seconds, as in JWT
 * claims; milliseconds when it is too large to be seconds).
 *
 * @example
 * instant('2026-11-26T10:00:00Z', 'now') // 1795687200000
 * instant('1795687200', 'now')           // 1795687200000
 */
export function instant(value: string, name: string): number {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const number = Number(trimmed);
    return number >= MILLISECONDS_FROM ? number : number * 1000;
  }
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new UsageError(
      `--${name} must be an ISO date (2026-11-26T10:00:00Z) or epoch seconds (got '${value}')`,
    );
  }
  return parsed;
}

/** At most one positional argument (the token). */
export function onePositional(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument '${abbreviate(positionals[1]!)}' (give one token)`);
  }
  return positionals[0];
}

/** Tokens are long; usage messages show their start only. */
export function abbreviate(text: string, max = 24): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
