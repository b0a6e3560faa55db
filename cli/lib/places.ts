/*
 * A place is a file or directory either on this host (a local path) or on an NFS server (a
 * located nfs:// URL). cp, mv and the shell's get/put work on places through the operations
 * here, the same for both kinds: stat, open for reading, create for writing, list, make a
 * directory, read and make symbolic links, remove.
 *
 * Writing (Sink): an NFS sink's close() returns once everything written is on the server's
 * stable storage (close → COMMIT with a matching verifier); a local sink's once the host has
 * the data (as cp(1): no fsync).
 */
import * as fsp from 'node:fs/promises';
import { posix, basename as localBasename, join as localJoin, resolve as localResolve } from 'node:path';
import type { NfsFileHandle } from '../../nfsclient/index.js';
import type { Located } from './mounts.js';
import { serverPath } from './mounts.js';

export type Place = { kind: 'local'; path: string } | { kind: 'nfs'; loc: Located };

export type PlaceType = 'file' | 'dir' | 'link' | 'other';

export interface PlaceStat {
  type: PlaceType;
  size: number;
  /** Permission bits (0o7777). */
  mode: number;
  /** Identity of the object: equal for the same file, whatever the path. */
  id: string;
}

export interface Source {
  read(buf: Buffer, len: number, pos: number): Promise<number>;
  close(): Promise<void>;
}

export interface Sink {
  write(buf: Buffer, len: number, pos: number): Promise<void>;
  /**
   * An NFS sink's zero-copy write (NfsFileHandle.writeFrom): `fill` puts up to buf.length bytes
   * into a buffer the client sends from; returns the count (0: nothing written).
   */
  writeFrom?(fill: (buf: Buffer) => Promise<number>, len: number, pos: number): Promise<number>;
  /** Flush and close; for NFS, the data is committed when this resolves. */
  close(): Promise<void>;
}

/** What messages show for a place: the local path, or the server path. */
export function display(p: Place): string {
  return p.kind === 'local' ? p.path : p.loc.display;
}

/** The last component of a place's path ("" for a root). */
export function basename(p: Place): string {
  return p.kind === 'local' ? localBasename(p.path) : posix.basename(p.loc.path);
}

/** The place `name` inside directory place `p`. */
export function child(p: Place, name: string): Place {
  if (p.kind === 'local') return { kind: 'local', path: localJoin(p.path, name) };
  const path = posix.join(p.loc.path, name);
  return { kind: 'nfs', loc: { ...p.loc, path, display: serverPath(p.loc.export, path) } };
}

function typeOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): PlaceType {
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'other';
}

/** Attributes of a place (following a final link when `follow`), or null if it does not exist. */
export async function statPlace(p: Place, follow: boolean): Promise<PlaceStat | null> {
  try {
    if (p.kind === 'local') {
      const st = follow ? await fsp.stat(p.path) : await fsp.lstat(p.path);
      return { type: typeOf(st), size: st.size, mode: st.mode & 0o7777, id: `local:${st.dev}:${st.ino}` };
    }
    const c = p.loc.client;
    const st = follow ? await c.stat(p.loc.path, { bigint: true }) : await c.lstat(p.loc.path, { bigint: true });
    return {
      type: typeOf(st), size: Number(st.size), mode: Number(st.mode) & 0o7777,
      id: `nfs:${p.loc.host}:${st.dev}:${st.ino}`,
    };
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw e;
  }
}

export async function openSource(p: Place): Promise<Source> {
  if (p.kind === 'local') {
    const fh = await fsp.open(p.path, 'r');
    return {
      read: async (buf, len, pos) => (await fh.read(buf, 0, len, pos)).bytesRead,
      close: () => fh.close(),
    };
  }
  const fh: NfsFileHandle = await p.loc.client.open(p.loc.path, 'r');
  return {
    read: async (buf, len, pos) => (await fh.read(buf, 0, len, pos)).bytesRead,
    close: () => fh.close(),
  };
}

/**
 * Create or truncate the file at `p` for writing (mode for a new file). noClobber: fail with
 * EEXIST if it exists (O_EXCL: the check and the creation are one operation on the server).
 */
export async function openSink(p: Place, mode: number, noClobber: boolean): Promise<Sink> {
  const flags = noClobber ? 'wx' : 'w';
  if (p.kind === 'local') {
    const fh = await fsp.open(p.path, flags, mode);
    return {
      write: async (buf, len, pos) => {
        let done = 0;
        while (done < len) done += (await fh.write(buf, done, len - done, pos + done)).bytesWritten;
      },
      close: () => fh.close(),
    };
  }
  const fh = await p.loc.client.open(p.loc.path, flags, mode);
  return {
    write: async (buf, len, pos) => {
      let done = 0;
      while (done < len) done += (await fh.write(buf, done, len - done, pos + done)).bytesWritten;
    },
    writeFrom: (fill, len, pos) => fh.writeFrom(fill, len, pos),
    close: () => fh.close(),
  };
}

/** The names in a directory place with their types (links not followed). */
export async function listPlace(p: Place): Promise<{ name: string; type: PlaceType }[]> {
  if (p.kind === 'local') {
    const ents = await fsp.readdir(p.path, { withFileTypes: true });
    return ents.map((d) => ({ name: d.name, type: typeOf(d) }));
  }
  const ents = await p.loc.client.readdir(p.loc.path, { withFileTypes: true });
  return ents.map((d) => ({ name: d.name, type: typeOf(d) }));
}

export async function mkdirPlace(p: Place, mode: number): Promise<void> {
  if (p.kind === 'local') await fsp.mkdir(p.path, { mode });
  else await p.loc.client.mkdir(p.loc.path, { mode });
}

export async function readlinkPlace(p: Place): Promise<string> {
  return p.kind === 'local' ? fsp.readlink(p.path) : p.loc.client.readlink(p.loc.path);
}

export async function symlinkPlace(target: string, p: Place): Promise<void> {
  if (p.kind === 'local') await fsp.symlink(target, p.path);
  else await p.loc.client.symlink(target, p.loc.path);
}

/** Remove a file, link or (with recursive) a directory tree. */
export async function removePlace(p: Place, recursive: boolean): Promise<void> {
  if (p.kind === 'local') await fsp.rm(p.path, { recursive });
  else await p.loc.client.rm(p.loc.path, { recursive });
}

/** The permission bits a new file or directory gets: the source's, less the process umask (as cp). */
export function newMode(mode: number): number {
  return mode & 0o777 & ~process.umask();
}

/** Whether `inner` is `outer` or lies below it (the same mount, or the same local tree). */
export function isWithin(inner: Place, outer: Place): boolean {
  if (inner.kind === 'local' && outer.kind === 'local') {
    const a = localJoin(localResolve(inner.path), '/');
    const b = localJoin(localResolve(outer.path), '/');
    return a.startsWith(b);
  }
  if (inner.kind === 'nfs' && outer.kind === 'nfs') {
    if (inner.loc.key !== outer.loc.key) return false;
    const a = posix.join(inner.loc.path, '/');
    const b = posix.join(outer.loc.path, '/');
    return a.startsWith(b);
  }
  return false;
}
