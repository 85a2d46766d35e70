/**
 * Renders the demo's results: one table per target (scenario, request, expected, status, reason,
 * `WWW-Authenticate` / `Retry-After`, ✓/✗) and a summary line, or the same as JSON. Colours are
 * optional ANSI codes: the caller decides (TTY, `NO_COLOR`), widths are computed without them.
 */
import type { DemoReport, ScenarioResult } from './run.js';

export interface RenderOptions {
  readonly color: boolean;
}

type Paint = (text: string) => string;

interface Palette {
  readonly green: Paint;
  readonly red: Paint;
  readonly yellow: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

const plain: Paint = (text) => text;
const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

function palette(color: boolean): Palette {
  if (!color) return { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return {
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
  };
}

const NONE = '–';
const HEADINGS = [
  '',
  'scenario',
  'request',
  'expected',
  'status',
  'reason',
  'WWW-Authenticate / Retry-After',
];

/**
 * The RFC 6750 challenge without what the table already says: `realm` and `error_description` are
 * dropped unless nothing else is left.
 *
 * @example
 * shortenChallenge('Bearer realm="api", error="invalid_token", error_description="The token has expired"')
 * // 'Bearer error="invalid_token"'
 */
export function shortenChallenge(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const scheme = /^\S+/.exec(value)?.[0] ?? '';
  const attributes = [...value.slice(scheme.length).matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*"|[^,\s]*)/g)].map(
    ([, name = '', text = '']) => ({ name, text }),
  );
  const kept = attributes.filter(({ name }) => name !== 'realm' && name !== 'error_description');
  const shown = kept.length > 0 ? kept : attributes;
  return [scheme, shown.map(({ name, text }) => `${name}=${text}`).join(', ')].filter(Boolean).join(' ');
}

/** The cells of one row, uncoloured. */
function cells(result: ScenarioResult): string[] {
  const { expected, observed } = result;
  const challenge = [
    shortenChallenge(observed?.wwwAuthenticate),
    observed?.retryAfter === undefined ? undefined : `Retry-After: ${observed.retryAfter}`,
  ].filter((part) => part !== undefined);
  return [
    result.outcome === 'pass' ? '✓' : result.outcome === 'fail' ? '✗' : NONE,
    result.title,
    result.request ?? NONE,
    expected === undefined
      ? 'n/a'
      : [expected.status, expected.code].filter((p) => p !== undefined).join(' '),
    observed === undefined ? (result.outcome === 'n/a' ? NONE : 'error') : String(observed.status),
    observed?.code ?? observed?.note ?? result.detail ?? NONE,
    challenge.length > 0 ? challenge.join('; ') : NONE,
  ];
}

function paintRow(row: string[], result: ScenarioResult, p: Palette): string[] {
  const status = result.observed?.status ?? 0;
  const statusPaint = status >= 500 ? p.red : status >= 400 ? p.yellow : status > 0 ? p.green : p.dim;
  const markPaint = result.outcome === 'pass' ? p.green : result.outcome === 'fail' ? p.red : p.dim;
  return row.map((cell, i) => {
    if (i === 0) return markPaint(cell);
    if (i === 4) return statusPaint(cell);
    if (result.outcome === 'n/a' || cell === NONE) return p.dim(cell);
    return cell;
  });
}

/**
 * The tables and the summary line.
 *
 * @example
 * process.stdout.write(renderReport(report, { color: process.stdout.isTTY }));
 */
export function renderReport(report: DemoReport, options: RenderOptions): string {
  const p = palette(options.color);
  const rows = report.results.map((result) => ({ result, cells: cells(result) }));
  // One set of widths for every table, so the three line up.
  const widths = HEADINGS.map((heading, i) =>
    Math.max(heading.length, ...rows.map((row) => row.cells[i]!.length)),
  );
  const line = (parts: string[]) =>
    `  ${parts
      .map((part, i) => (i === parts.length - 1 ? part : part + ' '.repeat(widths[i]! - visibleLength(part))))
      .join('  ')}`.trimEnd();

  const out = [p.bold('cognito-gate demo: tokens from a local Cognito-shaped user pool, no AWS account'), ''];
  for (const target of report.targets) {
    out.push(`${p.bold(target.title)} ${p.dim(`(${target.source})`)}`);
    out.push(p.dim(line(HEADINGS)));
    for (const row of rows)
      if (row.result.target === target.id) out.push(line(paintRow(row.cells, row.result, p)));
    out.push('');
  }
  out.push(summary(report, p), '');
  return out.join('\n');
}

/** `✓ 29 of 29 outcomes as expected, 1 not applicable (1.8 s)`, or what differs. */
export function summary(report: DemoReport, p: Palette = palette(false)): string {
  const total = report.passed + report.failed;
  const seconds = `${(report.durationMs / 1000).toFixed(1)} s`;
  const na = report.notApplicable > 0 ? `, ${report.notApplicable} not applicable` : '';
  if (report.ok) return p.green(`✓ ${report.passed} of ${total} outcomes as expected${na} (${seconds})`);
  return p.red(
    `✗ ${report.failed} of ${total} outcomes differ from the expected ones (marked ✗)${na} (${seconds})`,
  );
}

/** The report as JSON, for scripts. */
export function renderJson(report: DemoReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what we skip
  return text.replace(/\u001b\[\d+m/g, '').length;
}
