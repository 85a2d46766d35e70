/**
 * Terminal colours. ANSI codes are written only when stdout is a terminal, `NO_COLOR` is not set
 * (https://no-color.org: any non-empty value turns colours off) and the output is not `--json`, so
 * piped and scripted output never carries escape sequences.
 */
import type { CliIo } from './io.js';

/** Wrappers that colour text, or return it unchanged when colours are off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function paint(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

const COLOURED: Style = Object.freeze({
  enabled: true,
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
});

const PLAIN: Style = Object.freeze({
  enabled: false,
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
});

export interface StyleRequest {
  /** `--json` output is for programs: never coloured. */
  readonly json?: boolean | undefined;
  /** `--no-color` on the command line. */
  readonly noColor?: boolean | undefined;
}

/**
 * The style a command writes with.
 *
 * @example
 * const style = styleFor(io, { json: values.json, noColor: values['no-color'] });
 * io.stdout.write(`${style.green('VALID')}\n`);
 */
export function styleFor(io: CliIo, request: StyleRequest = {}): Style {
  const noColorEnv = io.env.NO_COLOR;
  const allowed =
    io.isTTY &&
    request.json !== true &&
    request.noColor !== true &&
    (noColorEnv === undefined || noColorEnv === '');
  return allowed ? COLOURED : PLAIN;
}

// C0 and C1 control characters: a hostile claim could otherwise move the cursor or clear the screen.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// JSON.stringify already escapes C0 controls inside strings; the raw ones left are its own newlines.
const JSON_UNESCAPED = /[\u007f-\u009f\u2028\u2029]/g;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Token content made safe to print on a terminal: control characters become `\uXXXX`.
 *
 * @example
 * printable('evil\u001b[2J') // 'evil\\u001b[2J'
 */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/**
 * `--json` output: pretty JSON whose string content cannot drive a terminal either (JSON.stringify
 * escapes C0 controls but leaves C1 ones and the line separators as they are).
 *
 * @example
 * io.stdout.write(toJson({ valid: true }));
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(JSON_UNESCAPED, escapeChar)}\n`;
}

/** True when `text` holds an ANSI escape sequence (tests and `--json` guards). */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001b[');
}
