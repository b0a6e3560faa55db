/*
 * sonfs ln [-s] [-f] TARGET LINK: make a link.
 *
 * -s: a symbolic link (SYMLINK) at the URL LINK whose content is TARGET, stored as given (a
 * string, not a URL: the server and other clients resolve it). Without -s: a hard link (LINK)
 * at LINK to the file TARGET (an nfs:// URL), which must be in the same export (EXDEV
 * otherwise, as link(2) across file systems). LINK an existing directory receives the link
 * under TARGET's name. -f replaces an existing LINK.
 */
import { posix } from 'node:path';
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot, errorCode } from '../lib/errors.js';
import type { Located } from '../lib/mounts.js';
import { serverPath } from '../lib/mounts.js';

const USAGE = 'sonfs ln [-s] [-f] TARGET LINK';
const DESCRIPTION = `
Make LINK (an nfs:// URL) a hard link to the file TARGET (an nfs:// URL in the same export), or
with -s a symbolic link whose content is the string TARGET.

  -s  symbolic link (TARGET is stored as given)
  -f  remove an existing LINK first

Examples:
  sonfs ln -s hello.txt 'nfs://127.0.0.1/export/greeting?version=3'
  sonfs ln 'nfs://127.0.0.1/export/a?version=3' 'nfs://127.0.0.1/export/b?version=3'`;

function inside(loc: Located, name: string): Located {
  const path = posix.join(loc.path, name);
  return { ...loc, path, display: serverPath(loc.export, path) };
}

export async function lnMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'sf', long: { symbolic: 's', force: 'f' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length !== 2) throw new UsageError('give TARGET and LINK');
  const [targetArg, linkArg] = a.operands as [string, string];
  const symbolic = a.flags.has('s');
  const linkUrl = ctx.remote(linkArg);
  const targetUrl = symbolic ? null : ctx.remote(targetArg);
  let link: Located | undefined;
  try {
    link = await ctx.mounts.locate(linkUrl);
    const target = targetUrl === null ? null : await ctx.mounts.locate(targetUrl);
    const name = target === null ? posix.basename(targetArg) : posix.basename(target.path);
    const isDir = await link.client.stat(link.path).then((s) => s.isDirectory(), () => false);
    if (isDir && name !== '' && name !== '/') link = inside(link, name);
    if (a.flags.has('f')) {
      await link.client.unlink(link.path).catch((e: unknown) => {
        if (errorCode(e) !== 'ENOENT') throw e;
      });
    }
    if (target === null) {
      await link.client.symlink(targetArg, link.path);
    } else {
      if (target.host !== link.host || target.export !== link.export) {
        complain(ctx, `cannot create hard link '${link.display}' => '${target.display}': Cross-device link (not in the same export)`);
        return 1;
      }
      await target.client.link(target.path, link.path);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    complain(ctx, cannot(symbolic ? 'create symbolic link' : 'create hard link', link?.display ?? linkArg, e));
    return 1;
  }
}

export const ln = cliCommand('ln', 'make a hard or symbolic link (ln [-s] TARGET LINK)', USAGE, lnMain);
