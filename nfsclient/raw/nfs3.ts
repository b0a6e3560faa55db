/*
 * The raw NFSv3 tier: one method per procedure of RFC 1813 §3.3, driven by the procedure table
 * (nfs3/procs.ts). Each returns the decoded result union with its status — `{ status: NFS3_OK,
 * resok }` or `{ status, resfail }` — and never throws on an NFS status; RPC failures (timeouts,
 * interruptions, RPC-level rejections, undecodable replies) reject with the rpc/ errors.
 *
 * Arguments are the RFC's argument structs (GETATTR3args { object } ...). Options per call: an
 * AbortSignal, a credential (a Proc: its AUTH_SYS uid/gid/groups), a timeout (RawCallOptions).
 * The RTT estimator class of each procedure is OpenBSD's (NFS3_TIMER_CLASSES).
 *
 * READ has two zero-copy variants besides read(): readInto() copies the data once, straight
 * from the reply into the caller's Buffer; readMbuf() returns it as an mbuf chain sharing the
 * reply's storage. WRITE's data is sent by reference (never copied): leave it unchanged until
 * the call settles.
 */
import type { CallOptions, RpcClient, RpcProcedure, RpcTimerClass, XdrCodec } from '../../rpc/index.js';
import { NFS3_TIMER_CLASSES } from '../../rpc/index.js';
import { NFS_PROGRAM, NFS_V3 } from '../nfs3/constants.js';
import { READ3args, READ3res_into, READ3res_mbuf } from '../nfs3/proc-io.js';
import { NFS3_PROCEDURES } from '../nfs3/procs.js';
import type { Nfs3ProcedureName } from '../nfs3/procs.js';
import { rpcCallOptions } from './call-options.js';
import type { RawCallOptions } from './call-options.js';

type Table = typeof NFS3_PROCEDURES;
/** The argument type of a procedure. */
export type Nfs3Args<K extends Nfs3ProcedureName> = Table[K] extends RpcProcedure<infer A, unknown> ? A : never;
/** The result type of a procedure. */
export type Nfs3Res<K extends Nfs3ProcedureName> = Table[K] extends RpcProcedure<unknown, infer R> ? R : never;

/** Observes every call the tier makes (tracing, tests). Runs synchronously before the call is sent. */
export type Nfs3CallObserver = <K extends Nfs3ProcedureName>(name: K, args: Nfs3Args<K>) => void;

/** A result and whether its call was retransmitted (or resent after a reconnection) before the reply. */
export interface TrackedResult<R> {
  res: R;
  retransmitted: boolean;
}

function timerOf(proc: number): RpcTimerClass {
  return NFS3_TIMER_CLASSES[proc] ?? 0;
}

export class Nfs3 {
  /** Called before each call is sent, when set. */
  onCall: Nfs3CallObserver | null = null;

  constructor(readonly rpc: RpcClient) {}

  /** Any procedure by its table name: `call('GETATTR', { object: fh })`. */
  call<K extends Nfs3ProcedureName>(name: K, args: Nfs3Args<K>, o?: RawCallOptions): Promise<Nfs3Res<K>> {
    const p = NFS3_PROCEDURES[name] as unknown as RpcProcedure<Nfs3Args<K>, Nfs3Res<K>>;
    if (this.onCall !== null) this.onCall(name, args);
    return this.rpc.callProcedure(NFS_PROGRAM, NFS_V3, p, args, rpcCallOptions(o, timerOf(p.proc)));
  }

  /**
   * call(), also telling whether the call went out more than once before its reply (RFC 1813
   * §4.5: a non-idempotent call whose first reply was lost may be answered NOENT/EXIST by a server
   * without a duplicate request cache entry for it). Counted per call by the RPC client's
   * CallOptions.tracker: timer retransmissions and resends after a reconnection.
   */
  async callTracked<K extends Nfs3ProcedureName>(name: K, args: Nfs3Args<K>, o?: RawCallOptions): Promise<TrackedResult<Nfs3Res<K>>> {
    const p = NFS3_PROCEDURES[name] as unknown as RpcProcedure<Nfs3Args<K>, Nfs3Res<K>>;
    if (this.onCall !== null) this.onCall(name, args);
    const tracker = { resends: 0 };
    const co: CallOptions = { ...rpcCallOptions(o, timerOf(p.proc)), tracker };
    const res = await this.rpc.callProcedure(NFS_PROGRAM, NFS_V3, p, args, co);
    return { res, retransmitted: tracker.resends > 0 };
  }

  /** NFSPROC3_NULL (§3.3.0). */
  null(o?: RawCallOptions): Promise<void> {
    if (this.onCall !== null) this.onCall('NULL', undefined);
    return this.rpc.ping(NFS_PROGRAM, NFS_V3, rpcCallOptions(o, 0));
  }

