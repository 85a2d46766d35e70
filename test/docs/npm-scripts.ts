/**
 * The `npm run <script>` commands of README shell blocks, and whether each names a script that
 * exists: in the workspace given with `-w`/`--workspace`, else in the root package.json or the
 * package.json of the README's own folder. A renamed script then breaks a test, not a reader.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { CodeBlock } from './readme-blocks.js';

export interface NpmCommand {
  readonly script: string;
  /** The `-w` / `--workspace` value, if any. */
  readonly workspace: string | undefined;
  /** README line of the command. */
  readonly line: number;
  readonly text: string;
}

/** npm commands that run a script of the same name. */
const SCRIPT_SHORTHANDS = new Set(['start', 'test', 'stop', 'restart']);
/** npm flags that take a value as the next word. */
const VALUE_FLAGS = new Set(['-w', '--workspace', '--prefix', '-C', '--script-shell']);

function commandOf(words: readonly string[], line: number, text: string): NpmCommand | undefined {
  const npm = words.indexOf('npm');
  if (npm === -1) return undefined;
  const verb = words[npm + 1];
  if (verb === undefined) return undefined;
  let script: string | undefined;
  let workspace: string | undefined;
  const rest = words.slice(npm + 2);
  const end = rest.indexOf('--') === -1 ? rest.length : rest.indexOf('--');
  for (let i = 0; i < end; i++) {
    const word = rest[i]!;
    if (word === '-w' || word === '--workspace') workspace = rest[++i];
    else if (word.startsWith('--workspace=')) workspace = word.slice('--workspace='.length);
    else if (VALUE_FLAGS.has(word)) i++;
    else if (!word.startsWith('-') && script === undefined) script = word;
  }
  if (verb === 'run' || verb === 'run-script') {
    return script === undefined ? undefined : { script, workspace, line, text };
  }
  if (SCRIPT_SHORTHANDS.has(verb)) return { script: verb, workspace, line, text };
  return undefined;
}

/**
 * Every npm script a shell block runs (`$ ` prompts and `#` comments are ignored).
 *
 * @example
 * npmCommands(block); // [{ script: 'demo', workspace: undefined, line: 17, text: 'npm run demo -- --serve' }]
 */
export function npmCommands(block: CodeBlock): NpmCommand[] {
  const commands: NpmCommand[] = [];
  block.code.split('\n').forEach((raw, index) => {
    const text = raw.replace(/^\s*\$\s+/, '').replace(/(^|\s)#.*$/, '');
    for (const segment of text.split(/&&|\|\||;|\|/)) {
      const command = commandOf(segment.trim().split(/\s+/), block.line + index, segment.trim());
      if (command !== undefined) commands.push(command);
    }
  });
  return commands;
}

interface Workspace {
  readonly name: string | undefined;
  readonly dir: string;
  readonly scripts: Readonly<Record<string, string>>;
}

function readWorkspace(dir: string): Workspace | undefined {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
    name?: string;
    scripts?: Record<string, string>;
  };
  return { name: parsed.name, dir, scripts: parsed.scripts ?? {} };
}

/** The root package and every workspace under packages/, examples/ and bench/. */
export function readWorkspaces(root: string): Workspace[] {
  const dirs = [root, join(root, 'bench')];
  for (const folder of ['packages', 'examples']) {
    const parent = join(root, folder);
    if (existsSync(parent)) for (const entry of readdirSync(parent)) dirs.push(join(parent, entry));
  }
  return dirs.map(readWorkspace).filter((workspace) => workspace !== undefined);
}

/**
 * Why `command` would fail, or `undefined` when its script exists. `allowMissing` lists scripts that
 * may be absent for now (announced before they land).
 */
export function missingScript(
  command: NpmCommand,
  readme: string,
  root: string,
  allowMissing: ReadonlySet<string> = new Set(),
): string | undefined {
  const workspaces = readWorkspaces(root);
  let candidates: Workspace[];
  if (command.workspace !== undefined) {
    const target = workspaces.find(
      (w) => w.name === command.workspace || resolve(root, command.workspace!) === w.dir,
    );
    if (target === undefined) return `no workspace named ${command.workspace}`;
    candidates = [target];
  } else {
    const local = workspaces.find((w) => w.dir === dirname(readme));
    candidates = workspaces.filter((w) => w.dir === root || w === local);
  }
  if (candidates.some((w) => Object.hasOwn(w.scripts, command.script))) return undefined;
  if (allowMissing.has(command.script)) return undefined;
  const where = candidates.map((w) => relative(root, join(w.dir, 'package.json'))).join(' or ');
  return `script "${command.script}" is not in ${where}`;
}
