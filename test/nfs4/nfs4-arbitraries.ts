/* fast-check arbitraries for the NFSv4 types (RFC 7531, RFC 8881 §23): values, and every operation's arguments and results. */

import fc from 'fast-check';
import type { stateid4 } from '../../nfsclient/nfs4/basic.js';
import { bitmap4Of } from '../../nfsclient/nfs4/bitmap4.js';
import type { nfs_argop4 } from '../../nfsclient/nfs4/compound.js';
import { NFS4_OPERATIONS } from '../../nfsclient/nfs4/compound.js';
import { fattr4Known, fattr4Name } from '../../nfsclient/nfs4/fattr4.js';
import type { Fattr4Values, fattr4 } from '../../nfsclient/nfs4/fattr4.js';
import { NFS4ERR_CLID_INUSE, NFS4_ERRORS, NFS4_OK } from '../../nfsclient/nfs4/nfsstat4.js';
import * as O from '../../nfsclient/nfs4/opnum.js';
import { arb } from '../rpc/xdr-helpers.js';

export const arbU32 = arb.uint32();
export const arbU64 = arb.uint64();
export const arbName = arb.name(255);
export const arbFh = arb.bytes(128);
export const arbVerf = arb.fixedBytes(8);
export const arbSessionid = arb.fixedBytes(16);
export const arbStateid: fc.Arbitrary<stateid4> = fc.record({ seqid: arbU32, other: arb.fixedBytes(12) });
export const arbTime = fc.record({ seconds: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), nseconds: fc.integer({ min: 0, max: 999_999_999 }) });
export const arbSettime = fc.oneof(fc.constant({ set_it: 0 as const }), fc.record({ set_it: fc.constant(1 as const), time: arbTime }));
export const arbBitmap = fc.array(arbU32, { maxLength: 4 });
export const arbBool = fc.boolean();
export const arbErr = fc.constantFrom(...NFS4_ERRORS);
const arbAce = fc.record({ type: arbU32, flag: arbU32, access_mask: arbU32, who: arbName });
const arbPath = fc.array(arbName, { maxLength: 4 });
const arbCinfo = fc.record({ atomic: arbBool, before: arbU64, after: arbU64 });
const arbImpl = fc.record({ nii_domain: arbName, nii_name: arbName, nii_date: arbTime });

/* A value for each attribute this client knows. */
const ATTR_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  supported_attrs: arbBitmap, type: fc.integer({ min: 1, max: 9 }), fh_expire_type: arbU32, change: arbU64, size: arbU64,
  link_support: arbBool, symlink_support: arbBool, named_attr: arbBool, fsid: fc.record({ major: arbU64, minor: arbU64 }),
  unique_handles: arbBool, lease_time: arbU32, rdattr_error: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  acl: fc.array(arbAce, { maxLength: 3 }), aclsupport: arbU32, archive: arbBool, cansettime: arbBool,
  case_insensitive: arbBool, case_preserving: arbBool, chown_restricted: arbBool, filehandle: arbFh, fileid: arbU64,
  files_avail: arbU64, files_free: arbU64, files_total: arbU64,
  fs_locations: fc.record({ fs_root: arbPath, locations: fc.array(fc.record({ server: fc.array(arbName, { maxLength: 2 }), rootpath: arbPath }), { maxLength: 2 }) }),
  hidden: arbBool, homogeneous: arbBool, maxfilesize: arbU64, maxlink: arbU32, maxname: arbU32, maxread: arbU64,
  maxwrite: arbU64, mimetype: arbName, mode: arbU32, no_trunc: arbBool, numlinks: arbU32, owner: arbName, owner_group: arbName,
  quota_avail_hard: arbU64, quota_avail_soft: arbU64, quota_used: arbU64, rawdev: fc.record({ specdata1: arbU32, specdata2: arbU32 }),
  space_avail: arbU64, space_free: arbU64, space_total: arbU64, space_used: arbU64, system: arbBool, time_access: arbTime,
  time_access_set: arbSettime, time_backup: arbTime, time_create: arbTime, time_delta: arbTime, time_metadata: arbTime,
  time_modify: arbTime, time_modify_set: arbSettime, mounted_on_fileid: arbU64, dir_notif_delay: arbTime,
  dirent_notif_delay: arbTime, dacl: fc.record({ na41_flag: arbU32, na41_aces: fc.array(arbAce, { maxLength: 2 }) }),
  sacl: fc.record({ na41_flag: arbU32, na41_aces: fc.array(arbAce, { maxLength: 2 }) }),
  change_policy: fc.record({ cp_major: arbU64, cp_minor: arbU64 }), fs_layout_types: fc.array(arbU32, { maxLength: 3 }),
  layout_types: fc.array(arbU32, { maxLength: 3 }), layout_blksize: arbU32, layout_alignment: arbU32, retention_hold: arbU64,
  mode_set_masked: fc.record({ mm_value_to_set: arbU32, mm_mask_bits: arbU32 }), suppattr_exclcreat: arbBitmap,
  fs_charset_cap: arbU32, clone_blksize: arbU32, space_freed: arbU64, change_attr_type: arbU32,
  mode_umask: fc.record({ mu_mode: arbU32, mu_umask: arbU32 }), xattr_support: arbBool,
};

