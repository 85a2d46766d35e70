/**
 * Fenced code blocks of the repository's READMEs, with where they sit, so the docs tests can compile,
 * run or check each one and point a failure at the README line a reader sees.
 *
 * A block can carry annotations in HTML comments placed immediately before its fence (no blank line
 * in between; GitHub renders nothing for them):
 * - `<!-- prelude: declare const app: import('express').Express; -->`: code the block needs but
 *   does not show; the type check prepends it (it may span several lines).
 * - `<!-- docs:run -->`: the block is also executed by test/docs/readme-run.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Info-string languages whose blocks are type-checked. */
export const TYPESCRIPT_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
/** Info-string languages whose `npm run` commands are checked. */
export const SHELL_LANGS: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

export interface CodeBlock {
  /** The README, as given to `extractBlocks`. */
  readonly file: string;
  /** First word of the info string, lower-cased (`''` when there is none). */
  readonly lang: string;
  /** The block's text, with the fence's indentation removed. */
  readonly code: string;
  /** 1-based README line of the block's first line of code. */
  readonly line: number;
  /** Columns of indentation removed from every line (blocks inside list items). */
  readonly indent: number;
  /** Code from a `<!-- prelude: … -->` comment, if any. */
  readonly prelude: string | undefined;
  /** 1-based README line where the prelude's code starts. */
  readonly preludeLine: number | undefined;
  /** True when a `<!-- docs:run -->` comment precedes the fence. */
  readonly run: boolean;
}

interface Annotation {
  readonly text: string;
  /** README line of the text right after `<!--`. */
  readonly line: number;
}

const FENCE_OPEN = /^( *)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

function closesFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length);
}

function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

/** Reads the annotations a comment carries into the block that follows it. */
function annotate(annotations: readonly Annotation[]): Pick<CodeBlock, 'prelude' | 'preludeLine' | 'run'> {
  let prelude: string | undefined;
  let preludeLine: number | undefined;
  let run = false;
  for (const { text, line } of annotations) {
    const body = text.trim();
    if (body === 'docs:run') run = true;
    const match = /^(\s*)prelude:[ \t]*(\n?)([\s\S]*)$/.exec(text);
    if (match === null) continue;
    const leadingLines = match[1]!.split('\n').length - 1 + (match[2] === '\n' ? 1 : 0);
    prelude = match[3]!.replace(/\s+$/, '');
    preludeLine = line + leadingLines;
  }
  return { prelude, preludeLine, run };
}

/**
 * Every fenced code block of a markdown document, in order.
 *
 * @example
 * extractBlocks('```ts\nconst a = 1;\n```\n', 'README.md')[0]; // { lang: 'ts', code: 'const a = 1;', line: 2, … }
 */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let pending: Annotation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE_OPEN.exec(line);
    if (open !== null) {
      const indent = open[1]!.length;
      const fence = open[2]!;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !closesFence(lines[j]!, fence); j++)
        body.push(stripIndent(lines[j]!, indent));
      blocks.push({
        file,
        lang: open[3]!.toLowerCase(),
        code: body.join('\n'),
        line: i + 2,
        indent,
        ...annotate(pending),
      });
      pending = [];
      i = j;
      continue;
    }
    const trimmed = line.trimStart();
    if (trimmed.startsWith('<!--')) {
      // An HTML comment, possibly over several lines; it ends at the first `-->`.
      const start = i;
      let text = trimmed.slice(4);
      while (!text.includes('-->') && i + 1 < lines.length) text += `\n${lines[++i]}`;
      const end = text.indexOf('-->');
      pending.push({ text: end === -1 ? text : text.slice(0, end), line: start + 1 });
      continue;
    }
    pending = [];
  }
  return blocks;
}

/**
 * The READMEs the docs tests cover: the root one and every package's, example's and the bench's,
 * found on disk so a new package's README is covered without editing the tests.
 */
export function findReadmes(root: string): string[] {
  const found = [join(root, 'README.md')];
  for (const folder of ['packages', 'examples']) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory()) found.push(join(dir, entry.name, 'README.md'));
    }
  }
  found.push(join(root, 'bench', 'README.md'));
  return found.filter((file) => existsSync(file));
}

/** The blocks of one README file on disk. */
export function readBlocks(file: string): CodeBlock[] {
  return extractBlocks(readFileSync(file, 'utf8'), file);
}