  getattr(args: Nfs3Args<'GETATTR'>, o?: RawCallOptions): Promise<Nfs3Res<'GETATTR'>> { return this.call('GETATTR', args, o); }
  setattr(args: Nfs3Args<'SETATTR'>, o?: RawCallOptions): Promise<Nfs3Res<'SETATTR'>> { return this.call('SETATTR', args, o); }
  lookup(args: Nfs3Args<'LOOKUP'>, o?: RawCallOptions): Promise<Nfs3Res<'LOOKUP'>> { return this.call('LOOKUP', args, o); }
  access(args: Nfs3Args<'ACCESS'>, o?: RawCallOptions): Promise<Nfs3Res<'ACCESS'>> { return this.call('ACCESS', args, o); }
  readlink(args: Nfs3Args<'READLINK'>, o?: RawCallOptions): Promise<Nfs3Res<'READLINK'>> { return this.call('READLINK', args, o); }
  /** READ with the data as a Buffer (a view on the reply when contiguous). */
  read(args: Nfs3Args<'READ'>, o?: RawCallOptions): Promise<Nfs3Res<'READ'>> { return this.call('READ', args, o); }
  write(args: Nfs3Args<'WRITE'>, o?: RawCallOptions): Promise<Nfs3Res<'WRITE'>> { return this.call('WRITE', args, o); }
  create(args: Nfs3Args<'CREATE'>, o?: RawCallOptions): Promise<Nfs3Res<'CREATE'>> { return this.call('CREATE', args, o); }
  mkdir(args: Nfs3Args<'MKDIR'>, o?: RawCallOptions): Promise<Nfs3Res<'MKDIR'>> { return this.call('MKDIR', args, o); }
  symlink(args: Nfs3Args<'SYMLINK'>, o?: RawCallOptions): Promise<Nfs3Res<'SYMLINK'>> { return this.call('SYMLINK', args, o); }
  mknod(args: Nfs3Args<'MKNOD'>, o?: RawCallOptions): Promise<Nfs3Res<'MKNOD'>> { return this.call('MKNOD', args, o); }
  remove(args: Nfs3Args<'REMOVE'>, o?: RawCallOptions): Promise<Nfs3Res<'REMOVE'>> { return this.call('REMOVE', args, o); }
  rmdir(args: Nfs3Args<'RMDIR'>, o?: RawCallOptions): Promise<Nfs3Res<'RMDIR'>> { return this.call('RMDIR', args, o); }
  rename(args: Nfs3Args<'RENAME'>, o?: RawCallOptions): Promise<Nfs3Res<'RENAME'>> { return this.call('RENAME', args, o); }
  link(args: Nfs3Args<'LINK'>, o?: RawCallOptions): Promise<Nfs3Res<'LINK'>> { return this.call('LINK', args, o); }
  readdir(args: Nfs3Args<'READDIR'>, o?: RawCallOptions): Promise<Nfs3Res<'READDIR'>> { return this.call('READDIR', args, o); }
  readdirplus(args: Nfs3Args<'READDIRPLUS'>, o?: RawCallOptions): Promise<Nfs3Res<'READDIRPLUS'>> { return this.call('READDIRPLUS', args, o); }
  fsstat(args: Nfs3Args<'FSSTAT'>, o?: RawCallOptions): Promise<Nfs3Res<'FSSTAT'>> { return this.call('FSSTAT', args, o); }
  fsinfo(args: Nfs3Args<'FSINFO'>, o?: RawCallOptions): Promise<Nfs3Res<'FSINFO'>> { return this.call('FSINFO', args, o); }
  pathconf(args: Nfs3Args<'PATHCONF'>, o?: RawCallOptions): Promise<Nfs3Res<'PATHCONF'>> { return this.call('PATHCONF', args, o); }
  commit(args: Nfs3Args<'COMMIT'>, o?: RawCallOptions): Promise<Nfs3Res<'COMMIT'>> { return this.call('COMMIT', args, o); }

  /**
   * READ whose data is copied once, straight from the reply into `target` at `targetOffset`;
   * `resok.data` is the number of bytes. `args.count` must fit the room in target (a server
   * sending more than that is an XdrDecodeError).
   */
  readInto(args: Nfs3Args<'READ'>, target: Buffer, targetOffset: number, o?: RawCallOptions): Promise<READ3res_into> {
    return this.readWith(args, READ3res_into(target, targetOffset), o);
  }

  /** READ whose data is an mbuf chain sharing the reply's storage (the caller frees it: m_freem). */
  readMbuf(args: Nfs3Args<'READ'>, o?: RawCallOptions): Promise<READ3res_mbuf> {
    return this.readWith(args, READ3res_mbuf, o);
  }

  /**
   * READ with the result decoded by `result`: one of the READ3res variants (nfs3/proc-io.ts),
   * which decides where the data goes. read(), readInto() and readMbuf() are this with theirs.
   */
  readWith<R>(args: Nfs3Args<'READ'>, result: XdrCodec<R>, o?: RawCallOptions): Promise<R> {
    if (this.onCall !== null) this.onCall('READ', args);
    return this.rpc.callCodec(NFS_PROGRAM, NFS_V3, NFS3_PROCEDURES.READ.proc, READ3args, args, result,
      rpcCallOptions(o, timerOf(NFS3_PROCEDURES.READ.proc)));
  }
}
