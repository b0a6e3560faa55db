/*
 * sonfs mount [-o OPTIONS] [--background] [--log FILE] URL DIR: the export (or a directory in it)
 * as the local directory DIR, through FUSE (fuse/, docs/fuse.md), until SIGINT, SIGTERM or SIGHUP,
 * `sonfs umount DIR`, `umount DIR` or `fusermount3 -u DIR`. Then it commits what was written,
 * unmounts, unmounts from the server and exits 0.
 *
 * -o takes the URL's options, comma-separated (-o ro,actimeo=1,nocto); --background detaches
 * once the directory is usable (the parent exits 0 then, or 1 with the reason); --log sends the
 * server's messages to FILE (by default stderr; in the background, nowhere). Root only: mounting
 * FUSE without fusermount3's setuid helper needs CAP_SYS_ADMIN, and that helper hands the
 * descriptor over a Unix socket, which Node cannot receive.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, writeSync } from 'node:fs';
import { mountFuse } from '../../fuse/index.js';
import type { FuseMount } from '../../fuse/index.js';
import { UsageError } from '../io.js';
import type { CliIo, Command } from '../io.js';
import { helpText } from '../lib/args.js';
import { cliCtx } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { reason } from '../lib/errors.js';
import { Mounts } from '../lib/mounts.js';
import { forgetServer, recordServer } from '../lib/served.js';

const USAGE = 'sonfs mount [-o OPTIONS] [--background] [--log FILE] URL DIR';
const DESCRIPTION = `
Serve the export (or the directory in it) the nfs:// URL names as the local directory DIR,
through FUSE, until interrupted (Ctrl-C, SIGTERM) or unmounted (sonfs umount DIR, umount DIR,
fusermount3 -u DIR). Then written data is committed, DIR unmounted, and the command exits 0.

  -o OPTIONS    the URL's options, comma-separated: -o ro,actimeo=1,nocto
  --background  detach once DIR is usable (exit status 1, with the reason, if it never is)
  --log FILE    the server's messages to FILE (default: stderr; nowhere in the background)

Root only. Attribute timeouts follow acregmin/acdirmin; close-to-open as with a kernel NFS
mount (nocto turns it off). See docs/fuse.md.

Example: sonfs mount 'nfs://127.0.0.1/export?version=3' /mnt/export`;

/** The environment variable naming the descriptor a background child reports readiness on. */
const NOTIFY_FD = 'SONFS_MOUNT_NOTIFY_FD';

interface MountArgs {
  url: string;
  dir: string;
  options: string[];
  background: boolean;
  log: string | undefined;
  help: boolean;
}

function parse(args: readonly string[]): MountArgs {
  const operands: string[] = [];
  const options: string[] = [];
  let background = false;
  let log: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help') return { url: '', dir: '', options, background, log, help: true };
    if (a === '--background') background = true;
    else if (a === '-o' || a === '--log') {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '-o') options.push(...v.split(',').filter((x) => x !== ''));
      else log = v;
    } else if (a.startsWith('-o') && a.length > 2) options.push(...a.slice(2).split(',').filter((x) => x !== ''));
    else if (a === '--') operands.push(...args.slice(i + 1)), i = args.length;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else operands.push(a);
  }
  if (operands.length !== 2) throw new UsageError('give the URL and the directory');
  return { url: operands[0]!, dir: operands[1]!, options, background, log, help: false };
}

/* The URL with -o's options added to its query. */
function withOptions(url: string, options: readonly string[]): string {
  if (options.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${options.map((o) => encodeURI(o)).join('&')}`;
}

function rootCheck(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('must be run as root: mounting FUSE without fusermount3 needs CAP_SYS_ADMIN, ' +
      'and fusermount3 passes its descriptor over a Unix socket, which Node cannot receive (see docs/fuse.md)');
  }
  if (!existsSync('/dev/fuse')) throw new Error('/dev/fuse is missing: load the fuse module (modprobe fuse)');
}

/* --background: the same command, detached, reporting on fd 3 once the mount is usable. */
async function background(args: readonly string[], io: CliIo): Promise<number> {
  const rest = args.filter((a) => a !== '--background');
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot find the sonfs executable to run in the background');
  const child = spawn(process.execPath, [...process.execArgv, script, 'mount', ...rest], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, [NOTIFY_FD]: '3' },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (err.length < 64 * 1024) err += c.toString();
  });
  const ready = await new Promise<boolean>((resolve) => {
    const notify = child.stdio[3] as NodeJS.ReadableStream;
    let got = '';
    notify.on('data', (c: Buffer) => {
      got += c.toString();
      if (got.includes('ready')) resolve(true);
    });
    child.once('close', () => resolve(false));
    child.once('error', (e) => {
      err += e.message;
      resolve(false);
    });
  });
  if (!ready) {
    io.stderr.write(err !== '' ? err : `sonfs mount: the background server exited (status ${child.exitCode})\n`);
    return 1;
  }
  child.stderr!.destroy();
  (child.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
  child.unref();
  return 0;
}

export async function mountMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parse(args);
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  const url = ctx.remote(withOptions(a.url, a.options));
  rootCheck();
  if (a.background) return background(args, ctx.io);

  const notifyFd = process.env[NOTIFY_FD] !== undefined ? Number(process.env[NOTIFY_FD]) : undefined;
  let quiet = false;
  const log = (m: string): void => {
    const line = `${new Date().toISOString()} sonfs mount: ${m}\n`;
    if (a.log !== undefined) {
      try {
        appendFileSync(a.log, line);
      } catch {
        /* nowhere to say it */
      }
    } else if (!quiet) {
      ctx.io.stderr.write(`sonfs mount: ${m}\n`);
    }
  };
  const loc = await ctx.mounts.locate(url);
  let m: FuseMount;
  try {
    m = await mountFuse(loc.client, a.dir, {
      root: loc.path, source: `${loc.host}:${loc.display}`, log,
    });
  } catch (e) {
    throw new Error(reason(e));
  }
  recordServer(m.connection, { pid: process.pid, dir: m.dir, url: a.url });
  let signalled = false;
  const stop = (sig: NodeJS.Signals): void => {
    if (!signalled) {
      signalled = true;
      void m.unmount();
      return;
    }
    /* A second signal while the first one's commit waits (a server that does not answer, on a
     * hard mount): give up on committing. The mount goes; unwritten data is lost. */
    log(`${sig} again: unmounting without committing what the server has not acknowledged`);
    m.abort();
    process.exit(1);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  if (notifyFd !== undefined) {
    /* Detached: say we are ready, then nothing more goes to the parent's pipes. */
    try {
      writeSync(notifyFd, 'ready\n');
      closeSync(notifyFd);
    } catch {
      /* the parent went away: keep serving */
    }
    quiet = true;
    process.stderr.on('error', () => undefined);
  } else {
    log(`serving ${a.url} at ${m.dir} (Ctrl-C, sonfs umount or umount ends it)`);
  }
  try {
    await m.done;
  } finally {
    for (const s of signals) process.off(s, stop);
    forgetServer(m.connection);
  }
  return 0;
}

export const mount: Command = {
  summary: 'serve an export as a local directory through FUSE (mount [-o OPTS] [--background] URL DIR)',
  usage: USAGE,
  async run(args, io, globals) {
    const mounts = new Mounts(globals);
    try {
      return await mountMain(args, cliCtx(io, mounts, 'sonfs mount'));
    } finally {
      await mounts.closeAll().catch(() => undefined);
    }
  },
};
