/*
 * A v4.1 session (RFC 8881 §2.10): the client ID from EXCHANGE_ID, the session from
 * CREATE_SESSION, and the SEQUENCE that opens every COMPOUND on it.
 *
 * Channel attributes (§18.36.3) are asked for from the mount's sizes: requests of wsize bytes of
 * data and replies of rsize (or a 64 KiB READDIR, whichever is larger), each with room for the
 * RPC and COMPOUND headers (CHANNEL_OVERHEAD: an AUTH_SYS credential with 16 groups and a long
 * host name, SEQUENCE, PUTFH of the largest handle, the operation's own fields); cached replies
 * up to 16 KiB; 16 operations; `maxSlots` slots. The server's answer is what counts: maxRead and
 * maxWrite are derived from it, and COMPOUNDs are checked against its ca_maxoperations.
 *
 * call() prepends SEQUENCE, waits for a slot, and handles what SEQUENCE itself answers (§2.10.6,
 * §15.1.11, slot-table.ts):
 *   OK                       the slot moves on; highest/target slot ids taken; the other results returned
 *   SEQ_MISORDERED           after an abandoned request: one step back and again; otherwise once more
 *                            at sequence id 1 (a slot the server re-created); then the session is lost
 *   BADSLOT / BAD_HIGH_SLOT  the slot, or the highest one sent, is beyond the server's: fewer slots, again
 *   SEQ_FALSE_RETRY, RETRY_UNCACHED_REP   the sequence id is used up at the server: the next one, again
 *   DELAY                    the slot is busy at the server (a retry of ours still running): same
 *                            sequence id again after a wait
 *   BADSESSION, DEADSESSION, CONN_NOT_BOUND_TO_SESSION   SessionLostError: the client makes a new session
 *   anything else            Nfs4Error naming SEQUENCE
 * A reply naming another session, slot or sequence id is an Nfs4ProtocolError. A request that got
 * no reply (interrupted, timed out, undecodable) leaves its slot `abandoned` (slot-table.ts).
 */

import { RpcQueueFullError, XdrEncodeError } from '../../../rpc/index.js';
import type { COMPOUND4res, nfs_argop4 } from '../compound.js';
import { compoundName } from '../compound.js';
import {
  AUTH_NONE_FLAVOR, EXCHGID4_FLAG_SUPP_MOVED_REFER, SP4_NONE,
} from '../constants.js';
import { Nfs4Error, Nfs4ProtocolError } from '../errors.js';
import {
  NFS4ERR_BADSESSION, NFS4ERR_BADSLOT, NFS4ERR_BAD_HIGH_SLOT, NFS4ERR_CONN_NOT_BOUND_TO_SESSION, NFS4ERR_DEADSESSION,
  NFS4ERR_DELAY, NFS4ERR_RETRY_UNCACHED_REP, NFS4ERR_SEQ_FALSE_RETRY, NFS4ERR_SEQ_MISORDERED, NFS4_OK,
} from '../nfsstat4.js';
import { OP_CREATE_SESSION, OP_EXCHANGE_ID, OP_SEQUENCE } from '../opnum.js';
import type { channel_attrs4, CREATE_SESSION4resok, EXCHANGE_ID4resok, SEQUENCE4resok } from '../ops-session.js';
import type { Nfs4, Nfs4CallOptions } from '../raw.js';
import { sleep } from './backoff.js';
import type { ClientOwner } from './client-owner.js';
import { Slot, SlotTable } from './slot-table.js';

/** Room for the RPC and COMPOUND headers around a READ's or WRITE's data (see the file comment). */
export const CHANNEL_OVERHEAD = 2048;
const READDIR_ROOM = 65536;
const CALLBACK_PROGRAM = 0x40000000;
/** Slot-level retries of one COMPOUND before giving up (each answers a distinct server complaint). */
const MAX_SLOT_RETRIES = 32;

/** The session was lost (BADSESSION, DEADSESSION, ...): the client must make a new one. */
export class SessionLostError extends Error {
  override name = 'SessionLostError';
  constructor(readonly status: number, readonly session: Nfs4Session) {
    super(`session lost (${status})`);
  }
}

export interface SessionSizes {
  rsize: number;
  wsize: number;
  maxSlots: number;
}

/** What this client asks for on the fore channel. */
export function foreChannelAttrs(s: SessionSizes): channel_attrs4 {
  return {
    ca_headerpadsize: 0,
    ca_maxrequestsize: Math.max(s.wsize, 4096) + CHANNEL_OVERHEAD,
    ca_maxresponsesize: Math.max(s.rsize, READDIR_ROOM) + CHANNEL_OVERHEAD,
    ca_maxresponsesize_cached: 16384,
    ca_maxoperations: 16,
    ca_maxrequests: s.maxSlots,
    ca_rdma_ird: [],
  };
}

/* The back channel is never used (no CREATE_SESSION4_FLAG_CONN_BACK_CHAN): the smallest valid one. */
const BACK_CHANNEL: channel_attrs4 = Object.freeze({
  ca_headerpadsize: 0, ca_maxrequestsize: 4096, ca_maxresponsesize: 4096, ca_maxresponsesize_cached: 0,
  ca_maxoperations: 2, ca_maxrequests: 1, ca_rdma_ird: [],
}) as channel_attrs4;

