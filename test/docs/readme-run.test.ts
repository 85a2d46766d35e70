/**
 * README blocks marked `<!-- docs:run -->` are executed, not only type-checked: the root README's
 * "Test your own API" walk-through must really pass against the local issuer. Each block is written
 * to test/docs/.blocks/ and imported, so vitest resolves `@cognito-gate/*` to the sources as for any
 * test; a block fails by throwing (its own `assert` calls).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findReadmes, readBlocks, TYPESCRIPT_LANGS } from './readme-blocks.js';
import { blockFileName, blockText } from './typecheck-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(ROOT, 'test', 'docs', '.blocks', `run-${process.pid}`);
const runnable = findReadmes(ROOT)
  .flatMap(readBlocks)
  .filter((block) => block.run);

describe('README blocks marked docs:run', () => {
  afterAll(() => {
    if (process.env.DOCS_KEEP_BLOCKS === undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("include the root README's walk-through (so this suite cannot pass by running nothing)", () => {
    const root = runnable.filter((block) => block.file === join(ROOT, 'README.md'));
    expect(root.length).toBeGreaterThan(0);
    expect(runnable.every((block) => TYPESCRIPT_LANGS.has(block.lang))).toBe(true);
  });

  for (const block of runnable) {
    it(`${relative(ROOT, block.file)}:${block.line} runs to completion`, async () => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, blockFileName(block, ROOT, '.ts'));
      writeFileSync(file, blockText(block).text);
      try {
        await import(pathToFileURL(file).href);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${relative(ROOT, block.file)}:${block.line}: the block threw: ${reason}`, {
          cause: error,
        });
      }
    });
  }
});
