/**
 * `npm run release`: everything a release does short of uploading. Packs and checks every package
 * (`pack:check`: files, budgets, publint, arethetypeswrong), then runs `npm publish --dry-run` on each
 * tarball with the settings a real publish uses (publishConfig: public access, provenance). The real
 * publish is `npx changeset publish` from CI, where npm can sign provenance with the CI's identity.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './pack.mjs';

const run = (command, args) => execFileSync(command, args, { cwd: ROOT, stdio: 'inherit' });
const tarballs = mkdtempSync(join(tmpdir(), 'cognito-gate-release-'));
try {
  // Pending changesets mean versions and CHANGELOGs are not applied yet: `npm run version` first.
  const pending = readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length > 0) {
    console.warn(
      `${pending.length} changeset(s) not applied yet: run \`npm run version\` before a real release.`,
    );
  }
  run(process.execPath, [join(ROOT, 'scripts', 'pack-check.mjs'), '--keep', tarballs]);
  for (const tarball of readdirSync(tarballs).filter((f) => f.endsWith('.tgz'))) {
    run('npm', ['publish', join(tarballs, tarball), '--dry-run']);
  }
  console.log('\nDry run complete: `npx changeset publish` from CI publishes these with provenance.');
} finally {
  rmSync(tarballs, { recursive: true, force: true });
}
