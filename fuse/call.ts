/*
 * One request being answered. Every reply goes through here, encoded into the device's scratch
 * buffer and sent in the same synchronous step (nothing may await between the two: the buffer is
 * shared). A call is answered once: after an INTERRUPT was answered with EINTR, the operation's
 * own reply is dropped, and the reply methods return false — as they do when the kernel refused
 * the reply (it had given up on the request). Callers undo what the kernel did not take: an
 * entry's lookup is not counted, an opened handle is closed.
 */
import type { NfsBigIntStats } from '../nfsclient/index.js';
import {
  REPLY, direntSize, direntplusSize, dtype, putAttrOut, putDirent, putEntry, putInit, putOpen, putStatfs, putWrite,
} from './codec.js';
import type { FuseInitOut, FuseRequest, FuseStatfs } from './codec.js';
import { dataStamp, fuseAttr } from './attrs.js';
import type { FuseContext } from './context.js';
import type { DirEntry } from './handles.js';
import type { Inode } from './inodes.js';
import { FUSE_OUT_HEADER_SIZE } from './kernel.js';

/** One READDIRPLUS entry: a listed name, and its node and attributes when it was looked up. */
export interface PlusEntry {
  entry: DirEntry;
  ino: bigint;
  node: Inode | null;
  st: NfsBigIntStats | null;
}

export class FuseCall {
  #answered = false;
  /** Set by INTERRUPT for calls that may be abandoned (see server.ts). */
  interrupted = false;

  constructor(private readonly ctx: FuseContext, readonly req: FuseRequest) {}

  get answered(): boolean {
    return this.#answered;
  }

  #take(): boolean {
    if (this.#answered) return false;
    this.#answered = true;
    return true;
  }

  /** An error reply (Linux errno). */
  error(errno: number): boolean {
    return this.#take() && this.ctx.device.sendError(this.req.unique, errno);
  }

  /** A reply with no payload (success). */
  ok(): boolean {
    return this.#take() && this.ctx.device.send(this.req.unique, FUSE_OUT_HEADER_SIZE);
  }

  /**
   * fuse_entry_out for `node`: the lookup is counted if the kernel took it; a node it did not
   * take, and nothing else holds, is forgotten.
   */
  entry(node: Inode, st: NfsBigIntStats): boolean {
    if (!this.#take()) {
      this.ctx.table.dropIfUnused(node);
      return false;
    }
    const b = this.ctx.device.scratch;
    const t = this.ctx.timeouts;
    const end = putEntry(b, REPLY, node.nodeid, 0, t.entry, t.attr(node.type), fuseAttr(st));
    const ok = this.ctx.device.send(this.req.unique, end);
    if (ok) {
      this.ctx.table.counted(node);
      node.sent = dataStamp(st);
    } else {
      this.ctx.table.dropIfUnused(node);
    }
    return ok;
  }

