/*
 * Workloads 3 and 4: listings, each client as a process, output captured and checked every run.
 *
 *   ls-l-10k   sonfs ls -l URL   against  nfs-ls URL      a directory of 10,000 files
 *   ls-R-20k   sonfs ls -R URL   against  nfs-ls -R URL   a tree of 20,000 entries: 20 directories,
 *              each with 9 subdirectories (200 directories), 99 files in each of the 200
 *
 * The trees are made inside the server's container (ganesha serves changes made behind its back:
 * Attr_Expiration_Time = 0). The metric is entries listed per second of the process's wall time.
 * nfs-ls always prints the long format (READDIRPLUS attributes); sonfs ls -R prints names only.
 */
import { serverExec, urlOf } from '../lib/context.js';
import type { BenchContext } from '../lib/context.js';
import { runChild } from '../lib/child.js';
import type { Side, SideResult, Workload } from '../lib/workload.js';

const FLAT_DIR = '/export/ls10k';
const FLAT_FILES = 10_000;
const TREE_DIR = '/export/tree20k';
const TOP = 20;
const SUB = 9;
const FILES_PER_DIR = 99;
const TREE_ENTRIES = TOP + TOP * SUB + (TOP + TOP * SUB) * FILES_PER_DIR;

/* The file names of the flat directory, sorted. */
function flatNames(): string[] {
  return Array.from({ length: FLAT_FILES }, (_, i) => `f${String(i).padStart(5, '0')}`);
}

/* Names of `sonfs ls -l` output: every line but "total N", last field. */
function sonfsLongNames(out: string): string[] {
  return out.split('\n').filter((l) => l !== '' && !l.startsWith('total ')).map((l) => l.slice(l.lastIndexOf(' ') + 1));
}

/* Names of nfs-ls output: long lines "-rw-r--r--  1  0  0  0 name", the name last. */
function nfsLsNames(out: string): string[] {
  return out.split('\n').filter((l) => /^[-dlcbps][-rwxsStT]{9}\s/.test(l)).map((l) => l.slice(l.lastIndexOf(' ') + 1));
}

/* Entries of `sonfs ls -R` output: "dir:" headers and blank lines skipped. */
function sonfsRecursiveCount(out: string): number {
  return out.split('\n').filter((l) => l !== '' && !l.endsWith(':')).length;
}

function sameNames(got: string[], want: string[], who: string): void {
  const g = [...got].sort();
  if (g.length !== want.length || g.some((x, i) => x !== want[i])) {
    throw new Error(`${who} listed ${g.length} entries, expected ${want.length} (${g.slice(0, 3).join(', ')} ...)`);
  }
}

function listingSide(client: 'sonfs' | 'libnfs', argv: () => string[], command: string, entries: number, check: (out: string) => void): Side {
  const once = async (): Promise<SideResult> => {
    const r = await runChild(argv(), { stdout: 'capture' });
    check(r.stdout);
    return { metrics: { entries: entries / r.seconds }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
  };
  return { client, command, verify: async () => void (await once()), run: once };
}

export function listLongWorkload(ctx: BenchContext): Workload {
  const want = flatNames();
  return {
    name: 'ls-l-10k',
    title: `long listing of a directory of ${FLAT_FILES.toLocaleString('en-US')} files`,
    metrics: [{ key: 'entries', unit: 'entries/s' }],
    targets: { ratio: 1.5 },
    async setup() {
      await serverExec(ctx, `rm -rf ${FLAT_DIR} && mkdir ${FLAT_DIR} && cd ${FLAT_DIR} && seq -f 'f%05g' 0 ${FLAT_FILES - 1} | xargs touch`);
    },
    sides: () => [
      listingSide('sonfs', () => [...ctx.sonfs, 'ls', '-l', urlOf(ctx, FLAT_DIR)], 'sonfs ls -l URL', FLAT_FILES,
        (out) => sameNames(sonfsLongNames(out), want, 'sonfs ls -l')),
      listingSide('libnfs', () => ['nfs-ls', urlOf(ctx, FLAT_DIR)], 'nfs-ls URL', FLAT_FILES,
        (out) => sameNames(nfsLsNames(out), want, 'nfs-ls')),
    ],
    async teardown() {
      await serverExec(ctx, `rm -rf ${FLAT_DIR}`);
    },
  };
}

export function listRecursiveWorkload(ctx: BenchContext): Workload {
  const countIs = (n: number, who: string): void => {
    if (n !== TREE_ENTRIES) throw new Error(`${who} listed ${n} entries, expected ${TREE_ENTRIES}`);
  };
  return {
    name: 'ls-R-20k',
    title: `recursive listing of a tree of ${TREE_ENTRIES.toLocaleString('en-US')} entries (200 directories)`,
    metrics: [{ key: 'entries', unit: 'entries/s' }],
    targets: { ratio: 1.5 },
    async setup() {
      /* d00..d19, each with s0..s8; 99 files in each of those 200 directories. */
      await serverExec(ctx, [
        `rm -rf ${TREE_DIR} && mkdir ${TREE_DIR} && cd ${TREE_DIR}`,
        `for t in $(seq -w 0 ${TOP - 1}); do mkdir d$t; for s in $(seq 0 ${SUB - 1}); do mkdir d$t/s$s; done; done`,
        `for d in d* d*/s*; do (cd $d && seq -f 'f%02g' 0 ${FILES_PER_DIR - 1} | xargs touch); done`,
        `test $(find . -mindepth 1 | wc -l) -eq ${TREE_ENTRIES}`,
      ].join(' && '));
    },
    sides: () => [
      listingSide('sonfs', () => [...ctx.sonfs, 'ls', '-R', urlOf(ctx, TREE_DIR)], 'sonfs ls -R URL', TREE_ENTRIES,
        (out) => countIs(sonfsRecursiveCount(out), 'sonfs ls -R')),
      listingSide('libnfs', () => ['nfs-ls', '-R', urlOf(ctx, TREE_DIR)], 'nfs-ls -R URL', TREE_ENTRIES,
        (out) => countIs(nfsLsNames(out).length, 'nfs-ls -R')),
    ],
    async teardown() {
      await serverExec(ctx, `rm -rf ${TREE_DIR}`);
    },
  };
}

/**
 * Not one of the workloads: the fixed cost inside every CLI figure above — process
 * start, module loading, MOUNT, FSINFO/PATHCONF, one READDIRPLUS of an empty directory, UMNT.
 */
export function startupWorkload(ctx: BenchContext): Workload {
  const EMPTY = '/export/empty';
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const r = await runChild(client === 'sonfs' ? [...ctx.sonfs, 'ls', urlOf(ctx, EMPTY)] : ['nfs-ls', urlOf(ctx, EMPTY)], { stdout: 'capture' });
      if (r.stdout.trim() !== '') throw new Error(`${client} listed entries in an empty directory: ${r.stdout.slice(0, 100)}`);
      return { metrics: { runs: 1 / r.seconds, ms: r.seconds * 1000 }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
    };
    return { client, command: client === 'sonfs' ? 'sonfs ls URL (empty directory)' : 'nfs-ls URL (empty directory)', verify: async () => void (await once()), run: once };
  };
  return {
    name: 'startup',
    title: 'process start + mount + listing an empty directory (the fixed cost in every CLI figure)',
    metrics: [{ key: 'runs', unit: 'runs/s' }, { key: 'ms', unit: 'ms, lower is better' }],
    async setup() {
      await serverExec(ctx, `rm -rf ${EMPTY} && mkdir ${EMPTY}`);
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {
      await serverExec(ctx, `rm -rf ${EMPTY}`);
    },
  };
}
