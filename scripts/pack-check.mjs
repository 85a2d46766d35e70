/**
 * `npm run pack:check` (CI runs it): packs every published package as `npm publish` would, then
 * fails when a tarball misses a file, holds a stale or unexpected one, outgrows its size budget
 * (scripts/pack-budgets.json, set from the sizes of 2026-12-07 plus headroom), or when publint
 * (strict) or arethetypeswrong (node10, node16 CJS and ESM, bundler) finds a problem.
 * `--keep <dir>` leaves the tarballs there (the consumer check installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { manifestOf, PACKAGES, pack, ROOT } from './pack.mjs';
import { tarballProblems } from './pack-rules.mjs';

const { values } = parseArgs({ options: { keep: { type: 'string' } } });
const budgets = JSON.parse(readFileSync(join(ROOT, 'scripts', 'pack-budgets.json'), 'utf8'));
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'cognito-gate-pack-'));
const destination = values.keep === undefined ? join(work, 'tarballs') : resolve(values.keep);
mkdirSync(destination, { recursive: true });

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const failures = [];
const rows = [];
const tables = [];
try {
  for (const dir of PACKAGES) {
    const manifest = manifestOf(dir);
    const report = pack(dir, destination);
    const unpacked = join(work, dir);
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', report.path, '-C', unpacked]);
    const problems = tarballProblems(join(unpacked, 'package'), license);

    const budget = budgets[manifest.name];
    if (budget === undefined) problems.push('no size budget in scripts/pack-budgets.json');
    else {
      if (report.size > budget.packed)
        problems.push(`packed ${kb(report.size)} > budget ${kb(budget.packed)}`);
      if (report.unpackedSize > budget.unpacked) {
        problems.push(`unpacked ${kb(report.unpackedSize)} > budget ${kb(budget.unpacked)}`);
      }
    }

    const tarball = readFileSync(report.path);
    const lint = await publint({
      pkgDir: 'package', // the folder inside the tarball
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      strict: true,
    });
    for (const message of lint.messages) {
      problems.push(`publint ${message.type}: ${formatMessage(message, manifest) ?? message.code}`);
    }

    const attw = join(ROOT, 'node_modules', '.bin', 'attw');
    try {
      const table = execFileSync(
        attw,
        [report.path, '--format', 'table-flipped', '--no-color', '--no-emoji'],
        {
          encoding: 'utf8',
        },
      );
      tables.push(table);
    } catch (error) {
      problems.push(`arethetypeswrong:\n${error.stdout}`);
    }

    rows.push([manifest.name, report.entryCount, kb(report.size), kb(report.unpackedSize), budget]);
    for (const problem of problems) failures.push(`${manifest.name}: ${problem}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(tables.join('\n'));
console.log('package                 files    packed  unpacked  budget (packed / unpacked)');
for (const [name, files, packed, unpacked, budget] of rows) {
  const limit = budget === undefined ? '-' : `${kb(budget.packed)} / ${kb(budget.unpacked)}`;
  console.log(
    `${name.padEnd(22)} ${String(files).padStart(6)} ${packed.padStart(9)} ${unpacked.padStart(9)}  ${limit}`,
  );
}
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nEvery tarball is complete, within budget, publint-strict and arethetypeswrong clean.');
}
