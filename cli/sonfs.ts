#!/usr/bin/env node
/* The `sonfs` executable: everything is in main.ts, which tests import directly. */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
