/*
 * COMPOUND (RFC 7530 §15.2, §16.2; RFC 8881 §16.2):
 *
 *   union nfs_argop4 switch (nfs_opnum4 argop) { case OP_ACCESS: ACCESS4args opaccess; ... };
 *   union nfs_resop4 switch (nfs_opnum4 resop) { case OP_ACCESS: ACCESS4res opaccess; ... };
 *   struct COMPOUND4args { utf8str_cs tag; uint32_t minorversion; nfs_argop4 argarray<>; };
 *   struct COMPOUND4res { nfsstat4 status; utf8str_cs tag; nfs_resop4 resarray<>; };
 *
 * An operation to send is `{ argop: OP_READ, args: {...} }` (no `args` for the operations that
 * take none); the results come back as an array of the operations' results in the same order,
 * each the RFC's result type (READ4res ...). The server stops at the first operation that fails:
 * the array is then shorter, its last result the failure, and the COMPOUND's status that one's.
 *
 * A reply is checked against the request it answers: no more results than operations, each
 * result for the operation at its position (or OP_ILLEGAL), none after a failure, and an OK
 * COMPOUND answering every operation; anything else is an XdrDecodeError.
 *
 * READ takes where its data should go with the operation: `into: { buf, offset }` (copied once,
 * straight from the reply; resok4.data is the byte count) or `mbuf: true` (an mbuf chain sharing
 * the reply's storage, which the caller frees); by default a Buffer (a view on the reply).
 */

import type { Mbuf } from '../../sockets/index.js';
import { XdrEncodeError } from '../../rpc/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { NFS4_MAXOPS, NFS4_MAXTAGLEN } from './constants.js';
import { NFS4ERR_OP_ILLEGAL, NFS4_OK } from './nfsstat4.js';
import type { nfsstat4 } from './nfsstat4.js';
import * as O from './opnum.js';
import { nfsOpName } from './opnum.js';
import {
  ACCESS4args, ACCESS4res, GETATTR4args, GETATTR4res, NVERIFY4args, NVERIFY4res, SETATTR4args, SETATTR4res, VERIFY4args,
  VERIFY4res,
} from './ops-attr.js';
import {
  RENEW4args, RENEW4res, SETCLIENTID4args, SETCLIENTID4res, SETCLIENTID_CONFIRM4args, SETCLIENTID_CONFIRM4res,
} from './ops-clientid40.js';
import {
  CREATE4args, CREATE4res, LINK4args, LINK4res, READDIR4args, READDIR4res, READLINK4res, REMOVE4args, REMOVE4res,
  RENAME4args, RENAME4res,
} from './ops-dir.js';
import {
  GETFH4res, LOOKUP4args, LOOKUP4res, LOOKUPP4res, PUTFH4args, PUTFH4res, PUTPUBFH4res, PUTROOTFH4res, RESTOREFH4res,
  SAVEFH4res,
} from './ops-fh.js';
import {
  COMMIT4args, COMMIT4res, READ4args, READ4res, WRITE4args, WRITE4res, decodeREAD4res_into, decodeREAD4res_mbuf,
  encodeREAD4res_into, encodeREAD4res_mbuf,
} from './ops-io.js';
import type { READ4res_into, READ4res_mbuf } from './ops-io.js';
import {
  CLOSE4args, CLOSE4res, DELEGRETURN4args, DELEGRETURN4res, OPEN4args, OPEN4res, OPEN_CONFIRM4args, OPEN_CONFIRM4res,
  OPEN_DOWNGRADE4args, OPEN_DOWNGRADE4res,
} from './ops-open.js';
import {
  CREATE_SESSION4args, CREATE_SESSION4res, DESTROY_CLIENTID4args, DESTROY_CLIENTID4res, DESTROY_SESSION4args,
  DESTROY_SESSION4res, EXCHANGE_ID4args, EXCHANGE_ID4res, FREE_STATEID4args, FREE_STATEID4res, RECLAIM_COMPLETE4args,
  RECLAIM_COMPLETE4res, SECINFO_NO_NAME4args, SECINFO_NO_NAME4res, SEQUENCE4args, SEQUENCE4res, TEST_STATEID4args,
  TEST_STATEID4res,
} from './ops-session.js';
import { noArgs } from './result.js';

