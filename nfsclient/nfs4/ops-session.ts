/*
 * The v4.1 client ID, session and state operations (RFC 8881 §18.35–18.37, §18.46, §18.50–18.51,
 * §18.38, §18.48, §18.45): EXCHANGE_ID, CREATE_SESSION, DESTROY_SESSION, DESTROY_CLIENTID,
 * SEQUENCE, RECLAIM_COMPLETE, FREE_STATEID, TEST_STATEID, SECINFO_NO_NAME. XDR as in §23 of the RFC:
 *
 *   struct EXCHANGE_ID4args { client_owner4 eia_clientowner; uint32_t eia_flags;
 *                             state_protect4_a eia_state_protect; nfs_impl_id4 eia_client_impl_id<1>; };
 *   struct EXCHANGE_ID4resok { clientid4 eir_clientid; sequenceid4 eir_sequenceid; uint32_t eir_flags;
 *     state_protect4_r eir_state_protect; server_owner4 eir_server_owner;
 *     opaque eir_server_scope<NFS4_OPAQUE_LIMIT>; nfs_impl_id4 eir_server_impl_id<1>; };
 *   struct channel_attrs4 { count4 ca_headerpadsize; count4 ca_maxrequestsize; count4 ca_maxresponsesize;
 *     count4 ca_maxresponsesize_cached; count4 ca_maxoperations; count4 ca_maxrequests; uint32_t ca_rdma_ird<1>; };
 *   struct CREATE_SESSION4args { clientid4 csa_clientid; sequenceid4 csa_sequence; uint32_t csa_flags;
 *     channel_attrs4 csa_fore_chan_attrs; channel_attrs4 csa_back_chan_attrs; uint32_t csa_cb_program;
 *     callback_sec_parms4 csa_sec_parms<>; };
 *   struct CREATE_SESSION4resok { sessionid4 csr_sessionid; sequenceid4 csr_sequence; uint32_t csr_flags;
 *     channel_attrs4 csr_fore_chan_attrs; channel_attrs4 csr_back_chan_attrs; };
 *   struct SEQUENCE4args { sessionid4 sa_sessionid; sequenceid4 sa_sequenceid; slotid4 sa_slotid;
 *                          slotid4 sa_highest_slotid; bool sa_cachethis; };
 *   struct SEQUENCE4resok { sessionid4 sr_sessionid; sequenceid4 sr_sequenceid; slotid4 sr_slotid;
 *     slotid4 sr_highest_slotid; slotid4 sr_target_highest_slotid; uint32_t sr_status_flags; };
 *   struct RECLAIM_COMPLETE4args { bool rca_one_fs; };
 *   struct TEST_STATEID4args { stateid4 ts_stateids<>; };  struct TEST_STATEID4resok { nfsstat4 tsr_status_codes<>; };
 *   typedef secinfo_style4 SECINFO_NO_NAME4args;  typedef SECINFO4res SECINFO_NO_NAME4res;
 */

import { authsys_parms } from '../../rpc/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { client_owner4, nfs_impl_id4, sessionid4, stateid4, upToOne } from './basic.js';
import { bitmap4 } from './bitmap4.js';
import {
  AUTH_NONE_FLAVOR, AUTH_SYS_FLAVOR, NFS4_MAXLIST, NFS4_OPAQUE_LIMIT, RPCSEC_GSS_FLAVOR, SECINFO_STYLE4_CURRENT_FH,
  SECINFO_STYLE4_PARENT, SP4_MACH_CRED, SP4_NONE, SP4_SSV,
} from './constants.js';
import type { nfsstat4 } from './nfsstat4.js';
import { nfs4Result, statusRes } from './result.js';
import type { Nfs4Result, StatusRes } from './result.js';

const secOid: XdrCodec<Buffer> = {
  encode: (w, v) => w.opaque(v, NFS4_OPAQUE_LIMIT, 'sec_oid4'),
  decode: (r) => r.opaqueCopy(NFS4_OPAQUE_LIMIT, 'sec_oid4'),
};
const writeOid = (w: XdrWriter, v: Buffer): void => secOid.encode(w, v);
const readOid = (r: XdrReader): Buffer => secOid.decode(r);
const oidList: XdrCodec<Buffer[]> = {
  encode: (w, v) => w.array(v, NFS4_MAXLIST, writeOid, 'sec_oid4<>'),
  decode: (r) => r.array(NFS4_MAXLIST, 4, readOid, 'sec_oid4<>'),
};

