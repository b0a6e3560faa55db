/*
 * FUSE file handles (fuse_open_out.fh): what OPEN, CREATE and OPENDIR gave the kernel, until
 * RELEASE or RELEASEDIR. A file's is the client's NfsFileHandle; a directory's holds the
 * listing READDIR pages through (read whole at offset 0, so that offsets stay valid while the
 * directory is read, whatever happens to it meanwhile).
 */
import type { NfsFileHandle } from '../nfsclient/index.js';
import type { Inode } from './inodes.js';

export interface OpenFile {
  kind: 'file';
  node: Inode;
  handle: NfsFileHandle;
  writable: boolean;
}

/** One directory entry as READDIR returns it. */
export interface DirEntry {
  /** The name as the client takes it, and as the kernel takes it (bytes). */
  name: string;
  bytes: Buffer;
  /** S_IF* type bits (0: unknown). */
  type: number;
}

export interface OpenDir {
  kind: 'dir';
  node: Inode;
  /** The listing ("." and ".." first), read at offset 0. */
  entries: DirEntry[] | null;
}

export class HandleTable {
  readonly #open = new Map<number, OpenFile | OpenDir>();
  #next = 1;

  get size(): number {
    return this.#open.size;
  }

  add(h: OpenFile | OpenDir): number {
    const fh = this.#next++;
    this.#open.set(fh, h);
    return fh;
  }

  file(fh: number): OpenFile | undefined {
    const h = this.#open.get(fh);
    return h?.kind === 'file' ? h : undefined;
  }

  dir(fh: number): OpenDir | undefined {
    const h = this.#open.get(fh);
    return h?.kind === 'dir' ? h : undefined;
  }

  delete(fh: number): OpenFile | OpenDir | undefined {
    const h = this.#open.get(fh);
    this.#open.delete(fh);
    return h;
  }

  /** An open file of `node` (for operations on a node no name leads to any more). */
  anyFileOf(node: Inode): OpenFile | undefined {
    for (const h of this.#open.values()) if (h.kind === 'file' && h.node === node) return h;
    return undefined;
  }

  /** An open file of `node` that was opened for writing. */
  anyWritableOf(node: Inode): OpenFile | undefined {
    for (const h of this.#open.values()) if (h.kind === 'file' && h.node === node && h.writable) return h;
    return undefined;
  }

  /** Every open file (for the flush at unmount). */
  openFiles(): OpenFile[] {
    return [...this.#open.values()].filter((h): h is OpenFile => h.kind === 'file');
  }
}