/** EXCHANGE_ID (SP4_NONE). @throws Nfs4Error with its status. */
export async function exchangeId(raw: Nfs4, owner: ClientOwner, o?: Nfs4CallOptions): Promise<EXCHANGE_ID4resok> {
  const res = await raw.compound([{
    argop: OP_EXCHANGE_ID,
    args: {
      eia_clientowner: { co_verifier: owner.verifier, co_ownerid: owner.ownerid },
      eia_flags: EXCHGID4_FLAG_SUPP_MOVED_REFER,
      eia_state_protect: { spa_how: SP4_NONE },
      eia_client_impl_id: [{ nii_domain: 'sonfs.invalid', nii_name: 'sonfs', nii_date: { seconds: 0, nseconds: 0 } }],
    },
  }], o);
  const r = res.resarray[0];
  if (r === undefined || r.status !== NFS4_OK) throw new Nfs4Error(r?.status ?? res.status, { op: 'EXCHANGE_ID', compound: 'EXCHANGE_ID' });
  return r.eir_resok4;
}

/** CREATE_SESSION. @throws Nfs4Error with its status. */
export async function createSession(raw: Nfs4, clientid: bigint, sequence: number, sizes: SessionSizes, o?: Nfs4CallOptions): Promise<CREATE_SESSION4resok> {
  const res = await raw.compound([{
    argop: OP_CREATE_SESSION,
    args: {
      csa_clientid: clientid,
      csa_sequence: sequence,
      csa_flags: 0,
      csa_fore_chan_attrs: foreChannelAttrs(sizes),
      csa_back_chan_attrs: BACK_CHANNEL,
      csa_cb_program: CALLBACK_PROGRAM,
      csa_sec_parms: [{ cb_secflavor: AUTH_NONE_FLAVOR }],
    },
  }], o);
  const r = res.resarray[0];
  if (r === undefined || r.status !== NFS4_OK) throw new Nfs4Error(r?.status ?? res.status, { op: 'CREATE_SESSION', compound: 'CREATE_SESSION' });
  return r.csr_resok4;
}

export interface SessionCallOptions extends Nfs4CallOptions {
  /** sa_cachethis: the server keeps the reply for a retry (non-idempotent COMPOUNDs). */
  cachethis?: boolean;
}

/** Counters of one client's sessions (shared across its sessions). */
export interface SessionCounters {
  sequences: number;
  slotWaits: number;
  misordered: number;
  badSlot: number;
  falseRetry: number;
  sequenceDelays: number;
}

export function newSessionCounters(): SessionCounters {
  return { sequences: 0, slotWaits: 0, misordered: 0, badSlot: 0, falseRetry: 0, sequenceDelays: 0 };
}

const SEQ_DELAY_FIRST_MS = 50;
const SEQ_DELAY_MAX_MS = 2000;

export class Nfs4Session {
  readonly table: SlotTable;
  readonly sessionid: Buffer;
  readonly fore: channel_attrs4;
  /** Called with sr_status_flags when a SEQUENCE reply carries any. */
  onStatusFlags: ((flags: number) => void) | null = null;
  #dead = false;

  constructor(
    readonly raw: Nfs4,
    readonly clientid: bigint,
    created: CREATE_SESSION4resok,
    readonly counters: SessionCounters = newSessionCounters(),
  ) {
    this.sessionid = created.csr_sessionid;
    this.fore = created.csr_fore_chan_attrs;
    if (this.fore.ca_maxrequests < 1) throw new Nfs4ProtocolError(`CREATE_SESSION granted ${this.fore.ca_maxrequests} slots`);
    this.table = new SlotTable(Math.min(this.fore.ca_maxrequests, 1024));
  }

  /** Largest READ data the session's replies can carry. */
  get maxRead(): number {
    return Math.max(this.fore.ca_maxresponsesize - CHANNEL_OVERHEAD, 512);
  }