  /** A negative entry (node ID 0): "no such name", cached by the kernel for `valid` seconds. */
  negative(valid: number): boolean {
    if (!this.#take()) return false;
    const end = putEntry(this.ctx.device.scratch, REPLY, 0, 0, valid, 0, null);
    return this.ctx.device.send(this.req.unique, end);
  }

  /** fuse_attr_out. */
  attr(node: Inode, st: NfsBigIntStats, type: number): boolean {
    if (!this.#take()) return false;
    const end = putAttrOut(this.ctx.device.scratch, REPLY, this.ctx.timeouts.attr(type), fuseAttr(st));
    const ok = this.ctx.device.send(this.req.unique, end);
    if (ok) node.sent = dataStamp(st);
    return ok;
  }

  /** fuse_open_out. */
  open(fh: number, openFlags: number): boolean {
    if (!this.#take()) return false;
    const end = putOpen(this.ctx.device.scratch, REPLY, fh, openFlags);
    return this.ctx.device.send(this.req.unique, end);
  }

  /** CREATE's reply: fuse_entry_out then fuse_open_out (the lookup counted as entry() does). */
  create(node: Inode, st: NfsBigIntStats, fh: number, openFlags: number): boolean {
    if (!this.#take()) {
      this.ctx.table.dropIfUnused(node);
      return false;
    }
    const b = this.ctx.device.scratch;
    const t = this.ctx.timeouts;
    let end = putEntry(b, REPLY, node.nodeid, 0, t.entry, t.attr(node.type), fuseAttr(st));
    end = putOpen(b, end, fh, openFlags);
    const ok = this.ctx.device.send(this.req.unique, end);
    if (ok) {
      this.ctx.table.counted(node);
      node.sent = dataStamp(st);
    } else {
      this.ctx.table.dropIfUnused(node);
    }
    return ok;
  }

  /** fuse_write_out. */
  written(size: number): boolean {
    if (!this.#take()) return false;
    const end = putWrite(this.ctx.device.scratch, REPLY, size);
    return this.ctx.device.send(this.req.unique, end);
  }

  /** fuse_statfs_out. */
  statfs(s: FuseStatfs): boolean {
    if (!this.#take()) return false;
    const end = putStatfs(this.ctx.device.scratch, REPLY, s);
    return this.ctx.device.send(this.req.unique, end);
  }

  /** fuse_init_out (`size`: what the negotiated minor expects). */
  init(i: FuseInitOut, size: number): boolean {
    if (!this.#take()) return false;
    putInit(this.ctx.device.scratch, REPLY, i);
    return this.ctx.device.send(this.req.unique, REPLY + size);
  }

  /** Bytes (READLINK's target). */
  bytes(data: Buffer): boolean {
    if (!this.#take()) return false;
    const b = this.ctx.device.scratch;
    data.copy(b, REPLY);
    return this.ctx.device.send(this.req.unique, REPLY + data.length);
  }

  /** READ's data: the client's buffers, written as they are (writev). */
  data(views: readonly Buffer[], bytes: number): boolean {
    return this.#take() && this.ctx.device.sendViews(this.req.unique, views, bytes);
  }

  /**
   * READDIR: entries[from ...] as fuse_dirents, as many as fit in `size` bytes; each entry's
   * offset is the index of the next. inos[i] is entries[from + i]'s inode number.
   */
  dirents(entries: readonly DirEntry[], inos: readonly bigint[], from: number, size: number): boolean {
    if (!this.#take()) return false;
    const b = this.ctx.device.scratch;
    const limit = REPLY + Math.min(size, b.length - REPLY);
    let o = REPLY;
    for (let i = from; i < entries.length; i++) {
      const e = entries[i]!;
      if (o + direntSize(e.bytes.length) > limit) break;
      o = putDirent(b, o, inos[i - from]!, i + 1, dtype(e.type), e.bytes);
    }
    return this.ctx.device.send(this.req.unique, o);
  }

  /**
   * READDIRPLUS: fuse_direntplus records from `from`, as many as fit in `size`. An entry with a
   * node counts one lookup once the kernel took the reply (the kernel links or forgets each);
   * entries without one (".", "..", names that vanished) carry node ID 0, which it skips.
   * Returns how many entries were sent (-1 if the kernel did not take the reply).
   */
  direntplus(list: readonly PlusEntry[], from: number, size: number): number {
    const table = this.ctx.table;
    if (!this.#take()) {
      for (const p of list) if (p.node !== null) table.dropIfUnused(p.node);
      return -1;
    }
    const b = this.ctx.device.scratch;
    const t = this.ctx.timeouts;
    const limit = REPLY + Math.min(size, b.length - REPLY);
    let o = REPLY;
    let sent = 0;
    for (const p of list) {
      const e = p.entry;
      if (o + direntplusSize(e.bytes.length) > limit) break;
      if (p.node !== null && p.st !== null) o = putEntry(b, o, p.node.nodeid, 0, t.entry, t.attr(p.node.type), fuseAttr(p.st));
      else o = putEntry(b, o, 0, 0, 0, 0, null);
      o = putDirent(b, o, p.ino, from + sent + 1, dtype(e.type), e.bytes);
      sent++;
    }
    const ok = this.ctx.device.send(this.req.unique, o);
    for (let i = 0; i < list.length; i++) {
      const { node: n, st } = list[i]!;
      if (n === null) continue;
      if (ok && i < sent) {
        table.counted(n);
        if (st !== null) n.sent = dataStamp(st);
      } else {
        table.dropIfUnused(n);
      }
    }
    return ok ? sent : -1;
  }
}