/** Arguments and result of every operation this client sends, by number. */
export interface Nfs4OpTypes {
  [O.OP_ACCESS]: { args: ACCESS4args; res: ACCESS4res };
  [O.OP_CLOSE]: { args: CLOSE4args; res: CLOSE4res };
  [O.OP_COMMIT]: { args: COMMIT4args; res: COMMIT4res };
  [O.OP_CREATE]: { args: CREATE4args; res: CREATE4res };
  [O.OP_DELEGRETURN]: { args: DELEGRETURN4args; res: DELEGRETURN4res };
  [O.OP_GETATTR]: { args: GETATTR4args; res: GETATTR4res };
  [O.OP_GETFH]: { args: void; res: GETFH4res };
  [O.OP_LINK]: { args: LINK4args; res: LINK4res };
  [O.OP_LOOKUP]: { args: LOOKUP4args; res: LOOKUP4res };
  [O.OP_LOOKUPP]: { args: void; res: LOOKUPP4res };
  [O.OP_NVERIFY]: { args: NVERIFY4args; res: NVERIFY4res };
  [O.OP_OPEN]: { args: OPEN4args; res: OPEN4res };
  [O.OP_OPEN_CONFIRM]: { args: OPEN_CONFIRM4args; res: OPEN_CONFIRM4res };
  [O.OP_OPEN_DOWNGRADE]: { args: OPEN_DOWNGRADE4args; res: OPEN_DOWNGRADE4res };
  [O.OP_PUTFH]: { args: PUTFH4args; res: PUTFH4res };
  [O.OP_PUTPUBFH]: { args: void; res: PUTPUBFH4res };
  [O.OP_PUTROOTFH]: { args: void; res: PUTROOTFH4res };
  [O.OP_READ]: { args: READ4args; res: READ4res };
  [O.OP_READDIR]: { args: READDIR4args; res: READDIR4res };
  [O.OP_READLINK]: { args: void; res: READLINK4res };
  [O.OP_REMOVE]: { args: REMOVE4args; res: REMOVE4res };
  [O.OP_RENAME]: { args: RENAME4args; res: RENAME4res };
  [O.OP_RENEW]: { args: RENEW4args; res: RENEW4res };
  [O.OP_RESTOREFH]: { args: void; res: RESTOREFH4res };
  [O.OP_SAVEFH]: { args: void; res: SAVEFH4res };
  [O.OP_SETATTR]: { args: SETATTR4args; res: SETATTR4res };
  [O.OP_SETCLIENTID]: { args: SETCLIENTID4args; res: SETCLIENTID4res };
  [O.OP_SETCLIENTID_CONFIRM]: { args: SETCLIENTID_CONFIRM4args; res: SETCLIENTID_CONFIRM4res };
  [O.OP_VERIFY]: { args: VERIFY4args; res: VERIFY4res };
  [O.OP_WRITE]: { args: WRITE4args; res: WRITE4res };
  [O.OP_EXCHANGE_ID]: { args: EXCHANGE_ID4args; res: EXCHANGE_ID4res };
  [O.OP_CREATE_SESSION]: { args: CREATE_SESSION4args; res: CREATE_SESSION4res };
  [O.OP_DESTROY_SESSION]: { args: DESTROY_SESSION4args; res: DESTROY_SESSION4res };
  [O.OP_FREE_STATEID]: { args: FREE_STATEID4args; res: FREE_STATEID4res };
  [O.OP_SECINFO_NO_NAME]: { args: SECINFO_NO_NAME4args; res: SECINFO_NO_NAME4res };
  [O.OP_SEQUENCE]: { args: SEQUENCE4args; res: SEQUENCE4res };
  [O.OP_TEST_STATEID]: { args: TEST_STATEID4args; res: TEST_STATEID4res };
  [O.OP_DESTROY_CLIENTID]: { args: DESTROY_CLIENTID4args; res: DESTROY_CLIENTID4res };
  [O.OP_RECLAIM_COMPLETE]: { args: RECLAIM_COMPLETE4args; res: RECLAIM_COMPLETE4res };
}
export type Nfs4OpNum = keyof Nfs4OpTypes;

/** Where a READ's data goes: copied into buf from offset. */
export interface ReadInto {
  buf: Buffer;
  offset: number;
}

/** READ with its data destination (see the file comment). */
export type ReadOp = { argop: typeof O.OP_READ; args: READ4args; into?: ReadInto; mbuf?: boolean };

/** One operation to send. */
export type nfs_argop4 =
  | ReadOp
  | { [N in Exclude<Nfs4OpNum, typeof O.OP_READ>]: Nfs4OpTypes[N]['args'] extends void ? { argop: N } : { argop: N; args: Nfs4OpTypes[N]['args'] } }[Exclude<Nfs4OpNum, typeof O.OP_READ>];