/** The numbers of the attributes this client encodes and decodes. */
export const KNOWN_ATTRS: number[] = Array.from({ length: 100 }, (_, i) => i).filter(fattr4Known);

/** A fattr4 of a random subset of the known attributes. */
export const arbFattr4: fc.Arbitrary<fattr4> = fc.subarray(KNOWN_ATTRS, { maxLength: 12 }).chain((bits) => {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const b of bits) rec[fattr4Name(b)] = ATTR_VALUES[fattr4Name(b)]!;
  return fc.record(rec).map((vals) => ({ attrmask: bitmap4Of(bits), attr_vals: vals as Fattr4Values }));
});

const ok = <T>(a: fc.Arbitrary<T>, key = 'resok4') => a.map((v) => ({ status: NFS4_OK, [key]: v }));
const fail = arbErr.map((status) => ({ status }));
const res = <T>(a: fc.Arbitrary<T>, key = 'resok4') => fc.oneof(ok(a, key), fail);
const statusOnly = fc.oneof(fc.constant({ status: NFS4_OK }), fail);
const none = fc.constant(undefined);

const arbCreatetype = fc.oneof(
  fc.record({ type: fc.constant(5), linkdata: arbName }),
  fc.record({ type: fc.constantFrom(3, 4), devdata: fc.record({ specdata1: arbU32, specdata2: arbU32 }) }),
  fc.record({ type: fc.constantFrom(1, 2, 6, 7, 8, 9) }),
);
const arbCreatehow = fc.oneof(
  fc.record({ mode: fc.constantFrom(0, 1), createattrs: arbFattr4 }),
  fc.record({ mode: fc.constant(2), createverf: arbVerf }),
  fc.record({ mode: fc.constant(3), ch_createboth: fc.record({ cva_verf: arbVerf, cva_attrs: arbFattr4 }) }),
);
const arbClaim = fc.oneof(
  fc.record({ claim: fc.constant(0), file: arbName }),
  fc.record({ claim: fc.constant(1), delegate_type: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ claim: fc.constant(2), delegate_cur_info: fc.record({ delegate_stateid: arbStateid, file: arbName }) }),
  fc.record({ claim: fc.constant(3), file_delegate_prev: arbName }),
  fc.record({ claim: fc.constantFrom(4, 6) }),
  fc.record({ claim: fc.constant(5), oc_delegate_stateid: arbStateid }),
);
const arbDeleg = fc.oneof(
  fc.constant({ delegation_type: 0 }),
  fc.record({ delegation_type: fc.constant(1), read: fc.record({ stateid: arbStateid, recall: arbBool, permissions: arbAce }) }),
  fc.record({
    delegation_type: fc.constant(2),
    write: fc.record({
      stateid: arbStateid, recall: arbBool, permissions: arbAce,
      space_limit: fc.oneof(fc.record({ limitby: fc.constant(1), filesize: arbU64 }), fc.record({ limitby: fc.constant(2), mod_blocks: fc.record({ num_blocks: arbU32, bytes_per_block: arbU32 }) })),
    }),
  }),
  fc.record({
    delegation_type: fc.constant(3),
    od_whynone: fc.oneof(
      fc.record({ ond_why: fc.constant(1), ond_server_will_push_deleg: arbBool }),
      fc.record({ ond_why: fc.constant(2), ond_server_will_signal_avail: arbBool }),
      fc.record({ ond_why: fc.constantFrom(0, 3, 4, 5, 6, 7, 8) }),
    ),
  }),
);
const arbChan = fc.record({
  ca_headerpadsize: arbU32, ca_maxrequestsize: arbU32, ca_maxresponsesize: arbU32, ca_maxresponsesize_cached: arbU32,
  ca_maxoperations: arbU32, ca_maxrequests: arbU32, ca_rdma_ird: fc.array(arbU32, { maxLength: 1 }),
});
const arbSpOps = fc.record({ spo_must_enforce: arbBitmap, spo_must_allow: arbBitmap });

