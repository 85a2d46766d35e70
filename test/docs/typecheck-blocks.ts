/**
 * Type-checks README code blocks with the repository's own TypeScript 7 compiler and maps every
 * diagnostic back to the README line a reader sees. TypeScript 7 has no JS API, so each block is
 * written to a file under a scratch directory, listed in a generated tsconfig that extends
 * tsconfig.test.json (package sources through `paths`), and `tsc --noEmit` runs as a process.
 *
 * Blocks that augment modules (`declare module`, `declare global`) change types for every file of a
 * program, so each gets a program of its own; the others share one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CodeBlock } from './readme-blocks.js';

/** A block written to disk, with what it takes to map its lines back. */
export interface BlockFile {
  readonly block: CodeBlock;
  /** Absolute path of the generated file. */
  readonly path: string;
  /** Lines of prelude written before the block's code. */
  readonly preludeLines: number;
}

/** One compiler diagnostic, as tsc printed it. */
export interface TscDiagnostic {
  /** Absolute path, or `undefined` for diagnostics without a position (tsconfig problems). */
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

/** A diagnostic placed in a README (or left where tsc found it, outside any block). */
export interface DocProblem {
  /** The README, or `undefined` when the diagnostic is not in a block. */
  readonly readme: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
  /** The README line (or the prelude line) the diagnostic points into. */
  readonly source: string | undefined;
  /** Where tsc reported it. */
  readonly generated: string;
}

const JS_LANGS = new Set(['js', 'javascript', 'mjs']);

/** The file text of a block: its prelude, its code, and `export {}` so it is always an ES module. */
export function blockText(block: CodeBlock): { text: string; preludeLines: number } {
  const prelude = block.prelude === undefined || block.prelude === '' ? undefined : block.prelude;
  const preludeLines = prelude === undefined ? 0 : prelude.split('\n').length;
  const text = `${prelude === undefined ? '' : `${prelude}\n`}${block.code}\n\nexport {};\n`;
  return { text, preludeLines };
}

/** A file name that says where the block comes from: `packages-express-README.md-42.ts`. */
export function blockFileName(block: CodeBlock, root: string, extension?: string): string {
  const where = relative(root, block.file).replace(/[\\/]/g, '-');
  return `${where}-${block.line}${extension ?? (JS_LANGS.has(block.lang) ? '.mjs' : '.ts')}`;
}

/** Write each block to `dir` (emptied first). */
export function writeBlockFiles(blocks: readonly CodeBlock[], dir: string, root: string): BlockFile[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return blocks.map((block) => {
    const path = join(dir, blockFileName(block, root));
    const { text, preludeLines } = blockText(block);
    writeFileSync(path, text);
    return { block, path, preludeLines };
  });
}

/**
 * `paths` for the generated tsconfig: tsconfig.test.json's (made relative to `dir`), plus any workspace
 * package with a `src/index.ts` that it does not map yet (a new package's README then resolves too).
 */
function pathsFor(dir: string, root: string): Record<string, string[]> {
  const base = JSON.parse(readFileSync(join(root, 'tsconfig.test.json'), 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const paths: Record<string, string[]> = {};
  for (const [name, targets] of Object.entries(base.compilerOptions?.paths ?? {})) {
    paths[name] = targets.map((target) => relative(dir, resolve(root, target)));
  }
  const packages = join(root, 'packages');
  for (const entry of existsSync(packages) ? readdirSync(packages) : []) {
    const manifest = join(packages, entry, 'package.json');
    const source = join(packages, entry, 'src', 'index.ts');
    if (!existsSync(manifest) || !existsSync(source)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
    if (typeof name === 'string' && paths[name] === undefined) paths[name] = [relative(dir, source)];
  }
  return paths;
}

/** Write a tsconfig over `files` (absolute paths) and return its path. */
export function writeTsconfig(dir: string, name: string, files: readonly string[], root: string): string {
  const config = {
    extends: relative(dir, join(root, 'tsconfig.test.json')),
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      allowJs: true,
      checkJs: true,
      paths: pathsFor(dir, root),
    },
    files: files.map((file) => relative(dir, file)),
    include: [],
  };
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** Run `tsc -p tsconfig --noEmit`; returns its output (empty when there is nothing to report). */
export function runTsc(tsconfig: string, root: string): string {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  try {
    return execFileSync(tsc, ['-p', tsconfig, '--noEmit', '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failed = error as { status?: number | null; stdout?: string; stderr?: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    // 1 and 2 are "diagnostics reported"; anything else is the compiler itself failing.
    if ((failed.status === 1 || failed.status === 2) && output.trim() !== '') return output;
    throw new Error(`tsc failed (exit ${failed.status}):\n${output}`, { cause: error });
  }
}

const POSITIONED = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const UNPOSITIONED = /^error (TS\d+): (.*)$/;

/** Parse `--pretty false` output; continuation lines (indented) join their diagnostic's message. */
export function parseTscOutput(output: string, cwd: string): TscDiagnostic[] {
  const diagnostics: TscDiagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const positioned = POSITIONED.exec(line);
    if (positioned !== null) {
      diagnostics.push({
        file: resolve(cwd, positioned[1]!),
        line: Number(positioned[2]),
        column: Number(positioned[3]),
        code: positioned[4]!,
        message: positioned[5]!,
      });
      continue;
    }
    const unpositioned = UNPOSITIONED.exec(line);
    if (unpositioned !== null) {
      diagnostics.push({
        file: undefined,
        line: 0,
        column: 0,
        code: unpositioned[1]!,
        message: unpositioned[2]!,
      });
      continue;
    }
    const last = diagnostics.at(-1);
    if (last !== undefined && line.trim() !== '') {
      diagnostics[diagnostics.length - 1] = { ...last, message: `${last.message}\n${line}` };
    }
  }
  return diagnostics;
}

/** Place a diagnostic in its README: prelude lines map to the prelude comment, code lines to the block. */
export function mapDiagnostic(diagnostic: TscDiagnostic, files: readonly BlockFile[]): DocProblem {
  const generated =
    diagnostic.file === undefined ? 'tsc' : `${diagnostic.file}(${diagnostic.line},${diagnostic.column})`;
  const file = files.find((candidate) => candidate.path === diagnostic.file);
  if (file === undefined) {
    return { readme: undefined, ...diagnostic, source: undefined, generated };
  }
  const { block, preludeLines } = file;
  if (diagnostic.line <= preludeLines) {
    const lines = block.prelude!.split('\n');
    return {
      readme: block.file,
      line: block.preludeLine! + diagnostic.line - 1,
      column: diagnostic.column,
      code: diagnostic.code,
      message: `${diagnostic.message} (in the prelude)`,
      source: lines[diagnostic.line - 1],
      generated,
    };
  }
  const codeLines = block.code.split('\n');
  // Lines past the code are the appended `export {}`: blame the block's last line.
  const index = Math.min(diagnostic.line - preludeLines, codeLines.length) - 1;
  return {
    readme: block.file,
    line: block.line + index,
    column: diagnostic.column + block.indent,
    code: diagnostic.code,
    message: diagnostic.message,
    source: codeLines[index],
    generated,
  };
}

/** `README.md:12:7 TS2322 Type 'string' is not assignable…` with the offending line under it. */
export function formatProblems(problems: readonly DocProblem[], root: string): string {
  return problems
    .map((problem) => {
      const where =
        problem.readme === undefined
          ? problem.generated
          : `${relative(root, problem.readme)}:${problem.line}:${problem.column}`;
      const source = problem.source === undefined ? '' : `\n    > ${problem.source.trim()}`;
      return `${where} ${problem.code} ${problem.message}${source}`;
    })
    .join('\n');
}

/** True for blocks whose declarations would leak into other blocks of a shared program. */
export function needsOwnProgram(block: CodeBlock): boolean {
  return /\bdeclare\s+(module|global)\b/.test(`${block.prelude ?? ''}\n${block.code}`);
}

/**
 * Type-check `blocks` in `dir` (emptied first): one shared program, plus one per augmenting block.
 *
 * @example
 * const problems = typecheckBlocks(readBlocks('README.md').filter(isTypeScript), '.blocks', root);
 */
export function typecheckBlocks(blocks: readonly CodeBlock[], dir: string, root: string): DocProblem[] {
  const files = writeBlockFiles(blocks, dir, root);
  const shared = files.filter((file) => !needsOwnProgram(file.block));
  const programs: string[][] = [shared.map((file) => file.path)];
  for (const file of files) if (needsOwnProgram(file.block)) programs.push([file.path]);
  const problems: DocProblem[] = [];
  programs.forEach((program, index) => {
    if (program.length === 0) return;
    const tsconfig = writeTsconfig(dir, `tsconfig.${index}.json`, program, root);
    const output = runTsc(tsconfig, root);
    for (const diagnostic of parseTscOutput(output, root)) problems.push(mapDiagnostic(diagnostic, files));
  });
  // tsc orders files its own way; readers want README order.
  return problems.sort(
    (a, b) =>
      Number(a.readme === undefined) - Number(b.readme === undefined) ||
      (a.readme ?? '').localeCompare(b.readme ?? '') ||
      a.line - b.line ||
      a.column - b.column,
  );
}
