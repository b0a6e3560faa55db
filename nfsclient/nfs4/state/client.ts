/*
 * Nfs4Client: one mount's NFSv4 client — its client ID, its session (4.1), its opens and its
 * lease — and the COMPOUND call everything else goes through. The version-neutral core's
 * operations are thin layers on it: a COMPOUND of builders (build.ts) sent with compound(), and
 * open()/close() for files.
 *
 *   const c = new Nfs4Client({ rpc, minorversion: 1, rsize, wsize });
 *   await c.establish();                                 // EXCHANGE_ID, CREATE_SESSION, RECLAIM_COMPLETE
 *   const f = await c.open({ dir, name: 'a', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked' } });
 *   await c.compound([putfh(f.fh), write(f.stateid, 0n, data)], { open: f });
 *   await c.close(f);
 *   await c.destroy();                                   // DESTROY_SESSION, DESTROY_CLIENTID
 *
 * compound(ops, ctx) sends `ops` (with SEQUENCE first in 4.1, session.ts) and returns the
 * COMPOUND's status and results as the raw tier does; before that it handles, by the table of
 * recovery.ts: DELAY and GRACE (waited out, backoff.ts), a lost session (a new one), a lost client
 * ID (a new one, with every open reclaimed or reopened), a stale or superseded stateid of the open
 * named by ctx.open (reopened, or the current stateid sent). Only one recovery runs at a time; the
 * COMPOUNDs that meet it wait for it and are sent again — with the stateids, open-owner and seqids
 * of the moment (#prepare): a COMPOUND's READ, WRITE, SETATTR, CLOSE and OPEN_DOWNGRADE carry the
 * current stateid of ctx.open, its OPENs the current client ID and owner.
 *
 * Recovery after a lost client ID (server restart, lease expiry; RFC 7530 §9.6, RFC 8881 §8.4.2):
 *   1. a new client ID with the same owner and verifier (SETCLIENTID+CONFIRM, or EXCHANGE_ID+CREATE_SESSION);
 *   2. each open: OPEN with CLAIM_PREVIOUS of its handle (the server's grace period lets it have
 *      its state back); NO_GRACE, RECLAIM_BAD or RECLAIM_CONFLICT → reopen in step 4;
 *   3. RECLAIM_COMPLETE (4.1);
 *   4. the others reopened: CLAIM_FH (4.1) or CLAIM_NULL by directory and name (4.0, checked to be
 *      the same handle), GRACE waited out; a file that cannot be opened again (removed meanwhile)
 *      leaves its open `lost`: its I/O fails with the status.
 * Recovery's own COMPOUNDs wait out DELAY and GRACE and are not interrupted by a caller's signal
 * (they serve every caller), only by destroy().
 *
 * Lease: renewed explicitly after half a lease of silence (lease.ts); the timer is unref'd and
 * destroy() stops it. SEQUENCE status flags (4.1): RESTART_RECLAIM_NEEDED starts a client ID
 * recovery; the *_STATE_REVOKED flags mark every open for reopening at its next use.
 */

import { randomBytes } from '../../../rpc/index.js';
import type { RpcClient } from '../../../rpc/index.js';
import type { Proc } from '../../../sockets/index.js';
import { ANONYMOUS_STATEID, READ_BYPASS_STATEID } from '../basic.js';
import type { stateid4 } from '../basic.js';
import type { bitmap4 } from '../bitmap4.js';
import { getattr, getfh, putfh, putrootfh, setattr } from '../build.js';
import { compoundName } from '../compound.js';
import type { COMPOUND4res, nfs_argop4 } from '../compound.js';
import {
  CLAIM_FH, CLAIM_NULL, CLAIM_PREVIOUS, EXCLUSIVE4, EXCLUSIVE4_1, GUARDED4, OPEN4_CREATE, OPEN4_NOCREATE,
  OPEN4_RESULT_CONFIRM, OPEN4_SHARE_ACCESS_BOTH, OPEN4_SHARE_ACCESS_READ, OPEN4_SHARE_ACCESS_WANT_NO_DELEG,
  OPEN4_SHARE_ACCESS_WRITE, OPEN_DELEGATE_NONE, OPEN_DELEGATE_READ, OPEN_DELEGATE_WRITE,
  SEQ4_STATUS_ADMIN_STATE_REVOKED, SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED, SEQ4_STATUS_EXPIRED_SOME_STATE_REVOKED,
  SEQ4_STATUS_RECALLABLE_STATE_REVOKED, SEQ4_STATUS_RESTART_RECLAIM_NEEDED, UNCHECKED4,
} from '../constants.js';
import type { Nfs4MinorVersion } from '../constants.js';
import { Nfs4Error } from '../errors.js';
import { fattr4Of } from '../fattr4.js';
import type { Fattr4Values } from '../fattr4.js';
import {
  NFS4ERR_ATTRNOTSUPP, NFS4ERR_BADSESSION, NFS4ERR_BAD_SEQID, NFS4ERR_BAD_STATEID, NFS4ERR_COMPLETE_ALREADY,
  NFS4ERR_INVAL, NFS4ERR_NOTSUPP, NFS4ERR_NO_GRACE, NFS4ERR_RECLAIM_BAD, NFS4ERR_RECLAIM_CONFLICT, NFS4ERR_SEQ_MISORDERED,
  NFS4ERR_STALE, NFS4_OK,
} from '../nfsstat4.js';
import * as O from '../opnum.js';
import type { openflag4, open_claim4, open_delegation4 } from '../ops-open.js';
import type { CREATE_SESSION4resok } from '../ops-session.js';
import { Nfs4 } from '../raw.js';
import type { Nfs4CallOptions } from '../raw.js';
import { Backoff, DEFAULT_BACKOFF } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { makeClientOwner } from './client-owner.js';
import type { ClientOwner } from './client-owner.js';
import { setclientid } from './clientid40.js';
import { LeaseRenewer } from './lease.js';
import { OpenOwner } from './open-owner.js';
import { Nfs4OpenFile, OpenState } from './open-state.js';
import { R_CLIENTID, R_DELAY, R_GRACE, R_OLD_STATEID, R_SESSION, R_STATEID, recoveryAction } from './recovery.js';
import type { RecoveryAction } from './recovery.js';
import { Nfs4Session, SessionLostError, createSession, exchangeId, newSessionCounters } from './session.js';
import type { SessionCounters, SessionSizes } from './session.js';

