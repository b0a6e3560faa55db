/*
 * Open state (RFC 7530 §16.16–16.19, §16.2, §16.6; RFC 8881 §18.16 for the 4.1 arms): OPEN,
 * OPEN_CONFIRM (4.0), OPEN_DOWNGRADE, CLOSE, DELEGRETURN.
 *
 *   union createhow4 switch (createmode4 mode) {
 *     case UNCHECKED4: case GUARDED4: fattr4 createattrs;  case EXCLUSIVE4: verifier4 createverf;
 *     case EXCLUSIVE4_1: creatverfattr ch_createboth; };   (struct creatverfattr { verifier4 cva_verf; fattr4 cva_attrs; })
 *   union openflag4 switch (opentype4 opentype) { case OPEN4_CREATE: createhow4 how; default: void; };
 *   union open_claim4 switch (open_claim_type4 claim) {
 *     case CLAIM_NULL: component4 file;  case CLAIM_PREVIOUS: open_delegation_type4 delegate_type;
 *     case CLAIM_DELEGATE_CUR: open_claim_delegate_cur4 delegate_cur_info;
 *     case CLAIM_DELEGATE_PREV: component4 file_delegate_prev;
 *     case CLAIM_FH: void;  case CLAIM_DELEG_PREV_FH: void;  case CLAIM_DELEG_CUR_FH: stateid4 oc_delegate_stateid; };
 *   struct OPEN4args { seqid4 seqid; uint32_t share_access; uint32_t share_deny; open_owner4 owner;
 *                      openflag4 openhow; open_claim4 claim; };
 *   struct OPEN4resok { stateid4 stateid; change_info4 cinfo; uint32_t rflags; bitmap4 attrset;
 *                       open_delegation4 delegation; };
 *   struct OPEN_CONFIRM4args { stateid4 open_stateid; seqid4 seqid; };  struct OPEN_CONFIRM4resok { stateid4 open_stateid; };
 *   struct OPEN_DOWNGRADE4args { stateid4 open_stateid; seqid4 seqid; uint32_t share_access; uint32_t share_deny; };
 *   struct OPEN_DOWNGRADE4resok { stateid4 open_stateid; };
 *   struct CLOSE4args { seqid4 seqid; stateid4 open_stateid; };
 *   union CLOSE4res switch (nfsstat4 status) { case NFS4_OK: stateid4 open_stateid; default: void; };
 *   struct DELEGRETURN4args { stateid4 deleg_stateid; };
 */

import type { XdrCodec } from '../../rpc/index.js';
import { change_info4, component4, state_owner4, stateid4, verifier4 } from './basic.js';
import type { open_owner4 } from './basic.js';
import { bitmap4 } from './bitmap4.js';
import {
  CLAIM_DELEG_CUR_FH, CLAIM_DELEG_PREV_FH, CLAIM_DELEGATE_CUR, CLAIM_DELEGATE_PREV, CLAIM_FH, CLAIM_NULL, CLAIM_PREVIOUS,
  EXCLUSIVE4, EXCLUSIVE4_1, GUARDED4, NFS_LIMIT_BLOCKS, NFS_LIMIT_SIZE, OPEN4_CREATE, OPEN4_NOCREATE, OPEN_DELEGATE_NONE,
  OPEN_DELEGATE_NONE_EXT, OPEN_DELEGATE_READ, OPEN_DELEGATE_WRITE, UNCHECKED4, WND4_CONTENTION, WND4_IS_DIR,
  WND4_NOT_WANTED, WND4_RESOURCE,
} from './constants.js';
import { fattr4, nfsace4 } from './fattr4.js';
import { nfs4Result, statusRes } from './result.js';
import type { Nfs4Result, StatusRes } from './result.js';

export type createhow4 =
  | { mode: typeof UNCHECKED4 | typeof GUARDED4; createattrs: fattr4 }
  | { mode: typeof EXCLUSIVE4; createverf: verifier4 }
  | { mode: typeof EXCLUSIVE4_1; ch_createboth: { cva_verf: verifier4; cva_attrs: fattr4 } };
