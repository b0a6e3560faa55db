/*
 * sonfs rm [-r] [-f] URL...: remove files, links and (with -r) directory trees (REMOVE, RMDIR;
 * a tree is listed and removed depth first, several calls in flight). Without -r a directory is
 * refused ("Is a directory"), as rm(1); -f is quiet about names that do not exist. A file open
 * by this client would be silly-renamed by the library; rm holds nothing open. Exit status 1 if
 * anything could not be removed.
 */
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot, errorCode } from '../lib/errors.js';
import type { Located } from '../lib/mounts.js';

const USAGE = 'sonfs rm [-r | -d] [-f] URL...';
const DESCRIPTION = `
Remove the files (and with -r directories) the nfs:// URLs name.

  -r  remove directories and everything in them
  -d  remove empty directories (RMDIR)
  -f  ignore names that do not exist

Example: sonfs rm -r 'nfs://127.0.0.1/export/old?version=3'`;

export async function rmMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'rRfd', long: { recursive: 'r', force: 'f', dir: 'd' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  const recursive = a.flags.has('r') || a.flags.has('R');
  const force = a.flags.has('f');
  if (a.operands.length === 0) {
    if (force) return 0;
    throw new UsageError('give at least one URL');
  }
  const urls = a.operands.map((x) => ctx.remote(x));
  let status = 0;
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      if (loc.path === '/') {
        complain(ctx, `refusing to remove the root of export '${loc.display}'`);
        status = 1;
        continue;
      }
      const st = await loc.client.lstat(loc.path);
      if (st.isDirectory()) {
        if (recursive) await loc.client.rm(loc.path, { recursive: true });
        else if (a.flags.has('d')) await loc.client.rmdir(loc.path);
        else {
          complain(ctx, `cannot remove '${loc.display}': Is a directory`);
          status = 1;
        }
      } else {
        await loc.client.unlink(loc.path);
      }
    } catch (e) {
      if (force && errorCode(e) === 'ENOENT') continue;
      complain(ctx, cannot('remove', loc?.display ?? url, e));
      status = 1;
    }
  }
  return status;
}

export const rm = cliCommand('rm', 'remove files or directories (rm [-r] [-f] URL...)', USAGE, rmMain);
