#!/usr/bin/env node
// The executable is a committed file, not build output, so it keeps its mode bit through a clean
// rebuild and exists as soon as npm links it. It loads the compiled CLI; `process.exitCode` instead
// of `process.exit()` lets stdout drain when it is a pipe.
let cli;
try {
  cli = await import('../dist/index.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/index.js'))
    throw error;
  process.stderr.write(
    'cognito-gate: the CLI is not built yet; run `npm run build` in the repository first\n',
  );
  process.exit(70);
}
process.exitCode = await cli.main(process.argv.slice(2), cli.processIo());