export const createhow4: XdrCodec<createhow4> = {
  encode(w, v) {
    w.enum(v.mode, 'createhow4.mode', UNCHECKED4, EXCLUSIVE4_1);
    if (v.mode === EXCLUSIVE4) verifier4.encode(w, v.createverf);
    else if (v.mode === EXCLUSIVE4_1) {
      verifier4.encode(w, v.ch_createboth.cva_verf);
      fattr4.encode(w, v.ch_createboth.cva_attrs);
    } else fattr4.encode(w, v.createattrs);
  },
  decode(r) {
    const mode = r.enum(UNCHECKED4, EXCLUSIVE4_1, 'createhow4.mode');
    if (mode === EXCLUSIVE4) return { mode, createverf: verifier4.decode(r) };
    if (mode === EXCLUSIVE4_1) {
      const cva_verf = verifier4.decode(r);
      return { mode, ch_createboth: { cva_verf, cva_attrs: fattr4.decode(r) } };
    }
    return { mode: mode as typeof UNCHECKED4, createattrs: fattr4.decode(r) };
  },
};

export type openflag4 = { opentype: typeof OPEN4_NOCREATE } | { opentype: typeof OPEN4_CREATE; how: createhow4 };
export const openflag4: XdrCodec<openflag4> = {
  encode(w, v) {
    w.enum(v.opentype, 'openflag4.opentype', OPEN4_NOCREATE, OPEN4_CREATE);
    if (v.opentype === OPEN4_CREATE) createhow4.encode(w, v.how);
  },
  decode(r) {
    const opentype = r.enum(OPEN4_NOCREATE, OPEN4_CREATE, 'openflag4.opentype');
    return opentype === OPEN4_CREATE ? { opentype, how: createhow4.decode(r) } : { opentype: OPEN4_NOCREATE };
  },
};

export type open_claim4 =
  | { claim: typeof CLAIM_NULL; file: component4 }
  | { claim: typeof CLAIM_PREVIOUS; delegate_type: number }
  | { claim: typeof CLAIM_DELEGATE_CUR; delegate_cur_info: { delegate_stateid: stateid4; file: component4 } }
  | { claim: typeof CLAIM_DELEGATE_PREV; file_delegate_prev: component4 }
  | { claim: typeof CLAIM_FH | typeof CLAIM_DELEG_PREV_FH }
  | { claim: typeof CLAIM_DELEG_CUR_FH; oc_delegate_stateid: stateid4 };
export const open_claim4: XdrCodec<open_claim4> = {
  encode(w, v) {
    w.enum(v.claim, 'open_claim4.claim', CLAIM_NULL, CLAIM_DELEG_PREV_FH);
    switch (v.claim) {
      case CLAIM_NULL: component4.encode(w, v.file); break;
      case CLAIM_PREVIOUS: w.enum(v.delegate_type, 'open_claim4.delegate_type', OPEN_DELEGATE_NONE, OPEN_DELEGATE_NONE_EXT); break;
      case CLAIM_DELEGATE_CUR:
        stateid4.encode(w, v.delegate_cur_info.delegate_stateid);
        component4.encode(w, v.delegate_cur_info.file);
        break;
      case CLAIM_DELEGATE_PREV: component4.encode(w, v.file_delegate_prev); break;
      case CLAIM_DELEG_CUR_FH: stateid4.encode(w, v.oc_delegate_stateid); break;
      default: break;
    }
  },
  decode(r) {
    const claim = r.enum(CLAIM_NULL, CLAIM_DELEG_PREV_FH, 'open_claim4.claim');
    switch (claim) {
      case CLAIM_NULL: return { claim, file: component4.decode(r) };
      case CLAIM_PREVIOUS: return { claim, delegate_type: r.enum(OPEN_DELEGATE_NONE, OPEN_DELEGATE_NONE_EXT, 'open_claim4.delegate_type') };
      case CLAIM_DELEGATE_CUR: {
        const delegate_stateid = stateid4.decode(r);
        return { claim, delegate_cur_info: { delegate_stateid, file: component4.decode(r) } };
      }
      case CLAIM_DELEGATE_PREV: return { claim, file_delegate_prev: component4.decode(r) };
      case CLAIM_DELEG_CUR_FH: return { claim, oc_delegate_stateid: stateid4.decode(r) };
      default: return { claim: claim as typeof CLAIM_FH };
    }
  },
};