/** The result type of an operation to send. */
export type ResultOf<Op> =
  Op extends { argop: typeof O.OP_READ; into: ReadInto } ? READ4res_into
    : Op extends { argop: typeof O.OP_READ; mbuf: true } ? READ4res_mbuf
      : Op extends { argop: infer N extends Nfs4OpNum } ? Nfs4OpTypes[N]['res'] : never;

/** Results of a list of operations: the same positions, each possibly absent (after a failure). */
export type ResultsOf<T extends readonly nfs_argop4[]> = { -readonly [K in keyof T]?: ResultOf<T[K]> };

export interface COMPOUND4args<T extends readonly nfs_argop4[] = readonly nfs_argop4[]> {
  tag: string;
  minorversion: number;
  argarray: T;
}

export interface COMPOUND4res<T extends readonly nfs_argop4[] = readonly nfs_argop4[]> {
  /** The status of the last operation executed (NFS4_OK when every one succeeded). */
  status: nfsstat4;
  tag: string;
  resarray: ResultsOf<T>;
}

interface OpDef {
  readonly op: number;
  readonly name: string;
  readonly args: XdrCodec<unknown>;
  readonly res: XdrCodec<unknown>;
}

function opDef<A, R>(op: number, args: XdrCodec<A>, res: XdrCodec<R>): OpDef {
  return Object.freeze({ op, name: nfsOpName(op), args: args as XdrCodec<unknown>, res: res as XdrCodec<unknown> });
}

/** The operation table: number → name and codecs. */
export const NFS4_OPERATIONS: ReadonlyMap<number, OpDef> = new Map([
  opDef(O.OP_ACCESS, ACCESS4args, ACCESS4res),
  opDef(O.OP_CLOSE, CLOSE4args, CLOSE4res),
  opDef(O.OP_COMMIT, COMMIT4args, COMMIT4res),
  opDef(O.OP_CREATE, CREATE4args, CREATE4res),
  opDef(O.OP_DELEGRETURN, DELEGRETURN4args, DELEGRETURN4res),
  opDef(O.OP_GETATTR, GETATTR4args, GETATTR4res),
  opDef(O.OP_GETFH, noArgs, GETFH4res),
  opDef(O.OP_LINK, LINK4args, LINK4res),
  opDef(O.OP_LOOKUP, LOOKUP4args, LOOKUP4res),
  opDef(O.OP_LOOKUPP, noArgs, LOOKUPP4res),
  opDef(O.OP_NVERIFY, NVERIFY4args, NVERIFY4res),
  opDef(O.OP_OPEN, OPEN4args, OPEN4res),
  opDef(O.OP_OPEN_CONFIRM, OPEN_CONFIRM4args, OPEN_CONFIRM4res),
  opDef(O.OP_OPEN_DOWNGRADE, OPEN_DOWNGRADE4args, OPEN_DOWNGRADE4res),
  opDef(O.OP_PUTFH, PUTFH4args, PUTFH4res),
  opDef(O.OP_PUTPUBFH, noArgs, PUTPUBFH4res),
  opDef(O.OP_PUTROOTFH, noArgs, PUTROOTFH4res),
  opDef(O.OP_READ, READ4args, READ4res),
  opDef(O.OP_READDIR, READDIR4args, READDIR4res),
  opDef(O.OP_READLINK, noArgs, READLINK4res),
  opDef(O.OP_REMOVE, REMOVE4args, REMOVE4res),
  opDef(O.OP_RENAME, RENAME4args, RENAME4res),
  opDef(O.OP_RENEW, RENEW4args, RENEW4res),
  opDef(O.OP_RESTOREFH, noArgs, RESTOREFH4res),
  opDef(O.OP_SAVEFH, noArgs, SAVEFH4res),
  opDef(O.OP_SETATTR, SETATTR4args, SETATTR4res),
  opDef(O.OP_SETCLIENTID, SETCLIENTID4args, SETCLIENTID4res),
  opDef(O.OP_SETCLIENTID_CONFIRM, SETCLIENTID_CONFIRM4args, SETCLIENTID_CONFIRM4res),
  opDef(O.OP_VERIFY, VERIFY4args, VERIFY4res),
  opDef(O.OP_WRITE, WRITE4args, WRITE4res),
  opDef(O.OP_EXCHANGE_ID, EXCHANGE_ID4args, EXCHANGE_ID4res),
  opDef(O.OP_CREATE_SESSION, CREATE_SESSION4args, CREATE_SESSION4res),
  opDef(O.OP_DESTROY_SESSION, DESTROY_SESSION4args, DESTROY_SESSION4res),
  opDef(O.OP_FREE_STATEID, FREE_STATEID4args, FREE_STATEID4res),
  opDef(O.OP_SECINFO_NO_NAME, SECINFO_NO_NAME4args, SECINFO_NO_NAME4res),
  opDef(O.OP_SEQUENCE, SEQUENCE4args, SEQUENCE4res),
  opDef(O.OP_TEST_STATEID, TEST_STATEID4args, TEST_STATEID4res),
  opDef(O.OP_DESTROY_CLIENTID, DESTROY_CLIENTID4args, DESTROY_CLIENTID4res),
  opDef(O.OP_RECLAIM_COMPLETE, RECLAIM_COMPLETE4args, RECLAIM_COMPLETE4res),
].map((d) => [d.op, d]));

