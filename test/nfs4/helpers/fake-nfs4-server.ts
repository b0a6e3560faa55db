/*
 * A scripted NFSv4 server on the fake RPC server (test/rpc/helpers/fake-rpc-server.ts), for what a
 * real one will not do on demand: misorder sequence ids, shrink its slot table, replay a cached
 * reply, lose a session, answer DELAY or BADSLOT. It speaks just enough v4.0 and v4.1 for the
 * client's state machinery, with the module's own codecs:
 *
 * - EXCHANGE_ID / SETCLIENTID(+CONFIRM) give client IDs; CREATE_SESSION a session whose fore
 *   channel has `slots` slots; DESTROY_SESSION / DESTROY_CLIENTID / RECLAIM_COMPLETE / RENEW succeed.
 * - SEQUENCE keeps a reply cache per slot (RFC 8881 §2.10.6.1): the next sequence id executes the
 *   COMPOUND and caches its reply; the same one again gets the cached reply byte for byte; any other
 *   gets SEQ_MISORDERED; a slot beyond `highest` gets BADSLOT; an unknown session BADSESSION.
 *   Every reply carries `highest` and `target` as sr_highest_slotid / sr_target_highest_slotid.
 * - PUTROOTFH, PUTFH, LOOKUP, GETFH, GETATTR (type, size, lease_time ...), SAVEFH/RESTOREFH,
 *   OPEN (a fresh stateid; CLAIM_PREVIOUS only in grace), OPEN_CONFIRM, CLOSE, READ (checks the
 *   stateid), WRITE, COMMIT.
 * - restart(): forgets every client, session and stateid (a server reboot) and enters grace.
 *
 * Hooks: `sequenceHook` may answer a SEQUENCE with a status (before the cache), `opHook` may answer
 * any other operation, `ignore` may lose a request (never executed), `dropReply` may swallow a reply
 * (after executing), `replyDelayMs` holds replies (so that requests overlap; `maxOutstanding` counts).
 */
import type { FakeCall } from '../../rpc/helpers/fake-rpc-server.js';
import { FakeRpcServer } from '../../rpc/helpers/fake-rpc-server.js';
import { XdrReader } from '../../../rpc/xdr/reader.js';
import { XdrWriter } from '../../../rpc/xdr/writer.js';
import { m_tobuf } from '../../../sockets/mbuf.js';
import type { stateid4 } from '../../../nfsclient/nfs4/basic.js';
import { bitmap4Has } from '../../../nfsclient/nfs4/bitmap4.js';
import { COMPOUND4resCodec, decodeCOMPOUND4args } from '../../../nfsclient/nfs4/compound.js';
import type { COMPOUND4args, nfs_argop4 } from '../../../nfsclient/nfs4/compound.js';
import { fattr4Of } from '../../../nfsclient/nfs4/fattr4.js';
import type { Fattr4Values } from '../../../nfsclient/nfs4/fattr4.js';
import * as S from '../../../nfsclient/nfs4/nfsstat4.js';
import * as O from '../../../nfsclient/nfs4/opnum.js';

export const ROOT_FH = Buffer.from('00000000000000000000000000000001', 'hex');

export interface SeenOp {
  minorversion: number;
  op: nfs_argop4;
  /** The SEQUENCE it came with (4.1), if any. */
  slot: number | null;
  seqid: number | null;
}

interface SlotState {
  seqid: number;
  reply: Buffer | null;
}

interface Session {
  id: Buffer;
  clientid: bigint;
  slots: SlotState[];
}

export class FakeNfs4Server {
  readonly rpc: FakeRpcServer;
  /** Slots CREATE_SESSION grants. */
  slots = 8;
  /** What SEQUENCE replies say, and what it accepts (BADSLOT beyond highest). */
  highest = 7;
  target = 7;
  /** The highest slot accepted, when it differs from what the replies say (a server that shrank without saying). */
  acceptHighest: number | null = null;
  leaseTime = 60;
  inGrace = false;
  /** COMPOUNDs executed (replays from the cache not counted). */
  executed = 0;
  /** Every operation executed, in order. */
  readonly seen: SeenOp[] = [];
  sequenceHook: ((a: { sa_slotid: number; sa_sequenceid: number; sa_highest_slotid: number }, call: FakeCall) => number | undefined) | null = null;
  opHook: ((op: nfs_argop4, seen: SeenOp) => { status: number } | undefined) | null = null;
  /** Return true to swallow the reply to this COMPOUND (it was executed and cached all the same). */
  dropReply: ((args: COMPOUND4args, call: FakeCall) => boolean) | null = null;
  /** Return true to ignore this COMPOUND altogether: not executed, no reply (a request lost on the way). */
  ignore: ((args: COMPOUND4args, call: FakeCall) => boolean) | null = null;
  /** Hold every reply this long (ms), so that requests overlap. */
  replyDelayMs = 0;
  /** COMPOUNDs received and not yet answered; the most at once. */
  outstanding = 0;
  maxOutstanding = 0;
  /** Extra status flags on SEQUENCE replies. */
  statusFlags = 0;
  readonly sessions = new Map<string, Session>();
  readonly clients = new Map<bigint, { confirmed: boolean }>();
  readonly stateids = new Set<string>();
  /** Files by name under the root, by handle. */
  readonly files = new Map<string, Buffer>();
  readonly #owners = new Map<string, number>();
  #nextClient = 1n;
  #nextState = 1;
  #bootGen = 1;