export interface Nfs4ClientOptions {
  /** The RPC client to the server's NFS port (hard or soft as the mount wants; AUTH_SYS normally). */
  rpc: RpcClient;
  /** 0: v4.0 (SETCLIENTID, open-owner seqids); 1 or 2: sessions (4.2 is spoken as 4.1). */
  minorversion: Nfs4MinorVersion;
  /** READ and WRITE sizes the session's channel is sized for (default 1 MiB). */
  rsize?: number;
  wsize?: number;
  /** Slots asked for (ca_maxrequests, default 64). */
  maxSlots?: number;
  /** The client's owner string (default: client-owner.ts). */
  clientOwner?: string | Buffer;
  /** DELAY and GRACE waits (default 100 ms doubling to 15 s, no budget). */
  backoff?: Partial<BackoffPolicy>;
  /** Renew the lease when idle (default true). */
  renewLease?: boolean;
  /** Bound on each COMPOUND of destroy(), ms (default 15 000): umount of a dead server ends. */
  destroyTimeoutMs?: number;
}

/** What one COMPOUND is about. */
export interface Nfs4Ctx {
  signal?: AbortSignal | undefined;
  /** The credential (AUTH_SYS) and open-owner of the call (default: the RPC client's). */
  cred?: Proc | undefined;
  tag?: string | undefined;
  /** The open whose stateid the COMPOUND's READ/WRITE/SETATTR/CLOSE use: kept current across recovery. */
  open?: Nfs4OpenFile | OpenState | undefined;
  /** Whether the COMPOUND may be executed twice harmlessly (default: from its operations); 4.1 caches the replies of the others. */
  idempotent?: boolean | undefined;
}

/** How open() creates a file (RFC 7530 §16.16.5, RFC 8881 §18.16.3). */
export interface Nfs4CreateHow {
  /** unchecked: O_CREAT; guarded: fail with EXIST; exclusive: O_CREAT|O_EXCL, safe to retransmit (verifier). */
  how: 'unchecked' | 'guarded' | 'exclusive';
  /** Attributes of the new file (mode ...). */
  attrs?: Fattr4Values;
  /** The exclusive create's verifier (default: 8 random bytes). */
  verifier?: Buffer;
}

export interface Nfs4OpenArgs {
  /** CLAIM_NULL: the directory and the name in it. Required in 4.0. */
  dir?: Buffer;
  name?: string;
  /** CLAIM_FH (4.1): the file itself. */
  fh?: Buffer;
  /** OPEN4_SHARE_ACCESS_READ, _WRITE or _BOTH (shareAccessOf(flags)). */
  access: number;
  create?: Nfs4CreateHow;
  /** O_TRUNC: the size is set to 0 (with the create's attributes, or a SETATTR after the open). */
  truncate?: boolean;
  /** Attributes returned with the open (default: none beyond what the caller asks). */
  attrRequest?: bitmap4;
}

export interface Nfs4Counters extends SessionCounters {
  compounds: number;
  delays: number;
  graceWaits: number;
  sessionRecoveries: number;
  clientRecoveries: number;
  reclaims: number;
  reopens: number;
  lostStates: number;
  staleStateidRetries: number;
  badSeqid: number;
  renewals: number;
  renewalFailures: number;
  delegReturns: number;
  opens: number;
  closes: number;
  downgrades: number;
  revokedFlags: number;
}

const MAX_RECOVERIES = 8;
const MAX_STATE_RETRIES = 4;
const ZERO_OTHER = Buffer.alloc(12);
const ONES_OTHER = Buffer.alloc(12, 0xff);

/* The operations after which a second execution would do something else: their 4.1 replies are cached. */
const NON_IDEMPOTENT = new Set<number>([
  O.OP_OPEN, O.OP_CLOSE, O.OP_OPEN_DOWNGRADE, O.OP_OPEN_CONFIRM, O.OP_CREATE, O.OP_REMOVE, O.OP_RENAME, O.OP_LINK,
  O.OP_SETATTR, O.OP_RECLAIM_COMPLETE, O.OP_DELEGRETURN, O.OP_FREE_STATEID,
]);
/* 4.0: operations that renew the lease when they succeed with a real stateid or the client ID (RFC 7530 §9.5). */
const RENEWS_40 = new Set<number>([O.OP_OPEN, O.OP_OPEN_CONFIRM, O.OP_OPEN_DOWNGRADE, O.OP_CLOSE, O.OP_RENEW, O.OP_READ, O.OP_WRITE, O.OP_SETATTR]);

function isSpecial(s: stateid4): boolean {
  return s === ANONYMOUS_STATEID || s === READ_BYPASS_STATEID || s.other.equals(ZERO_OTHER) || s.other.equals(ONES_OTHER);
}

/** OPEN4_SHARE_ACCESS_* of open(2) flags (O_RDONLY 0, O_WRONLY 1, O_RDWR 2). */
export function shareAccessOf(flags: number): number {
  const acc = flags & 3;
  return acc === 1 ? OPEN4_SHARE_ACCESS_WRITE : acc === 2 ? OPEN4_SHARE_ACCESS_BOTH : OPEN4_SHARE_ACCESS_READ;
}

export class Nfs4Client {
  readonly raw: Nfs4;
  readonly minorversion: Nfs4MinorVersion;
  /** 4.1 and later: sessions. */
  readonly sessions: boolean;
  readonly owner: ClientOwner;
  readonly counters: Nfs4Counters;
  /** The current client ID (null before establish()). */
  clientid: bigint | null = null;
  /** The current session (4.1). */
  session: Nfs4Session | null = null;
  /** The server's lease_time, seconds. */
  leaseTime = 90;
  readonly #rpc: RpcClient;
  readonly #sizes: SessionSizes;
  readonly #policy: BackoffPolicy;
  readonly #destroyTimeoutMs: number;
  readonly #renewEnabled: boolean;
  readonly #lease: LeaseRenewer;
  readonly #owners = new Map<string, OpenOwner>();
  readonly #opens = new Map<string, OpenState>();
  readonly #abort = new AbortController();
  #csSequence = 0;
  #epoch = 0;
  #recovery: Promise<void> | null = null;
  #establishing: Promise<void> | null = null;
  #revocationCheck: Promise<void> | null = null;
  #exclusive41 = true;
  #destroying: Promise<void> | null = null;

