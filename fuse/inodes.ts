/*
 * The kernel's node IDs and what they stand for.
 *
 * The NFS client this layer sits on names files by path (its public API is node:fs/promises'),
 * so a node is known by its names: (parent node, name) pairs, as the kernel handed them to us in
 * LOOKUP, CREATE, MKDIR ... and as RENAME, UNLINK and LINK change them. A node's path is its
 * parent's path and its name; renaming a directory moves everything below it at once. A node
 * also carries its identity on the server — fsid and fileid, which stat(2) shows as st_dev and
 * st_ino — so that two names of one file (hard links) are one node, as the kernel expects.
 *
 * Node IDs are never reused (a counter from 2; 1 is the root, FUSE_ROOT_ID), so a node ID
 * and generation 0 name one node for the life of the mount. Each node counts the lookups the
 * kernel made of it (entries it accepted: LOOKUP, CREATE, MKNOD, MKDIR, SYMLINK, LINK and each
 * READDIRPLUS entry); FORGET and BATCH_FORGET take them back, and a node at zero is dropped.
 */
import { FUSE_ROOT_ID } from './kernel.js';

/** One name of a node: the directory it is in and the name there. */
export interface Link {
  parent: Inode;
  name: string;
}

export class Inode {
  /** Lookups the kernel holds (FORGET takes them back). */
  nlookup = 0;
  /** The names this node is known by; the first is the one its path uses. */
  links: Link[] = [];
  /** For directories: the names in it the kernel was given, and their nodes. */
  children: Map<string, Inode> | null = null;
  /** FUSE file handles open on this node. */
  opens = 0;
  /**
   * The file's data as of the last open or close here (size, mtime, ctime): an open finding the
   * same keeps the kernel's page cache (FOPEN_KEEP_CACHE); anything else drops it.
   */
  stamp: string | null = null;
  /** The data stamp of the attributes the kernel was last given (null: unknown, or invalidated). */
  sent: string | null = null;

  constructor(
    readonly nodeid: number,
    /** "fsid:fileid": the file's identity on the server. */
    public key: string,
    /** S_IF* type bits. */
    public type: number,
  ) {}

  /** The NFS fileid: what stat(2) shows as st_ino. */
  get ino(): bigint {
    return BigInt(this.key.slice(this.key.indexOf(':') + 1));
  }

  /** True while some name leads to it (false once removed, or replaced by another client's file). */
  get linked(): boolean {
    return this.links.length > 0;
  }
}

export class InodeTable {
  readonly root: Inode;
  readonly #byId = new Map<number, Inode>();
  readonly #byKey = new Map<string, Inode>();
  #next = FUSE_ROOT_ID + 1;
  /** Path of the root inside the mounted export ('/' or a directory below it). */
  readonly #rootPath: string;

  constructor(rootKey: string, rootType: number, rootPath = '/') {
    this.root = new Inode(FUSE_ROOT_ID, rootKey, rootType);
    this.root.children = new Map();
    this.root.nlookup = 1; /* the kernel never forgets the root */
    this.#byId.set(FUSE_ROOT_ID, this.root);
    this.#byKey.set(rootKey, this.root);
    this.#rootPath = rootPath === '' ? '/' : rootPath;
  }

  /** Nodes known. */
  get size(): number {
    return this.#byId.size;
  }

  get(nodeid: number): Inode | undefined {
    return this.#byId.get(nodeid);
  }

  /** The node `name` in `parent` names now, if the kernel was given it. */
  child(parent: Inode, name: string): Inode | undefined {
    return parent.children?.get(name);
  }

  /**
   * The mount-relative path of a node (its first name), or null for a node no name leads to.
   */
  path(node: Inode): string | null {
    if (node === this.root) return this.#rootPath;
    const l = node.links[0];
    if (l === undefined) return null;
    const p = this.path(l.parent);
    if (p === null) return null;
    return p === '/' ? `/${l.name}` : `${p}/${l.name}`;
  }

  /** The path of `name` in the directory `parent`. */
  childPath(parent: Inode, name: string): string | null {
    const p = this.path(parent);
    if (p === null) return null;
    return p === '/' ? `/${name}` : `${p}/${name}`;
  }

  /**
   * The node for what `name` in `parent` names now (identity `key`, type `type`): the node
   * already known by that identity (a hard link, or the same file found again), else a new one.
   * The name is recorded (whoever held it before loses it). The caller counts the lookup once
   * the kernel took the entry (counted()), or calls dropIfUnused() when it did not.
   */
  enter(parent: Inode, name: string, key: string, type: number): Inode {
    let node = this.#byKey.get(key);
    if (node !== undefined && node.type !== type) {
      /* The fileid was reused for another kind of file: the old node is stale. */
      this.#unkey(node);
      node = undefined;
    }
    if (node === undefined) {
      node = new Inode(this.#next++, key, type);
      this.#byId.set(node.nodeid, node);
      this.#byKey.set(key, node);
    }
    this.#name(parent, name, node);
    return node;
  }

  /** The kernel took an entry for `node`: one more lookup. */
  counted(node: Inode, n = 1): void {
    node.nlookup += n;
  }

  /** A node made by enter() whose entry the kernel did not take: forget it if nothing else holds it. */
  dropIfUnused(node: Inode): void {
    if (node.nlookup === 0 && node.opens === 0 && node !== this.root) this.#drop(node);
  }

  /** FORGET: the kernel gives back `n` lookups. */
  forget(nodeid: number, n: number): void {
    const node = this.#byId.get(nodeid);
    if (node === undefined || node === this.root) return;
    node.nlookup = Math.max(0, node.nlookup - n);
    if (node.nlookup === 0 && node.opens === 0) this.#drop(node);
  }

  /** `name` in `parent` was removed (UNLINK, RMDIR). */
  unlink(parent: Inode, name: string): void {
    const node = parent.children?.get(name);
    if (node === undefined) return;
    parent.children!.delete(name);
    node.links = node.links.filter((l) => !(l.parent === parent && l.name === name));
  }

  /** RENAME: what `oldName` in `oldParent` named is now `newName` in `newParent` (replacing it). */
  rename(oldParent: Inode, oldName: string, newParent: Inode, newName: string): void {
    if (oldParent === newParent && oldName === newName) return;
    const node = oldParent.children?.get(oldName);
    this.unlink(newParent, newName);
    if (node === undefined) return;
    oldParent.children!.delete(oldName);
    node.links = node.links.filter((l) => !(l.parent === oldParent && l.name === oldName));
    this.#name(newParent, newName, node);
  }

  /* Record that `name` in `parent` names `node` (its first name if it had none). */
  #name(parent: Inode, name: string, node: Inode): void {
    parent.children ??= new Map();
    const prev = parent.children.get(name);
    if (prev === node) return;
    if (prev !== undefined) prev.links = prev.links.filter((l) => !(l.parent === parent && l.name === name));
    parent.children.set(name, node);
    node.links.push({ parent, name });
  }

  #unkey(node: Inode): void {
    if (this.#byKey.get(node.key) === node) this.#byKey.delete(node.key);
    for (const l of node.links) {
      if (l.parent.children?.get(l.name) === node) l.parent.children.delete(l.name);
    }
    node.links = [];
  }

  #drop(node: Inode): void {
    this.#unkey(node);
    this.#byId.delete(node.nodeid);
  }

  /** An open file handle on the node (it stays known while open, even with no lookups). */
  opened(node: Inode): void {
    node.opens++;
  }

  closed(node: Inode): void {
    node.opens = Math.max(0, node.opens - 1);
    if (node.opens === 0 && node.nlookup === 0 && node !== this.root) this.#drop(node);
  }
}