export interface state_protect_ops4 {
  spo_must_enforce: bitmap4;
  spo_must_allow: bitmap4;
}
const state_protect_ops4: XdrCodec<state_protect_ops4> = {
  encode(w, v) {
    bitmap4.encode(w, v.spo_must_enforce);
    bitmap4.encode(w, v.spo_must_allow);
  },
  decode(r) {
    const spo_must_enforce = bitmap4.decode(r);
    return { spo_must_enforce, spo_must_allow: bitmap4.decode(r) };
  },
};
export interface ssv_sp_parms4 {
  ssp_ops: state_protect_ops4;
  ssp_hash_algs: Buffer[];
  ssp_encr_algs: Buffer[];
  ssp_window: number;
  ssp_num_gss_handles: number;
}
export type state_protect4_a =
  | { spa_how: typeof SP4_NONE }
  | { spa_how: typeof SP4_MACH_CRED; spa_mach_ops: state_protect_ops4 }
  | { spa_how: typeof SP4_SSV; spa_ssv_parms: ssv_sp_parms4 };
const state_protect4_a: XdrCodec<state_protect4_a> = {
  encode(w, v) {
    w.enum(v.spa_how, 'state_protect4_a.spa_how', SP4_NONE, SP4_SSV);
    if (v.spa_how === SP4_MACH_CRED) state_protect_ops4.encode(w, v.spa_mach_ops);
    else if (v.spa_how === SP4_SSV) {
      const p = v.spa_ssv_parms;
      state_protect_ops4.encode(w, p.ssp_ops);
      oidList.encode(w, p.ssp_hash_algs);
      oidList.encode(w, p.ssp_encr_algs);
      w.uint(p.ssp_window, 'ssv_sp_parms4.ssp_window');
      w.uint(p.ssp_num_gss_handles, 'ssv_sp_parms4.ssp_num_gss_handles');
    }
  },
  decode(r) {
    const spa_how = r.enum(SP4_NONE, SP4_SSV, 'state_protect4_a.spa_how');
    if (spa_how === SP4_MACH_CRED) return { spa_how, spa_mach_ops: state_protect_ops4.decode(r) };
    if (spa_how === SP4_SSV) {
      const ssp_ops = state_protect_ops4.decode(r);
      const ssp_hash_algs = oidList.decode(r);
      const ssp_encr_algs = oidList.decode(r);
      const ssp_window = r.uint('ssv_sp_parms4.ssp_window');
      return { spa_how, spa_ssv_parms: { ssp_ops, ssp_hash_algs, ssp_encr_algs, ssp_window, ssp_num_gss_handles: r.uint('ssv_sp_parms4.ssp_num_gss_handles') } };
    }
    return { spa_how: SP4_NONE };
  },
};
export interface ssv_prot_info4 {
  spi_ops: state_protect_ops4;
  spi_hash_alg: number;
  spi_encr_alg: number;
  spi_ssv_len: number;
  spi_window: number;
  spi_handles: Buffer[];
}
export type state_protect4_r =
  | { spr_how: typeof SP4_NONE }
  | { spr_how: typeof SP4_MACH_CRED; spr_mach_ops: state_protect_ops4 }
  | { spr_how: typeof SP4_SSV; spr_ssv_info: ssv_prot_info4 };