/** Arguments and results of every operation of the table. */
export const OP_ARBS: Record<number, { args: fc.Arbitrary<unknown>; res: fc.Arbitrary<unknown> }> = {
  [O.OP_ACCESS]: { args: fc.record({ access: arbU32 }), res: res(fc.record({ supported: arbU32, access: arbU32 })) },
  [O.OP_CLOSE]: { args: fc.record({ seqid: arbU32, open_stateid: arbStateid }), res: res(arbStateid, 'open_stateid') },
  [O.OP_COMMIT]: { args: fc.record({ offset: arbU64, count: arbU32 }), res: res(fc.record({ writeverf: arbVerf })) },
  [O.OP_CREATE]: { args: fc.record({ objtype: arbCreatetype, objname: arbName, createattrs: arbFattr4 }), res: res(fc.record({ cinfo: arbCinfo, attrset: arbBitmap })) },
  [O.OP_DELEGRETURN]: { args: fc.record({ deleg_stateid: arbStateid }), res: statusOnly },
  [O.OP_GETATTR]: { args: fc.record({ attr_request: arbBitmap }), res: res(fc.record({ obj_attributes: arbFattr4 })) },
  [O.OP_GETFH]: { args: none, res: res(fc.record({ object: arbFh })) },
  [O.OP_LINK]: { args: fc.record({ newname: arbName }), res: res(fc.record({ cinfo: arbCinfo })) },
  [O.OP_LOOKUP]: { args: fc.record({ objname: arbName }), res: statusOnly },
  [O.OP_LOOKUPP]: { args: none, res: statusOnly },
  [O.OP_NVERIFY]: { args: fc.record({ obj_attributes: arbFattr4 }), res: statusOnly },
  [O.OP_OPEN]: {
    args: fc.record({
      seqid: arbU32, share_access: arbU32, share_deny: arbU32, owner: fc.record({ clientid: arbU64, owner: arb.bytes(64) }),
      openhow: fc.oneof(fc.constant({ opentype: 0 }), fc.record({ opentype: fc.constant(1), how: arbCreatehow })), claim: arbClaim,
    }),
    res: res(fc.record({ stateid: arbStateid, cinfo: arbCinfo, rflags: arbU32, attrset: arbBitmap, delegation: arbDeleg })),
  },
  [O.OP_OPEN_CONFIRM]: { args: fc.record({ open_stateid: arbStateid, seqid: arbU32 }), res: res(fc.record({ open_stateid: arbStateid })) },
  [O.OP_OPEN_DOWNGRADE]: { args: fc.record({ open_stateid: arbStateid, seqid: arbU32, share_access: arbU32, share_deny: arbU32 }), res: res(fc.record({ open_stateid: arbStateid })) },
  [O.OP_PUTFH]: { args: fc.record({ object: arbFh }), res: statusOnly },
  [O.OP_PUTPUBFH]: { args: none, res: statusOnly },
  [O.OP_PUTROOTFH]: { args: none, res: statusOnly },
  [O.OP_READ]: { args: fc.record({ stateid: arbStateid, offset: arbU64, count: arbU32 }), res: res(fc.record({ eof: arbBool, data: arb.bytes(40) })) },
  [O.OP_READDIR]: {
    args: fc.record({ cookie: arbU64, cookieverf: arbVerf, dircount: arbU32, maxcount: arbU32, attr_request: arbBitmap }),
    res: res(fc.record({ cookieverf: arbVerf, reply: fc.record({ entries: fc.array(fc.record({ cookie: arbU64, name: arbName, attrs: arbFattr4 }), { maxLength: 3 }), eof: arbBool }) })),
  },
  [O.OP_READLINK]: { args: none, res: res(fc.record({ link: arbName })) },
  [O.OP_REMOVE]: { args: fc.record({ target: arbName }), res: res(fc.record({ cinfo: arbCinfo })) },
  [O.OP_RENAME]: { args: fc.record({ oldname: arbName, newname: arbName }), res: res(fc.record({ source_cinfo: arbCinfo, target_cinfo: arbCinfo })) },
  [O.OP_RENEW]: { args: fc.record({ clientid: arbU64 }), res: statusOnly },
  [O.OP_RESTOREFH]: { args: none, res: statusOnly },
  [O.OP_SAVEFH]: { args: none, res: statusOnly },
  [O.OP_SETATTR]: { args: fc.record({ stateid: arbStateid, obj_attributes: arbFattr4 }), res: fc.record({ status: fc.oneof(fc.constant(NFS4_OK), arbErr), attrsset: arbBitmap }) },
  [O.OP_SETCLIENTID]: {
    args: fc.record({
      client: fc.record({ verifier: arbVerf, id: arb.bytes(64) }),
      callback: fc.record({ cb_program: arbU32, cb_location: fc.record({ na_r_netid: arbName, na_r_addr: arbName }) }), callback_ident: arbU32,
    }),
    res: fc.oneof(ok(fc.record({ clientid: arbU64, setclientid_confirm: arbVerf })),
      fc.record({ status: fc.constant(NFS4ERR_CLID_INUSE), client_using: fc.record({ na_r_netid: arbName, na_r_addr: arbName }) }),
      arbErr.filter((s) => s !== NFS4ERR_CLID_INUSE).map((status) => ({ status }))),
  },
  [O.OP_SETCLIENTID_CONFIRM]: { args: fc.record({ clientid: arbU64, setclientid_confirm: arbVerf }), res: statusOnly },
  [O.OP_VERIFY]: { args: fc.record({ obj_attributes: arbFattr4 }), res: statusOnly },
  [O.OP_WRITE]: { args: fc.record({ stateid: arbStateid, offset: arbU64, stable: fc.constantFrom(0, 1, 2), data: arb.bytes(40) }), res: res(fc.record({ count: arbU32, committed: fc.constantFrom(0, 1, 2), writeverf: arbVerf })) },
  [O.OP_EXCHANGE_ID]: {
    args: fc.record({
      eia_clientowner: fc.record({ co_verifier: arbVerf, co_ownerid: arb.bytes(64) }), eia_flags: arbU32,
      eia_state_protect: fc.oneof(fc.constant({ spa_how: 0 }), fc.record({ spa_how: fc.constant(1), spa_mach_ops: arbSpOps }),
        fc.record({ spa_how: fc.constant(2), spa_ssv_parms: fc.record({ ssp_ops: arbSpOps, ssp_hash_algs: fc.array(arb.bytes(9), { maxLength: 2 }), ssp_encr_algs: fc.array(arb.bytes(9), { maxLength: 2 }), ssp_window: arbU32, ssp_num_gss_handles: arbU32 }) })),
      eia_client_impl_id: fc.array(arbImpl, { maxLength: 1 }),
    }),
    res: res(fc.record({
      eir_clientid: arbU64, eir_sequenceid: arbU32, eir_flags: arbU32,
      eir_state_protect: fc.oneof(fc.constant({ spr_how: 0 }), fc.record({ spr_how: fc.constant(1), spr_mach_ops: arbSpOps }),
        fc.record({ spr_how: fc.constant(2), spr_ssv_info: fc.record({ spi_ops: arbSpOps, spi_hash_alg: arbU32, spi_encr_alg: arbU32, spi_ssv_len: arbU32, spi_window: arbU32, spi_handles: fc.array(arb.bytes(9), { maxLength: 2 }) }) })),
      eir_server_owner: fc.record({ so_minor_id: arbU64, so_major_id: arb.bytes(32) }), eir_server_scope: arb.bytes(32),
      eir_server_impl_id: fc.array(arbImpl, { maxLength: 1 }),
    }), 'eir_resok4'),
  },
  [O.OP_CREATE_SESSION]: {
    args: fc.record({
      csa_clientid: arbU64, csa_sequence: arbU32, csa_flags: arbU32, csa_fore_chan_attrs: arbChan, csa_back_chan_attrs: arbChan, csa_cb_program: arbU32,
      csa_sec_parms: fc.array(fc.oneof(fc.constant({ cb_secflavor: 0 }), fc.record({ cb_secflavor: fc.constant(1), cbsp_sys_cred: fc.record({ stamp: arbU32, machinename: arb.name(60), uid: arbU32, gid: arbU32, gids: fc.array(arbU32, { maxLength: 16 }) }) })), { maxLength: 2 }),
    }),
    res: res(fc.record({ csr_sessionid: arbSessionid, csr_sequence: arbU32, csr_flags: arbU32, csr_fore_chan_attrs: arbChan, csr_back_chan_attrs: arbChan }), 'csr_resok4'),
  },
  [O.OP_DESTROY_SESSION]: { args: fc.record({ dsa_sessionid: arbSessionid }), res: statusOnly },
  [O.OP_FREE_STATEID]: { args: fc.record({ fsa_stateid: arbStateid }), res: statusOnly },
  [O.OP_SECINFO_NO_NAME]: {
    args: fc.constantFrom(0, 1),
    res: res(fc.array(fc.oneof(fc.record({ flavor: fc.constant(6), flavor_info: fc.record({ oid: arb.bytes(12), qop: arbU32, service: fc.constantFrom(1, 2, 3) }) }), fc.record({ flavor: fc.constantFrom(0, 1, 390003) })), { maxLength: 3 })),
  },
  [O.OP_SEQUENCE]: {
    args: fc.record({ sa_sessionid: arbSessionid, sa_sequenceid: arbU32, sa_slotid: arbU32, sa_highest_slotid: arbU32, sa_cachethis: arbBool }),
    res: res(fc.record({ sr_sessionid: arbSessionid, sr_sequenceid: arbU32, sr_slotid: arbU32, sr_highest_slotid: arbU32, sr_target_highest_slotid: arbU32, sr_status_flags: arbU32 }), 'sr_resok4'),
  },
  [O.OP_TEST_STATEID]: { args: fc.record({ ts_stateids: fc.array(arbStateid, { maxLength: 3 }) }), res: res(fc.record({ tsr_status_codes: fc.array(fc.oneof(fc.constant(0), arbErr), { maxLength: 3 }) }), 'tsr_resok4') },
  [O.OP_DESTROY_CLIENTID]: { args: fc.record({ dca_clientid: arbU64 }), res: statusOnly },
  [O.OP_RECLAIM_COMPLETE]: { args: fc.record({ rca_one_fs: arbBool }), res: statusOnly },
};

