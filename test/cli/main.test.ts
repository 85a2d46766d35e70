import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP, VERSION } from '../../packages/cli/src/help.js';
import { run } from './support.js';

describe('cognito-gate (no command)', () => {
  it('prints the overview on stderr and exits 2 without arguments', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(HELP.main);
  });

  it('--help, -h and `help` print the overview on stdout and exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe(HELP.main);
    }
    expect(HELP.main).toMatch(/verify .*\n.*decode .*\n.*mint /);
    expect(HELP.main).toContain('Exit codes');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'));
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(VERSION).toBe(pkg.version);
  });

  it('an unknown command is a usage error with a hint', async () => {
    const { code, stdout, stderr } = await run(['inspect', 'x']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "cognito-gate: unknown command 'inspect' (commands: verify, decode, mint)\nRun 'cognito-gate --help' for usage.\n",
    );
  });

  it('an unknown option before any command is a usage error', async () => {
    const { code, stderr } = await run(['--verbose']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--verbose'");
  });

  it('`help <command>` prints that command’s help; an unknown topic is a usage error', async () => {
    expect((await run(['help', 'mint'])).stdout).toBe(HELP.mint);
    const unknown = await run(['help', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'nope'");
  });
});

describe('--help of each command', () => {
  const options: Record<'verify' | 'decode' | 'mint', readonly string[]> = {
    verify: [
      '--user-pool-id',
      '--client-id',
      '--any-client',
      '--token-use',
      '--groups',
      '--scopes',
      '--acr',
      '--amr',
      '--max-age',
      '--audience',
      '--jwks-file',
      '--jwks-uri',
      '--clock-tolerance',
      '--now',
      '--json',
      '--no-color',
      '--help',
    ],
    decode: ['--now', '--json', '--no-color', '--help'],
    mint: [
      '--user-pool-id',
      '--client-id',
      '--token-use',
      '--groups',
      '--scopes',
      '--expires-in',
      '--out-jwks',
      '--json',
      '--no-color',
      '--help',
    ],
  };

  it.each(Object.keys(options) as Array<keyof typeof options>)(
    '%s --help prints usage, every option and the exit codes, and exits 0',
    async (command) => {
      for (const flag of ['--help', '-h']) {
        const { code, stdout, stderr } = await run([command, flag]);
        expect(code).toBe(0);
        expect(stderr).toBe('');
        expect(stdout).toBe(HELP[command]);
      }
      const text = HELP[command];
      expect(text.startsWith(`Usage: cognito-gate ${command}`)).toBe(true);
      expect(text).toContain('Exit codes: 0 ');
      const listed = [...text.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]);
      expect(listed).toEqual(options[command]);
    },
  );

  it('--help wins over missing required options', async () => {
    expect((await run(['verify', '--help'])).code).toBe(0);
    expect((await run(['mint', '--help'])).code).toBe(0);
  });

  it('verify --help says where the keys come from and that the token can be piped', () => {
    expect(HELP.verify).toContain('/.well-known/jwks.json');
    expect(HELP.verify).toContain("<token> may be '-' or left out to read it from stdin");
  });

  it('decode --help says nothing is verified', () => {
    expect(HELP.decode).toContain('NOTHING IS VERIFIED');
  });
});
