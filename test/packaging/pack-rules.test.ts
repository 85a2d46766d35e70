/**
 * The tarball rules of `npm run pack:check` catch what they claim to: each case starts from a
 * complete package tree and breaks one thing.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-JavaScript build script, without declarations
import { entryTargets, tarballProblems } from '../../scripts/pack-rules.mjs';

const LICENSE = 'Apache License\nVersion 2.0\n';
const dirs: string[] = [];

function write(root: string, file: string, text = ''): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** A complete package: one source (`index`), both builds, marker, docs and an executable bin. */
function completePackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'cognito-gate-pack-rules-'));
  dirs.push(root);
  const manifest = {
    name: '@cognito-gate/sample',
    main: './dist/cjs/index.js',
    types: './dist/cjs/index.d.ts',
    bin: { sample: './bin/sample.js' },
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' },
      },
      './package.json': './package.json',
    },
  };
  write(root, 'package.json', JSON.stringify(manifest));
  write(root, 'README.md', '# sample');
  write(root, 'CHANGELOG.md', '# sample');
  write(root, 'LICENSE', LICENSE);
  write(root, 'src/index.ts');
  for (const out of ['dist', 'dist/cjs']) {
    for (const suffix of ['.js', '.js.map', '.d.ts', '.d.ts.map']) write(root, `${out}/index${suffix}`);
  }
  write(root, 'dist/cjs/package.json', '{"type":"commonjs"}');
  write(root, 'bin/sample.js', '#!/usr/bin/env node\n');
  chmodSync(join(root, 'bin/sample.js'), 0o755);
  return root;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('tarballProblems', () => {
  it('finds nothing wrong with a complete package', () => {
    expect(tarballProblems(completePackage(), LICENSE)).toEqual([]);
  });

  it('reports the stale build of a deleted source', () => {
    const root = completePackage();
    write(root, 'dist/cjs/removed.js');
    expect(tarballProblems(root, LICENSE)).toEqual([
      'stale build file dist/cjs/removed.js: src/removed.ts does not exist',
    ]);
  });

  it('reports a source that was not built (an unbuilt checkout packs an empty dist)', () => {
    const root = completePackage();
    write(root, 'src/extra.ts');
    expect(tarballProblems(root, LICENSE)).toEqual([
      'missing dist/extra.js (built from src/extra.ts)',
      'missing dist/extra.d.ts (built from src/extra.ts)',
      'missing dist/cjs/extra.js (built from src/extra.ts)',
      'missing dist/cjs/extra.d.ts (built from src/extra.ts)',
    ]);
  });

  it('reports entry points that are not in the tarball', () => {
    const root = completePackage();
    rmSync(join(root, 'dist/cjs/index.d.ts'));
    expect(tarballProblems(root, LICENSE)).toContain(
      'package.json points at dist/cjs/index.d.ts, which is not in the tarball',
    );
  });

  it('reports a missing or different LICENSE, README, CHANGELOG and CommonJS marker', () => {
    const root = completePackage();
    rmSync(join(root, 'README.md'));
    rmSync(join(root, 'CHANGELOG.md'));
    writeFileSync(join(root, 'LICENSE'), 'MIT');
    writeFileSync(join(root, 'dist/cjs/package.json'), '{"type":"module"}');
    expect(tarballProblems(root, LICENSE)).toEqual([
      'missing README.md',
      'missing CHANGELOG.md',
      'LICENSE differs from the repository LICENSE',
      'dist/cjs/package.json does not say "type": "commonjs"',
    ]);
  });

  it('reports files outside the published layout and a bin without its mode bit', () => {
    const root = completePackage();
    write(root, 'test/index.test.ts');
    write(root, 'dist/notes.txt');
    chmodSync(join(root, 'bin/sample.js'), 0o644);
    expect(tarballProblems(root, LICENSE)).toEqual([
      'unexpected file test/index.test.ts',
      'bin ./bin/sample.js is not executable',
      'unexpected build file dist/notes.txt',
    ]);
  });
});

describe('entryTargets', () => {
  it('collects every condition, main, types, typesVersions and bin, once each', () => {
    expect(
      entryTargets({
        main: './dist/cjs/index.js',
        types: './dist/cjs/index.d.ts',
        typesVersions: { '*': { middy: ['./dist/cjs/middy.d.ts'] } },
        exports: { '.': { require: { default: './dist/cjs/index.js' } }, './package.json': './package.json' },
        bin: { x: './bin/x.js' },
      }),
    ).toEqual([
      'dist/cjs/index.js',
      'package.json',
      'dist/cjs/index.d.ts',
      'dist/cjs/middy.d.ts',
      'bin/x.js',
    ]);
  });
});
