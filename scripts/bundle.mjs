#!/usr/bin/env node
/*
 * The `sonfs` executable as one bundle: dist/cli/sonfs.js, built from cli/sonfs.ts by esbuild
 * after tsc has checked and emitted the tree (`npm run build`). Run alone: `node scripts/bundle.mjs`
 * (`--sourcemap` adds dist/cli/sonfs.js.map and maps for the chunks; off by default, and Node reads
 * them only under --enable-source-maps).
 *
 * Why: Node loads an ES module graph file by file (resolve, read, compile each); the CLI's ~140
 * modules were most of its start-up time. The bundle is one file for what every command needs
 * (the dispatcher) plus, because commands are imported on dispatch (cli/commands/index.ts), a
 * few chunks: one per command and the code they share (the NFS client for most).
 *
 * Layout and what depends on it:
 * - dist/cli/sonfs.js is the entry (the package's `bin`, `npm start`, bench/, and the tests that
 *   spawn the executable). tsconfig.build.json leaves cli/sonfs.ts out so that tsc's output
 *   never takes this path.
 * - dist/chunks/*.js: the lazily imported parts (each command, trace/ for --trace/--replay,
 *   testing/ for the demo). Two directories below the package root like dist/trace/, so
 *   trace/schema.ts finds sonfs-trace.proto from a chunk as it does from dist/trace/schema.js,
 *   and testing/package-root.ts climbs to the package root from either. The directory is
 *   emptied first: chunk names carry content hashes, and stale ones would pile up.
 * - Packages from node_modules stay imports (packages: 'external'): lru-cache, and protobufjs
 *   and testcontainers, which only the chunks of trace/ and the demo import, so a plain command
 *   never loads them. They are `dependencies`, installed beside the package.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourcemap = process.argv.includes('--sourcemap');

rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
/* Left by builds from before the bundle, when tsc emitted cli/sonfs.ts (they describe another file). */
for (const stale of ['sonfs.js.map', 'sonfs.d.ts']) rmSync(new URL(`../dist/cli/${stale}`, import.meta.url), { force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'cli/sonfs': 'cli/sonfs.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  tsconfig: 'tsconfig.build.json',
  sourcemap: sourcemap ? 'linked' : false,
  logLevel: 'warning',
  metafile: true,
});

const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`bundle: dist/cli/sonfs.js and ${outputs.length - 1} chunks in dist/chunks/, ${(bytes / 1024).toFixed(0)} KiB`);