  constructor(o: Nfs4ClientOptions) {
    if (o.minorversion !== 0 && o.minorversion !== 1 && o.minorversion !== 2) throw new RangeError(`Nfs4Client: minorversion must be 0, 1 or 2, got ${String(o.minorversion)}`);
    this.#rpc = o.rpc;
    this.minorversion = o.minorversion;
    this.sessions = o.minorversion >= 1;
    this.raw = new Nfs4(o.rpc, o.minorversion);
    this.owner = makeClientOwner(o.clientOwner);
    this.#sizes = { rsize: o.rsize ?? 1 << 20, wsize: o.wsize ?? 1 << 20, maxSlots: o.maxSlots ?? 64 };
    this.#policy = { ...DEFAULT_BACKOFF, ...o.backoff };
    this.#destroyTimeoutMs = o.destroyTimeoutMs ?? 15_000;
    this.#renewEnabled = o.renewLease ?? true;
    this.counters = {
      ...newSessionCounters(), compounds: 0, delays: 0, graceWaits: 0, sessionRecoveries: 0, clientRecoveries: 0, reclaims: 0,
      reopens: 0, lostStates: 0, staleStateidRetries: 0, badSeqid: 0, renewals: 0, renewalFailures: 0, delegReturns: 0,
      opens: 0, closes: 0, downgrades: 0, revokedFlags: 0,
    };
    this.#lease = new LeaseRenewer(() => this.#renew(), this.leaseTime * 1000);
  }

  /** Largest READ the session allows (the rsize asked for in 4.0). */
  get maxRead(): number {
    return this.session === null ? this.#sizes.rsize : Math.min(this.#sizes.rsize, this.session.maxRead);
  }

  /** Largest WRITE the session allows (the wsize asked for in 4.0). */
  get maxWrite(): number {
    return this.session === null ? this.#sizes.wsize : Math.min(this.#sizes.wsize, this.session.maxWrite);
  }

