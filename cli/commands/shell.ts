/*
 * sonfs shell [URL]: an interactive session (node:readline) on an NFS server.
 *
 * On a terminal (stdin and stdout): a prompt with the current directory, line editing, history (up/down; kept in
 * ~/.sonfs_history, the last 1000 commands — shell/history.ts) and Tab completion of commands and
 * remote paths (shell/completer.ts). Ctrl-C clears the line, Ctrl-D or `exit` leaves. When
 * stdin is not a terminal (a script piped in), commands are read one per line with no prompt and
 * no history, and each runs to completion before the next is read.
 *
 * Exit status: `exit N`'s N, else that of the last command (as sh): 0 when it succeeded.
 */
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { Command, CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { helpText } from '../lib/args.js';
import { cannot } from '../lib/errors.js';
import { Completer } from '../shell/completer.js';
import { History, historyPath } from '../shell/history.js';
import { ShellSession, cwdOf } from '../shell/session.js';

const USAGE = 'sonfs shell [URL]';
const DESCRIPTION = `
An interactive shell on an NFS server: cd, pwd, ls [-l], cat, get/put (local <-> remote), cp,
mkdir, rm, mv, ln, stat, df, lcd, lpwd, help, exit. Paths are relative to the current directory
on the server; nfs:// URLs work anywhere a path does. History is kept in ~/.sonfs_history
($SONFS_HISTORY); Tab completes commands and remote paths.

Example: sonfs shell 'nfs://127.0.0.1/export?version=3'`;

function prompt(session: ShellSession): string {
  return session.cwd === null ? 'sonfs> ' : `sonfs:${session.cwd.path}> `;
}

/** Run the shell on `io` until exit or end of input; returns the exit status. */
export async function runShell(io: CliIo, url: string | undefined, globals: Readonly<Record<string, string>> = {}): Promise<number> {
  const session = new ShellSession(io, globals);
  /* Line editing needs a terminal on both sides; otherwise lines are read as a script. */
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const history = interactive ? new History(historyPath()) : null;
  let rl: Interface | null = null;
  let busy = false;
  try {
    if (url !== undefined) {
      cwdOf(url);
      session.mounts.parse(url);
      try {
        await session.cd(url);
      } catch (e) {
        io.stderr.write(`sonfs shell: ${cannot('open', cwdOf(url).path, e)}\n`);
        return 1;
      }
      session.home = session.cwd;
    }
    await history?.load();
    const completer = new Completer(session);
    rl = createInterface({
      input: io.stdin,
      output: io.stdout,
      terminal: interactive,
      ...(interactive ? {
        completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
          completer.complete(line).then((r) => cb(null, r), () => cb(null, [[], line]));
        },
        history: [...(history?.lines ?? [])].reverse(),
        historySize: history?.max ?? 0,
        removeHistoryDuplicates: false,
        prompt: prompt(session),
      } : {}),
    });
    const r = rl;
    if (interactive) {
      io.stdout.write('sonfs shell: type help for the commands, exit or Ctrl-D to leave\n');
      r.on('SIGINT', () => {
        if (busy) {
          io.stderr.write('\n(Ctrl-C does not interrupt a command; it ends by itself, or the server\'s mount options decide)\n');
          return;
        }
        r.write(null, { ctrl: true, name: 'u' });
        io.stdout.write('^C\n');
        r.prompt();
      });
      r.setPrompt(prompt(session));
      r.prompt();
    }
    for await (const line of r) {
      history?.add(line);
      busy = true;
      const exit = await session.run(line).finally(() => { busy = false; });
      completer.invalidate();
      if (exit !== null) return exit;
      if (interactive) {
        r.setPrompt(prompt(session));
        r.prompt();
      }
    }
    if (interactive) io.stdout.write('\n');
    return session.status;
  } finally {
    rl?.close();
    await session.close();
    if (history !== null) {
      await history.save().catch((e: unknown) => {
        io.stderr.write(`sonfs shell: could not save the history in ${history.path}: ${(e as Error).message}\n`);
      });
    }
  }
}

export const shell: Command = {
  summary: 'interactive shell: cd, ls, cat, get/put, ... with history and Tab completion (shell [URL])',
  usage: USAGE,
  async run(args, io, globals) {
    if (args.includes('--help')) {
      io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    const operands = args.filter((a) => a !== '--');
    const opt = operands.find((a) => a.startsWith('-'));
    if (opt !== undefined) throw new UsageError(`unknown option ${opt}`);
    if (operands.length > 1) throw new UsageError('give at most one URL');
    if (operands[0] !== undefined && !/^nfs:\/\//i.test(operands[0])) {
      throw new UsageError(`'${operands[0]}' is not an nfs:// URL (expected nfs://server/export/path)`);
    }
    return runShell(io, operands[0], globals);
  },
};