/** Every operation number of the table. */
export const OPS: number[] = [...NFS4_OPERATIONS.keys()];

/** An operation with arguments. */
export const arbOp: fc.Arbitrary<nfs_argop4> = fc.constantFrom(...OPS).chain((op) =>
  OP_ARBS[op]!.args.map((args) => (args === undefined ? { argop: op } : { argop: op, args }) as nfs_argop4));

/** A result for an operation; `okOnly` for one followed by others. */
export function arbResult(op: number, okOnly: boolean): fc.Arbitrary<{ status: number }> {
  const a = OP_ARBS[op]!.res as fc.Arbitrary<{ status: number }>;
  return okOnly ? a.filter((r) => r.status === NFS4_OK) : a;
}

/** A COMPOUND request and a reply to it (results for a prefix, the last one possibly failed). */
export const arbCompound = fc.array(arbOp, { minLength: 1, maxLength: 5 }).chain((ops) =>
  fc.integer({ min: 0, max: ops.length }).chain((n) =>
    fc.tuple(...ops.slice(0, n).map((op, i) => arbResult(op.argop, i < n - 1 || n === ops.length))).chain((results) => {
      const last = results.length === 0 ? null : results[results.length - 1]!;
      /* Fewer results than operations: the last one failed (a reply stops there); none: any status but OK. */
      if (results.length < ops.length && last !== null && last.status === NFS4_OK) return fc.constant(null);
      const status = last === null ? fc.constantFrom(...NFS4_ERRORS) : fc.constant(last.status);
      return status.map((s) => ({ ops, res: { status: s, tag: 'tag', resarray: results } }));
    })).filter((x): x is NonNullable<typeof x> => x !== null));