const state_protect4_r: XdrCodec<state_protect4_r> = {
  encode(w, v) {
    w.enum(v.spr_how, 'state_protect4_r.spr_how', SP4_NONE, SP4_SSV);
    if (v.spr_how === SP4_MACH_CRED) state_protect_ops4.encode(w, v.spr_mach_ops);
    else if (v.spr_how === SP4_SSV) {
      const p = v.spr_ssv_info;
      state_protect_ops4.encode(w, p.spi_ops);
      w.uint(p.spi_hash_alg, 'ssv_prot_info4.spi_hash_alg');
      w.uint(p.spi_encr_alg, 'ssv_prot_info4.spi_encr_alg');
      w.uint(p.spi_ssv_len, 'ssv_prot_info4.spi_ssv_len');
      w.uint(p.spi_window, 'ssv_prot_info4.spi_window');
      oidList.encode(w, p.spi_handles);
    }
  },
  decode(r) {
    const spr_how = r.enum(SP4_NONE, SP4_SSV, 'state_protect4_r.spr_how');
    if (spr_how === SP4_MACH_CRED) return { spr_how, spr_mach_ops: state_protect_ops4.decode(r) };
    if (spr_how === SP4_SSV) {
      const spi_ops = state_protect_ops4.decode(r);
      const spi_hash_alg = r.uint('ssv_prot_info4.spi_hash_alg');
      const spi_encr_alg = r.uint('ssv_prot_info4.spi_encr_alg');
      const spi_ssv_len = r.uint('ssv_prot_info4.spi_ssv_len');
      const spi_window = r.uint('ssv_prot_info4.spi_window');
      return { spr_how, spr_ssv_info: { spi_ops, spi_hash_alg, spi_encr_alg, spi_ssv_len, spi_window, spi_handles: oidList.decode(r) } };
    }
    return { spr_how: SP4_NONE };
  },
};

const implId = upToOne(nfs_impl_id4, 'nfs_impl_id4<1>', 20);

export interface EXCHANGE_ID4args {
  eia_clientowner: client_owner4;
  eia_flags: number;
  eia_state_protect: state_protect4_a;
  eia_client_impl_id: nfs_impl_id4[];
}
export const EXCHANGE_ID4args: XdrCodec<EXCHANGE_ID4args> = {
  encode(w, v) {
    client_owner4.encode(w, v.eia_clientowner);
    w.uint(v.eia_flags, 'EXCHANGE_ID4args.eia_flags');
    state_protect4_a.encode(w, v.eia_state_protect);
    implId.encode(w, v.eia_client_impl_id);
  },
  decode(r) {
    const eia_clientowner = client_owner4.decode(r);
    const eia_flags = r.uint('EXCHANGE_ID4args.eia_flags');
    const eia_state_protect = state_protect4_a.decode(r);
    return { eia_clientowner, eia_flags, eia_state_protect, eia_client_impl_id: implId.decode(r) };
  },
};
export interface server_owner4 {
  so_minor_id: bigint;
  so_major_id: Buffer;
}
export interface EXCHANGE_ID4resok {
  eir_clientid: bigint;
  eir_sequenceid: number;
  eir_flags: number;
  eir_state_protect: state_protect4_r;
  eir_server_owner: server_owner4;
  eir_server_scope: Buffer;
  eir_server_impl_id: nfs_impl_id4[];
}
const EXCHANGE_ID4resok: XdrCodec<EXCHANGE_ID4resok> = {
  encode(w, v) {
    w.uhyper(v.eir_clientid, 'EXCHANGE_ID4resok.eir_clientid');
    w.uint(v.eir_sequenceid, 'EXCHANGE_ID4resok.eir_sequenceid');
    w.uint(v.eir_flags, 'EXCHANGE_ID4resok.eir_flags');
    state_protect4_r.encode(w, v.eir_state_protect);
    w.uhyper(v.eir_server_owner.so_minor_id, 'server_owner4.so_minor_id');
    w.opaque(v.eir_server_owner.so_major_id, NFS4_OPAQUE_LIMIT, 'server_owner4.so_major_id');
    w.opaque(v.eir_server_scope, NFS4_OPAQUE_LIMIT, 'EXCHANGE_ID4resok.eir_server_scope');
    implId.encode(w, v.eir_server_impl_id);
  },
  decode(r) {
    const eir_clientid = r.uhyper('EXCHANGE_ID4resok.eir_clientid');
    const eir_sequenceid = r.uint('EXCHANGE_ID4resok.eir_sequenceid');
    const eir_flags = r.uint('EXCHANGE_ID4resok.eir_flags');
    const eir_state_protect = state_protect4_r.decode(r);
    const so_minor_id = r.uhyper('server_owner4.so_minor_id');
    const so_major_id = r.opaqueCopy(NFS4_OPAQUE_LIMIT, 'server_owner4.so_major_id');
    const eir_server_scope = r.opaqueCopy(NFS4_OPAQUE_LIMIT, 'EXCHANGE_ID4resok.eir_server_scope');
    return {
      eir_clientid, eir_sequenceid, eir_flags, eir_state_protect, eir_server_owner: { so_minor_id, so_major_id },
      eir_server_scope, eir_server_impl_id: implId.decode(r),
    };
  },
};
export type EXCHANGE_ID4res = Nfs4Result<EXCHANGE_ID4resok, 'eir_resok4'>;
export const EXCHANGE_ID4res = nfs4Result(EXCHANGE_ID4resok, 'eir_resok4', 'EXCHANGE_ID4res');

