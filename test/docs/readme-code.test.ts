/**
 * The READMEs cannot rot: every TypeScript block type-checks against the package sources (with
 * TypeScript 7, as a process), every JSON block parses, and every `npm run` in a shell block names a
 * script that exists. Failures name the README and line. Generated files live in
 * test/docs/.blocks/ (gitignored) and are removed afterwards unless DOCS_KEEP_BLOCKS is set.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingScript, npmCommands } from './npm-scripts.js';
import { extractBlocks, findReadmes, readBlocks, SHELL_LANGS, TYPESCRIPT_LANGS } from './readme-blocks.js';
import {
  type DocProblem,
  formatProblems,
  mapDiagnostic,
  parseTscOutput,
  typecheckBlocks,
} from './typecheck-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BLOCKS = join(ROOT, 'test', 'docs', '.blocks');
const keep = process.env.DOCS_KEEP_BLOCKS !== undefined;

const readmes = findReadmes(ROOT);
const blocksOf = new Map(readmes.map((file) => [file, readBlocks(file)]));
const name = (file: string) => relative(ROOT, file);
const isTypeScript = (lang: string) => TYPESCRIPT_LANGS.has(lang);

function cleanUp(dir: string): void {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

const SAMPLE = [
  '# Sample',
  '',
  'Prose with `inline code` and a comment that annotates nothing:',
  '<!-- prelude: const unused: string = 1; -->',
  '',
  '```ts',
  "import { createVerifier } from '@cognito-gate/core';",
  '',
  "const verifier = createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'client' });",
  "const count: number = 'three';",
  '```',
  '',
  '- in a list:',
  '',
  "  <!-- prelude: declare const verifier: import('@cognito-gate/core').Verifier;",
  '  declare const header: string; -->',
  '  ```typescript',
  '  const auth = await verifier.verifyAuthorization(header);',
  '  auth.nonexistent;',
  '  ```',
  '',
  '<!-- docs:run -->',
  "<!-- prelude: const broken: number = 'x'; -->",
  '~~~ts title="run me"',
  'console.log(broken);',
  '~~~',
  '',
  '```text',
  'not code: const x: number = "y"',
  '```',
  '',
].join('\n');

describe('the README block extractor and error mapper (on an inline sample README)', () => {
  const file = join(ROOT, 'SAMPLE.md');
  const blocks = extractBlocks(SAMPLE, file);
  const dir = join(BLOCKS, `sample-${process.pid}`);
  afterAll(() => cleanUp(dir));

  it('finds each fenced block with its language, first line of code, indentation and annotations', () => {
    expect(blocks.map(({ lang, line, indent, run }) => ({ lang, line, indent, run }))).toEqual([
      { lang: 'ts', line: 7, indent: 0, run: false },
      { lang: 'typescript', line: 18, indent: 2, run: false },
      { lang: 'ts', line: 25, indent: 0, run: true },
      { lang: 'text', line: 29, indent: 0, run: false },
    ]);
    // A blank line separates the first comment from its fence: it annotates nothing.
    expect(blocks[0]!.prelude).toBeUndefined();
    expect(blocks[1]!.prelude).toBe(
      "declare const verifier: import('@cognito-gate/core').Verifier;\n  declare const header: string;",
    );
    expect(blocks[1]!.preludeLine).toBe(15);
    expect(blocks[1]!.code).toBe(
      'const auth = await verifier.verifyAuthorization(header);\nauth.nonexistent;',
    );
    expect(blocks[2]!.prelude).toBe("const broken: number = 'x';");
    expect(blocks[2]!.preludeLine).toBe(23);
  });

  it('reports each type error at the README file and line it comes from, preludes accounted for', () => {
    const problems = typecheckBlocks(
      blocks.filter((block) => isTypeScript(block.lang)),
      dir,
      ROOT,
    );
    const found = problems.map(({ readme, line, column, code }) => ({ readme, line, column, code }));
    expect(found).toEqual([
      { readme: file, line: 10, column: 7, code: 'TS2322' },
      { readme: file, line: 19, column: 8, code: 'TS2339' },
      { readme: file, line: 23, column: 7, code: 'TS2322' },
    ]);
    expect(formatProblems(problems, ROOT)).toContain(
      "SAMPLE.md:10:7 TS2322 Type 'string' is not assignable to type 'number'.\n    > const count: number = 'three';",
    );
    expect(problems[2]!.message).toMatch(/in the prelude/);
  });

  it('joins continuation lines to their diagnostic and keeps errors outside blocks unmapped', () => {
    const output = [
      "src/x.ts(3,5): error TS2345: Argument of type '{ a: number; }' is not assignable.",
      "  Object literal may only specify known properties, and 'a' does not exist.",
      "error TS5083: Cannot read file '/nowhere/tsconfig.json'.",
    ].join('\n');
    const diagnostics = parseTscOutput(output, ROOT);
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]!.message).toMatch(/assignable\.\n {2}Object literal/);
    const mapped: DocProblem = mapDiagnostic(diagnostics[0]!, []);
    expect(mapped.readme).toBeUndefined();
    expect(formatProblems([mapped], ROOT)).toMatch(/src\/x\.ts\(3,5\) TS2345/);
  });
});

describe('every TypeScript block of the READMEs type-checks', () => {
  const dir = join(BLOCKS, `typecheck-${process.pid}`);
  const blocks = [...blocksOf.values()].flat().filter((block) => isTypeScript(block.lang));
  let problems: DocProblem[] = [];

  beforeAll(() => {
    problems = typecheckBlocks(blocks, dir, ROOT);
  }, 120_000);
  afterAll(() => cleanUp(dir));

  for (const [readme, all] of blocksOf) {
    const count = all.filter((block) => isTypeScript(block.lang)).length;
    if (count === 0) continue;
    it(`${name(readme)}: ${count} block${count === 1 ? '' : 's'}`, () => {
      const mine = problems.filter((problem) => problem.readme === readme);
      if (mine.length > 0) expect.fail(`README code does not type-check:\n${formatProblems(mine, ROOT)}`);
    });
  }

  it('raises nothing outside the README blocks (in the sources they import)', () => {
    const elsewhere = problems.filter((problem) => problem.readme === undefined);
    if (elsewhere.length > 0) expect.fail(formatProblems(elsewhere, ROOT));
  });
});

describe('every README code block names its language', () => {
  it('so that none escapes the checks (pseudo-code is tagged text)', () => {
    const untagged = [...blocksOf].flatMap(([readme, all]) =>
      all.filter((block) => block.lang === '').map((block) => `${name(readme)}:${block.line - 1}`),
    );
    expect(untagged).toEqual([]);
  });
});

describe('every JSON block of the READMEs parses', () => {
  for (const [readme, all] of blocksOf) {
    const json = all.filter((block) => block.lang === 'json' || block.lang === 'jsonc');
    if (json.length === 0) continue;
    it(`${name(readme)}: ${json.length} block${json.length === 1 ? '' : 's'}`, () => {
      for (const block of json.filter((b) => b.lang === 'json')) {
        expect(() => JSON.parse(block.code), `${name(readme)}:${block.line}`).not.toThrow();
      }
    });
  }
});

describe('every npm script named in a README shell block exists', () => {
  // `demo` is announced before it lands: allowed while examples/demo does not exist.
  const allowMissing = new Set(existsSync(join(ROOT, 'examples', 'demo')) ? [] : ['demo']);
  for (const [readme, all] of blocksOf) {
    const commands = all.filter((block) => SHELL_LANGS.has(block.lang)).flatMap(npmCommands);
    if (commands.length === 0) continue;
    it(`${name(readme)}: ${commands.length} npm command${commands.length === 1 ? '' : 's'}`, () => {
      const missing = commands.flatMap((command) => {
        const problem = missingScript(command, readme, ROOT, allowMissing);
        return problem === undefined ? [] : [`${name(readme)}:${command.line} ${command.text}: ${problem}`];
      });
      expect(missing).toEqual([]);
    });
  }

  it('recognises npm run, workspaces, shorthands and script arguments', () => {
    const [block] = extractBlocks(
      [
        '```sh',
        '$ npm install && npm run demo -- --serve',
        'USER_POOL_ID=x npm start -w @cognito-gate/example-express-api # a comment: npm run nothing',
        'npm run --workspace=bench bench',
        '```',
      ].join('\n'),
      join(ROOT, 'README.md'),
    );
    const commands = npmCommands(block!).map(({ script, workspace, line }) => ({ script, workspace, line }));
    expect(commands).toEqual([
      { script: 'demo', workspace: undefined, line: 2 },
      { script: 'start', workspace: '@cognito-gate/example-express-api', line: 3 },
      { script: 'bench', workspace: 'bench', line: 4 },
    ]);
    const readme = join(ROOT, 'README.md');
    expect(missingScript({ ...commands[0]!, text: '' }, readme, ROOT, new Set(['demo']))).toBeUndefined();
    expect(missingScript({ script: 'nope', workspace: undefined, line: 1, text: '' }, readme, ROOT)).toMatch(
      /"nope" is not in package\.json/,
    );
    expect(
      missingScript({ script: 'start', workspace: '@cognito-gate/nope', line: 1, text: '' }, readme, ROOT),
    ).toMatch(/no workspace/);
  });
});
