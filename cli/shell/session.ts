/*
 * One `sonfs shell` session: a current directory on a server, the mounts made so far (kept for
 * the session: a second ls of the same export sends no MNT), and the commands.
 *
 * The current directory is a server path ("/export/dir") with the server and URL options of the
 * URL that led there. Arguments are paths relative to it (or absolute server paths, or whole
 * nfs:// URLs, which also switch server for cd). `..` is resolved lexically, as a shell's
 * logical cd does. The commands are the CLI's own (cli/commands/*), run with this session's
 * mounts and path resolution, plus cd, pwd, get, put, lcd, lpwd, help and exit.
 */
import { posix } from 'node:path';
import { UsageError } from '../io.js';
import type { CliIo } from '../io.js';
import { catMain } from '../commands/cat.js';
import { copyPlaces } from '../commands/cp.js';
import { dfMain } from '../commands/df.js';
import { lnMain } from '../commands/ln.js';
import { lsMain } from '../commands/ls.js';
import { mkdirMain } from '../commands/mkdir.js';
import { mvMain } from '../commands/mv.js';
import { rmMain } from '../commands/rm.js';
import { statMain } from '../commands/stat.js';
import { parseArgs } from '../lib/args.js';
import { complain, isNfsUrl } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import { Mounts } from '../lib/mounts.js';
import { splitWords, QuoteError } from './words.js';

/** Where the shell is: a server (URL origin and options) and a path on it. */
export interface Cwd {
  /** "nfs://host[:port]". */
  origin: string;
  /** The URL's query, "?version=3&..." or "". */
  search: string;
  /** Server path, normalised: "/export/dir". */
  path: string;
}

interface ShellCommand {
  usage: string;
  summary: string;
  run(args: string[], ctx: Ctx): Promise<number>;
}

/** The URL of a server path under a cwd's server and options. */
export function urlOf(cwd: Cwd, path: string): string {
  const encoded = path.split('/').map((s) => encodeURIComponent(s)).join('/');
  return `${cwd.origin}${encoded === '' ? '/' : encoded}${cwd.search}`;
}

/** A Cwd from an nfs:// URL (its path normalised). @throws UsageError for a malformed one. */
export function cwdOf(url: string): Cwd {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`not a URL: '${url}' (expected nfs://server/export/path)`);
  }
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    throw new UsageError(`'${url}': bad %-escape in the path`);
  }
  return { origin: `nfs://${u.host}`, search: u.search, path: posix.normalize(`/${path}`).replace(/(.)\/+$/, '$1') };
}

export class ShellSession {
  readonly io: CliIo;
  readonly mounts: Mounts;
  cwd: Cwd | null = null;
  /** Where `cd` without an argument goes: the URL the shell started with. */
  home: Cwd | null = null;
  /** Status of the last command. */
  status = 0;
  readonly commands: Record<string, ShellCommand>;

  constructor(io: CliIo, globals: Readonly<Record<string, string>> = {}) {
    this.io = io;
    this.mounts = new Mounts(globals);
    this.commands = this.#table();
  }

  /** The nfs:// URL an argument names: a URL as is, else a path from the current directory. */
  resolveUrl(arg: string): string {
    if (isNfsUrl(arg)) return arg;
    if (this.cwd === null) throw new UsageError(`not connected to a server: give an nfs:// URL, or 'cd nfs://server/export' first`);
    return urlOf(this.cwd, posix.resolve(this.cwd.path, arg === '' ? '.' : arg));
  }

  /** The server path an argument names (for messages and completion). */
  resolvePath(arg: string): string {
    if (isNfsUrl(arg)) return cwdOf(arg).path;
    return posix.resolve(this.cwd?.path ?? '/', arg === '' ? '.' : arg);
  }

  ctx(name: string): Ctx {
    return {
      io: this.io,
      mounts: this.mounts,
      prog: name,
      remote: (arg) => {
        const url = this.resolveUrl(arg);
        this.mounts.parse(url);
        return url;
      },
      isRemote: isNfsUrl,
    };
  }

  /** Change directory to what `arg` names (a path or a URL); it must be a directory. */
  async cd(arg: string): Promise<void> {
    const url = this.resolveUrl(arg);
    const target = cwdOf(url);
    const loc = await this.mounts.locate(url);
    const st = await loc.client.stat(loc.path);
    if (!st.isDirectory()) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
    this.cwd = target;
  }

  /**
   * Run one line. Returns the exit status to leave with for `exit`, else null (the status of the
   * command is in `status`). Errors of the command are printed, never thrown.
   */
  async run(line: string): Promise<number | null> {
    let words: string[];
    try {
      words = splitWords(line);
    } catch (e) {
      if (!(e instanceof QuoteError)) throw e;
      this.io.stderr.write(`sonfs: ${e.message}\n`);
      this.status = 2;
      return null;
    }
    if (words.length === 0 || words[0]!.startsWith('#')) return null;
    const [name, ...args] = words as [string, ...string[]];
    if (name === 'exit' || name === 'quit') {
      if (args.length > 0 && !/^\d+$/.test(args[0]!)) {
        this.io.stderr.write(`exit: ${args[0]}: numeric argument required\n`);
        this.status = 2;
        return null;
      }
      return args.length > 0 ? Number(args[0]) & 255 : this.status;
    }
    const cmd = this.commands[name];
    if (cmd === undefined) {
      this.io.stderr.write(`sonfs: ${name}: unknown command (try 'help')\n`);
      this.status = 127;
      return null;
    }
    const ctx = this.ctx(name);
    try {
      this.status = await cmd.run(args, ctx);
    } catch (e) {
      if (e instanceof UsageError) {
        this.io.stderr.write(`${name}: ${e.message}\nusage: ${cmd.usage}\n`);
        this.status = 2;
      } else {
        complain(ctx, (e as Error)?.message ?? String(e));
        this.status = 1;
      }
    }
    return null;
  }

