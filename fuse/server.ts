/*
 * The request loop: INIT, then every request dispatched to its operation, many at once.
 *
 * - Each request runs as its own async operation; the reader keeps reading meanwhile (several
 *   outstanding requests). An operation takes its arguments from the request before it first
 *   awaits, and the request's slot goes back to the reader then — except a WRITE's, whose data
 *   stays in the slot until the client has copied it.
 * - INTERRUPT (fuse_interrupt_in { unique }): an operation that only reads (LOOKUP, GETATTR,
 *   READ, READDIR, OPEN ...) is answered EINTR at once and its result dropped when it comes (an
 *   OPEN's handle closed); one that changes something (WRITE, CREATE, RENAME ...) completes: its
 *   outcome must not be hidden from the caller. An INTERRUPT for a request already answered is
 *   ignored (the reader delivers requests in the order the kernel queued them, so the request
 *   it names was always read before it).
 * - FORGET and BATCH_FORGET return lookups; they, and INTERRUPT, have no reply.
 * - Errors: the client's errors by their errno; a request that cannot be parsed is EIO (and
 *   logged); an operation NFS cannot do is ENOSYS, which the kernel remembers (it stops asking).
 */
import type { NfsClient } from '../nfsclient/index.js';
import { FuseCall } from './call.js';
import { FuseProtocolError, id64, need, u32 } from './codec.js';
import type { FuseRequest } from './codec.js';
import { FuseErrno } from './context.js';
import type { FuseContext } from './context.js';
import type { FuseDevice } from './device.js';
import { EINTR, EIO, ENOSYS, EPROTO, errnoOf } from './errno.js';
import { HandleTable } from './handles.js';
import { InodeTable } from './inodes.js';
import { Timeouts } from './attrs.js';
import * as k from './kernel.js';
import * as attr from './ops-attr.js';
import * as dirs from './ops-dirs.js';
import * as files from './ops-files.js';
import * as names from './ops-names.js';

type Op = (ctx: FuseContext, call: FuseCall) => Promise<void>;

const OPS: ReadonlyMap<number, Op> = new Map<number, Op>([
  [k.FUSE_LOOKUP, names.lookup],
  [k.FUSE_GETATTR, attr.getattr],
  [k.FUSE_SETATTR, attr.setattr],
  [k.FUSE_READLINK, attr.readlink],
  [k.FUSE_SYMLINK, names.symlink],
  [k.FUSE_MKNOD, names.mknod],
  [k.FUSE_MKDIR, names.mkdir],
  [k.FUSE_UNLINK, names.unlink],
  [k.FUSE_RMDIR, names.rmdir],
  [k.FUSE_RENAME, names.rename],
  [k.FUSE_RENAME2, names.rename2],
  [k.FUSE_LINK, names.link],
  [k.FUSE_OPEN, files.open],
  [k.FUSE_CREATE, files.create],
  [k.FUSE_READ, files.read],
  [k.FUSE_WRITE, files.write],
  [k.FUSE_FLUSH, files.flush],
  [k.FUSE_FSYNC, files.fsync],
  [k.FUSE_RELEASE, files.release],
  [k.FUSE_OPENDIR, dirs.opendir],
  [k.FUSE_READDIR, dirs.readdir],
  [k.FUSE_READDIRPLUS, dirs.readdirplus],
  [k.FUSE_RELEASEDIR, dirs.releasedir],
  [k.FUSE_FSYNCDIR, dirs.fsyncdir],
  [k.FUSE_STATFS, attr.statfs],
  [k.FUSE_ACCESS, attr.access],
]);

/** Operations an INTERRUPT may abandon: they change nothing on the server. */
const ABANDONABLE = new Set([
  k.FUSE_LOOKUP, k.FUSE_GETATTR, k.FUSE_READLINK, k.FUSE_OPEN, k.FUSE_READ, k.FUSE_OPENDIR, k.FUSE_READDIR,
  k.FUSE_READDIRPLUS, k.FUSE_STATFS, k.FUSE_ACCESS, k.FUSE_FLUSH, k.FUSE_FSYNC,
]);

/** What INIT asks of the kernel (and takes only where the kernel offers it). */
const WANTED = k.FUSE_ASYNC_READ | k.FUSE_ATOMIC_O_TRUNC | k.FUSE_BIG_WRITES | k.FUSE_AUTO_INVAL_DATA |
  k.FUSE_DO_READDIRPLUS | k.FUSE_READDIRPLUS_AUTO | k.FUSE_PARALLEL_DIROPS | k.FUSE_MAX_PAGES |
  k.FUSE_CACHE_SYMLINKS | k.FUSE_ASYNC_DIO;

