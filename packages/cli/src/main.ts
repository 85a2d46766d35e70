/**
 * The entry point: dispatch to a command, print usage errors with a hint to `--help`, and turn
 * every outcome into an exit code (0 success or valid, 1 rejected, 2 usage). It never calls
 * `process.exit` itself, so tests run it in-process and the binary decides how to exit.
 */
import { EXIT, UsageError } from './args.js';
import { decodeCommand } from './decode-command.js';
import { HELP, type HelpTopic, VERSION } from './help.js';
import type { CliIo } from './io.js';
import { mintCommand } from './mint-command.js';
import { verifyCommand } from './verify-command.js';

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  verify: verifyCommand,
  decode: decodeCommand,
  mint: mintCommand,
};

function isTopic(name: string | undefined): name is Exclude<HelpTopic, 'main'> {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

function usageHint(error: UsageError): string {
  const command = error.command === undefined ? '' : ` ${error.command}`;
  return `cognito-gate: ${error.message}\nRun 'cognito-gate${command} --help' for usage.\n`;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(HELP.main);
    return EXIT.usage;
  }
  if (command === '-h' || command === '--help') {
    io.stdout.write(HELP.main);
    return EXIT.ok;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isTopic(topic)) throw new UsageError(`unknown command '${topic}'`);
    io.stdout.write(HELP[topic ?? 'main']);
    return EXIT.ok;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!isTopic(command)) {
    const what = command.startsWith('-') ? 'option' : 'command';
    throw new UsageError(`unknown ${what} '${command}' (commands: verify, decode, mint)`);
  }
  try {
    return await COMMANDS[command]!(rest, io);
  } catch (error) {
    // Helpers shared by the commands do not know which one they serve; the hint should.
    if (error instanceof UsageError) error.command ??= command;
    throw error;
  }
}

/**
 * Run the CLI with `argv` (the arguments after the program name); resolves to the exit code.
 *
 * @example
 * const code = await main(['decode', token, '--json'], { ...processIo(), isTTY: false });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(usageHint(error));
      return EXIT.usage;
    }
    // Not a verdict on the token and not the user's typo: say what failed, without a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`cognito-gate: unexpected error: ${message}\n`);
    return EXIT.usage;
  }
}