  private constructor(rpc: FakeRpcServer) {
    this.rpc = rpc;
  }

  static async start(): Promise<FakeNfs4Server> {
    let self: FakeNfs4Server | null = null;
    const rpc = await FakeRpcServer.tcp((call, s) => self!.#onCall(call, s));
    self = new FakeNfs4Server(rpc);
    return self;
  }

  get port(): number {
    return this.rpc.port;
  }

  close(): Promise<void> {
    return this.rpc.close();
  }

  /** A server reboot: clients, sessions and state forgotten; grace begins. */
  restart(grace = true): void {
    this.sessions.clear();
    this.clients.clear();
    this.stateids.clear();
    this.#owners.clear();
    this.#bootGen++;
    this.inGrace = grace;
  }

  /** The session of the only (or last) client. */
  lastSession(): Session | undefined {
    let s: Session | undefined;
    for (const x of this.sessions.values()) s = x;
    return s;
  }

  #onCall(call: FakeCall, s: FakeRpcServer): void {
    if (call.proc === 0) {
      s.reply(call);
      return;
    }
    const args = decodeCOMPOUND4args(XdrReader.fromBuffer(call.args));
    if (this.ignore?.(args, call)) return;
    const first = args.argarray[0];
    let reply: Buffer;
    if (args.minorversion >= 1 && first !== undefined && first.argop === O.OP_SEQUENCE) {
      const a = first.args;
      const hooked = this.sequenceHook?.(a, call);
      const sess = this.sessions.get(a.sa_sessionid.toString('hex'));
      const fail = (status: number): Buffer => this.#encode(args, [{ status }], status);
      if (hooked !== undefined) reply = fail(hooked);
      else if (sess === undefined) reply = fail(S.NFS4ERR_BADSESSION);
      else if (a.sa_slotid > (this.acceptHighest ?? this.highest) || a.sa_slotid >= sess.slots.length) reply = fail(S.NFS4ERR_BADSLOT);
      else {
        const slot = sess.slots[a.sa_slotid]!;
        if (a.sa_sequenceid === slot.seqid && slot.reply !== null) {
          reply = slot.reply;
        } else if (a.sa_sequenceid === ((slot.seqid + 1) >>> 0)) {
          const results: { status: number }[] = [{
            status: S.NFS4_OK,
            sr_resok4: {
              sr_sessionid: sess.id, sr_sequenceid: a.sa_sequenceid, sr_slotid: a.sa_slotid, sr_highest_slotid: this.highest,
              sr_target_highest_slotid: this.target, sr_status_flags: this.statusFlags,
            },
          } as { status: number }];
          reply = this.#execute(args, results, a.sa_slotid, a.sa_sequenceid);
          slot.seqid = a.sa_sequenceid;
          slot.reply = reply;
        } else {
          reply = fail(S.NFS4ERR_SEQ_MISORDERED);
        }
      }
    } else {
      reply = this.#execute(args, [], null, null);
    }
    if (this.dropReply?.(args, call)) return;
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    const send = (): void => {
      this.outstanding--;
      s.reply(call, reply);
    };
    if (this.replyDelayMs > 0) setTimeout(send, this.replyDelayMs);
    else send();
  }