function defOf(op: number): OpDef {
  const d = NFS4_OPERATIONS.get(op);
  if (d === undefined) throw new XdrEncodeError(`operation ${nfsOpName(op)} is not one this client encodes`, 'nfs_argop4');
  return d;
}

/** Encode COMPOUND4args. */
export function encodeCOMPOUND4args(w: XdrWriter, v: COMPOUND4args): void {
  w.string(v.tag, NFS4_MAXTAGLEN, 'COMPOUND4args.tag');
  w.uint(v.minorversion, 'COMPOUND4args.minorversion');
  const ops = v.argarray;
  if (ops.length > NFS4_MAXOPS) throw new XdrEncodeError(`${ops.length} operations exceed the maximum of ${NFS4_MAXOPS}`, 'COMPOUND4args.argarray');
  w.uint(ops.length, 'COMPOUND4args.argarray');
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const d = defOf(op.argop);
    w.uint(op.argop, 'nfs_argop4.argop');
    d.args.encode(w, (op as { args?: unknown }).args);
  }
}

/**
 * Decode COMPOUND4args (what a server reads: used by test servers). READ comes back without a
 * destination; an operation this client does not encode is an XdrDecodeError.
 */
export function decodeCOMPOUND4args(r: XdrReader): COMPOUND4args {
  const tag = r.string(NFS4_MAXTAGLEN, 'COMPOUND4args.tag');
  const minorversion = r.uint('COMPOUND4args.minorversion');
  const at = r.offset;
  const n = r.uint('COMPOUND4args.argarray');
  if (n > NFS4_MAXOPS) r.fail(`${n} operations exceed the maximum of ${NFS4_MAXOPS}`, 'COMPOUND4args.argarray', at);
  if (n * 4 > r.remaining) r.fail(`${n} operations exceed the ${r.remaining} bytes remaining`, 'COMPOUND4args.argarray', at);
  const argarray: nfs_argop4[] = [];
  for (let i = 0; i < n; i++) {
    const opAt = r.offset;
    const argop = r.uint('nfs_argop4.argop');
    const d = NFS4_OPERATIONS.get(argop);
    if (d === undefined) r.fail(`operation ${nfsOpName(argop)} is not one this client decodes`, 'nfs_argop4', opAt);
    if (d.args === noArgs) argarray.push({ argop } as nfs_argop4);
    else argarray.push({ argop, args: d.args.decode(r) } as nfs_argop4);
  }
  return { tag, minorversion, argarray };
}

/* A result of an operation, decoded as its request asks (READ's destinations). */
function decodeResult(r: XdrReader, op: nfs_argop4, d: OpDef): unknown {
  if (op.argop === O.OP_READ) {
    if (op.into !== undefined) return decodeREAD4res_into(r, op.into.buf, op.into.offset);
    if (op.mbuf === true) return decodeREAD4res_mbuf(r);
  }
  return d.res.decode(r);
}

function encodeResult(w: XdrWriter, op: nfs_argop4, d: OpDef, res: unknown): void {
  if (op.argop === O.OP_READ) {
    if (op.into !== undefined) return encodeREAD4res_into(w, res as READ4res_into, op.into.buf, op.into.offset);
    if (op.mbuf === true) return encodeREAD4res_mbuf(w, res as READ4res_mbuf);
  }
  d.res.encode(w, res);
}

