/*
 * sonfs cat URL...: the files' bytes on stdout, one after another.
 *
 * Each file is read sequentially through one open handle, in rsize pieces, so the client's
 * read-ahead keeps READs in flight ahead of the output; each piece is written to stdout and the
 * next read waits while stdout is full. Memory stays constant (one piece plus stdout's buffer
 * plus the handle's read-ahead) whatever the file's size. A reader that goes away (`| head`)
 * ends the command quietly with status 0. Exit status 1 if any file could not be read.
 */
import { UsageError } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import type { Located } from '../lib/mounts.js';
import { isClosedOutput, write } from '../lib/output.js';
import type { OutStream } from '../lib/output.js';

const USAGE = 'sonfs cat URL...';
const DESCRIPTION = `
Write the files the nfs:// URLs name to standard output, streaming (read-ahead, constant memory).

Example: sonfs cat 'nfs://127.0.0.1/ro/hello.txt?version=3'`;

/** Largest piece read and written at once. */
const MAX_CHUNK = 1024 * 1024;

/** Stream one remote file to `out`. @throws the read's NfsError, or OutputClosedError (EPIPE). */
export async function catFile(loc: Located, out: OutStream): Promise<void> {
  const fh = await loc.client.open(loc.path, 'r');
  try {
    const chunk = Math.min(MAX_CHUNK, Math.max(4096, loc.client.limits.rsize));
    /* The READ replies' data goes to the output as it came (readViews): no copy in between. */
    for (;;) {
      const { bytesRead, buffers } = await fh.readViews(chunk);
      if (bytesRead === 0) break;
      for (const b of buffers) await write(out, b);
    }
  } finally {
    await fh.close();
  }
}

export async function catMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: '' });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length === 0) throw new UsageError('give at least one URL');
  const urls = a.operands.map((x) => ctx.remote(x));
  let status = 0;
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      await catFile(loc, ctx.io.stdout);
    } catch (e) {
      if (isClosedOutput(e)) return status;
      complain(ctx, cannot('read', loc?.display ?? url, e));
      status = 1;
    }
  }
  return status;
}

export const cat = cliCommand('cat', 'write files to standard output (cat URL...)', USAGE, catMain);
