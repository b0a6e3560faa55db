/*
 * One mount's state, shared by the high tier's pieces (an nfsmount, in BSD terms): the raw
 * tiers, the negotiated limits, the attribute and name caches, the open files, the counters,
 * and the call wrapper every high-tier RPC goes through.
 *
 * The call wrapper (call/callTracked/read):
 *   - NFS3ERR_JUKEBOX: wait and send the same call again (new xid), 1 s doubling to 30 s, as
 *     OpenBSD's NFSERR_TRYLATER loop; not an error for the caller. A soft mount gives up once its
 *     waits would exceed timeo × (retrans + 1) — the time a soft RPC would have been given —
 *     and returns the JUKEBOX status (EAGAIN). The wait is cancelled by the operation's signal (EINTR).
 *   - RPC failures become NfsErrors (ETIMEDOUT, EINTR, ECONNREFUSED ...) with the operation's
 *     syscall and path; the RpcError is the `cause`.
 *   - every other status is returned to the caller, which decides (fail() maps it).
 * fail() turns a status into the NfsError and, for NFS3ERR_STALE, first purges the attribute
 * and name caches of the handles involved (OpenBSD cache_purge), so a path-based retry
 * re-resolves from the server.
 */
import type { RpcClient, XdrCodec } from '../../rpc/index.js';
import { EBADF, EINTR, EROFS } from '../../sockets/index.js';
import { AttrCache, fhKey } from '../cache/attrcache.js';
import { NameCache } from '../cache/namecache.js';
import { NfsError } from '../errors.js';
import type { fattr3, wcc_data } from '../nfs3/attr.js';
import type { nfstime3 } from '../nfs3/basic.js';
import { NFS3ERR_JUKEBOX, NFS3ERR_STALE, NFS3_OK } from '../nfs3/nfsstat3.js';
import type { Nfs3ProcedureName } from '../nfs3/procs.js';
import type { MountOptions } from '../options.js';
import type { Mount3 } from '../raw/mount3.js';
import type { Nfs3, Nfs3Args, Nfs3Res, TrackedResult } from '../raw/nfs3.js';
import type { RawCallOptions } from '../raw/call-options.js';
import { newCounters } from './counters.js';
import type { NfsCounters } from './counters.js';

/** What an operation is, for its errors and its cancellation. */
export interface OpCtx {
  /** Node's syscall name: 'open', 'stat', 'scandir', 'unlink' ... */
  syscall: string;
  path?: string | undefined;
  dest?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What mount() negotiated (FSINFO, PATHCONF) and the sizes the client uses. */
export interface MountLimits {
  /** READ and WRITE sizes: the requested ones capped by FSINFO rtmax/wtmax (rtpref/wtpref when 0). */
  rsize: number;
  wsize: number;
  /** READDIR count, and READDIRPLUS dircount (capped by FSINFO dtpref). */
  dircount: number;
  /** READDIRPLUS maxcount (readdirsize). */
  maxcount: number;
  /** The largest READDIR count / READDIRPLUS maxcount the mount asks for (a reply it can receive). */
  maxDirCount: number;
  /** FSINFO maxfilesize. */
  maxfilesize: bigint;
  /** FSINFO time_delta: the server's time granularity. */
  timeDelta: nfstime3;
  /** FSINFO properties (FSF3_LINK, FSF3_SYMLINK, FSF3_HOMOGENEOUS, FSF3_CANSETTIME). */
  properties: number;
  /** PATHCONF name_max (longest name), linkmax; 255 and 0 if the server did not say. */
  nameMax: number;
  linkMax: number;
  /** PATHCONF case_insensitive / case_preserving / chown_restricted / no_trunc. */
  caseInsensitive: boolean;
  casePreserving: boolean;
  chownRestricted: boolean;
  noTrunc: boolean;
}

/**
 * What the session needs of an open file (file-state.ts's FileState is one). The session is
 * typed against this, not against FileState, which itself needs the session.
 */
export interface OpenFileLike {
  /** The server's copy changed behind this client's back: drop cached data. */
  invalidateData(): void;
}

const JUKEBOX_FIRST_MS = 1000;
const JUKEBOX_MAX_MS = 30_000;

function sleep(ms: number, signal: AbortSignal | undefined, ctx: OpCtx): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new NfsError(EINTR, { ...ctx, cause: signal.reason, detail: 'interrupted while the server said "try later" (JUKEBOX)' }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new NfsError(EINTR, { ...ctx, cause: signal!.reason, detail: 'interrupted while the server said "try later" (JUKEBOX)' }));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A mount's state; `F`, the state of its open files (FileState for the client). */
export class Session<F extends OpenFileLike = OpenFileLike> {
  readonly attrs: AttrCache;
  readonly names: NameCache;
  readonly counters: NfsCounters = newCounters();
  /** Open files by handle key (fhKey): the state every FileHandle of one file shares. */
  readonly files = new Map<string, F>();
  /** Open FileHandles (umount closes them). */
  readonly handles = new Set<{ close(): Promise<void> }>();
  /** READDIRPLUS in use (cleared for the mount when the server answers NOTSUPP). */
  rdirplus: boolean;
  readonly rootKey: string;
  #closed = false;
  /** Initial JUKEBOX delay (ms); tests of scripted servers may lower it. */
  jukeboxDelayMs = JUKEBOX_FIRST_MS;

  constructor(
    readonly opts: MountOptions,
    readonly nfs: Nfs3,
    readonly mnt: Mount3,
    readonly nfsRpc: RpcClient,
    readonly mountRpc: RpcClient,
    readonly root: Buffer,
    readonly limits: MountLimits,
    now: () => number = Date.now,
  ) {
    this.attrs = new AttrCache({ ...opts, now });
    this.names = new NameCache({ mode: opts.lookupcache, now });
    this.rdirplus = opts.rdirplus;
    this.rootKey = fhKey(root);
  }

