/**
 * What a tarball of ours must hold, checked on its unpacked tree: the files every entry point names,
 * a build for every source and no build without one (stale output of a deleted source), the
 * CommonJS marker, LICENSE, README, CHANGELOG, an executable bin, and nothing else.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './pack.mjs';

const TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist', 'src', 'bin']);
const BUILD_SUFFIXES = ['.d.ts.map', '.d.ts', '.js.map', '.js'];

/** Every file path a manifest points at: exports (all conditions), main, types, typesVersions, bin. */
export function entryTargets(manifest) {
  const targets = [];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.main);
  walk(manifest.types);
  walk(manifest.typesVersions);
  walk(manifest.bin);
  return [...new Set(targets)].map((target) => target.replace(/^\.\//, ''));
}

/** The source a build file comes from (`dist/cjs/x.d.ts` → `src/x.ts`), or undefined. */
function sourceOf(file) {
  const built = file.replace(/^dist\/(cjs\/)?/, '');
  const suffix = BUILD_SUFFIXES.find((s) => built.endsWith(s));
  return suffix === undefined ? undefined : `src/${built.slice(0, -suffix.length)}.ts`;
}

/**
 * Problems with the unpacked package at `dir` (npm's `package/` folder), as sentences; empty when
 * it is complete. `license` is the repository's LICENSE text every tarball must carry.
 */
export function tarballProblems(dir, license) {
  const problems = [];
  const files = listFiles(dir);
  const has = new Set(files);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  for (const file of files) {
    const top = file.split('/')[0];
    if (!TOP_LEVEL.has(top)) problems.push(`unexpected file ${file}`);
  }
  for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cjs/package.json']) {
    if (!has.has(required)) problems.push(`missing ${required}`);
  }
  if (has.has('LICENSE') && readFileSync(join(dir, 'LICENSE'), 'utf8') !== license) {
    problems.push('LICENSE differs from the repository LICENSE');
  }
  if (has.has('dist/cjs/package.json')) {
    const marker = JSON.parse(readFileSync(join(dir, 'dist/cjs/package.json'), 'utf8'));
    if (marker.type !== 'commonjs') problems.push('dist/cjs/package.json does not say "type": "commonjs"');
  }
  for (const target of entryTargets(manifest)) {
    if (!has.has(target)) problems.push(`package.json points at ${target}, which is not in the tarball`);
  }
  for (const bin of Object.values(manifest.bin ?? {})) {
    const path = join(dir, bin);
    if (existsSync(path) && (statSync(path).mode & 0o111) === 0)
      problems.push(`bin ${bin} is not executable`);
  }
  for (const file of files) {
    if (!file.startsWith('dist/') || file === 'dist/cjs/package.json') continue;
    const source = sourceOf(file);
    if (source === undefined) problems.push(`unexpected build file ${file}`);
    else if (!has.has(source)) problems.push(`stale build file ${file}: ${source} does not exist`);
  }
  for (const source of files.filter((f) => f.startsWith('src/') && f.endsWith('.ts'))) {
    const base = source.slice('src/'.length, -'.ts'.length);
    for (const build of [
      `dist/${base}.js`,
      `dist/${base}.d.ts`,
      `dist/cjs/${base}.js`,
      `dist/cjs/${base}.d.ts`,
    ]) {
      if (!has.has(build)) problems.push(`missing ${build} (built from ${source})`);
    }
  }
  return problems;
}
