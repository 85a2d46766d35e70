#!/usr/bin/env node
/**
 * The `cognito-gate` executable: the real process wired into `main`. Setting `process.exitCode`
 * instead of calling `process.exit()` lets stdout drain when it is a pipe.
 */
import { processIo } from './io.js';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), processIo());
