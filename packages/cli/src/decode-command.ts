/**
 * `cognito-gate decode <token>`: the header and claims with readable times, and nothing verified,
 * which the output says first. A broken token is shown as far as it can be read, with the reason
 * the core decoder refused it.
 */
import { parseArgs } from 'node:util';
import { EXIT, instant, onePositional, parseOrUsage, single } from './args.js';
import { renderSection, timesOf } from './claims-view.js';
import { HELP } from './help.js';
import { claim, type InspectedToken, inspectToken } from './inspect-token.js';
import { type CliIo, readToken } from './io.js';
import { printable, type Style, styleFor, toJson } from './style.js';
import { expirySentence } from './time.js';

/** What `--json` prints; the keys are stable. */
export interface DecodeResult {
  /** Always `false`: a reminder for whoever reads the JSON. */
  readonly verified: false;
  readonly header: Record<string, unknown> | null;
  readonly claims: Record<string, unknown> | null;
  /** `exp`, `iat`, `auth_time`, `nbf` when present: `{ value, iso, relative }`. */
  readonly times: ReturnType<typeof timesOf>;
  /** `null` when there is no usable `exp`. */
  readonly expired: boolean | null;
  /** Seconds until `exp` (negative once expired); `null` without a usable `exp`. */
  readonly expiresInSeconds: number | null;
  /** Why the token is not a well-formed JWT; `null` when it is. */
  readonly problem: string | null;
}

function parse(args: readonly string[]) {
  return parseOrUsage('decode', () =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        now: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
}

/**
 * The decode result for a token, against the clock `nowMs`.
 *
 * @example
 * decodeResult(inspectToken(token), Date.now()).expiresInSeconds // 3542
 */
export function decodeResult(token: InspectedToken, nowMs: number): DecodeResult {
  const exp = claim(token.claims, 'exp');
  const usable = typeof exp === 'number' && Number.isFinite(exp);
  const left = usable ? Math.round(exp - nowMs / 1000) : null;
  return {
    verified: false,
    header: token.header ?? null,
    claims: token.claims ?? null,
    times: timesOf(token.claims, nowMs),
    expired: left === null ? null : left <= 0,
    expiresInSeconds: left,
    problem: token.problem ?? null,
  };
}

function render(result: DecodeResult, style: Style, nowMs: number): string {
  const lines = [
    `${style.bold(style.yellow('NOT VERIFIED'))}: decoded only. The signature, issuer and claims were not checked; use 'cognito-gate verify'.`,
    '',
  ];
  if (result.problem !== null) lines.push(`${style.red('Broken token')}: ${printable(result.problem)}`, '');
  lines.push(...renderSection('Header', result.header ?? undefined, style, nowMs), '');
  lines.push(...renderSection('Claims', result.claims ?? undefined, style, nowMs));
  if (result.claims !== null) {
    const sentence = expirySentence(claim(result.claims, 'exp'), nowMs);
    const coloured = result.expired === false ? style.green(sentence) : style.red(sentence);
    lines.push('', `${style.bold('Expiry')}  ${coloured}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Run `decode` with the arguments after the command name; resolves to the exit code.
 *
 * @example
 * const code = await decodeCommand(['eyJ…', '--json'], io);
 */
export async function decodeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help === true) {
    io.stdout.write(HELP.decode);
    return EXIT.ok;
  }
  const nowOption = single(values.now, 'now');
  const nowMs = nowOption === undefined ? io.now() : instant(nowOption, 'now');
  const token = await readToken(onePositional(positionals), io);
  const result = decodeResult(inspectToken(token), nowMs);
  const output =
    values.json === true
      ? toJson(result)
      : render(result, styleFor(io, { noColor: values['no-color'] }), nowMs);
  io.stdout.write(output);
  return result.problem === null ? EXIT.ok : EXIT.rejected;
}