export interface channel_attrs4 {
  ca_headerpadsize: number;
  ca_maxrequestsize: number;
  ca_maxresponsesize: number;
  ca_maxresponsesize_cached: number;
  ca_maxoperations: number;
  ca_maxrequests: number;
  ca_rdma_ird: number[];
}
export const channel_attrs4: XdrCodec<channel_attrs4> = {
  encode(w, v) {
    w.uint(v.ca_headerpadsize, 'channel_attrs4.ca_headerpadsize');
    w.uint(v.ca_maxrequestsize, 'channel_attrs4.ca_maxrequestsize');
    w.uint(v.ca_maxresponsesize, 'channel_attrs4.ca_maxresponsesize');
    w.uint(v.ca_maxresponsesize_cached, 'channel_attrs4.ca_maxresponsesize_cached');
    w.uint(v.ca_maxoperations, 'channel_attrs4.ca_maxoperations');
    w.uint(v.ca_maxrequests, 'channel_attrs4.ca_maxrequests');
    w.array(v.ca_rdma_ird, 1, (ww, x) => ww.uint(x, 'channel_attrs4.ca_rdma_ird'), 'channel_attrs4.ca_rdma_ird');
  },
  decode(r) {
    const ca_headerpadsize = r.uint('channel_attrs4.ca_headerpadsize');
    const ca_maxrequestsize = r.uint('channel_attrs4.ca_maxrequestsize');
    const ca_maxresponsesize = r.uint('channel_attrs4.ca_maxresponsesize');
    const ca_maxresponsesize_cached = r.uint('channel_attrs4.ca_maxresponsesize_cached');
    const ca_maxoperations = r.uint('channel_attrs4.ca_maxoperations');
    const ca_maxrequests = r.uint('channel_attrs4.ca_maxrequests');
    const ca_rdma_ird = r.array(1, 4, (rr) => rr.uint('channel_attrs4.ca_rdma_ird'), 'channel_attrs4.ca_rdma_ird');
    return { ca_headerpadsize, ca_maxrequestsize, ca_maxresponsesize, ca_maxresponsesize_cached, ca_maxoperations, ca_maxrequests, ca_rdma_ird };
  },
};

/** callback_sec_parms4: AUTH_NONE and AUTH_SYS (this client offers no RPCSEC_GSS callbacks). */
export type callback_sec_parms4 =
  | { cb_secflavor: typeof AUTH_NONE_FLAVOR }
  | { cb_secflavor: typeof AUTH_SYS_FLAVOR; cbsp_sys_cred: authsys_parms };
const callback_sec_parms4: XdrCodec<callback_sec_parms4> = {
  encode(w, v) {
    w.uint(v.cb_secflavor, 'callback_sec_parms4.cb_secflavor');
    if (v.cb_secflavor === AUTH_SYS_FLAVOR) authsys_parms.encode(w, v.cbsp_sys_cred);
  },
  decode(r) {
    const at = r.offset;
    const f = r.uint('callback_sec_parms4.cb_secflavor');
    if (f === AUTH_NONE_FLAVOR) return { cb_secflavor: f };
    if (f === AUTH_SYS_FLAVOR) return { cb_secflavor: f, cbsp_sys_cred: authsys_parms.decode(r) };
    return r.fail(`flavour ${f} is not decoded by this client`, 'callback_sec_parms4', at);
  },
};
const writeSecParms = (w: XdrWriter, v: callback_sec_parms4): void => callback_sec_parms4.encode(w, v);
const readSecParms = (r: XdrReader): callback_sec_parms4 => callback_sec_parms4.decode(r);

