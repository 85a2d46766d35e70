/**
 * `npm run demo` (root): runs the scripted requests and exits 0 when every outcome is the expected
 * one; `npm run demo -- --serve` keeps everything running. See cli.ts for the options.
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
