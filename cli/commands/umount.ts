/*
 * sonfs umount [-l] DIR: unmount a sonfs mount.
 *
 * With its server alive: umount(8) of DIR (refused while something uses DIR, as umount(8) does;
 * -l detaches it now and lets the server finish when the last user goes), then wait for the
 * server to have committed, unmounted from the NFS server and exited. With its server dead
 * (killed, crashed: "Transport endpoint is not connected"): the connection is aborted and the
 * dead mount detached, leaving DIR a plain directory again.
 */
import { abortConnection, FSTYPE, mountAt, mountPath, umount as umount8 } from '../../fuse/index.js';
import { UsageError } from '../io.js';
import type { Command } from '../io.js';
import { helpText, parseArgs } from '../lib/args.js';
import { alive, forgetServer, liveServer } from '../lib/served.js';

const USAGE = 'sonfs umount [-l] DIR';
const DESCRIPTION = `
Unmount the sonfs mount at DIR and wait for its server to finish (written data committed).
A mount whose server is gone (killed: "Transport endpoint is not connected") is cleared.

  -l  lazy: detach now even if DIR is in use; the server finishes when the last user goes

Example: sonfs umount /mnt/export`;

/** How long to wait for a server to finish after its mount went. */
const SERVER_EXIT_MS = 60_000;

async function waitExit(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export const umount: Command = {
  summary: 'unmount a sonfs mount, or clear one whose server died (umount [-l] DIR)',
  usage: USAGE,
  async run(args, io) {
    const a = parseArgs(args, { flags: 'l', long: { lazy: 'l' } });
    if (a.help) {
      io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    if (a.operands.length !== 1) throw new UsageError('give the directory');
    const dir = mountPath(a.operands[0]!);
    const m = mountAt(dir);
    if (m === undefined || m.fstype !== FSTYPE) {
      io.stderr.write(`sonfs umount: ${dir}: not a sonfs mount\n`);
      return 1;
    }
    const server = liveServer(m.minor, dir);
    if (server !== undefined) {
      const r = await umount8(dir, a.flags.has('l'));
      if (r.code !== 0) {
        io.stderr.write(`sonfs umount: ${r.stderr.replace(/^umount: /, '') || `umount ${dir} failed`}\n`);
        return 1;
      }
      if (a.flags.has('l')) return 0; /* the server ends when the last user goes */
      if (!(await waitExit(server.pid, SERVER_EXIT_MS))) {
        io.stderr.write(`sonfs umount: ${dir} is unmounted, but its server (pid ${server.pid}) has not finished after ${SERVER_EXIT_MS / 1000} s\n`);
        return 1;
      }
      return 0;
    }
    /* A dead mount: nothing can wait on its connection once it is aborted, so umount(8) cannot hang. */
    abortConnection(m.minor);
    const r = await umount8(dir, true);
    forgetServer(m.minor);
    const still = mountAt(dir);
    if (still !== undefined && still.fstype === FSTYPE && still.minor === m.minor) {
      io.stderr.write(`sonfs umount: ${dir}: ${r.stderr || 'could not be unmounted'}\n`);
      return 1;
    }
    return 0;
  },
};