export interface OPEN4args {
  /** The open-owner's sequence number (4.0); ignored by 4.1 servers (send 0). */
  seqid: number;
  share_access: number;
  share_deny: number;
  owner: open_owner4;
  openhow: openflag4;
  claim: open_claim4;
}
export const OPEN4args: XdrCodec<OPEN4args> = {
  encode(w, v) {
    w.uint(v.seqid, 'OPEN4args.seqid');
    w.uint(v.share_access, 'OPEN4args.share_access');
    w.uint(v.share_deny, 'OPEN4args.share_deny');
    state_owner4.encode(w, v.owner);
    openflag4.encode(w, v.openhow);
    open_claim4.encode(w, v.claim);
  },
  decode(r) {
    const seqid = r.uint('OPEN4args.seqid');
    const share_access = r.uint('OPEN4args.share_access');
    const share_deny = r.uint('OPEN4args.share_deny');
    const owner = state_owner4.decode(r);
    const openhow = openflag4.decode(r);
    return { seqid, share_access, share_deny, owner, openhow, claim: open_claim4.decode(r) };
  },
};

export type nfs_space_limit4 =
  | { limitby: typeof NFS_LIMIT_SIZE; filesize: bigint }
  | { limitby: typeof NFS_LIMIT_BLOCKS; mod_blocks: { num_blocks: number; bytes_per_block: number } };
const nfs_space_limit4: XdrCodec<nfs_space_limit4> = {
  encode(w, v) {
    w.enum(v.limitby, 'nfs_space_limit4.limitby', NFS_LIMIT_SIZE, NFS_LIMIT_BLOCKS);
    if (v.limitby === NFS_LIMIT_SIZE) w.uhyper(v.filesize, 'nfs_space_limit4.filesize');
    else {
      w.uint(v.mod_blocks.num_blocks, 'nfs_modified_limit4.num_blocks');
      w.uint(v.mod_blocks.bytes_per_block, 'nfs_modified_limit4.bytes_per_block');
    }
  },
  decode(r) {
    const limitby = r.enum(NFS_LIMIT_SIZE, NFS_LIMIT_BLOCKS, 'nfs_space_limit4.limitby');
    if (limitby === NFS_LIMIT_SIZE) return { limitby, filesize: r.uhyper('nfs_space_limit4.filesize') };
    const num_blocks = r.uint('nfs_modified_limit4.num_blocks');
    return { limitby: NFS_LIMIT_BLOCKS, mod_blocks: { num_blocks, bytes_per_block: r.uint('nfs_modified_limit4.bytes_per_block') } };
  },
};

export interface open_read_delegation4 {
  stateid: stateid4;
  recall: boolean;
  permissions: nfsace4;
}
export interface open_write_delegation4 {
  stateid: stateid4;
  recall: boolean;
  space_limit: nfs_space_limit4;
  permissions: nfsace4;
}
export type open_none_delegation4 =
  | { ond_why: typeof WND4_CONTENTION; ond_server_will_push_deleg: boolean }
  | { ond_why: typeof WND4_RESOURCE; ond_server_will_signal_avail: boolean }
  | { ond_why: number };