  /** Largest WRITE data the session's requests can carry. */
  get maxWrite(): number {
    return Math.max(this.fore.ca_maxrequestsize - CHANNEL_OVERHEAD, 512);
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** The session is gone (lost or destroyed): waiting and later calls fail with `err`. */
  kill(err: unknown): void {
    this.#dead = true;
    this.table.close(err);
  }

  /**
   * SEQUENCE + `ops` on this session. Resolves with the COMPOUND's status and the results of `ops`
   * (SEQUENCE's own taken out) and the SEQUENCE result.
   * @throws SessionLostError, Nfs4Error (a SEQUENCE failure this layer does not handle),
   *         Nfs4ProtocolError, and the RPC errors.
   */
  async call<const T extends readonly nfs_argop4[]>(ops: T, o?: SessionCallOptions): Promise<{ res: COMPOUND4res<T>; seq: SEQUENCE4resok }> {
    if (ops.length + 1 > this.fore.ca_maxoperations) {
      throw new Nfs4Error(10070 /* NFS4ERR_TOO_MANY_OPS */, { compound: compoundName(ops), detail: `${ops.length + 1} operations, the session allows ${this.fore.ca_maxoperations}` });
    }
    const all: nfs_argop4[] = new Array(ops.length + 1);
    for (let i = 0; i < ops.length; i++) all[i + 1] = ops[i]!;
    const signal = o?.signal;
    let slot: Slot | null = null;
    let delay = SEQ_DELAY_FIRST_MS;
    try {
      for (let attempt = 0; ; attempt++) {
        if (attempt > MAX_SLOT_RETRIES) throw new Nfs4Error(NFS4ERR_SEQ_MISORDERED, { op: 'SEQUENCE', compound: compoundName(all), detail: `no agreement on the slot after ${MAX_SLOT_RETRIES} retries` });
        if (this.#dead) throw new SessionLostError(NFS4ERR_BADSESSION, this);
        if (slot === null) {
          const a = this.table.alloc(signal);
          if (a instanceof Slot) slot = a;
          else {
            this.counters.slotWaits++;
            slot = await a;
          }
        }
        const sent = slot.seqid;
        all[0] = {
          argop: OP_SEQUENCE,
          args: { sa_sessionid: this.sessionid, sa_sequenceid: sent, sa_slotid: slot.id, sa_highest_slotid: this.table.highestInUse(), sa_cachethis: o?.cachethis ?? false },
        };
        let res: COMPOUND4res<nfs_argop4[]>;
        try {
          this.counters.sequences++;
          res = await this.raw.compound(all, o);
        } catch (e) {
          /* Not sent at all: the slot is as it was. Anything else: the server may have seen it. */
          if (!(e instanceof XdrEncodeError || e instanceof RpcQueueFullError || e instanceof RangeError)) this.table.abandoned(slot);
          throw e;
        }
        const seq = res.resarray[0] as { status: number; sr_resok4?: SEQUENCE4resok } | undefined;
        if (seq === undefined) {
          /* No SEQUENCE result (MINOR_VERS_MISMATCH, a server that failed the whole COMPOUND): nothing executed. */
          throw new Nfs4Error(res.status, { compound: compoundName(all) });
        }
        if (seq.status === NFS4_OK) {
          const ok = seq.sr_resok4!;
          if (ok.sr_slotid !== slot.id || ok.sr_sequenceid !== sent || !ok.sr_sessionid.equals(this.sessionid)) {
            this.table.abandoned(slot);
            throw new Nfs4ProtocolError(`SEQUENCE reply for slot ${ok.sr_slotid} sequence ${ok.sr_sequenceid}, sent slot ${slot.id} sequence ${sent}` +
              (ok.sr_sessionid.equals(this.sessionid) ? '' : ' (another session)'));
          }
          this.table.sequenceDone(slot, ok.sr_highest_slotid, ok.sr_target_highest_slotid);
          if (ok.sr_status_flags !== 0 && this.onStatusFlags !== null) this.onStatusFlags(ok.sr_status_flags);
          const rest = (res.resarray as unknown[]).slice(1);
          return { res: { status: res.status, tag: res.tag, resarray: rest as COMPOUND4res<T>['resarray'] }, seq: ok };
        }
        switch (seq.status) {
          case NFS4ERR_SEQ_MISORDERED:
            this.counters.misordered++;
            if (slot.interrupted) {
              slot.seqid = (slot.seqid - 1) >>> 0;
              slot.interrupted = false;
            } else if (slot.seqid !== 1 && !slot.resetTried) {
              slot.seqid = 1;
              slot.resetTried = true;
            } else {
              throw new SessionLostError(NFS4ERR_SEQ_MISORDERED, this);
            }
            continue;
          case NFS4ERR_BADSLOT:
          case NFS4ERR_BAD_HIGH_SLOT: {
            this.counters.badSlot++;
            const bad = seq.status === NFS4ERR_BADSLOT ? slot.id : (all[0].args as { sa_highest_slotid: number }).sa_highest_slotid;
            if (bad === 0) throw new SessionLostError(seq.status, this);
            this.table.setHighest(bad - 1);
            const old = slot;
            slot = null;
            this.table.release(old);
            continue;
          }
          case NFS4ERR_SEQ_FALSE_RETRY:
          case NFS4ERR_RETRY_UNCACHED_REP:
            this.counters.falseRetry++;
            slot.seqid = (slot.seqid + 1) >>> 0;
            slot.interrupted = false;
            continue;
          case NFS4ERR_DELAY:
            this.counters.sequenceDelays++;
            await sleep(delay, signal);
            delay = Math.min(delay * 2, SEQ_DELAY_MAX_MS);
            continue;
          case NFS4ERR_BADSESSION:
          case NFS4ERR_DEADSESSION:
          case NFS4ERR_CONN_NOT_BOUND_TO_SESSION:
            throw new SessionLostError(seq.status, this);
          default:
            throw new Nfs4Error(seq.status, { op: 'SEQUENCE', compound: compoundName(all) });
        }
      }
    } finally {
      /* Also after an interruption while waiting out a DELAY: that request had its (DELAY) answer. */
      if (slot !== null) this.table.release(slot);
    }
  }
}
