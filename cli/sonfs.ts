#!/usr/bin/env node
/*
 * The `sonfs` executable: everything is in main.ts, which tests import directly. It ships as a
 * bundle, dist/cli/sonfs.js with its lazily loaded chunks in dist/chunks/ (scripts/bundle.mjs,
 * run by `npm run build` after tsc); tsc does not emit this file.
 */
import { main } from './main.js';

/*
 * A reader that went away (`sonfs cat big | head`: EPIPE) is handled where output is written
 * (cli/lib/output.ts: the command stops quietly); without a listener Node would throw the
 * stream's 'error' event instead.
 */
process.stdout.on('error', () => undefined);

const code = await main(process.argv.slice(2));
/*
 * The command is over, and its status stands. Whatever it abandoned keeps running otherwise: a
 * mount interrupted by Ctrl-C in the middle of MNT leaves a hard RPC client retrying a server
 * that may be gone forever — as a process asleep in a kernel's nfs_request would, which is right
 * while a command waits on it, not once the command has ended. Output written to pipes and files
 * is synchronous on Linux, and every command awaits its own writes before returning.
 */
process.exit(code);