export interface CREATE_SESSION4args {
  csa_clientid: bigint;
  csa_sequence: number;
  csa_flags: number;
  csa_fore_chan_attrs: channel_attrs4;
  csa_back_chan_attrs: channel_attrs4;
  csa_cb_program: number;
  csa_sec_parms: callback_sec_parms4[];
}
export const CREATE_SESSION4args: XdrCodec<CREATE_SESSION4args> = {
  encode(w, v) {
    w.uhyper(v.csa_clientid, 'CREATE_SESSION4args.csa_clientid');
    w.uint(v.csa_sequence, 'CREATE_SESSION4args.csa_sequence');
    w.uint(v.csa_flags, 'CREATE_SESSION4args.csa_flags');
    channel_attrs4.encode(w, v.csa_fore_chan_attrs);
    channel_attrs4.encode(w, v.csa_back_chan_attrs);
    w.uint(v.csa_cb_program, 'CREATE_SESSION4args.csa_cb_program');
    w.array(v.csa_sec_parms, NFS4_MAXLIST, writeSecParms, 'CREATE_SESSION4args.csa_sec_parms');
  },
  decode(r) {
    const csa_clientid = r.uhyper('CREATE_SESSION4args.csa_clientid');
    const csa_sequence = r.uint('CREATE_SESSION4args.csa_sequence');
    const csa_flags = r.uint('CREATE_SESSION4args.csa_flags');
    const csa_fore_chan_attrs = channel_attrs4.decode(r);
    const csa_back_chan_attrs = channel_attrs4.decode(r);
    const csa_cb_program = r.uint('CREATE_SESSION4args.csa_cb_program');
    const csa_sec_parms = r.array(NFS4_MAXLIST, 4, readSecParms, 'CREATE_SESSION4args.csa_sec_parms');
    return { csa_clientid, csa_sequence, csa_flags, csa_fore_chan_attrs, csa_back_chan_attrs, csa_cb_program, csa_sec_parms };
  },
};
export interface CREATE_SESSION4resok {
  csr_sessionid: Buffer;
  csr_sequence: number;
  csr_flags: number;
  csr_fore_chan_attrs: channel_attrs4;
  csr_back_chan_attrs: channel_attrs4;
}
const CREATE_SESSION4resok: XdrCodec<CREATE_SESSION4resok> = {
  encode(w, v) {
    sessionid4.encode(w, v.csr_sessionid);
    w.uint(v.csr_sequence, 'CREATE_SESSION4resok.csr_sequence');
    w.uint(v.csr_flags, 'CREATE_SESSION4resok.csr_flags');
    channel_attrs4.encode(w, v.csr_fore_chan_attrs);
    channel_attrs4.encode(w, v.csr_back_chan_attrs);
  },
  decode(r) {
    const csr_sessionid = sessionid4.decode(r);
    const csr_sequence = r.uint('CREATE_SESSION4resok.csr_sequence');
    const csr_flags = r.uint('CREATE_SESSION4resok.csr_flags');
    const csr_fore_chan_attrs = channel_attrs4.decode(r);
    return { csr_sessionid, csr_sequence, csr_flags, csr_fore_chan_attrs, csr_back_chan_attrs: channel_attrs4.decode(r) };
  },
};
export type CREATE_SESSION4res = Nfs4Result<CREATE_SESSION4resok, 'csr_resok4'>;
export const CREATE_SESSION4res = nfs4Result(CREATE_SESSION4resok, 'csr_resok4', 'CREATE_SESSION4res');

export interface DESTROY_SESSION4args {
  dsa_sessionid: Buffer;
}
export const DESTROY_SESSION4args: XdrCodec<DESTROY_SESSION4args> = {
  encode: (w, v) => sessionid4.encode(w, v.dsa_sessionid),
  decode: (r) => ({ dsa_sessionid: sessionid4.decode(r) }),
};
export type DESTROY_SESSION4res = StatusRes;
export const DESTROY_SESSION4res = statusRes('DESTROY_SESSION4res');