/** Release what results hold beyond the reply (READ's mbuf chains) — after a failure to use them. */
export function releaseResults(ops: readonly nfs_argop4[], resarray: readonly unknown[], free: (m: Mbuf) => void): void {
  for (let i = 0; i < resarray.length; i++) {
    const op = ops[i]!;
    const res = resarray[i] as { status: number; resok4?: { data?: unknown } } | undefined;
    if (op.argop === O.OP_READ && op.mbuf === true && res !== undefined && res.status === NFS4_OK) free(res.resok4!.data as Mbuf);
  }
}

/**
 * The codec of the COMPOUND4res answering `ops` (its decoder checks the reply against them, see
 * the file comment). One per call: it holds the request.
 */
export class COMPOUND4resCodec<T extends readonly nfs_argop4[] = readonly nfs_argop4[]> implements XdrCodec<COMPOUND4res<T>> {
  constructor(readonly ops: T) {}

  encode(w: XdrWriter, v: COMPOUND4res<T>): void {
    w.int(v.status, 'COMPOUND4res.status');
    w.string(v.tag, NFS4_MAXTAGLEN, 'COMPOUND4res.tag');
    const res = v.resarray as readonly unknown[];
    if (res.length > this.ops.length) throw new XdrEncodeError(`${res.length} results for ${this.ops.length} operations`, 'COMPOUND4res.resarray');
    w.uint(res.length, 'COMPOUND4res.resarray');
    for (let i = 0; i < res.length; i++) {
      const op = this.ops[i]!;
      const x = res[i] as { status: number };
      if (x.status === NFS4ERR_OP_ILLEGAL && (x as { illegal?: boolean }).illegal === true) {
        w.uint(O.OP_ILLEGAL, 'nfs_resop4.resop');
        w.int(x.status, 'ILLEGAL4res.status');
        continue;
      }
      w.uint(op.argop, 'nfs_resop4.resop');
      encodeResult(w, op, defOf(op.argop), x);
    }
  }

  decode(r: XdrReader): COMPOUND4res<T> {
    const status = r.int('COMPOUND4res.status') as nfsstat4;
    const tag = r.string(NFS4_MAXTAGLEN, 'COMPOUND4res.tag');
    const at = r.offset;
    const n = r.uint('COMPOUND4res.resarray');
    const ops = this.ops;
    if (n > ops.length) r.fail(`${n} results for ${ops.length} operations`, 'COMPOUND4res.resarray', at);
    if (n * 8 > r.remaining) r.fail(`${n} results exceed the ${r.remaining} bytes remaining`, 'COMPOUND4res.resarray', at);
    const resarray: unknown[] = [];
    let last = NFS4_OK as number;
    for (let i = 0; i < n; i++) {
      const opAt = r.offset;
      if (last !== NFS4_OK) r.fail(`a result follows the failed operation ${i}`, 'COMPOUND4res.resarray', opAt);
      const op = ops[i]!;
      const resop = r.uint('nfs_resop4.resop');
      let x: { status: number };
      if (resop === O.OP_ILLEGAL) {
        const s = r.int('ILLEGAL4res.status');
        x = op.argop === O.OP_SETATTR ? { status: s, attrsset: [], illegal: true } as { status: number } : { status: s, illegal: true } as { status: number };
      } else {
        if (resop !== op.argop) r.fail(`result of ${nfsOpName(resop)} for operation ${i}, ${nfsOpName(op.argop)}`, 'nfs_resop4.resop', opAt);
        x = decodeResult(r, op, defOf(op.argop)) as { status: number };
      }
      last = x.status;
      resarray.push(x);
    }
    if (status === NFS4_OK && n !== ops.length) r.fail(`NFS4_OK with ${n} results for ${ops.length} operations`, 'COMPOUND4res', at);
    if (n > 0 && status !== last) r.fail(`status ${status} differs from the last result's, ${last}`, 'COMPOUND4res.status', 0);
    return { status, tag, resarray: resarray as ResultsOf<T> };
  }
}

/** The index of the first failed result, or -1. */
export function failedAt(res: COMPOUND4res): number {
  const a = res.resarray as readonly ({ status: number } | undefined)[];
  for (let i = 0; i < a.length; i++) if (a[i] !== undefined && a[i]!.status !== NFS4_OK) return i;
  return -1;
}

/** "SEQUENCE PUTFH READ": the operations of a COMPOUND, for traces and errors. */
export function compoundName(ops: readonly { argop: number }[]): string {
  let s = '';
  for (let i = 0; i < ops.length; i++) s += (i === 0 ? '' : ' ') + nfsOpName(ops[i]!.argop);
  return s;
}