  /** Open states held (one per open-owner and file). */
  get openStates(): readonly OpenState[] {
    return [...this.#opens.values()];
  }

  /** The lease renewer (tests: its timer must not hold the process). */
  get lease(): LeaseRenewer {
    return this.#lease;
  }

  /** Times the client ID or session was (re)established. */
  get epoch(): number {
    return this.#epoch;
  }

  #checkAlive(): void {
    if (this.#destroying !== null) throw new Nfs4Error(NFS4ERR_BADSESSION, { detail: 'the client was destroyed' });
  }

  #internal(): Nfs4CallOptions {
    return { signal: this.#abort.signal };
  }

  /**
   * Establish the client ID (and the session), and learn the lease time. Idempotent.
   * @throws Nfs4Error, the RPC errors.
   */
  establish(o?: Nfs4CallOptions): Promise<void> {
    this.#checkAlive();
    this.#establishing ??= this.#establish(o).catch((e: unknown) => {
      this.#establishing = null;
      throw e;
    });
    return this.#establishing;
  }

  async #establish(o?: Nfs4CallOptions): Promise<void> {
    await this.#establishClientId(o);
    if (this.sessions) await this.#reclaimComplete(o);
    const res = await this.#direct([putrootfh(), getattr([1 << 10 /* lease_time */])], o ?? this.#internal());
    const lt = res.resarray[1];
    if (res.status === NFS4_OK && lt !== undefined && lt.status === NFS4_OK && lt.resok4.obj_attributes.attr_vals.lease_time !== undefined) {
      this.leaseTime = Math.max(lt.resok4.obj_attributes.attr_vals.lease_time, 1);
    }
    this.#lease.leaseMs = this.leaseTime * 1000;
    this.#lease.renewed();
    this.#epoch++;
    if (this.#renewEnabled) this.#lease.start();
  }

  /* A client ID (and session), retrying DELAY. */
  async #establishClientId(o?: Nfs4CallOptions): Promise<void> {
    const opts = o ?? this.#internal();
    if (!this.sessions) {
      this.clientid = await this.#withDelay(() => setclientid(this.raw, this.owner, opts), opts);
      for (const ow of this.#owners.values()) ow.confirmed = false;
      return;
    }
    const eir = await this.#withDelay(() => exchangeId(this.raw, this.owner, opts), opts);
    this.clientid = eir.eir_clientid;
    this.#csSequence = eir.eir_sequenceid;
    const created = await this.#withDelay(() => createSession(this.raw, eir.eir_clientid, this.#csSequence, this.#sizes, opts), opts);
    this.#csSequence = (this.#csSequence + 1) >>> 0;
    this.#installSession(created);
  }

  #installSession(created: CREATE_SESSION4resok): void {
    const old = this.session;
    const s = new Nfs4Session(this.raw, this.clientid!, created, this.counters);
    s.onStatusFlags = (flags) => this.#onStatusFlags(flags);
    this.session = s;
    if (old !== null && !old.dead) old.kill(new SessionLostError(NFS4ERR_BADSESSION, old));
  }

  async #withDelay<R>(fn: () => Promise<R>, o: Nfs4CallOptions): Promise<R> {
    const b = new Backoff(this.#policy);
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        const act = e instanceof Nfs4Error ? recoveryAction(e.status) : 0;
        if ((act !== R_DELAY && act !== R_GRACE) || !b.canWait) throw e;
        this.counters.delays++;
        await b.wait(o.signal);
      }
    }
  }

  async #reclaimComplete(o?: Nfs4CallOptions): Promise<void> {
    const res = await this.#direct([{ argop: O.OP_RECLAIM_COMPLETE, args: { rca_one_fs: false } }], o ?? this.#internal(), true);
    if (res.status !== NFS4_OK && res.status !== NFS4ERR_COMPLETE_ALREADY) {
      throw new Nfs4Error(res.status, { op: 'RECLAIM_COMPLETE', compound: 'SEQUENCE RECLAIM_COMPLETE' });
    }
  }

  /* One COMPOUND as it stands: SEQUENCE first in 4.1. The lease counts as renewed by its reply. */
  async #send<const T extends readonly nfs_argop4[]>(ops: T, o: Nfs4CallOptions, cachethis: boolean): Promise<COMPOUND4res<T>> {
    this.counters.compounds++;
    if (this.sessions) {
      const s = this.session;
      if (s === null) throw new Nfs4Error(NFS4ERR_BADSESSION, { detail: 'no session: establish() first' });
      if (s.dead) throw new SessionLostError(NFS4ERR_BADSESSION, s);
      const { res } = await s.call(ops, { ...o, cachethis });
      this.#lease.renewed();
      return res;
    }
    const res = await this.raw.compound(ops, o);
    if (res.status === NFS4_OK && this.#renews40(ops)) this.#lease.renewed();
    return res;
  }

  #renews40(ops: readonly nfs_argop4[]): boolean {
    for (const op of ops) {
      if (!RENEWS_40.has(op.argop)) continue;
      const a = (op as { args?: { stateid?: stateid4 } }).args;
      if (a?.stateid === undefined || !isSpecial(a.stateid)) return true;
    }
    return false;
  }

  /* A COMPOUND without the recovery machinery (recovery's own): DELAY and GRACE waited out. */
  async #direct<const T extends readonly nfs_argop4[]>(ops: T, o: Nfs4CallOptions, cachethis = false): Promise<COMPOUND4res<T>> {
    let b: Backoff | null = null;
    for (;;) {
      const res = await this.#send(ops, o, cachethis);
      const act = recoveryAction(res.status);
      if (act !== R_DELAY && act !== R_GRACE) return res;
      b ??= new Backoff(this.#policy);
      if (!b.canWait) return res;
      if (act === R_DELAY) this.counters.delays++;
      else this.counters.graceWaits++;
      await b.wait(o.signal);
    }
  }

  #callOptions(ctx: Nfs4Ctx): Nfs4CallOptions {
    if (ctx.signal === undefined && ctx.cred === undefined && ctx.tag === undefined) return {};
    return { signal: ctx.signal, cred: ctx.cred, tag: ctx.tag };
  }

  /**
   * Send `ops` (SEQUENCE added in 4.1) with the recovery of the file comment. Resolves with the
   * COMPOUND's status and the results of `ops`: a status the client does not handle is the caller's.
   * @throws Nfs4Error (a SEQUENCE failure, an open lost in recovery, a recovery that failed),
   *         Nfs4ProtocolError, the RPC errors (RpcInterruptedError when ctx.signal fires ...).
   */
  compound<const T extends readonly nfs_argop4[]>(ops: T, ctx: Nfs4Ctx = {}): Promise<COMPOUND4res<T>> {
    return this.#compound(ops, ctx, null);
  }

  async #compound<T extends readonly nfs_argop4[]>(ops: T, ctx: Nfs4Ctx, owner: OpenOwner | null): Promise<COMPOUND4res<T>> {
    this.#checkAlive();
    const st = ctx.open === undefined ? null : ctx.open instanceof Nfs4OpenFile ? ctx.open.state : ctx.open;
    const cachethis = ctx.idempotent === undefined ? this.#nonIdempotent(ops) : !ctx.idempotent;
    const o = this.#callOptions(ctx);
    let backoff: Backoff | null = null;
    let recoveries = 0;
    let stateRetries = 0;
    for (;;) {
      if (this.#recovery !== null) await this.#recovery;
      this.#checkAlive();
      const epoch = this.#epoch;
      const session = this.session;
      if (st !== null) {
        if (st.lost !== 0) throw new Nfs4Error(st.lost, { compound: compoundName(ops), detail: 'the open was lost in a state recovery' });
        if (st.closed && owner === null) throw new Nfs4Error(NFS4ERR_BAD_STATEID, { compound: compoundName(ops), detail: 'the file was closed' });
        if (st.needsRecovery) {
          if (++stateRetries > MAX_STATE_RETRIES) throw new Nfs4Error(NFS4ERR_BAD_STATEID, { compound: compoundName(ops), detail: 'the open could not be recovered' });
          st.reopening ??= this.#reopenState(st, epoch).finally(() => {
            st.reopening = null;
          });
          await st.reopening;
          continue;
        }
        this.#prepareState(ops, st);
      }
      if (owner !== null) this.#prepareOwner(ops, owner);
      let res: COMPOUND4res<T>;
      try {
        res = await this.#send(ops, o, cachethis);
      } catch (e) {
        if (!(e instanceof SessionLostError)) throw e;
        if (++recoveries > MAX_RECOVERIES) throw new Nfs4Error(e.status, { compound: compoundName(ops), detail: `still failing after ${MAX_RECOVERIES} recoveries` });
        await this.#recover(R_SESSION, epoch, e.session);
        continue;
      }
      if (owner !== null && !this.sessions) this.#advanceOwner(ops, res, owner);
      if (res.status === NFS4_OK) return res;
      const act = recoveryAction(res.status);
      switch (act) {
        case R_DELAY:
        case R_GRACE:
          backoff ??= new Backoff(this.#policy);
          if (!backoff.canWait) return res;
          if (act === R_DELAY) this.counters.delays++;
          else this.counters.graceWaits++;
          await backoff.wait(ctx.signal);
          continue;
        case R_SESSION:
        case R_CLIENTID:
          if (++recoveries > MAX_RECOVERIES) return res;
          await this.#recover(act, epoch, session);
          continue;
        case R_STATEID:
          if (st === null || ++stateRetries > MAX_STATE_RETRIES) return res;
          st.needsRecovery = true;
          continue;
        case R_OLD_STATEID:
          if (st === null || ++stateRetries > MAX_STATE_RETRIES) return res;
          this.counters.staleStateidRetries++;
          continue;
        default:
          if (res.status === NFS4ERR_BAD_SEQID && owner !== null && !this.sessions && ++stateRetries <= 2 && this.#failedOp(res, ops) === O.OP_OPEN) {
            this.counters.badSeqid++;
            owner.retire();
            continue;
          }
          return res;
      }
    }
  }

  #nonIdempotent(ops: readonly nfs_argop4[]): boolean {
    for (const op of ops) if (NON_IDEMPOTENT.has(op.argop)) return true;
    return false;
  }

  #failedOp(res: COMPOUND4res, ops: readonly nfs_argop4[]): number {
    const n = (res.resarray as readonly unknown[]).length;
    return n === 0 ? -1 : ops[n - 1]!.argop;
  }

  /* The open's current stateid into the COMPOUND's I/O and state operations. */
  #prepareState(ops: readonly nfs_argop4[], st: OpenState): void {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      switch (op.argop) {
        case O.OP_READ:
        case O.OP_WRITE:
          if (!isSpecial(op.args.stateid)) (op.args as { stateid: stateid4 }).stateid = st.ioStateid;
          break;
        case O.OP_SETATTR:
          if (!isSpecial(op.args.stateid)) (op.args as { stateid: stateid4 }).stateid = st.ioStateid;
          break;
        case O.OP_CLOSE:
        case O.OP_OPEN_DOWNGRADE:
        case O.OP_OPEN_CONFIRM:
          (op.args as { open_stateid: stateid4 }).open_stateid = st.stateid;
          break;
        default:
          break;
      }
    }
  }

  /* The owner's current seqid (4.0), client ID and bytes into the COMPOUND's seqid operations. */
  #prepareOwner(ops: readonly nfs_argop4[], owner: OpenOwner): void {
    const seqid = this.sessions ? 0 : owner.seqid;
    for (const op of ops) {
      switch (op.argop) {
        case O.OP_OPEN: {
          const a = op.args as { seqid: number; owner: { clientid: bigint; owner: Buffer } };
          a.seqid = seqid;
          a.owner = { clientid: this.clientid!, owner: owner.owner };
          break;
        }
        case O.OP_CLOSE:
        case O.OP_OPEN_DOWNGRADE:
        case O.OP_OPEN_CONFIRM:
          (op.args as { seqid: number }).seqid = seqid;
          break;
        default:
          break;
      }
    }
  }

  /* 4.0: the owner's sequence moves on for each of its operations the server executed. */
  #advanceOwner(ops: readonly nfs_argop4[], res: COMPOUND4res, owner: OpenOwner): void {
    const results = res.resarray as readonly ({ status: number } | undefined)[];
    for (let i = 0; i < results.length; i++) {
      const a = ops[i]!.argop;
      if (a === O.OP_OPEN || a === O.OP_CLOSE || a === O.OP_OPEN_DOWNGRADE || a === O.OP_OPEN_CONFIRM) owner.advance(results[i]!.status);
    }
  }

  /* ---------------- recovery ---------------- */

  /* Run (or join) a recovery, unless one already happened since `epoch` (or replaced `session`). */
  async #recover(kind: RecoveryAction, epoch: number, session: Nfs4Session | null): Promise<void> {
    if (this.#recovery !== null) {
      await this.#recovery;
      return;
    }
    if (epoch !== this.#epoch) return;
    if (kind === R_SESSION && session !== null && session !== this.session) return;
    this.#recovery = (kind === R_SESSION ? this.#newSession() : this.#reestablish())
      .then(() => {
        this.#epoch++;
      })
      .finally(() => {
        this.#recovery = null;
      });
    await this.#recovery;
  }

  /* A new session on the client ID; a lost client ID makes it a full re-establishment. */
  async #newSession(): Promise<void> {
    this.counters.sessionRecoveries++;
    const o = this.#internal();
    const old = this.session;
    if (old !== null && !old.dead) old.kill(new SessionLostError(NFS4ERR_BADSESSION, old));
    let created: CREATE_SESSION4resok;
    try {
      created = await this.#withDelay(() => createSession(this.raw, this.clientid!, this.#csSequence, this.#sizes, o), o);
    } catch (e) {
      if (!(e instanceof Nfs4Error)) throw e;
      const act = recoveryAction(e.status);
      if (act === R_CLIENTID) return this.#reestablish();
      if (e.status !== NFS4ERR_SEQ_MISORDERED) throw e;
      /* The server's sequence for CREATE_SESSION is not ours: ask it (EXCHANGE_ID of the same owner). */
      const eir = await this.#withDelay(() => exchangeId(this.raw, this.owner, o), o);
      if (eir.eir_clientid !== this.clientid) return this.#reestablish();
      this.#csSequence = eir.eir_sequenceid;
      created = await this.#withDelay(() => createSession(this.raw, this.clientid!, this.#csSequence, this.#sizes, o), o);
    }
    this.#csSequence = (this.#csSequence + 1) >>> 0;
    this.#installSession(created);
  }

  /*
   * A new client ID with every open reclaimed or reopened (see the file comment). A reclaim or
   * reopen that meets a lost client ID or session again (the server restarted once more) starts
   * it over, at most three times.
   */
  async #reestablish(): Promise<void> {
    this.counters.clientRecoveries++;
    const o = this.#internal();
    const states = [...this.#opens.values()].filter((s) => !s.closed && s.lost === 0);
    for (const s of states) s.needsRecovery = true;
    for (let attempt = 1; ; attempt++) {
      const old = this.session;
      if (old !== null && !old.dead) old.kill(new SessionLostError(NFS4ERR_BADSESSION, old));
      await this.#establishClientId(o);
      try {
        const reopen: OpenState[] = [];
        for (const s of states) {
          if (s.closed || !s.needsRecovery) continue;
          if (!(await this.#reclaim(s, o))) reopen.push(s);
        }
        if (this.sessions) await this.#reclaimComplete(o);
        for (const s of reopen) await this.#reopen(s, o);
        return;
      } catch (e) {
        const again = e instanceof SessionLostError || (e instanceof Nfs4Error && recoveryAction(e.status) >= R_SESSION && recoveryAction(e.status) <= R_CLIENTID);
        if (!again || attempt >= 3) throw e;
      }
    }
  }

  /* OPEN with CLAIM_PREVIOUS. False: to be reopened instead; lost states are marked. */
  async #reclaim(s: OpenState, o: Nfs4CallOptions): Promise<boolean> {
    const claim: open_claim4 = { claim: CLAIM_PREVIOUS, delegate_type: OPEN_DELEGATE_NONE };
    const r = await this.#openState(s, [putfh(s.fh)], claim, o);
    if (r === NFS4_OK) {
      this.counters.reclaims++;
      return true;
    }
    if (r === NFS4ERR_NO_GRACE || r === NFS4ERR_RECLAIM_BAD || r === NFS4ERR_RECLAIM_CONFLICT) return false;
    this.#loseOrThrow(s, r);
    return true;
  }

  /* Open a state's file again without a reclaim: CLAIM_FH (4.1) or CLAIM_NULL by name (4.0). */
  async #reopen(s: OpenState, o: Nfs4CallOptions): Promise<void> {
    let r: number;
    if (this.sessions) {
      r = await this.#openState(s, [putfh(s.fh)], { claim: CLAIM_FH }, o);
    } else if (s.dir !== null && s.name !== null) {
      r = await this.#openState(s, [putfh(s.dir)], { claim: CLAIM_NULL, file: s.name }, o, true);
    } else {
      r = NFS4ERR_STALE;
    }
    if (r === NFS4_OK) this.counters.reopens++;
    else this.#loseOrThrow(s, r);
  }

  /* A lost client ID or session is not the open's fault: thrown, for the recovery to start over. */
  #loseOrThrow(s: OpenState, status: number): void {
    const act = recoveryAction(status);
    if (act === R_CLIENTID || act === R_SESSION) throw new Nfs4Error(status, { op: 'OPEN', detail: 'while recovering the opens' });
    this.#lose(s, status);
  }

  #lose(s: OpenState, status: number): void {
    s.lost = status;
    s.needsRecovery = false;
    this.counters.lostStates++;
  }

  /*
   * OPEN (NOCREATE) of an existing state's file with `claim` after `head` (PUTFH), its access and
   * owner; the new stateid is taken. 4.0: OPEN_CONFIRM when asked, and with `checkFh` the handle
   * opened must be the state's (a name can since have been given to another file). Returns the status.
   */
  async #openState(s: OpenState, head: nfs_argop4[], claim: open_claim4, o: Nfs4CallOptions, checkFh = false): Promise<number> {
    const owner = s.owner;
    const access = s.access === 0 ? OPEN4_SHARE_ACCESS_READ : s.access;
    for (let attempt = 0; ; attempt++) {
      const ops = [
        ...head,
        {
          argop: O.OP_OPEN,
          args: {
            seqid: this.sessions ? 0 : owner.seqid,
            share_access: access | (this.sessions ? OPEN4_SHARE_ACCESS_WANT_NO_DELEG : 0),
            share_deny: s.deny,
            owner: { clientid: this.clientid!, owner: owner.owner },
            openhow: { opentype: OPEN4_NOCREATE },
            claim,
          },
        },
        getfh(),
      ] as const;
      const res = await this.#direct(ops, o, true);
      if (!this.sessions) this.#advanceOwner(ops, res, owner);
      const openRes = res.resarray[head.length] as { status: number; resok4?: { stateid: stateid4; rflags: number; delegation: open_delegation4 } } | undefined;
      if (openRes === undefined) return res.status;
      if (openRes.status === NFS4ERR_BAD_SEQID && !this.sessions && attempt === 0) {
        this.counters.badSeqid++;
        owner.retire();
        continue;
      }
      if (openRes.status !== NFS4_OK) return openRes.status;
      const ok = openRes.resok4!;
      const fhRes = res.resarray[head.length + 1] as { status: number; resok4?: { object: Buffer } } | undefined;
      s.setStateid(ok.stateid);
      s.needsRecovery = false;
      this.#returnDelegation(fhRes?.resok4?.object ?? s.fh, ok.delegation);
      if (!this.sessions) {
        if ((ok.rflags & OPEN4_RESULT_CONFIRM) !== 0) {
          const c = await this.#confirm(s, o);
          if (c !== NFS4_OK) return c;
        } else owner.confirmed = true;
      }
      if (checkFh && fhRes?.status === NFS4_OK && !fhRes.resok4!.object.equals(s.fh)) return NFS4ERR_STALE;
      return NFS4_OK;
    }
  }

  /* 4.0 OPEN_CONFIRM of a state just opened by a new owner. */
  async #confirm(s: OpenState, o: Nfs4CallOptions): Promise<number> {
    const ops = [putfh(s.fh), { argop: O.OP_OPEN_CONFIRM, args: { open_stateid: s.stateid, seqid: s.owner.seqid } }] as const;
    const res = await this.#direct(ops, o, true);
    this.#advanceOwner(ops, res, s.owner);
    const r = res.resarray[1];
    if (r === undefined) return res.status;
    if (r.status !== NFS4_OK) return r.status;
    s.setStateid(r.resok4.open_stateid);
    s.owner.confirmed = true;
    return NFS4_OK;
  }

  /* A state needing recovery outside a client recovery (BAD_STATEID, revoked): reopened once. */
  async #reopenState(s: OpenState, epoch: number): Promise<void> {
    try {
      await this.#reopen(s, this.#internal());
    } catch (e) {
      if (e instanceof SessionLostError) {
        await this.#recover(R_SESSION, epoch, e.session);
        return;
      }
      const act = e instanceof Nfs4Error ? recoveryAction(e.status) : 0;
      if (act !== R_CLIENTID && act !== R_SESSION) throw e;
      /* The reopen met a lost client ID or session: recover that (which reopens the state). */
      await this.#recover(act, epoch, this.session);
    }
  }

  #onStatusFlags(flags: number): void {
    if ((flags & SEQ4_STATUS_RESTART_RECLAIM_NEEDED) !== 0) {
      void this.#recover(R_CLIENTID, this.#epoch, this.session).catch(() => undefined);
      return;
    }
    const revoked = SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED | SEQ4_STATUS_EXPIRED_SOME_STATE_REVOKED |
      SEQ4_STATUS_ADMIN_STATE_REVOKED | SEQ4_STATUS_RECALLABLE_STATE_REVOKED;
    if ((flags & revoked) !== 0 && this.#revocationCheck === null) {
      this.counters.revokedFlags++;
      this.#revocationCheck = this.#checkRevoked().catch(() => undefined).finally(() => {
        this.#revocationCheck = null;
      });
    }
  }

  /* TEST_STATEID of every open; the revoked ones are freed and reopened at their next use. */
  async #checkRevoked(): Promise<void> {
    const states = [...this.#opens.values()].filter((s) => !s.closed && s.lost === 0 && !s.needsRecovery);
    if (states.length === 0) return;
    const o = this.#internal();
    const res = await this.#direct([{ argop: O.OP_TEST_STATEID, args: { ts_stateids: states.map((s) => s.stateid) } }], o);
    const r = res.resarray[0];
    if (r === undefined || r.status !== NFS4_OK) return;
    const codes = r.tsr_resok4.tsr_status_codes;
    for (let i = 0; i < states.length && i < codes.length; i++) {
      if (codes[i] === NFS4_OK) continue;
      const s = states[i]!;
      await this.#direct([{ argop: O.OP_FREE_STATEID, args: { fsa_stateid: s.stateid } }], o, true);
      s.needsRecovery = true;
    }
  }

  /* A delegation this client did not want (it serves no callbacks): given straight back. */
  #returnDelegation(fh: Buffer, d: open_delegation4): void {
    let sid: stateid4 | null = null;
    if (d.delegation_type === OPEN_DELEGATE_READ) sid = d.read.stateid;
    else if (d.delegation_type === OPEN_DELEGATE_WRITE) sid = d.write.stateid;
    if (sid === null) return;
    this.counters.delegReturns++;
    const deleg = sid;
    void this.#direct([putfh(fh), { argop: O.OP_DELEGRETURN, args: { deleg_stateid: deleg } }], this.#internal(), true).catch(() => undefined);
  }

  /* ---------------- lease ---------------- */

  async #renew(): Promise<void> {
    if (this.#destroying !== null || this.#recovery !== null || this.clientid === null) return;
    const epoch = this.#epoch;
    const session = this.session;
    try {
      let status: number;
      if (this.sessions) {
        status = (await this.#send([], this.#internal(), false)).status;
      } else {
        const res = await this.raw.compound([{ argop: O.OP_RENEW, args: { clientid: this.clientid } }], this.#internal());
        status = res.status;
        if (status === NFS4_OK || status === 10048 /* NFS4ERR_CB_PATH_DOWN: renewed all the same */) {
          this.#lease.renewed();
          status = NFS4_OK;
        }
      }
      if (status === NFS4_OK) {
        this.counters.renewals++;
        return;
      }
      this.counters.renewalFailures++;
      const act = recoveryAction(status);
      if (act === R_SESSION || act === R_CLIENTID) await this.#recover(act, epoch, session);
    } catch (e) {
      this.counters.renewalFailures++;
      if (e instanceof SessionLostError) await this.#recover(R_SESSION, epoch, e.session);
    }
  }

  /* ---------------- open and close ---------------- */

  #ownerFor(cred: Proc | undefined): OpenOwner {
    const p = cred ?? this.#rpc.options.proc;
    const key = `${p.p_ucred.cr_uid}:${p.p_ucred.cr_gid}`;
    let ow = this.#owners.get(key);
    if (ow === undefined) {
      ow = new OpenOwner(key, `sonfs-open/${key}`);
      this.#owners.set(key, ow);
    }
    return ow;
  }

  /**
   * OPEN a file (by directory and name, or in 4.1 by handle), creating it as `create` says, with
   * the share access given and no deny; the new open is merged with this owner's other opens of
   * the file (open-state.ts). In 4.0 a new owner's first open is confirmed (OPEN_CONFIRM). A
   * delegation, which this client does not ask for, is returned at once.
   * @throws Nfs4Error (NOENT, EXIST, ACCESS ...), RangeError for bad arguments, the RPC errors.
   */
  async open(a: Nfs4OpenArgs, ctx: Nfs4Ctx = {}): Promise<Nfs4OpenFile> {
    this.#checkAlive();
    const access = a.access;
    if (access !== OPEN4_SHARE_ACCESS_READ && access !== OPEN4_SHARE_ACCESS_WRITE && access !== OPEN4_SHARE_ACCESS_BOTH) {
      throw new RangeError(`open: access must be OPEN4_SHARE_ACCESS_READ, _WRITE or _BOTH, got ${access}`);
    }
    const byFh = a.fh !== undefined && this.sessions && a.create === undefined;
    if (!byFh && (a.dir === undefined || a.name === undefined)) {
      throw new RangeError(this.sessions ? 'open: give dir and name (or fh, without create)' : 'open: v4.0 opens by dir and name');
    }
    const owner = this.#ownerFor(ctx.cred);
    return owner.exclusive(async () => {
      let created = false;
      let exclusive41 = a.create?.how === 'exclusive' && this.sessions && this.#exclusive41;
      for (;;) {
        const openhow = this.#openhow(a, exclusive41);
        const claim: open_claim4 = byFh ? { claim: CLAIM_FH } : { claim: CLAIM_NULL, file: a.name! };
        const ops = [
          putfh(byFh ? a.fh! : a.dir!),
          {
            argop: O.OP_OPEN,
            args: {
              seqid: 0,
              share_access: access | (this.sessions ? OPEN4_SHARE_ACCESS_WANT_NO_DELEG : 0),
              share_deny: 0,
              owner: { clientid: 0n, owner: owner.owner },
              openhow,
              claim,
            },
          },
          getfh(),
          getattr(a.attrRequest ?? []),
        ] as const;
        const res = await this.#compound(ops, ctx, owner);
        const openRes = res.resarray[1];
        if (openRes === undefined || openRes.status !== NFS4_OK) {
          const status = openRes?.status ?? res.status;
          if (exclusive41 && (status === NFS4ERR_INVAL || status === NFS4ERR_NOTSUPP || status === NFS4ERR_ATTRNOTSUPP)) {
            /* A server without EXCLUSIVE4_1 (RFC 8881 §18.16.3): EXCLUSIVE4 and a SETATTR. */
            this.#exclusive41 = false;
            exclusive41 = false;
            continue;
          }
          throw new Nfs4Error(status, { op: openRes === undefined ? undefined : 'OPEN', compound: compoundName(ops) });
        }
        const ok = openRes.resok4;
        const fhRes = res.resarray[2];
        if (fhRes === undefined || fhRes.status !== NFS4_OK) {
          throw new Nfs4Error(fhRes?.status ?? res.status, { op: 'GETFH', compound: compoundName(ops), detail: 'the file was opened but its handle not returned' });
        }
        const fh = fhRes.resok4.object;
        const attrs = res.resarray[3]?.status === NFS4_OK ? res.resarray[3].resok4.obj_attributes.attr_vals : {};
        created = openhow.opentype === OPEN4_CREATE && ok.cinfo.before !== ok.cinfo.after;
        const key = `${owner.key}/${fh.toString('hex')}`;
        let s = this.#opens.get(key);
        if (s === undefined || s.closed || s.lost !== 0) {
          s = new OpenState(owner, fh, ok.stateid, this.sessions, a.dir ?? null, a.name ?? null);
          this.#opens.set(key, s);
        } else {
          s.setStateid(ok.stateid);
          if (a.dir !== undefined) {
            s.dir = a.dir;
            s.name = a.name ?? s.name;
          }
        }
        s.access |= access;
        s.count(access, 1);
        this.counters.opens++;
        this.#returnDelegation(fh, ok.delegation);
        const file = new Nfs4OpenFile(s, access, attrs, created);
        try {
          if (!this.sessions) {
            if ((ok.rflags & OPEN4_RESULT_CONFIRM) !== 0) {
              const c = await this.#confirmOpen(s, ctx, owner);
              if (c !== NFS4_OK) throw new Nfs4Error(c, { op: 'OPEN_CONFIRM', compound: 'PUTFH OPEN_CONFIRM' });
            } else owner.confirmed = true;
          }
          await this.#afterOpen(a, file, openhow, ok.attrset, ctx);
        } catch (e) {
          await this.#closeLocked(file, ctx).catch(() => undefined);
          throw e;
        }
        return file;
      }
    });
  }

  #openhow(a: Nfs4OpenArgs, exclusive41: boolean): openflag4 {
    const c = a.create;
    if (c === undefined) return { opentype: OPEN4_NOCREATE };
    const attrs: Fattr4Values = { ...c.attrs };
    if (c.how === 'exclusive') {
      const verf = c.verifier ?? randomBytes(8);
      c.verifier = verf;
      if (exclusive41) return { opentype: OPEN4_CREATE, how: { mode: EXCLUSIVE4_1, ch_createboth: { cva_verf: verf, cva_attrs: fattr4Of(attrs) } } };
      return { opentype: OPEN4_CREATE, how: { mode: EXCLUSIVE4, createverf: verf } };
    }
    if (a.truncate) attrs.size = 0n;
    return { opentype: OPEN4_CREATE, how: { mode: c.how === 'guarded' ? GUARDED4 : UNCHECKED4, createattrs: fattr4Of(attrs) } };
  }

  /*
   * After an OPEN: EXCLUSIVE4 kept its verifier in attributes (attrset), which are set now with
   * the ones asked for (RFC 7530 §16.16.5); O_TRUNC of an open that did not create.
   */
  async #afterOpen(a: Nfs4OpenArgs, file: Nfs4OpenFile, openhow: openflag4, attrset: bitmap4, ctx: Nfs4Ctx): Promise<void> {
    const values: Fattr4Values = {};
    if (openhow.opentype === OPEN4_CREATE && openhow.how.mode === EXCLUSIVE4) {
      Object.assign(values, a.create?.attrs);
      /* time_access / time_modify (47, 53), or their _set forms (48, 54), hold the verifier. */
      const w1 = attrset.length > 1 ? attrset[1]! : 0;
      if ((w1 & ((1 << (47 - 32)) | (1 << (48 - 32)))) !== 0) values.time_access_set = { set_it: 0 };
      if ((w1 & ((1 << (53 - 32)) | (1 << (54 - 32)))) !== 0) values.time_modify_set = { set_it: 0 };
      if (a.truncate) values.size = 0n;
    } else if (a.truncate && openhow.opentype === OPEN4_NOCREATE) {
      values.size = 0n;
    }
    if (Object.keys(values).length === 0) return;
    const ops = [putfh(file.fh), setattr(values, file.state.ioStateid), getattr(a.attrRequest ?? [])] as const;
    const res = await this.compound(ops, { ...ctx, open: file });
    const sr = res.resarray[1];
    if (sr === undefined || sr.status !== NFS4_OK) throw new Nfs4Error(sr?.status ?? res.status, { op: 'SETATTR', compound: compoundName(ops) });
    const g = res.resarray[2];
    if (g !== undefined && g.status === NFS4_OK) file.attrs = g.resok4.obj_attributes.attr_vals;
  }

  async #confirmOpen(s: OpenState, ctx: Nfs4Ctx, owner: OpenOwner): Promise<number> {
    const ops = [putfh(s.fh), { argop: O.OP_OPEN_CONFIRM, args: { open_stateid: s.stateid, seqid: 0 } }] as const;
    const res = await this.#compound(ops, { ...ctx, open: s }, owner);
    const r = res.resarray[1];
    if (r === undefined) return res.status;
    if (r.status !== NFS4_OK) return r.status;
    s.setStateid(r.resok4.open_stateid);
    owner.confirmed = true;
    return NFS4_OK;
  }

  /**
   * Close one open(): CLOSE when it was the owner's last open of the file, OPEN_DOWNGRADE when the
   * others need less access. The server's answer does not make close fail: whatever it says, the
   * client holds nothing more (a state lost in recovery has nothing to close). Idempotent.
   * @throws only the RPC errors (interruption, soft timeout).
   */
  async close(file: Nfs4OpenFile, ctx: Nfs4Ctx = {}): Promise<void> {
    if (file.closed) return;
    await file.state.owner.exclusive(() => this.#closeLocked(file, ctx));
  }

  async #closeLocked(file: Nfs4OpenFile, ctx: Nfs4Ctx): Promise<void> {
    if (file.closed) return;
    file.closed = true;
    const s = file.state;
    s.count(file.access, -1);
    if (s.closed) return;
    const key = `${s.owner.key}/${s.fh.toString('hex')}`;
    if (s.lost !== 0) {
      if (s.opens === 0) {
        s.closed = true;
        if (this.#opens.get(key) === s) this.#opens.delete(key);
      }
      return;
    }
    const need = s.neededAccess();
    if (need === 0) {
      const ops = [putfh(s.fh), { argop: O.OP_CLOSE, args: { seqid: 0, open_stateid: s.stateid } }] as const;
      s.closed = true;
      if (this.#opens.get(key) === s) this.#opens.delete(key);
      this.counters.closes++;
      try {
        await this.#compound(ops, { ...ctx, open: undefined }, s.owner);
      } catch (e) {
        if (e instanceof Nfs4Error) return;
        throw e;
      }
      return;
    }
    if (need !== s.access && (need & s.access) === need) {
      const ops = [putfh(s.fh), { argop: O.OP_OPEN_DOWNGRADE, args: { open_stateid: s.stateid, seqid: 0, share_access: need, share_deny: s.deny } }] as const;
      const res = await this.#compound(ops, { ...ctx, open: s }, s.owner);
      const r = res.resarray[1];
      if (r !== undefined && r.status === NFS4_OK) {
        s.setStateid(r.resok4.open_stateid);
        s.access = need;
        this.counters.downgrades++;
      }
    }
  }

  /* ---------------- shutdown ---------------- */

  /**
   * Close what is still open, then DESTROY_SESSION and DESTROY_CLIENTID (4.1); stop the lease
   * timer. Each step is bounded (destroyTimeoutMs) and its failure ignored: the server's lease
   * ends what it still holds. Idempotent.
   */
  destroy(): Promise<void> {
    this.#destroying ??= this.#destroy();
    return this.#destroying;
  }

  async #destroy(): Promise<void> {
    this.#lease.stop();
    const o: Nfs4CallOptions = { timeout: this.#destroyTimeoutMs, soft: true };
    if (this.#recovery !== null) {
      this.#abort.abort(new Error('the NFSv4 client is being destroyed'));
      await this.#recovery.catch(() => undefined);
    }
    for (const s of [...this.#opens.values()]) {
      if (s.closed || s.lost !== 0 || s.needsRecovery) continue;
      s.closed = true;
      const ops = [putfh(s.fh), { argop: O.OP_CLOSE, args: { seqid: this.sessions ? 0 : s.owner.seqid, open_stateid: s.stateid } }] as const;
      try {
        const res = await this.#send(ops, o, true);
        if (!this.sessions) this.#advanceOwner(ops, res, s.owner);
      } catch {
        /* the lease will end it */
      }
    }
    this.#opens.clear();
    if (this.sessions && this.session !== null) {
      const s = this.session;
      try {
        await this.raw.compound([{ argop: O.OP_DESTROY_SESSION, args: { dsa_sessionid: s.sessionid } }], o);
      } catch {
        /* the server reaps it with the lease */
      }
      s.kill(new Nfs4Error(NFS4ERR_BADSESSION, { detail: 'the session was destroyed' }));
      if (this.clientid !== null) {
        try {
          await this.raw.compound([{ argop: O.OP_DESTROY_CLIENTID, args: { dca_clientid: this.clientid } }], o);
        } catch {
          /* idem */
        }
      }
    }
    this.clientid = null;
    if (!this.#abort.signal.aborted) this.#abort.abort(new Error('the NFSv4 client was destroyed'));
  }
}