export type open_delegation4 =
  | { delegation_type: typeof OPEN_DELEGATE_NONE }
  | { delegation_type: typeof OPEN_DELEGATE_READ; read: open_read_delegation4 }
  | { delegation_type: typeof OPEN_DELEGATE_WRITE; write: open_write_delegation4 }
  | { delegation_type: typeof OPEN_DELEGATE_NONE_EXT; od_whynone: open_none_delegation4 };
export const open_delegation4: XdrCodec<open_delegation4> = {
  encode(w, v) {
    w.enum(v.delegation_type, 'open_delegation4.delegation_type', OPEN_DELEGATE_NONE, OPEN_DELEGATE_NONE_EXT);
    if (v.delegation_type === OPEN_DELEGATE_READ) {
      stateid4.encode(w, v.read.stateid);
      w.bool(v.read.recall);
      nfsace4.encode(w, v.read.permissions);
    } else if (v.delegation_type === OPEN_DELEGATE_WRITE) {
      stateid4.encode(w, v.write.stateid);
      w.bool(v.write.recall);
      nfs_space_limit4.encode(w, v.write.space_limit);
      nfsace4.encode(w, v.write.permissions);
    } else if (v.delegation_type === OPEN_DELEGATE_NONE_EXT) {
      const n = v.od_whynone;
      w.enum(n.ond_why, 'open_none_delegation4.ond_why', WND4_NOT_WANTED, WND4_IS_DIR);
      if ('ond_server_will_push_deleg' in n) w.bool(n.ond_server_will_push_deleg);
      else if ('ond_server_will_signal_avail' in n) w.bool(n.ond_server_will_signal_avail);
    }
  },
  decode(r) {
    const delegation_type = r.enum(OPEN_DELEGATE_NONE, OPEN_DELEGATE_NONE_EXT, 'open_delegation4.delegation_type');
    if (delegation_type === OPEN_DELEGATE_READ) {
      const stateid = stateid4.decode(r);
      const recall = r.bool('open_read_delegation4.recall');
      return { delegation_type, read: { stateid, recall, permissions: nfsace4.decode(r) } };
    }
    if (delegation_type === OPEN_DELEGATE_WRITE) {
      const stateid = stateid4.decode(r);
      const recall = r.bool('open_write_delegation4.recall');
      const space_limit = nfs_space_limit4.decode(r);
      return { delegation_type, write: { stateid, recall, space_limit, permissions: nfsace4.decode(r) } };
    }
    if (delegation_type === OPEN_DELEGATE_NONE_EXT) {
      const ond_why = r.enum(WND4_NOT_WANTED, WND4_IS_DIR, 'open_none_delegation4.ond_why');
      if (ond_why === WND4_CONTENTION) return { delegation_type, od_whynone: { ond_why, ond_server_will_push_deleg: r.bool('ond_server_will_push_deleg') } };
      if (ond_why === WND4_RESOURCE) return { delegation_type, od_whynone: { ond_why, ond_server_will_signal_avail: r.bool('ond_server_will_signal_avail') } };
      return { delegation_type, od_whynone: { ond_why } };
    }
    return { delegation_type: OPEN_DELEGATE_NONE };
  },
};

export interface OPEN4resok {
  stateid: stateid4;
  cinfo: change_info4;
  /** OPEN4_RESULT_CONFIRM (4.0: OPEN_CONFIRM needed), OPEN4_RESULT_LOCKTYPE_POSIX ... */
  rflags: number;
  /** The attributes the create set (EXCLUSIVE4: the ones holding the verifier). */
  attrset: bitmap4;
  delegation: open_delegation4;
}
const OPEN4resok: XdrCodec<OPEN4resok> = {
  encode(w, v) {
    stateid4.encode(w, v.stateid);
    change_info4.encode(w, v.cinfo);
    w.uint(v.rflags, 'OPEN4resok.rflags');
    bitmap4.encode(w, v.attrset);
    open_delegation4.encode(w, v.delegation);
  },
  decode(r) {
    const stateid = stateid4.decode(r);
    const cinfo = change_info4.decode(r);
    const rflags = r.uint('OPEN4resok.rflags');
    const attrset = bitmap4.decode(r);
    return { stateid, cinfo, rflags, attrset, delegation: open_delegation4.decode(r) };
  },
};
export type OPEN4res = Nfs4Result<OPEN4resok>;
export const OPEN4res = nfs4Result(OPEN4resok, 'resok4', 'OPEN4res');