export interface ServerOptions {
  /** The largest WRITE to accept (max_write; also the device's slot size). */
  maxWrite: number;
  /** Refuse every change with EROFS. */
  readonly: boolean;
  log(message: string): void;
}

/** Counters of the server (for tests and `sonfs mount`'s log at exit). */
export interface ServerStats {
  requests: number;
  errors: number;
  interrupts: number;
  inflight: number;
  nodes: number;
  openHandles: number;
  staleReplies: number;
}

export class FuseServer implements FuseContext {
  readonly client: NfsClient;
  readonly table: InodeTable;
  readonly files = new HandleTable();
  readonly timeouts: Timeouts;
  readonly device: FuseDevice;
  readonly readonly: boolean;
  readonly #o: ServerOptions;
  readonly #inflight = new Map<number, FuseCall>();
  #initialized!: (ok: boolean) => void;
  /** Resolves true once INIT was answered (false if the connection ended first). */
  readonly initialized: Promise<boolean>;
  /** The negotiated protocol minor. */
  minor = 0;
  #requests = 0;
  #errors = 0;
  #interrupts = 0;
  #idle: (() => void) | null = null;

  constructor(client: NfsClient, device: FuseDevice, root: { key: string; type: number; path: string }, o: ServerOptions) {
    this.client = client;
    this.device = device;
    this.table = new InodeTable(root.key, root.type, root.path);
    this.timeouts = new Timeouts(client.options);
    this.readonly = o.readonly || client.options.readonly;
    this.#o = o;
    this.initialized = new Promise((resolve) => {
      this.#initialized = resolve;
    });
  }

  log(message: string): void {
    this.#o.log(message);
  }

  stats(): ServerStats {
    return {
      requests: this.#requests, errors: this.#errors, interrupts: this.#interrupts, inflight: this.#inflight.size,
      nodes: this.table.size, openHandles: this.files.size, staleReplies: this.device.staleReplies,
    };
  }

  /** The connection ended before INIT. */
  ended(): void {
    this.#initialized(false);
  }

