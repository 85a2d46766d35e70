/**
 * The AWS SDK is an optional peer dependency: `@cognito-gate/core` must never load it. Only the
 * subpath entries `dynamodb.ts` and `cognito.ts` may reach it. Checked on the import graph of the
 * sources (static imports and re-exports, followed file by file).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../packages/core/src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

/** Every module specifier reachable from `entry`, and the local files visited. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('./')) visit(specifier.slice(2).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

it('keeps the AWS SDK out of the main entry point', () => {
  const { files, packages } = graph('index.ts');

  expect([...packages].filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
  expect(files.has('deny-list.ts')).toBe(true); // the walk follows imports
  expect(files.has('dynamodb-store.ts')).toBe(false);
  expect(files.has('sign-out.ts')).toBe(false);
  expect(files.has('live-check.ts')).toBe(false);
});

it('loads each SDK client only from its own subpath entry', () => {
  expect([...graph('dynamodb.ts').packages].filter((name) => name.startsWith('@aws-sdk/'))).toEqual([
    '@aws-sdk/client-dynamodb',
  ]);
  expect([...graph('cognito.ts').packages].filter((name) => name.startsWith('@aws-sdk/'))).toEqual([
    '@aws-sdk/client-cognito-identity-provider',
  ]);
});
