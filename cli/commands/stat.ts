/*
 * sonfs stat [-L] URL...: a file's attributes as stat(1) prints them (GETATTR, or the attribute
 * cache):
 *
 *     File: /ro/link-to-hello -> hello.txt
 *     Size: 9          Blocks: 0          IO Block: 1048576 symbolic link
 *   Device: 2h/2d      Inode: 8           Links: 1
 *   Access: (0777/lrwxrwxrwx)  Uid: (    0)   Gid: (    0)
 *   Access: 2020-01-01 00:00:00.000000000 +0000
 *   Modify: 2020-01-01 00:00:00.000000000 +0000
 *   Change: 2024-05-01 10:00:00.123456789 +0000
 *    Birth: -
 *
 * Differences from stat(1): ids are numeric only (they are the server's, not this host's
 * passwd), the device is the NFS fsid, "IO Block" the mount's wsize, and a file is named by its
 * server path. Without -L a symbolic link is described itself (as stat(1)); -L follows it.
 */
import type { NfsBigIntStats } from '../../nfsclient/index.js';
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import { modeString, statTime, typeName } from '../lib/format.js';
import type { Located } from '../lib/mounts.js';
import { write } from '../lib/output.js';

const USAGE = 'sonfs stat [-L] URL...';
const DESCRIPTION = `
Show what the nfs:// URLs name, as stat(1): type, size, blocks, mode, uid/gid, links, inode,
device (fsid) and the access, modify and change times (nanoseconds, local time).

  -L  follow a final symbolic link

Example: sonfs stat 'nfs://127.0.0.1/ro/hello.txt?version=3'`;

/** stat(1)'s text for one file. */
export function statText(name: string, st: NfsBigIntStats, target?: string): string {
  const mode = Number(st.mode);
  const size = Number(st.size);
  const dev = st.dev;
  const file = target === undefined ? name : `${name} -> ${target}`;
  return [
    `  File: ${file}`,
    `  Size: ${String(st.size).padEnd(10)}\tBlocks: ${String(st.blocks).padEnd(10)} IO Block: ${String(st.blksize).padEnd(6)} ${typeName(mode, size)}`,
    `Device: ${dev.toString(16)}h/${dev}d\tInode: ${String(st.ino).padEnd(11)} Links: ${st.nlink}`,
    `Access: (${(mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(mode)})  Uid: (${String(st.uid).padStart(5)})   Gid: (${String(st.gid).padStart(5)})`,
    `Access: ${statTime(st.atimeNs)}`,
    `Modify: ${statTime(st.mtimeNs)}`,
    `Change: ${statTime(st.ctimeNs)}`,
    ' Birth: -',
  ].join('\n') + '\n';
}

export async function statMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'L', long: { dereference: 'L' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length === 0) throw new UsageError('give at least one URL');
  const follow = a.flags.has('L');
  const urls = a.operands.map((x) => ctx.remote(x));
  let status = 0;
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      const c = loc.client;
      const st = follow ? await c.stat(loc.path, { bigint: true }) : await c.lstat(loc.path, { bigint: true });
      const target = st.isSymbolicLink() ? await c.readlink(loc.path) : undefined;
      await write(ctx.io.stdout, statText(loc.display, st, target));
    } catch (e) {
      complain(ctx, cannot('stat', loc?.display ?? url, e));
      status = 1;
    }
  }
  return status;
}

export const stat = cliCommand('stat', 'show a file\'s attributes, as stat(1) (stat [-L] URL...)', USAGE, statMain);