  get closed(): boolean {
    return this.#closed;
  }

  markClosed(): void {
    this.#closed = true;
  }

  /** EBADF once unmounted. */
  checkOpen(ctx: OpCtx): void {
    if (this.#closed) throw new NfsError(EBADF, { ...ctx, detail: 'the file system was unmounted' });
  }

  /** EROFS for a modifying operation on a readonly mount (checked before anything is sent). */
  checkWritable(ctx: OpCtx): void {
    this.checkOpen(ctx);
    if (this.opts.readonly) throw new NfsError(EROFS, { ...ctx, detail: 'mounted readonly' });
  }

  #rawOptions(ctx: OpCtx): RawCallOptions | undefined {
    return ctx.signal === undefined ? undefined : { signal: ctx.signal };
  }

  /* The JUKEBOX loop around one call (see the file comment). */
  async #retry<R extends { status: number }>(send: () => Promise<R>, ctx: OpCtx): Promise<R> {
    this.checkOpen(ctx);
    let delay = this.jukeboxDelayMs;
    let waited = 0;
    const budget = this.opts.soft ? this.opts.timeo * 100 * (this.opts.retrans + 1) : Infinity;
    for (;;) {
      let res: R;
      try {
        res = await send();
      } catch (e) {
        throw NfsError.from(e, ctx);
      }
      if (res.status !== NFS3ERR_JUKEBOX) return res;
      if (waited > 0 && waited + delay > budget) return res;
      this.counters.jukeboxRetries++;
      await sleep(delay, ctx.signal, ctx);
      waited += delay;
      delay = Math.min(delay * 2, JUKEBOX_MAX_MS);
      this.checkOpen(ctx);
    }
  }

  /** One NFS call with the JUKEBOX policy; RPC failures throw NfsError; statuses are returned. */
  call<K extends Nfs3ProcedureName>(name: K, args: Nfs3Args<K>, ctx: OpCtx): Promise<Nfs3Res<K>> {
    const o = this.#rawOptions(ctx);
    return this.#retry(() => this.nfs.call(name, args, o) as Promise<Nfs3Res<K> & { status: number }>, ctx);
  }

  /** call(), telling whether the call was retransmitted (Nfs3.callTracked). */
  async callTracked<K extends Nfs3ProcedureName>(name: K, args: Nfs3Args<K>, ctx: OpCtx): Promise<TrackedResult<Nfs3Res<K>>> {
    const o = this.#rawOptions(ctx);
    let retransmitted = false;
    const res = await this.#retry(async () => {
      const t = await this.nfs.callTracked(name, args, o);
      retransmitted ||= t.retransmitted;
      return t.res as Nfs3Res<K> & { status: number };
    }, ctx);
    return { res, retransmitted };
  }

  /**
   * READ with the result decoded by `result` (a READ3res variant: where the data goes — a
   * caller's buffer, the reply's mbufs), with the JUKEBOX policy.
   */
  read<R extends { status: number }>(args: Nfs3Args<'READ'>, result: XdrCodec<R>, ctx: OpCtx): Promise<R> {
    const o = this.#rawOptions(ctx);
    return this.#retry(() => this.nfs.readWith(args, result, o), ctx);
  }

  /**
   * The NfsError for a failed status. NFS3ERR_STALE first forgets everything cached about the
   * handles named (attributes, names leading to them or living in them, open files' data).
   */
  fail(status: number, ctx: OpCtx, ...keys: string[]): NfsError {
    if (status === NFS3ERR_STALE) for (const k of keys) this.purge(k);
    return NfsError.fromStatus(status, ctx);
  }

  /** Forget what is cached about a handle (ESTALE, or a change we cannot account for). */
  purge(key: string): void {
    this.attrs.invalidate(key);
    this.names.purgeHandle(key);
    this.files.get(key)?.invalidateData();
  }

  /** Post-operation attributes of `key` (null: the server sent none; the cached ones are dropped). */
  postOp(key: string, attrs: fattr3 | null): void {
    if (attrs !== null) this.attrs.set(key, attrs);
    else this.attrs.invalidate(key);
  }

  /**
   * wcc_data of an operation this client made on `key` (RFC 1813 §2.6). True when only this
   * client changed the object; otherwise cached data of an open file is dropped.
   */
  wcc(key: string, wcc: wcc_data): boolean {
    const ours = this.attrs.applyWcc(key, wcc);
    if (!ours) this.files.get(key)?.invalidateData();
    return ours;
  }

  /**
   * The attributes of a handle: the cached ones while valid, else GETATTR (`fresh`: always
   * GETATTR, as close-to-open's revalidation does).
   * @throws NfsError (ESTALE after purging, ...)
   */
  async getattr(fh: Buffer, ctx: OpCtx, fresh = false, key: string = fhKey(fh)): Promise<fattr3> {
    if (!fresh) {
      const a = this.attrs.get(key);
      if (a !== undefined) return a;
    }
    const res = await this.call('GETATTR', { object: fh }, ctx);
    if (res.status !== NFS3_OK) throw this.fail(res.status, ctx, key);
    const a = res.resok.obj_attributes;
    const before = this.attrs.peek(key);
    this.attrs.set(key, a);
    if (before !== undefined && (before.mtime.seconds !== a.mtime.seconds || before.mtime.nseconds !== a.mtime.nseconds ||
        before.size !== a.size)) {
      this.files.get(key)?.invalidateData();
    }
    return a;
  }
}