export interface DESTROY_CLIENTID4args {
  dca_clientid: bigint;
}
export const DESTROY_CLIENTID4args: XdrCodec<DESTROY_CLIENTID4args> = {
  encode: (w, v) => w.uhyper(v.dca_clientid, 'DESTROY_CLIENTID4args.dca_clientid'),
  decode: (r) => ({ dca_clientid: r.uhyper('DESTROY_CLIENTID4args.dca_clientid') }),
};
export type DESTROY_CLIENTID4res = StatusRes;
export const DESTROY_CLIENTID4res = statusRes('DESTROY_CLIENTID4res');

export interface SEQUENCE4args {
  sa_sessionid: Buffer;
  sa_sequenceid: number;
  sa_slotid: number;
  sa_highest_slotid: number;
  sa_cachethis: boolean;
}
export const SEQUENCE4args: XdrCodec<SEQUENCE4args> = {
  encode(w, v) {
    sessionid4.encode(w, v.sa_sessionid);
    w.uint(v.sa_sequenceid, 'SEQUENCE4args.sa_sequenceid');
    w.uint(v.sa_slotid, 'SEQUENCE4args.sa_slotid');
    w.uint(v.sa_highest_slotid, 'SEQUENCE4args.sa_highest_slotid');
    w.bool(v.sa_cachethis);
  },
  decode(r) {
    const sa_sessionid = sessionid4.decode(r);
    const sa_sequenceid = r.uint('SEQUENCE4args.sa_sequenceid');
    const sa_slotid = r.uint('SEQUENCE4args.sa_slotid');
    const sa_highest_slotid = r.uint('SEQUENCE4args.sa_highest_slotid');
    return { sa_sessionid, sa_sequenceid, sa_slotid, sa_highest_slotid, sa_cachethis: r.bool('SEQUENCE4args.sa_cachethis') };
  },
};
export interface SEQUENCE4resok {
  sr_sessionid: Buffer;
  sr_sequenceid: number;
  sr_slotid: number;
  sr_highest_slotid: number;
  sr_target_highest_slotid: number;
  sr_status_flags: number;
}
const SEQUENCE4resok: XdrCodec<SEQUENCE4resok> = {
  encode(w, v) {
    sessionid4.encode(w, v.sr_sessionid);
    w.uint(v.sr_sequenceid, 'SEQUENCE4resok.sr_sequenceid');
    w.uint(v.sr_slotid, 'SEQUENCE4resok.sr_slotid');
    w.uint(v.sr_highest_slotid, 'SEQUENCE4resok.sr_highest_slotid');
    w.uint(v.sr_target_highest_slotid, 'SEQUENCE4resok.sr_target_highest_slotid');
    w.uint(v.sr_status_flags, 'SEQUENCE4resok.sr_status_flags');
  },
  decode(r) {
    const sr_sessionid = sessionid4.decode(r);
    const sr_sequenceid = r.uint('SEQUENCE4resok.sr_sequenceid');
    const sr_slotid = r.uint('SEQUENCE4resok.sr_slotid');
    const sr_highest_slotid = r.uint('SEQUENCE4resok.sr_highest_slotid');
    const sr_target_highest_slotid = r.uint('SEQUENCE4resok.sr_target_highest_slotid');
    return { sr_sessionid, sr_sequenceid, sr_slotid, sr_highest_slotid, sr_target_highest_slotid, sr_status_flags: r.uint('SEQUENCE4resok.sr_status_flags') };
  },
};
export type SEQUENCE4res = Nfs4Result<SEQUENCE4resok, 'sr_resok4'>;
export const SEQUENCE4res = nfs4Result(SEQUENCE4resok, 'sr_resok4', 'SEQUENCE4res');

export interface RECLAIM_COMPLETE4args {
  /** False: every file system of the server (what a client does after its reclaims). */
  rca_one_fs: boolean;
}
export const RECLAIM_COMPLETE4args: XdrCodec<RECLAIM_COMPLETE4args> = {
  encode: (w, v) => w.bool(v.rca_one_fs),
  decode: (r) => ({ rca_one_fs: r.bool('RECLAIM_COMPLETE4args.rca_one_fs') }),
};
export type RECLAIM_COMPLETE4res = StatusRes;
export const RECLAIM_COMPLETE4res = statusRes('RECLAIM_COMPLETE4res');

