/*
 * sonfs cp [-r] [-n] SRC... DST: copy files, either side local or nfs://, nfs→nfs included.
 *
 * As cp(1): DST an existing directory receives SRC under its own name; several SOURCES need a
 * directory DST; a directory SOURCE needs -r (links inside are recreated, not followed; at the
 * top a link is copied as a link with -r, followed without). An existing destination file is
 * replaced (libnfs's nfs-cp refuses; -n refuses here too, atomically with O_EXCL). Copying a file
 * onto itself is refused. URLs on the same server and export share one mount.
 *
 * Streaming, constant memory, a progress bar on stderr when it is a terminal (lib/progress.ts).
 * Exit status 0 means everything reported copied is on the server's stable storage (each
 * destination's close → COMMIT returned); 1 if anything failed.
 */
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { CopyError, copyErrorText, copyFile, copyTree } from '../lib/copy.js';
import { cannot } from '../lib/errors.js';
import type { Place } from '../lib/places.js';
import { basename, child, display, readlinkPlace, removePlace, statPlace, symlinkPlace } from '../lib/places.js';

const USAGE = 'sonfs cp [-r] [-n] SOURCE... DEST';
const DESCRIPTION = `
Copy files. Each side is a local path or an nfs:// URL (nfs to nfs included). DEST may be an
existing directory, which receives each SOURCE under its own name.

  -r  copy directories recursively (symbolic links are recreated, not followed)
  -n  do not overwrite: fail if the destination exists (sonfs cp overwrites by default)

A progress bar (bytes, rate, percent, ETA) is drawn on stderr when it is a terminal.
When cp exits 0, the data is on the server's stable storage (close -> COMMIT).

Examples:
  sonfs cp ./big.iso 'nfs://127.0.0.1/export/big.iso?version=3'
  sonfs cp 'nfs://127.0.0.1/export/a?version=3' 'nfs://127.0.0.1/export/b?version=3'
  sonfs cp -r 'nfs://127.0.0.1/ro/dir?version=3' ./dir`;

/** The place an argument names: an nfs:// URL (mounted) or a local path. */
export async function placeOf(ctx: Ctx, arg: string): Promise<Place> {
  if (ctx.isRemote(arg)) return { kind: 'nfs', loc: await ctx.mounts.locate(ctx.remote(arg)) };
  return { kind: 'local', path: arg };
}

export interface CpFlags {
  recursive: boolean;
  noClobber: boolean;
}

/** Copy `sources` to `dest` as cp does, complaining about each failure; returns the exit status. */
export async function copyPlaces(ctx: Ctx, sources: string[], dest: string, f: CpFlags): Promise<number> {
  let dst: Place;
  try {
    dst = await placeOf(ctx, dest);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    complain(ctx, cannot('access', dest, e));
    return 1;
  }
  let dstIsDir: boolean;
  try {
    dstIsDir = (await statPlace(dst, true))?.type === 'dir';
  } catch (e) {
    complain(ctx, cannot('stat', display(dst), e));
    return 1;
  }
  if (sources.length > 1 && !dstIsDir) {
    complain(ctx, `target '${display(dst)}' is not a directory`);
    return 1;
  }
  let status = 0;
  const warn = (m: string): void => {
    complain(ctx, m);
    status = 1;
  };
  for (const arg of sources) {
    let src: Place | undefined;
    try {
      src = await placeOf(ctx, arg);
      /* With -r a link named on the command line is copied as a link (cp -R implies -P). */
      const st = await statPlace(src, !f.recursive);
      if (st === null) {
        complain(ctx, `cannot stat '${display(src)}': No such file or directory`);
        status = 1;
        continue;
      }
      const target = dstIsDir ? child(dst, basename(src)) : dst;
      if (st.type === 'dir') {
        if (!f.recursive) {
          complain(ctx, `-r not specified; omitting directory '${display(src)}'`);
          status = 1;
          continue;
        }
        if ((await copyTree(src, target, { noClobber: f.noClobber, progress: ctx.io.stderr, warn })) > 0) status = 1;
      } else if (st.type === 'link') {
        const to = await readlinkPlace(src);
        if ((await statPlace(target, false)) !== null) {
          if (f.noClobber) throw new CopyError('create symbolic link', display(target), Object.assign(new Error('exists'), { code: 'EEXIST' }));
          await removePlace(target, false);
        }
        await symlinkPlace(to, target);
      } else if (st.type === 'file') {
        const existing = await statPlace(target, true);
        if (existing !== null && existing.id === st.id) {
          complain(ctx, `'${display(src)}' and '${display(target)}' are the same file`);
          status = 1;
          continue;
        }
        await copyFile(src, target, { noClobber: f.noClobber, progress: ctx.io.stderr }, st);
      } else {
        complain(ctx, `cannot copy special file '${display(src)}'`);
        status = 1;
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      complain(ctx, e instanceof CopyError ? copyErrorText(e) : cannot('access', src === undefined ? arg : display(src), e));
      status = 1;
    }
  }
  return status;
}

export async function cpMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'rRn', long: { recursive: 'r', 'no-clobber': 'n' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length < 2) throw new UsageError(a.operands.length === 0 ? 'missing file operands' : `missing destination after '${a.operands[0]}'`);
  const f: CpFlags = { recursive: a.flags.has('r') || a.flags.has('R'), noClobber: a.flags.has('n') };
  /* Check every URL's syntax before anything is copied. */
  for (const x of a.operands) if (ctx.isRemote(x)) ctx.remote(x);
  return copyPlaces(ctx, a.operands.slice(0, -1), a.operands.at(-1)!, f);
}

export const cp = cliCommand('cp', 'copy files, local or nfs:// on either side (cp [-r] [-n] SRC... DST)', USAGE, cpMain);
