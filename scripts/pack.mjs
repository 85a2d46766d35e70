/**
 * Packs the published packages with npm (so `prepack` builds each from a clean `dist`) and lists
 * what every tarball holds. Shared by the pack check and the consumer check.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The directories under packages/, in dependency order (npm packs them one by one). */
export const PACKAGES = ['core', 'testing', 'express', 'fastify', 'lambda', 'cli'];

/** The package.json of `packages/<dir>`. */
export function manifestOf(dir) {
  return JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
}

/**
 * Packs `packages/<dir>` into `destination` and returns npm's report: `filename`, `size` (packed
 * bytes), `unpackedSize`, `files` (`path`, `size`, `mode`).
 */
export function pack(dir, destination) {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(ROOT, 'packages', dir),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // prepack's compiler output (none when it succeeds) precedes npm's JSON.
  const report = JSON.parse(out.slice(out.indexOf('[')))[0];
  return { ...report, path: join(destination, report.filename) };
}

/** Every file under `dir`, relative to it, with `/` separators. */
export function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}