const openStateidOnly: XdrCodec<{ open_stateid: stateid4 }> = {
  encode: (w, v) => stateid4.encode(w, v.open_stateid),
  decode: (r) => ({ open_stateid: stateid4.decode(r) }),
};

export interface OPEN_CONFIRM4args {
  open_stateid: stateid4;
  seqid: number;
}
export const OPEN_CONFIRM4args: XdrCodec<OPEN_CONFIRM4args> = {
  encode(w, v) {
    stateid4.encode(w, v.open_stateid);
    w.uint(v.seqid, 'OPEN_CONFIRM4args.seqid');
  },
  decode(r) {
    const open_stateid = stateid4.decode(r);
    return { open_stateid, seqid: r.uint('OPEN_CONFIRM4args.seqid') };
  },
};
export interface OPEN_CONFIRM4resok {
  open_stateid: stateid4;
}
export type OPEN_CONFIRM4res = Nfs4Result<OPEN_CONFIRM4resok>;
export const OPEN_CONFIRM4res = nfs4Result(openStateidOnly, 'resok4', 'OPEN_CONFIRM4res');

export interface OPEN_DOWNGRADE4args {
  open_stateid: stateid4;
  seqid: number;
  share_access: number;
  share_deny: number;
}
export const OPEN_DOWNGRADE4args: XdrCodec<OPEN_DOWNGRADE4args> = {
  encode(w, v) {
    stateid4.encode(w, v.open_stateid);
    w.uint(v.seqid, 'OPEN_DOWNGRADE4args.seqid');
    w.uint(v.share_access, 'OPEN_DOWNGRADE4args.share_access');
    w.uint(v.share_deny, 'OPEN_DOWNGRADE4args.share_deny');
  },
  decode(r) {
    const open_stateid = stateid4.decode(r);
    const seqid = r.uint('OPEN_DOWNGRADE4args.seqid');
    const share_access = r.uint('OPEN_DOWNGRADE4args.share_access');
    return { open_stateid, seqid, share_access, share_deny: r.uint('OPEN_DOWNGRADE4args.share_deny') };
  },
};
export interface OPEN_DOWNGRADE4resok {
  open_stateid: stateid4;
}
export type OPEN_DOWNGRADE4res = Nfs4Result<OPEN_DOWNGRADE4resok>;
export const OPEN_DOWNGRADE4res = nfs4Result(openStateidOnly, 'resok4', 'OPEN_DOWNGRADE4res');

export interface CLOSE4args {
  seqid: number;
  open_stateid: stateid4;
}
export const CLOSE4args: XdrCodec<CLOSE4args> = {
  encode(w, v) {
    w.uint(v.seqid, 'CLOSE4args.seqid');
    stateid4.encode(w, v.open_stateid);
  },
  decode(r) {
    const seqid = r.uint('CLOSE4args.seqid');
    return { seqid, open_stateid: stateid4.decode(r) };
  },
};
export type CLOSE4res = Nfs4Result<stateid4, 'open_stateid'>;
export const CLOSE4res = nfs4Result(stateid4, 'open_stateid', 'CLOSE4res');

export interface DELEGRETURN4args {
  deleg_stateid: stateid4;
}
export const DELEGRETURN4args: XdrCodec<DELEGRETURN4args> = {
  encode: (w, v) => stateid4.encode(w, v.deleg_stateid),
  decode: (r) => ({ deleg_stateid: stateid4.decode(r) }),
};
export type DELEGRETURN4res = StatusRes;
export const DELEGRETURN4res = statusRes('DELEGRETURN4res');
