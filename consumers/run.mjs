/**
 * `npm run consumers` (CI runs it): the packed tarballs installed into fresh projects outside the
 * repository, as strangers would use them, each running the README's quickstarts against the test
 * issuer. Projects: ESM TypeScript (nodenext; also type-checked with bundler and a node16 `.cts`),
 * CommonJS `require` (plus an app mixing `import` and `require`), esbuild bundles (ESM, as the
 * README says for Lambda), and Jest 29 and 30 in their default CommonJS configuration.
 * Needs the npm registry for the third-party packages (express, fastify, jest…).
 * `--keep` leaves the projects in place; `--only <name>` runs one project.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGES, pack, ROOT } from '../scripts/pack.mjs';
import { readQuickstarts } from './quickstarts.mjs';

const { values } = parseArgs({ options: { keep: { type: 'boolean' }, only: { type: 'string' } } });
const HERE = join(ROOT, 'consumers');
const work = mkdtempSync(join(tmpdir(), 'cognito-gate-consumers-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);

// Versions a user would install today (the ones the repository tests with).
const THIRD_PARTY = {
  express: '5.3.0',
  fastify: '5.12.8',
  supertest: '7.3.2',
  typescript: '7.0.2',
  esbuild: '0.28.2',
  '@types/node': '^20.19.0',
  '@types/express': '5.0.6',
  '@types/aws-lambda': '8.10.164',
  '@middy/core': '6.4.5',
};
const QUICKSTARTS = ['express', 'fastify', 'lambda', 'standalone'];
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

function run(cwd, command, args) {
  console.log(`  $ ${[command, ...args].join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

/** A fresh project: our tarballs plus the named third-party packages (at the versions above). */
function project(name, type, thirdParty, extra = {}) {
  const dir = join(work, name);
  mkdirSync(dir);
  const ours = Object.fromEntries(
    PACKAGES.filter((p) => p !== 'cli').map((p) => [`@cognito-gate/${p}`, `file:${tarballs[p]}`]),
  );
  const deps = Object.fromEntries(thirdParty.map((p) => [p, extra[p] ?? THIRD_PARTY[p]]));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: `consumer-${name}`, private: true, type, dependencies: { ...ours, ...deps } },
      null,
      2,
    ),
  );
  cpSync(join(HERE, 'driver.mjs'), join(dir, 'driver.mjs'));
  run(dir, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline']);
  return dir;
}

function writeQuickstarts(dir, extension) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const [name, code] of Object.entries(readQuickstarts(ROOT))) {
    writeFileSync(join(dir, 'src', `${name}.${extension}`), code);
  }
}

const drive = (dir, kind, module) => run(dir, process.execPath, ['driver.mjs', kind, module]);

const PROJECTS = {
  'esm-ts'(dir) {
    cpSync(join(HERE, 'projects', 'esm-ts'), dir, { recursive: true });
    writeQuickstarts(dir, 'ts');
    run(dir, 'npx', ['tsc', '-p', 'tsconfig.json']);
    run(dir, 'npx', ['tsc', '-p', 'tsconfig.bundler.json']);
    run(dir, 'npx', ['tsc', '-p', 'tsconfig.node16.json']);
    for (const kind of QUICKSTARTS) drive(dir, kind, `dist/${kind}.js`);
  },
  cjs(dir) {
    cpSync(join(HERE, 'projects', 'cjs'), dir, { recursive: true });
    for (const kind of QUICKSTARTS) drive(dir, kind, `${kind}.js`);
    run(dir, process.execPath, ['mixed.js']);
    // require() of every entry point, outside any framework.
    run(dir, process.execPath, [
      '-e',
      "for (const m of ['core','testing','express','fastify','lambda','lambda/middy']) require('@cognito-gate/' + m);",
    ]);
  },
  bundler(dir) {
    writeQuickstarts(dir, 'ts');
    for (const kind of QUICKSTARTS) {
      const out = `bundle/${kind}.mjs`;
      // As the README says for Lambda: bundle as ESM (top-level await), Node platform.
      const args = [`src/${kind}.ts`, '--bundle', '--platform=node', '--format=esm', '--target=node20'];
      // Express and Fastify bundle CommonJS internals that call require() on Node built-ins; an ESM
      // bundle needs one. The Lambda and standalone quickstarts build with the README's command as is.
      if (kind === 'express' || kind === 'fastify') args.push(`--banner:js=${REQUIRE_SHIM}`);
      run(dir, 'npx', ['esbuild', ...args, `--outfile=${out}`, '--log-level=warning']);
      drive(dir, kind, out);
    }
  },
  jest29: (dir) => jest(dir),
  jest30: (dir) => jest(dir),
};

function jest(dir) {
  cpSync(join(HERE, 'projects', 'jest'), dir, { recursive: true });
  // Jest reports on stderr: inherited, so the CI log shows every test.
  run(dir, 'npx', ['jest', '--ci', '--verbose']);
}

const SETUP = {
  'esm-ts': [
    'module',
    ['express', 'fastify', 'typescript', '@types/node', '@types/express', '@types/aws-lambda', '@middy/core'],
  ],
  cjs: ['commonjs', ['express', 'fastify']],
  bundler: ['module', ['express', 'fastify', 'esbuild']],
  jest29: ['commonjs', ['express', 'fastify', 'supertest', 'jest'], { jest: '29.7.0' }],
  jest30: ['commonjs', ['express', 'fastify', 'supertest', 'jest'], { jest: '30.2.0' }],
};

const tarballs = {};
let failed = false;
try {
  console.log('Packing (prepack builds each package from a clean dist)…');
  for (const dir of PACKAGES) tarballs[dir] = pack(dir, tarballDir).path;
  for (const [name, [type, thirdParty, extra]] of Object.entries(SETUP)) {
    if (values.only !== undefined && values.only !== name) continue;
    console.log(`\n## ${name}`);
    try {
      PROJECTS[name](project(name, type, thirdParty, extra));
    } catch (error) {
      failed = true;
      console.error(`FAILED ${name}: ${error.message}`);
      if (error.stdout) console.error(error.stdout);
      if (error.stderr) console.error(error.stderr);
    }
  }
} finally {
  if (values.keep) console.log(`\nProjects kept in ${work}: ${readdirSync(work).join(', ')}`);
  else rmSync(work, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
else console.log('\nEvery consumer project installed the tarballs and ran the quickstarts.');