  /** Resolves when no operation is in flight. */
  idle(): Promise<void> {
    if (this.#inflight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle = resolve;
    });
  }

  /** One request from the device. */
  request(req: FuseRequest): void {
    this.#requests++;
    const op = req.opcode;
    if (op === k.FUSE_FORGET) {
      if (req.len >= k.FUSE_IN_HEADER_SIZE + 8) this.table.forget(req.nodeid, Number(req.buf.readBigUInt64LE(k.FUSE_IN_HEADER_SIZE)));
      this.device.release(req);
      return;
    }
    if (op === k.FUSE_BATCH_FORGET) {
      this.#batchForget(req);
      this.device.release(req);
      return;
    }
    if (op === k.FUSE_NOTIFY_REPLY) {
      /* Only an answer to FUSE_NOTIFY_RETRIEVE, which this server never sends: no reply. */
      this.device.release(req);
      return;
    }
    if (op === k.FUSE_INTERRUPT) {
      if (req.len >= k.FUSE_IN_HEADER_SIZE + 8) this.#interrupt(id64(req, 0));
      this.device.release(req);
      return;
    }
    const call = new FuseCall(this, req);
    if (op === k.FUSE_INIT) {
      this.#init(call);
      this.device.release(req);
      return;
    }
    const fn = OPS.get(op);
    if (fn === undefined) {
      /* DESTROY is answered and changes nothing here: the end comes as ENODEV on the device. */
      if (op === k.FUSE_DESTROY) call.ok();
      else if (op === k.FUSE_SYNCFS) this.#syncfs(call);
      else call.error(ENOSYS);
      this.device.release(req);
      return;
    }
    this.#inflight.set(req.unique, call);
    let p: Promise<void>;
    try {
      p = fn(this, call);
    } catch (e) {
      p = Promise.reject(e);
    }
    /* The operation has read its arguments (everything before its first await): give the slot
     * back, except a WRITE's, whose data the client copies later. */
    if (op === k.FUSE_WRITE) p = p.finally(() => this.device.release(req));
    else this.device.release(req);
    p.catch((e: unknown) => this.#fail(call, e)).finally(() => {
      this.#inflight.delete(req.unique);
      if (this.#inflight.size === 0 && this.#idle !== null) {
        const idle = this.#idle;
        this.#idle = null;
        idle();
      }
    });
  }

  #fail(call: FuseCall, e: unknown): void {
    this.#errors++;
    let errno: number;
    if (e instanceof FuseErrno) errno = e.errno;
    else if (e instanceof FuseProtocolError) {
      this.log(`${k.OPCODE_NAMES[call.req.opcode] ?? call.req.opcode}: ${e.message}`);
      errno = EPROTO;
    } else {
      const n = errnoOf(e);
      if (n === null) this.log(`${k.OPCODE_NAMES[call.req.opcode] ?? call.req.opcode}: ${(e as Error)?.stack ?? String(e)}`);
      errno = n ?? EIO;
    }
    call.error(errno);
  }

  #interrupt(unique: number): void {
    const call = this.#inflight.get(unique);
    if (call === undefined || call.answered || !ABANDONABLE.has(call.req.opcode)) return;
    this.#interrupts++;
    call.interrupted = true;
    call.error(EINTR);
  }

  /* fuse_batch_forget_in { count, dummy }, then count fuse_forget_one { nodeid, nlookup }. */
  #batchForget(req: FuseRequest): void {
    if (req.len < k.FUSE_IN_HEADER_SIZE + 8) return;
    const count = u32(req, 0);
    const n = Math.min(count, Math.floor((req.len - k.FUSE_IN_HEADER_SIZE - 8) / 16));
    for (let i = 0; i < n; i++) {
      const o = 8 + i * 16;
      this.table.forget(id64(req, o), Number(req.buf.readBigUInt64LE(k.FUSE_IN_HEADER_SIZE + o + 8)));
    }
  }

  /** SYNCFS: every open file's data committed. */
  #syncfs(call: FuseCall): void {
    this.commitAll().then(() => call.ok(), (e: unknown) => this.#fail(call, e));
  }

  /** Commit the data of every open file (at SYNCFS, and before unmounting). */
  async commitAll(): Promise<void> {
    let first: unknown = null;
    await Promise.all(this.files.openFiles().filter((f) => f.writable).map((f) => f.handle.sync().catch((e: unknown) => {
      first ??= e;
    })));
    if (first !== null) throw first;
  }

  /** Close every handle still open (the connection is gone): data committed, hidden names removed. */
  async closeAll(): Promise<void> {
    for (const f of this.files.openFiles()) {
      try {
        await f.handle.close();
      } catch (e) {
        this.log(`closing ${f.handle.path}: ${(e as Error).message}`);
      }
    }
  }

  /* INIT: fuse_init_in { major, minor, max_readahead, flags, flags2, unused[11] }. */
  #init(call: FuseCall): void {
    const req = call.req;
    try {
      need(req, 16);
    } catch {
      call.error(EIO);
      this.#initialized(false);
      return;
    }
    const major = u32(req, 0);
    const minor = u32(req, 4);
    const maxReadahead = u32(req, 8);
    const flags = u32(req, 12);
    if (major !== k.FUSE_KERNEL_VERSION || minor < 23) {
      /* A newer major: answer ours and the kernel sends INIT again with it. Older ones (before
       * Linux 3.15) are not supported. */
      this.log(`kernel FUSE protocol ${major}.${minor}: this server needs ${k.FUSE_KERNEL_VERSION}.23 or later`);
      if (major > k.FUSE_KERNEL_VERSION) {
        call.init({ major: k.FUSE_KERNEL_VERSION, minor: k.FUSE_KERNEL_MINOR_VERSION, maxReadahead: 0, flags: 0,
          maxBackground: 0, congestionThreshold: 0, maxWrite: 0, timeGran: 0, maxPages: 0 }, 8);
        return;
      }
      call.error(EPROTO);
      this.#initialized(false);
      return;
    }
    this.minor = Math.min(minor, k.FUSE_KERNEL_MINOR_VERSION);
    const maxWrite = this.#o.maxWrite;
    call.init({
      major: k.FUSE_KERNEL_VERSION,
      minor: this.minor,
      maxReadahead,
      flags: flags & WANTED,
      maxBackground: 64,
      congestionThreshold: 48,
      maxWrite,
      timeGran: 1,
      maxPages: Math.ceil(maxWrite / 4096),
    }, k.FUSE_INIT_OUT_SIZE);
    this.#initialized(true);
  }
}
