/*
 * sonfs mkdir [-p] [-m MODE] URL...: make directories (MKDIR). -p makes missing parents and is
 * quiet about directories that exist. New directories get mode 0755 less the umask (as
 * mkdir(1)), or -m's octal mode exactly. Exit status 1 if any could not be made.
 */
import { UsageError } from '../io.js';
import { helpText } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import type { Located } from '../lib/mounts.js';

const USAGE = 'sonfs mkdir [-p] [-m MODE] URL...';
const DESCRIPTION = `
Make the directories the nfs:// URLs name.

  -p       make parent directories as needed; no error if a directory exists
  -m MODE  octal permission bits (default 0755 less the umask)

Example: sonfs mkdir -p 'nfs://127.0.0.1/export/a/b/c?version=3'`;

export async function mkdirMain(args: string[], ctx: Ctx): Promise<number> {
  let parents = false;
  let mode = 0o777 & ~process.umask();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x === '--help') {
      ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    if (x === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (x === '--parents') {
      parents = true;
      continue;
    }
    if (!x.startsWith('-') || x === '-') {
      operands.push(x);
      continue;
    }
    const letters = x === '--mode' ? 'm' : x.startsWith('--') ? x : x.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const c = letters[k];
      if (c === 'p') {
        parents = true;
      } else if (c === 'm' && k === letters.length - 1) {
        const v = args[++i];
        if (v === undefined || !/^[0-7]{1,4}$/.test(v)) throw new UsageError(`-m needs an octal mode, got ${v ?? 'nothing'}`);
        mode = parseInt(v, 8);
      } else {
        throw new UsageError(`unknown option ${x}`);
      }
    }
  }
  if (operands.length === 0) throw new UsageError('give at least one URL');
  const urls = operands.map((x) => ctx.remote(x));
  let status = 0;
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      await loc.client.mkdir(loc.path, { recursive: parents, mode });
    } catch (e) {
      complain(ctx, cannot('create directory', loc?.display ?? url, e));
      status = 1;
    }
  }
  return status;
}

export const mkdir = cliCommand('mkdir', 'make directories (mkdir [-p] [-m MODE] URL...)', USAGE, mkdirMain);
