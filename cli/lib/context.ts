/*
 * What a command implementation runs with, so the same code serves `sonfs ls URL` on the
 * command line and `ls dir` inside `sonfs shell`:
 *
 * - the streams (CliIo), the mounts (cached for the command, or for the shell session),
 * - how it is named in messages ("sonfs ls" / "ls"),
 * - how an argument becomes an nfs:// URL: on the command line it must be one; in the shell a
 *   path is taken relative to the current directory.
 */
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { Mounts } from './mounts.js';

export interface Ctx {
  io: CliIo;
  mounts: Mounts;
  /** The command's name in messages: "sonfs ls", or "ls" in the shell. */
  prog: string;
  /** The nfs:// URL an argument names, checked. @throws UsageError if it is not a well-formed one. */
  remote(arg: string): string;
  /** Whether an argument of cp (either side local or remote) names a remote object. */
  isRemote(arg: string): boolean;
}

/** True for an argument spelled as an nfs:// URL. */
export function isNfsUrl(arg: string): boolean {
  return /^nfs:\/\//i.test(arg);
}

/** The context of a command run from the command line. */
export function cliCtx(io: CliIo, mounts: Mounts, prog: string): Ctx {
  return {
    io,
    mounts,
    prog,
    remote(arg) {
      if (!isNfsUrl(arg)) throw new UsageError(`'${arg}' is not an nfs:// URL (expected nfs://server/export/path)`);
      mounts.parse(arg);
      return arg;
    },
    isRemote: isNfsUrl,
  };
}

/** Print "prog: message" on stderr. */
export function complain(ctx: Ctx, message: string): void {
  ctx.io.stderr.write(`${ctx.prog}: ${message}\n`);
}

/**
 * A Command for the dispatcher from an implementation taking a Ctx: fresh mounts for the run,
 * all unmounted afterwards, whatever happens.
 */
export function cliCommand(name: string, summary: string, usage: string,
  impl: (args: string[], ctx: Ctx) => Promise<number>): Command {
  return {
    summary,
    usage,
    async run(args, io, globals) {
      const mounts = new Mounts(globals);
      try {
        return await impl(args, cliCtx(io, mounts, `sonfs ${name}`));
      } finally {
        await mounts.closeAll().catch(() => undefined);
      }
    },
  };
}
