/*
 * The registry of subcommands: one file per command under cli/commands/, each loaded only when
 * it is dispatched. A process runs one command, and loading them all (the NFS client, the RPC
 * tools, the shell's readline, the demo's tour) was most of `sonfs`'s start-up time.
 *
 * The one-line summaries are repeated here so that the command list (`sonfs --help`, a usage
 * error) loads no command module; each must read as the `summary` of the Command its module
 * exports.
 */
import type { Command } from '../io.js';

/** A registered subcommand: what the command list shows, and its module, loaded on demand. */
export interface CommandEntry {
  /** The one-line summary: the same text as the loaded Command's `summary`. */
  readonly summary: string;
  /** The Command, its module imported on first call (later calls get the same module). */
  load(): Promise<Command>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
  ls: {
    summary: 'list a directory (ls [-l] [-a] [-R] [-d] URL...)',
    load: async () => (await import('./ls.js')).ls,
  },
  cat: {
    summary: 'write files to standard output (cat URL...)',
    load: async () => (await import('./cat.js')).cat,
  },
  cp: {
    summary: 'copy files, local or nfs:// on either side (cp [-r] [-n] SRC... DST)',
    load: async () => (await import('./cp.js')).cp,
  },
  stat: {
    summary: "show a file's attributes, as stat(1) (stat [-L] URL...)",
    load: async () => (await import('./stat.js')).stat,
  },
  mkdir: {
    summary: 'make directories (mkdir [-p] [-m MODE] URL...)',
    load: async () => (await import('./mkdir.js')).mkdir,
  },
  rm: {
    summary: 'remove files or directories (rm [-r] [-f] URL...)',
    load: async () => (await import('./rm.js')).rm,
  },
  mv: {
    summary: 'rename or move (mv SRC... DST; RENAME within an export)',
    load: async () => (await import('./mv.js')).mv,
  },
  ln: {
    summary: 'make a hard or symbolic link (ln [-s] TARGET LINK)',
    load: async () => (await import('./ln.js')).ln,
  },
  df: {
    summary: 'file system space, as df(1) (df [-h] [-i] URL...)',
    load: async () => (await import('./df.js')).df,
  },
  showmount: {
    summary: "show a server's exports or mounts, as Debian's showmount (showmount -e HOST)",
    load: async () => (await import('./showmount.js')).showmount,
  },
  rpcinfo: {
    summary: "report RPC information (rpcinfo -p HOST, -t/-u HOST PROG [VERS]), as Debian's rpcinfo",
    load: async () => (await import('./rpcinfo.js')).rpcinfo,
  },
  mount: {
    summary: 'serve an export as a local directory through FUSE (mount [-o OPTS] [--background] URL DIR)',
    load: async () => (await import('./mount.js')).mount,
  },
  umount: {
    summary: 'unmount a sonfs mount, or clear one whose server died (umount [-l] DIR)',
    load: async () => (await import('./umount.js')).umount,
  },
  trace: {
    summary: 'show a recorded socket/RPC trace (trace show FILE)',
    load: async () => (await import('./trace.js')).trace,
  },
  shell: {
    summary: 'interactive shell: cd, ls, cat, get/put, ... with history and Tab completion (shell [URL])',
    load: async () => (await import('./shell.js')).shell,
  },
  demo: {
    summary: 'a tour against a containerised nfs-ganesha of its own (what npm start runs)',
    load: async () => (await import('./demo.js')).demo,
  },
};