export interface FREE_STATEID4args {
  fsa_stateid: stateid4;
}
export const FREE_STATEID4args: XdrCodec<FREE_STATEID4args> = {
  encode: (w, v) => stateid4.encode(w, v.fsa_stateid),
  decode: (r) => ({ fsa_stateid: stateid4.decode(r) }),
};
export type FREE_STATEID4res = StatusRes;
export const FREE_STATEID4res = statusRes('FREE_STATEID4res');

export interface TEST_STATEID4args {
  ts_stateids: stateid4[];
}
const writeStateid = (w: XdrWriter, v: stateid4): void => stateid4.encode(w, v);
const readStateid = (r: XdrReader): stateid4 => stateid4.decode(r);
export const TEST_STATEID4args: XdrCodec<TEST_STATEID4args> = {
  encode: (w, v) => w.array(v.ts_stateids, NFS4_MAXLIST, writeStateid, 'TEST_STATEID4args.ts_stateids'),
  decode: (r) => ({ ts_stateids: r.array(NFS4_MAXLIST, 16, readStateid, 'TEST_STATEID4args.ts_stateids') }),
};
export interface TEST_STATEID4resok {
  tsr_status_codes: nfsstat4[];
}
const TEST_STATEID4resok: XdrCodec<TEST_STATEID4resok> = {
  encode: (w, v) => w.array(v.tsr_status_codes, NFS4_MAXLIST, (ww, x) => ww.int(x, 'tsr_status_codes'), 'TEST_STATEID4resok.tsr_status_codes'),
  decode: (r) => ({ tsr_status_codes: r.array(NFS4_MAXLIST, 4, (rr) => rr.int('tsr_status_codes') as nfsstat4, 'TEST_STATEID4resok.tsr_status_codes') }),
};
export type TEST_STATEID4res = Nfs4Result<TEST_STATEID4resok, 'tsr_resok4'>;
export const TEST_STATEID4res = nfs4Result(TEST_STATEID4resok, 'tsr_resok4', 'TEST_STATEID4res');

export type SECINFO_NO_NAME4args = typeof SECINFO_STYLE4_CURRENT_FH | typeof SECINFO_STYLE4_PARENT;
export const SECINFO_NO_NAME4args: XdrCodec<SECINFO_NO_NAME4args> = {
  encode: (w, v) => w.enum(v, 'secinfo_style4', SECINFO_STYLE4_CURRENT_FH, SECINFO_STYLE4_PARENT),
  decode: (r) => r.enum(SECINFO_STYLE4_CURRENT_FH, SECINFO_STYLE4_PARENT, 'secinfo_style4') as SECINFO_NO_NAME4args,
};
export interface rpcsec_gss_info {
  oid: Buffer;
  qop: number;
  service: number;
}
export type secinfo4 = { flavor: typeof RPCSEC_GSS_FLAVOR; flavor_info: rpcsec_gss_info } | { flavor: number };
const secinfo4: XdrCodec<secinfo4> = {
  encode(w, v) {
    w.uint(v.flavor, 'secinfo4.flavor');
    if ('flavor_info' in v) {
      secOid.encode(w, v.flavor_info.oid);
      w.uint(v.flavor_info.qop, 'rpcsec_gss_info.qop');
      w.enum(v.flavor_info.service, 'rpcsec_gss_info.service', 1, 3);
    }
  },
  decode(r) {
    const flavor = r.uint('secinfo4.flavor');
    if (flavor !== RPCSEC_GSS_FLAVOR) return { flavor };
    const oid = secOid.decode(r);
    const qop = r.uint('rpcsec_gss_info.qop');
    return { flavor: RPCSEC_GSS_FLAVOR, flavor_info: { oid, qop, service: r.enum(1, 3, 'rpcsec_gss_info.service') } };
  },
};
const secinfoList: XdrCodec<secinfo4[]> = {
  encode: (w, v) => w.array(v, NFS4_MAXLIST, (ww, x) => secinfo4.encode(ww, x), 'SECINFO4resok'),
  decode: (r) => r.array(NFS4_MAXLIST, 4, (rr) => secinfo4.decode(rr), 'SECINFO4resok'),
};
export type SECINFO_NO_NAME4res = Nfs4Result<secinfo4[]>;
export const SECINFO_NO_NAME4res = nfs4Result(secinfoList, 'resok4', 'SECINFO_NO_NAME4res');
