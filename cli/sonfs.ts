#!/usr/bin/env node
/* The `sonfs` executable: everything is in main.ts, which tests import directly. */
import { main } from './main.js';

/*
 * A reader that went away (`sonfs cat big | head`: EPIPE) is handled where output is written
 * (cli/lib/output.ts: the command stops quietly); without a listener Node would throw the
 * stream's 'error' event instead.
 */
process.stdout.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2));