  #encode(args: COMPOUND4args, results: { status: number }[], status: number): Buffer {
    const w = new XdrWriter();
    new COMPOUND4resCodec(args.argarray).encode(w, { status: status as S.nfsstat4, tag: args.tag, resarray: results as never });
    return Buffer.from(m_tobuf(w.finish()));
  }

  #execute(args: COMPOUND4args, results: { status: number }[], slot: number | null, seqid: number | null): Buffer {
    this.executed++;
    let status: number = S.NFS4_OK;
    let cur: Buffer | null = null;
    let saved: Buffer | null = null;
    for (let i = results.length; i < args.argarray.length; i++) {
      const op = args.argarray[i]!;
      const seen: SeenOp = { minorversion: args.minorversion, op, slot, seqid };
      this.seen.push(seen);
      let r = this.opHook?.(op, seen);
      if (r === undefined) {
        const x = this.#op(op, args.minorversion, cur, saved);
        r = x.res;
        cur = x.cur;
        saved = x.saved;
      }
      results.push(r);
      if (r.status !== S.NFS4_OK) {
        status = r.status;
        break;
      }
    }
    return this.#encode(args, results, status);
  }

  #newStateid(): stateid4 {
    const other = Buffer.alloc(12);
    other.writeUInt32BE(this.#bootGen, 0);
    other.writeUInt32BE(this.#nextState++, 8);
    this.stateids.add(other.toString('hex'));
    return { seqid: 1, other };
  }

  #attrs(req: number[], fh: Buffer): Fattr4Values {
    const all: Fattr4Values = {
      supported_attrs: [0xffffffff, 0xffffffff], type: fh.equals(ROOT_FH) ? 2 : 1, fh_expire_type: 0, change: 1n, size: 5n,
      lease_time: this.leaseTime, fileid: BigInt(fh.readUInt32BE(fh.length - 4)), mode: 0o644, numlinks: 1,
      maxread: 1n << 20n, maxwrite: 1n << 20n,
    };
    const out: Record<string, unknown> = {};
    const nums: Record<string, number> = { supported_attrs: 0, type: 1, fh_expire_type: 2, change: 3, size: 4, lease_time: 10, fileid: 20, maxread: 30, maxwrite: 31, mode: 33, numlinks: 35 };
    for (const [k, n] of Object.entries(nums)) if (bitmap4Has(req, n)) out[k] = (all as Record<string, unknown>)[k];
    return out as Fattr4Values;
  }

  #fhOf(name: string): Buffer {
    let fh = this.files.get(name);
    if (fh === undefined) {
      fh = Buffer.alloc(16);
      fh.writeUInt32BE(this.files.size + 2, 12);
      this.files.set(name, fh);
    }
    return fh;
  }

  #op(op: nfs_argop4, minor: number, cur: Buffer | null, saved: Buffer | null): { res: { status: number }; cur: Buffer | null; saved: Buffer | null } {
    const ok = { status: S.NFS4_OK };
    const noFh = { res: { status: S.NFS4ERR_NOFILEHANDLE }, cur, saved };
    switch (op.argop) {
      case O.OP_PUTROOTFH: return { res: ok, cur: ROOT_FH, saved };
      case O.OP_PUTFH: return { res: ok, cur: op.args.object, saved };
      case O.OP_SAVEFH: return cur === null ? noFh : { res: ok, cur, saved: cur };
      case O.OP_RESTOREFH: return saved === null ? noFh : { res: ok, cur: saved, saved };
      case O.OP_LOOKUP: return cur === null ? noFh : { res: ok, cur: this.#fhOf(op.args.objname), saved };
      case O.OP_GETFH: return cur === null ? noFh : { res: { status: 0, resok4: { object: cur } } as { status: number }, cur, saved };
      case O.OP_GETATTR:
        if (cur === null) return noFh;
        return { res: { status: 0, resok4: { obj_attributes: fattr4Of(this.#attrs(op.args.attr_request, cur)) } } as { status: number }, cur, saved };
      case O.OP_EXCHANGE_ID: {
        const clientid = this.#nextClient++;
        this.clients.set(clientid, { confirmed: false });
        return {
          res: {
            status: 0,
            eir_resok4: {
              eir_clientid: clientid, eir_sequenceid: 1, eir_flags: 0x10000, eir_state_protect: { spr_how: 0 },
              eir_server_owner: { so_minor_id: 0n, so_major_id: Buffer.from('fake') }, eir_server_scope: Buffer.from('fake'), eir_server_impl_id: [],
            },
          } as { status: number },
          cur, saved,
        };
      }
      case O.OP_CREATE_SESSION: {
        const c = this.clients.get(op.args.csa_clientid);
        if (c === undefined) return { res: { status: S.NFS4ERR_STALE_CLIENTID }, cur, saved };
        c.confirmed = true;
        const id = Buffer.alloc(16);
        id.writeUInt32BE(this.#bootGen, 0);
        id.writeUInt32BE(this.sessions.size + 1, 12);
        const fore = { ...op.args.csa_fore_chan_attrs, ca_maxrequests: this.slots, ca_maxoperations: Math.min(op.args.csa_fore_chan_attrs.ca_maxoperations, 16) };
        this.sessions.set(id.toString('hex'), { id, clientid: op.args.csa_clientid, slots: Array.from({ length: this.slots }, () => ({ seqid: 0, reply: null })) });
        return { res: { status: 0, csr_resok4: { csr_sessionid: id, csr_sequence: op.args.csa_sequence, csr_flags: 0, csr_fore_chan_attrs: fore, csr_back_chan_attrs: op.args.csa_back_chan_attrs } } as { status: number }, cur, saved };
      }
      case O.OP_DESTROY_SESSION:
        return { res: this.sessions.delete(op.args.dsa_sessionid.toString('hex')) ? ok : { status: S.NFS4ERR_BADSESSION }, cur, saved };
      case O.OP_DESTROY_CLIENTID:
        return { res: this.clients.delete(op.args.dca_clientid) ? ok : { status: S.NFS4ERR_STALE_CLIENTID }, cur, saved };
      case O.OP_RECLAIM_COMPLETE:
        this.inGrace = false;
        return { res: ok, cur, saved };
      case O.OP_SETCLIENTID: {
        const clientid = this.#nextClient++;
        this.clients.set(clientid, { confirmed: false });
        return { res: { status: 0, resok4: { clientid, setclientid_confirm: Buffer.alloc(8, 7) } } as { status: number }, cur, saved };
      }
      case O.OP_SETCLIENTID_CONFIRM: {
        const c = this.clients.get(op.args.clientid);
        if (c === undefined) return { res: { status: S.NFS4ERR_STALE_CLIENTID }, cur, saved };
        c.confirmed = true;
        return { res: ok, cur, saved };
      }
      case O.OP_RENEW:
        return { res: this.clients.has(op.args.clientid) ? ok : { status: S.NFS4ERR_STALE_CLIENTID }, cur, saved };
      case O.OP_OPEN: {
        if (cur === null) return noFh;
        if (minor === 0 && !this.clients.has(op.args.owner.clientid)) return { res: { status: S.NFS4ERR_STALE_CLIENTID }, cur, saved };
        const reclaim = op.args.claim.claim === 1;
        if (reclaim && !this.inGrace) return { res: { status: S.NFS4ERR_NO_GRACE }, cur, saved };
        if (!reclaim && this.inGrace) return { res: { status: S.NFS4ERR_GRACE }, cur, saved };
        const file = op.args.claim.claim === 0 ? this.#fhOf(op.args.claim.file) : cur;
        let rflags = 0;
        if (minor === 0) {
          const key = op.args.owner.owner.toString('hex');
          const expect = this.#owners.get(key);
          if (expect === undefined) rflags = 2;
          else if (op.args.seqid !== expect) return { res: { status: S.NFS4ERR_BAD_SEQID }, cur, saved };
          this.#owners.set(key, (op.args.seqid + 1) >>> 0);
        }
        return {
          res: { status: 0, resok4: { stateid: this.#newStateid(), cinfo: { atomic: true, before: 1n, after: 2n }, rflags, attrset: [], delegation: { delegation_type: 0 } } } as { status: number },
          cur: file, saved,
        };
      }
      case O.OP_OPEN_CONFIRM: {
        for (const [k, v] of this.#owners) if (v === op.args.seqid) this.#owners.set(k, (v + 1) >>> 0);
        return { res: { status: 0, resok4: { open_stateid: { seqid: op.args.open_stateid.seqid + 1, other: op.args.open_stateid.other } } } as { status: number }, cur, saved };
      }
      case O.OP_CLOSE: {
        if (!this.stateids.delete(op.args.open_stateid.other.toString('hex'))) return { res: { status: S.NFS4ERR_BAD_STATEID }, cur, saved };
        if (minor === 0) for (const [k, v] of this.#owners) if (v === op.args.seqid) this.#owners.set(k, (v + 1) >>> 0);
        return { res: { status: 0, open_stateid: { seqid: 0, other: op.args.open_stateid.other } } as { status: number }, cur, saved };
      }
      case O.OP_READ: {
        const sid = op.args.stateid.other.toString('hex');
        if (!op.args.stateid.other.equals(Buffer.alloc(12)) && !this.stateids.has(sid)) {
          return { res: { status: minor === 0 && op.args.stateid.other.readUInt32BE(0) !== this.#bootGen ? S.NFS4ERR_STALE_STATEID : S.NFS4ERR_BAD_STATEID }, cur, saved };
        }
        return { res: { status: 0, resok4: { eof: true, data: Buffer.from('hello') } } as { status: number }, cur, saved };
      }
      case O.OP_WRITE:
        return { res: { status: 0, resok4: { count: op.args.data.length, committed: 2, writeverf: Buffer.alloc(8, 1) } } as { status: number }, cur, saved };
      case O.OP_COMMIT:
        return { res: { status: 0, resok4: { writeverf: Buffer.alloc(8, 1) } } as { status: number }, cur, saved };
      default:
        return { res: { status: S.NFS4ERR_NOTSUPP }, cur, saved };
    }
  }
}