  async close(): Promise<void> {
    await this.mounts.closeAll().catch(() => undefined);
  }

  #help(): string {
    const names = Object.keys(this.commands);
    const width = Math.max(...names.map((n) => n.length));
    const lines = names.map((n) => `  ${n.padEnd(width)}  ${this.commands[n]!.summary}`);
    return [
      'Commands (paths are relative to the current directory; nfs:// URLs work too):',
      ...lines,
      `  ${'exit'.padEnd(width)}  leave the shell (exit [N]; also quit, Ctrl-D)`,
      '',
    ].join('\n');
  }

  #table(): Record<string, ShellCommand> {
    const out = (s: string): void => {
      this.io.stdout.write(s);
    };
    const remoteArgs = (args: string[]): string[] => args.map((a) => (a.startsWith('-') ? a : this.resolveUrl(a)));
    return {
      help: {
        usage: 'help', summary: 'this list',
        run: async () => { out(this.#help()); return 0; },
      },
      cd: {
        usage: 'cd [PATH | URL]', summary: 'change the current directory',
        run: async (args, ctx) => {
          if (args.length > 1) throw new UsageError('give one directory');
          const to = args[0] ?? (this.home === null ? undefined : urlOf(this.home, this.home.path));
          if (to === undefined) throw new UsageError('give a directory');
          try {
            await this.cd(to);
            return 0;
          } catch (e) {
            if (e instanceof UsageError) throw e;
            complain(ctx, cannot('change directory to', this.resolvePath(to), e));
            return 1;
          }
        },
      },
      pwd: {
        usage: 'pwd [-u]', summary: 'print the current directory (-u: as a URL)',
        run: async (args) => {
          const a = parseArgs(args, { flags: 'u' });
          if (this.cwd === null) throw new UsageError('not connected to a server');
          out(`${a.flags.has('u') ? urlOf(this.cwd, this.cwd.path) : this.cwd.path}\n`);
          return 0;
        },
      },
      ls: {
        usage: 'ls [-l] [-a] [-R] [-d] [PATH...]', summary: 'list a directory',
        run: (args, ctx) => lsMain(args.some((a) => !a.startsWith('-')) ? args : [...args, '.'], ctx),
      },
      cat: { usage: 'cat PATH...', summary: 'print files', run: catMain },
      stat: { usage: 'stat [-L] PATH...', summary: 'show attributes', run: statMain },
      df: {
        usage: 'df [-h] [-i] [PATH...]', summary: 'file system space',
        run: (args, ctx) => dfMain(args.some((a) => !a.startsWith('-')) ? args : [...args, '.'], ctx),
      },
      mkdir: { usage: 'mkdir [-p] [-m MODE] PATH...', summary: 'make directories', run: mkdirMain },
      rm: { usage: 'rm [-r] [-f] PATH...', summary: 'remove files or directories', run: rmMain },
      mv: { usage: 'mv SOURCE... DEST', summary: 'rename or move', run: mvMain },
      ln: { usage: 'ln [-s] [-f] TARGET LINK', summary: 'make a hard or symbolic link', run: lnMain },
      cp: {
        usage: 'cp [-r] [-n] SOURCE... DEST', summary: 'copy on the server(s)',
        run: async (args, ctx) => {
          const a = parseArgs(args, { flags: 'rRn' });
          if (a.operands.length < 2) throw new UsageError('give SOURCE... DEST');
          const ops = remoteArgs(a.operands);
          return copyPlaces(ctx, ops.slice(0, -1), ops.at(-1)!, { recursive: a.flags.has('r') || a.flags.has('R'), noClobber: a.flags.has('n') });
        },
      },
      get: {
        usage: 'get [-r] [-n] REMOTE [LOCAL]', summary: 'copy a remote file (or tree, -r) here',
        run: async (args, ctx) => {
          const a = parseArgs(args, { flags: 'rRn' });
          if (a.operands.length < 1 || a.operands.length > 2) throw new UsageError('give REMOTE [LOCAL]');
          const src = this.resolveUrl(a.operands[0]!);
          const dst = a.operands[1] ?? '.';
          if (isNfsUrl(dst)) throw new UsageError('LOCAL must be a local path');
          return copyPlaces(ctx, [src], dst, { recursive: a.flags.has('r') || a.flags.has('R'), noClobber: a.flags.has('n') });
        },
      },
      put: {
        usage: 'put [-r] [-n] LOCAL [REMOTE]', summary: 'copy a local file (or tree, -r) to the server',
        run: async (args, ctx) => {
          const a = parseArgs(args, { flags: 'rRn' });
          if (a.operands.length < 1 || a.operands.length > 2) throw new UsageError('give LOCAL [REMOTE]');
          if (isNfsUrl(a.operands[0]!)) throw new UsageError('LOCAL must be a local path');
          const dst = this.resolveUrl(a.operands[1] ?? '.');
          return copyPlaces(ctx, [a.operands[0]!], dst, { recursive: a.flags.has('r') || a.flags.has('R'), noClobber: a.flags.has('n') });
        },
      },
      lcd: {
        usage: 'lcd DIR', summary: 'change the local directory (for get and put)',
        run: async (args, ctx) => {
          if (args.length !== 1) throw new UsageError('give a directory');
          try {
            process.chdir(args[0]!);
            return 0;
          } catch (e) {
            complain(ctx, cannot('change directory to', args[0]!, e));
            return 1;
          }
        },
      },
      lpwd: {
        usage: 'lpwd', summary: 'print the local directory',
        run: async () => { out(`${process.cwd()}\n`); return 0; },
      },
    };
  }
}
