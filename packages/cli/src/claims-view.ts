/**
 * The human rendering of a token's header and claims, shared by `verify` and `decode`: one claim a
 * line, names aligned, time claims followed by their date and distance from now, so nobody has to
 * convert epoch seconds in their head.
 */
import { printable, type Style } from './style.js';
import { describeTime, TIME_CLAIMS } from './time.js';

const TIME_NAMES: ReadonlySet<string> = new Set(TIME_CLAIMS);
/** Long claim names (`cognito:preferred_role`) should not push every value far right. */
const MAX_NAME_WIDTH = 24;

function valueText(value: unknown): string {
  return printable(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

/** `2026-11-26T10:00:00Z (in 42 min)`, coloured by what it means for the token. */
function timeAnnotation(name: string, value: unknown, nowMs: number, style: Style): string {
  const view = describeTime(value, nowMs);
  if (view.iso === undefined) return style.yellow('(not a valid time)');
  if (name !== 'exp') return style.dim(`${view.iso} (${view.relative})`);
  const past = (value as number) <= nowMs / 1000;
  return past
    ? style.red(`${view.iso} (expired ${view.relative})`)
    : style.green(`${view.iso} (expires ${view.relative})`);
}

/**
 * Lines for one section (`Header`, `Claims`), or a note when it could not be decoded.
 *
 * @example
 * io.stdout.write(renderSection('Claims', claims, style, Date.now()).join('\n'));
 */
export function renderSection(
  title: string,
  record: Record<string, unknown> | undefined,
  style: Style,
  nowMs: number,
): string[] {
  const lines = [style.bold(title)];
  if (record === undefined) {
    lines.push(`  ${style.yellow('(could not be decoded)')}`);
    return lines;
  }
  const names = Object.keys(record);
  if (names.length === 0) {
    lines.push(`  ${style.dim('(empty)')}`);
    return lines;
  }
  const width = Math.min(MAX_NAME_WIDTH, Math.max(...names.map((name) => printable(name).length)));
  for (const name of names) {
    const value = record[name];
    let line = `  ${style.cyan(printable(name).padEnd(width))}  ${valueText(value)}`;
    if (TIME_NAMES.has(name)) line += `  ${timeAnnotation(name, value, nowMs, style)}`;
    lines.push(line);
  }
  return lines;
}

/**
 * `{ exp: { value, iso, relative }, … }` for the time claims a payload has, for `--json` output.
 *
 * @example
 * timesOf({ exp: 1795687200 }, now) // { exp: { value: 1795687200, iso: '2026-11-26T10:00:00Z', relative: 'in 5 min' } }
 */
export function timesOf(
  claims: Record<string, unknown> | undefined,
  nowMs: number,
): Record<string, { value: unknown; iso: string | null; relative: string | null }> {
  const times: Record<string, { value: unknown; iso: string | null; relative: string | null }> = {};
  if (claims === undefined) return times;
  for (const name of TIME_CLAIMS) {
    if (!Object.hasOwn(claims, name)) continue;
    const view = describeTime(claims[name], nowMs);
    times[name] = { value: view.value, iso: view.iso ?? null, relative: view.relative ?? null };
  }
  return times;
}
