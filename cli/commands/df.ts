/*
 * sonfs df [-h | -k] [-i] URL...: file system space (FSSTAT), as df(1) prints it:
 *
 *   Filesystem         1K-blocks  Used Available Use% Mounted on
 *   127.0.0.1:/export    8128452 12344   8116108   1% nfs://127.0.0.1/export
 *
 * Used = total - free, Available = what the credential may use (abytes), Use% = used / (used +
 * available) rounded up — df's definitions. -h: sizes in powers of 1024 ("1.5G"), -i: files
 * (inodes) instead of bytes. The "Filesystem" column is server:export; "Mounted on" is the URL's
 * server path (nothing is mounted on this host). Exit status 1 if any could not be asked.
 */
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import { columns, humanSize } from '../lib/format.js';
import type { Located } from '../lib/mounts.js';
import { write } from '../lib/output.js';

const USAGE = 'sonfs df [-h] [-i] URL...';
const DESCRIPTION = `
Show the size, used and available space of the file systems holding the nfs:// URLs (FSSTAT).

  -h  human-readable sizes (powers of 1024: K, M, G ...)
  -k  1K blocks (the default)
  -i  files (inodes) instead of space

Example: sonfs df -h 'nfs://127.0.0.1/export?version=3'`;

/** df's Use%: used / (used + avail), rounded up; "-" when both are 0. */
export function usePercent(used: bigint, avail: bigint): string {
  const sum = used + avail;
  if (sum === 0n) return '-';
  return `${(used * 100n + sum - 1n) / sum}%`;
}

export async function dfMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'hki', long: { 'human-readable': 'h', inodes: 'i' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length === 0) throw new UsageError('give at least one URL');
  const human = a.flags.has('h');
  const inodes = a.flags.has('i');
  const urls = a.operands.map((x) => ctx.remote(x));
  const rows: string[][] = [inodes
    ? ['Filesystem', 'Inodes', 'IUsed', 'IFree', 'IUse%', 'Mounted on']
    : ['Filesystem', human ? 'Size' : '1K-blocks', 'Used', human ? 'Avail' : 'Available', 'Use%', 'Mounted on']];
  let status = 0;
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      const fs = await loc.client.statfs(loc.path, { bigint: true });
      const fsname = `${loc.host}:${loc.export}`;
      if (inodes) {
        const used = fs.files - fs.ffree;
        rows.push([fsname, String(fs.files), String(used), String(fs.ffree), usePercent(used, fs.ffree), loc.display]);
      } else {
        const total = fs.blocks * fs.bsize;
        const used = (fs.blocks - fs.bfree) * fs.bsize;
        const avail = fs.bavail * fs.bsize;
        const show = (b: bigint): string => (human ? humanSize(b) : String((b + 1023n) / 1024n));
        rows.push([fsname, show(total), show(used), show(avail), usePercent(used, avail), loc.display]);
      }
    } catch (e) {
      complain(ctx, cannot('stat file system of', loc?.display ?? url, e));
      status = 1;
    }
  }
  if (rows.length > 1) {
    const lines = columns(rows, new Set([0, 5]));
    await write(ctx.io.stdout, lines.map((l) => `${l.trimEnd()}\n`).join(''));
  }
  return status;
}

export const df = cliCommand('df', 'file system space, as df(1) (df [-h] [-i] URL...)', USAGE, dfMain);
