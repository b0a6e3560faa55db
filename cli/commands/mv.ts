/*
 * sonfs mv SRC... DST: rename or move.
 *
 * Within one export of one server: RENAME (atomic; replaces an existing DST file, as
 * rename(2)). Between exports or servers, where RENAME cannot go (EXDEV): as mv(1) across file
 * systems, the source is copied (files streamed and committed, directories with cp -r's tree
 * copy, links recreated) and removed only once the whole copy succeeded. DST an existing
 * directory receives each SRC under its own name. Exit status 1 if anything failed.
 */
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { CopyError, copyErrorText, copyFile, copyTree } from '../lib/copy.js';
import { cannot } from '../lib/errors.js';
import type { Place } from '../lib/places.js';
import { basename, child, display, readlinkPlace, removePlace, statPlace, symlinkPlace } from '../lib/places.js';

const USAGE = 'sonfs mv SOURCE... DEST';
const DESCRIPTION = `
Rename SOURCE to DEST, or move SOURCEs into the directory DEST (all nfs:// URLs).
Within one export: RENAME. Across exports or servers: copy, then remove the source.

Example: sonfs mv 'nfs://127.0.0.1/export/a?version=3' 'nfs://127.0.0.1/export/b?version=3'`;

type Remote = Extract<Place, { kind: 'nfs' }>;

async function remotePlace(ctx: Ctx, arg: string): Promise<Remote> {
  return { kind: 'nfs', loc: await ctx.mounts.locate(ctx.remote(arg)) };
}

/* Move across exports: copy, then remove the source if everything was copied. */
async function moveAcross(ctx: Ctx, src: Remote, dst: Remote, type: string): Promise<boolean> {
  let ok = true;
  if (type === 'dir') {
    ok = (await copyTree(src, dst, { progress: ctx.io.stderr, warn: (m) => complain(ctx, m) })) === 0;
  } else if (type === 'link') {
    const to = await readlinkPlace(src);
    if ((await statPlace(dst, false)) !== null) await removePlace(dst, false);
    await symlinkPlace(to, dst);
  } else {
    await copyFile(src, dst, { progress: ctx.io.stderr });
  }
  if (!ok) {
    complain(ctx, `not removing '${display(src)}': it was not copied completely`);
    return false;
  }
  await removePlace(src, type === 'dir');
  return true;
}

export async function mvMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: '' });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length < 2) throw new UsageError(a.operands.length === 0 ? 'missing file operands' : `missing destination after '${a.operands[0]}'`);
  for (const x of a.operands) ctx.remote(x);
  const dstArg = a.operands.at(-1)!;
  let dst: Remote;
  let dstIsDir: boolean;
  try {
    dst = await remotePlace(ctx, dstArg);
    dstIsDir = (await statPlace(dst, true))?.type === 'dir';
  } catch (e) {
    complain(ctx, cannot('access', dstArg, e));
    return 1;
  }
  const sources = a.operands.slice(0, -1);
  if (sources.length > 1 && !dstIsDir) {
    complain(ctx, `target '${display(dst)}' is not a directory`);
    return 1;
  }
  let status = 0;
  for (const arg of sources) {
    let src: Remote | undefined;
    try {
      src = await remotePlace(ctx, arg);
      const st = await statPlace(src, false);
      if (st === null) {
        complain(ctx, `cannot stat '${display(src)}': No such file or directory`);
        status = 1;
        continue;
      }
      const target = (dstIsDir ? child(dst, basename(src)) : dst) as Remote;
      const existing = await statPlace(target, false);
      if (existing !== null && existing.id === st.id) {
        complain(ctx, `'${display(src)}' and '${display(target)}' are the same file`);
        status = 1;
        continue;
      }
      if (src.loc.host === target.loc.host && src.loc.export === target.loc.export) {
        await src.loc.client.rename(src.loc.path, target.loc.path);
      } else if (!(await moveAcross(ctx, src, target, st.type))) {
        status = 1;
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const text = e instanceof CopyError ? copyErrorText(e) : cannot('move', src === undefined ? arg : display(src), e);
      complain(ctx, text);
      status = 1;
    }
  }
  return status;
}

export const mv = cliCommand('mv', 'rename or move (mv SRC... DST; RENAME within an export)', USAGE, mvMain);
